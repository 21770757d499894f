"""``python -m app [--data-dir DIR] [--demo]``: the desktop softphone, and its composition root.

This is the one module where the app core meets the widgets: :func:`compose` builds the
:class:`app.context.AppContext` and hands it to ``ui.main.run``, and owns the one way to quit
(``context.quit_app()``, also taken by the tray, the menus, ``aboutToQuit``, SIGINT and SIGTERM):
calls end, the embedded PBX child stops first, then the loop.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import qasync
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication

import ui.main
from app.context import AppContext, build_context
from app.logs import AppLogging
from app.paths import APP_NAME, ORG_NAME, AppPaths
from sip import EngineConfig

__all__ = ["Composed", "compose", "main", "parse_args"]

_log = logging.getLogger("app")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description="Acme desktop softphone")
    parser.add_argument("--data-dir", help="keep settings, logs and the PBX's data here")
    parser.add_argument(
        "--demo", action="store_true", help="start the PBX on this computer, signed in as 201"
    )
    return parser.parse_args(argv)


def _mark_first_paint(qt_app: QCoreApplication) -> None:
    """``ACME_BENCH_MARK=1``: print one line with the monotonic time of the first paint."""

    class _Mark(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
            if event.type() == QEvent.Type.Paint and obj.isWidgetType():
                print(f"bench-mark first-paint {time.monotonic():.6f}", flush=True)
                qt_app.removeEventFilter(self)
            return False

    qt_app.installEventFilter(_Mark(qt_app))


@dataclass(slots=True, weakref_slot=True)  # Qt keeps weak references to connected slots
class Composed:
    """The running app: its context, its shell and the one quit path."""

    context: AppContext
    shell: ui.main.UiShell
    loop: asyncio.AbstractEventLoop
    done: asyncio.Event = field(default_factory=asyncio.Event)
    _quitting: asyncio.Task[None] | None = None

    def quit(self) -> None:
        """Start quitting (idempotent); :attr:`done` is set once the session is closed."""
        if self._quitting is None:
            _log.info("quitting")
            self._quitting = self.loop.create_task(self._shutdown())

    async def _shutdown(self) -> None:
        try:
            await self.context.session_ctl.quit()
        finally:
            self.done.set()


def compose(
    args: argparse.Namespace,
    loop: asyncio.AbstractEventLoop,
    *,
    logs: AppLogging | None = None,
    engine_config: EngineConfig | None = None,
) -> Composed:
    """Build the context and the shell on the running QApplication; nothing connects yet."""
    context = build_context(args, loop=loop, logs=logs, engine_config=engine_config)
    shell = ui.main.run(context, args)
    composed = Composed(context, shell, loop)
    context.on_quit = composed.quit
    return composed


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    paths = AppPaths.create(args.data_dir)
    logs = AppLogging(paths.logs_dir)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName(APP_NAME)
    qt_app.setOrganizationName(ORG_NAME)
    if os.environ.get("ACME_BENCH_MARK"):
        _mark_first_paint(qt_app)
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    args.data_dir = str(paths.root)
    app = compose(args, loop, logs=logs)
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, app.quit)
    qt_app.aboutToQuit.connect(app.quit)
    app.context.session_ctl.start()
    with loop:
        try:
            loop.run_until_complete(app.done.wait())
        except RuntimeError:  # Qt quit stopped the loop before the session was closed
            if not app.done.is_set():
                app.quit()
                loop.run_until_complete(app.done.wait())
    logs.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
