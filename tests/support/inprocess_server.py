"""uvicorn serving the API inside a test's own asyncio loop."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import uvicorn

__all__ = ["InProcessServer"]


class InProcessServer(uvicorn.Server):
    """uvicorn without signal handlers (pytest owns them)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield
