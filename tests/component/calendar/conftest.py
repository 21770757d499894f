"""A demo server subprocess shared by the calendar API tests of one module."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

_ROOT = Path(__file__).resolve().parents[3]
if str(_ROOT) not in sys.path:  # ``tests.support`` lives at the project root
    sys.path.insert(0, str(_ROOT))

from tests.support.server_process import RunningServer, start_server  # noqa: E402


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = start_server(tmp_path_factory.mktemp("server"), demo=True)
    yield server
    server.stop()


@pytest.fixture
def api(demo_server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server.base_url, timeout=10) as client:
        yield client
