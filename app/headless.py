"""The app core without widgets, for tests and tools: a QCoreApplication and a qasync loop.

``with headless(data_dir, demo=True) as (context, loop):`` builds the :class:`AppContext`;
run coroutines with ``loop.run_until_complete``; leaving the block quits the session (ends
calls, stops the embedded PBX) and closes the loop.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path

import qasync
from PySide6.QtCore import QCoreApplication

from app.context import AppContext, build_context
from app.tasks import cancel_pending
from sip import EngineConfig

__all__ = ["SteppedLoop", "headless", "qt_loop"]


class SteppedLoop(qasync.QEventLoop):  # type: ignore[misc]
    """qasync's loop, still the thread's running loop between runs.

    In the app the loop runs for good; a harness runs it for a while at a time, and Qt turns
    its events between the runs too (qasync once more after it stops, pytest-qt after each test
    step, a widget a test clicks), which can step a task of the app. Such a step must see its
    loop running, as it would in the app, or ``asyncio.current_task()`` (httpx, anyio) fails
    half-way through a request and leaves the connection pool's locks held."""

    def run_forever(self) -> int:
        try:
            return int(super().run_forever())
        finally:
            asyncio.events._set_running_loop(self)


def qt_loop() -> asyncio.AbstractEventLoop:
    """A qasync loop on the existing Q(Core)Application, or on a new QCoreApplication."""
    app = QCoreApplication.instance() or QCoreApplication([])
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(app)
    return loop


@contextlib.contextmanager
def headless(
    data_dir: Path, *, demo: bool = True, engine_config: EngineConfig | None = None
) -> Iterator[tuple[AppContext, asyncio.AbstractEventLoop]]:
    # stepped between runs as the running loop; reset when the block ends
    loop: asyncio.AbstractEventLoop = SteppedLoop(
        QCoreApplication.instance() or QCoreApplication([])
    )
    asyncio.set_event_loop(loop)
    args = argparse.Namespace(data_dir=str(data_dir), demo=demo)
    config = engine_config or EngineConfig(bound_address="127.0.0.1", log_level=0)
    context = build_context(args, loop=loop, engine_config=config)
    try:
        yield context, loop
    finally:
        try:
            loop.run_until_complete(context.session_ctl.quit())
        finally:
            cancel_pending(loop)
            loop.close()
            asyncio.events._set_running_loop(None)
            asyncio.set_event_loop(None)
