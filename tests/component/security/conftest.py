"""A demo server with small limits, shared by the security probes of one module."""

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

SMALL_LIMITS = (
    "--api-max-failures", "3",
    "--api-block-seconds", "1",
    "--http-max-body", "4096",
    "--auth-max-failures", "3",
    "--auth-block-seconds", "1",
    "--calls-per-user", "2",
    "--bindings-per-extension", "3",
    "--sip-tcp-header-seconds", "1",
    "--sip-tcp-idle-seconds", "2",
    "--sip-tcp-per-source", "4",
    "--http-header-seconds", "1",
    "--http-idle-seconds", "2",
    "--http-per-source", "6",
    "--event-sockets-per-user", "2",
)  # fmt: skip


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = start_server(tmp_path_factory.mktemp("server"), demo=True, extra_args=SMALL_LIMITS)
    yield server
    server.stop()


@pytest.fixture
def api(limited_server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=limited_server.base_url, timeout=10) as client:
        yield client
