"""Qt runs offscreen in app component tests."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.context import AppContext
from app.headless import headless

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def app_and_loop(tmp_path: Path) -> Iterator[tuple[AppContext, asyncio.AbstractEventLoop]]:
    """The app core with its embedded PBX and the demo organisation, and the loop it runs on."""
    with headless(tmp_path / "data", demo=True) as (ctx, loop):
        yield ctx, loop
