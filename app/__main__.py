"""``python -m app [--data-dir DIR] [--demo]``: the desktop softphone.

Creates the QApplication and the qasync loop, logging in ``DIR/logs/``, the
:class:`app.context.AppContext`, and hands it to ``ui.main.run(context, args)`` when the UI
package provides it (else it runs the core headless until quit). SIGINT and SIGTERM quit
cleanly: calls end, the embedded PBX child stops first, then the loop.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["main", "parse_args"]

_log = logging.getLogger("app")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description="Acme desktop softphone")
    parser.add_argument("--data-dir", help="keep settings, logs and the PBX's data here")
    parser.add_argument(
        "--demo", action="store_true", help="start the PBX on this computer, signed in as 201"
    )
    return parser.parse_args(argv)


def _mark_first_paint(qt_app: Any) -> None:
    """``ACME_BENCH_MARK=1``: print one line with the monotonic time of the first paint."""
    from PySide6.QtCore import QEvent, QObject

    class _Mark(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
            if event.type() == QEvent.Type.Paint and obj.isWidgetType():
                print(f"bench-mark first-paint {time.monotonic():.6f}", flush=True)
                qt_app.removeEventFilter(self)
            return False

    qt_app.installEventFilter(_Mark(qt_app))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.context import build_context
    from app.logs import AppLogging
    from app.paths import APP_NAME, ORG_NAME, AppPaths

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
    context = build_context(args, loop=loop, logs=logs)
    done = asyncio.Event()

    async def shutdown() -> None:
        try:
            await context.session_ctl.quit()
        finally:
            done.set()

    quitting: list[asyncio.Task[None]] = []

    def request_quit() -> None:
        if not quitting:
            _log.info("quitting")
            quitting.append(loop.create_task(shutdown()))

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, request_quit)
    qt_app.aboutToQuit.connect(request_quit)
    context.quit_app = request_quit

    try:
        ui_main = importlib.import_module("ui.main")
    except ImportError:
        ui_main = None
    if ui_main is not None and hasattr(ui_main, "run"):
        ui_main.run(context, args)
    else:
        _log.info("no ui.main: running the app core without windows")
    context.session_ctl.start()
    with loop:
        try:
            loop.run_until_complete(done.wait())
        except RuntimeError:  # Qt quit stopped the loop before the session was closed
            if not done.is_set():
                loop.run_until_complete(shutdown())
    logs.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
