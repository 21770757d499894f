"""``python -m app [--data-dir DIR] [--demo] [--dial NUMBER] [--autostart]``: the desktop softphone,
and its composition root.

One app runs per user and data folder (:mod:`app.single_instance`): a later start hands its
``--dial`` number (or a bare ``sip:``/``tel:``/``callto:`` link) to the running app, which dials
it and raises its window, and exits. ``--autostart`` is what the start-at-login entries run: it
ends at once when the user turned Options → Start at login off (:mod:`app.autostart`).

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
from app.launch import dial_text
from app.logs import AppLogging
from app.machine_config import MachineConfig, load_machine_config
from app.notifications import Note
from app.paths import APP_NAME, ORG_NAME, AppPaths
from app.settings import Settings
from app.single_instance import Request, SingleInstance, server_name
from app.stores._base import tr
from app.tasks import cancel_pending
from sip import EngineConfig

__all__ = ["Composed", "compose", "main", "parse_args"]

_log = logging.getLogger("app")
_LINK_SCHEMES = ("sip:", "sips:", "tel:", "callto:")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description="Acme desktop softphone")
    parser.add_argument("--data-dir", help="keep settings, logs and the PBX's data here")
    parser.add_argument(
        "--demo", action="store_true", help="start the PBX on this computer, signed in as 201"
    )
    parser.add_argument(
        "--dial",
        metavar="NUMBER",
        help="call a number or a sip:/tel:/callto: link (in the running app, if there is one)",
    )
    parser.add_argument(
        "--autostart",
        action="store_true",
        help="started at login: ends at once when Options → Start at login is off",
    )
    parser.add_argument("link", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.link is not None:
        if not args.link.lower().startswith(_LINK_SCHEMES) or args.dial:
            parser.error(f"unrecognized arguments: {args.link}")
        args.dial = args.link
    del args.link
    return args


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
            await self.context.update_checker.stop()
            if self.context.notifications is not None:
                await self.context.notifications.close()
            await self.context.session_ctl.quit()
        finally:
            self.done.set()

    def on_request(self, request: Request) -> None:
        """A later start's arguments: dial its number, raise the window."""
        if request.dial:
            self.context.launch.dial(request.dial)
        if request.show or request.dial:
            self.shell.raise_main()


def compose(
    args: argparse.Namespace,
    loop: asyncio.AbstractEventLoop,
    *,
    logs: AppLogging | None = None,
    engine_config: EngineConfig | None = None,
    machine: MachineConfig | None = None,
) -> Composed:
    """Build the context and the shell on the running QApplication; nothing connects yet."""
    context = build_context(
        args, loop=loop, logs=logs, engine_config=engine_config, machine=machine
    )
    shell = ui.main.run(context, args)
    composed = Composed(context, shell, loop)
    context.on_quit = composed.quit
    _wire_notifications(context, shell)
    if context.machine.error:
        context.notices.post(
            "warning",
            tr("The administrator's settings could not be read ({0}); defaults are used.").format(
                context.machine.error
            ),
        )
    dial = getattr(args, "dial", None)
    if dial:
        context.launch.dial(dial)
    return composed


def _wire_notifications(context: AppContext, shell: ui.main.UiShell) -> None:
    """Desktop notifications see whether the window has the focus; a click opens the app at
    what the notification is about (the chat, the history, the voicemail message)."""
    context.window_active = lambda: QApplication.activeWindow() is not None
    if context.notifications is None:
        return

    def open_note(note: Note) -> None:
        shell.raise_main()
        window = shell.show_main()
        if note.kind == "chat" and context.chat_ctl is not None:
            window.show_section("chat")
            context.chat_ctl.open(int(note.target))
        elif note.kind == "missed":
            window.show_section("calls")
        elif note.kind == "voicemail":
            window.show_section("voicemail")
            page = window.voicemail_page
            if page is not None and note.target.isdigit():
                page.select(int(note.target))  # "Listen…": the message, ready to play

    context.notifications.handlers.open = open_note


def _start(app: Composed) -> None:
    """What runs once the app is composed: the session, start at login, the update check."""
    app.context.session_ctl.start()
    app.context.autostart.sync()
    app.context.update_checker.start(app.loop)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    paths = AppPaths.create(args.data_dir)
    machine = load_machine_config()
    if args.autostart and not Settings(paths.settings_file, machine=machine).autostart:
        return 0  # started at login by a machine-wide entry the user turned off
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    instance = SingleInstance(server_name(paths.root), qt_app)
    request = Request(dial=dial_text(args.dial) if args.dial else "", show=not args.autostart)
    if instance.hand_off(request):
        return 0
    logs = AppLogging(paths.logs_dir)
    if machine.sources:
        _log.info("machine configuration from %s", ", ".join(machine.sources))
    if machine.error:
        _log.warning("machine configuration left out: %s", machine.error)
    instance.listen()
    qt_app.setApplicationName(APP_NAME)
    qt_app.setOrganizationName(ORG_NAME)
    if os.environ.get("ACME_BENCH_MARK"):
        _mark_first_paint(qt_app)
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    args.data_dir = str(paths.root)
    app = compose(args, loop, logs=logs, machine=machine)
    instance.received.connect(app.on_request)
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, app.quit)
    qt_app.aboutToQuit.connect(app.quit)
    _start(app)
    with loop:
        try:
            loop.run_until_complete(app.done.wait())
        except RuntimeError:  # Qt quit stopped the loop before the session was closed
            if not app.done.is_set():
                app.quit()
                loop.run_until_complete(app.done.wait())
        cancel_pending(loop)
    instance.close()
    logs.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
