"""The real desktop app in this process, as ``python -m app`` builds it, for tests and screenshots.

:class:`RealApp` composes the app with ``app.__main__.compose`` (context and shell) on a qasync
loop on the running QApplication and starts the session, exactly like ``app/__main__.py`` (minus
the signal handlers and ``aboutToQuit``, which belong to a real process).
Scenarios run as coroutines through :meth:`RealApp.run`, so the asyncio loop and the Qt loop turn
together while a scenario awaits :meth:`RealApp.until`. The functions at the end drive the
widgets as a user does (click, dial, drag a call card, pick a search result) without turning the
event loop inside a running scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QListView, QWidget

from app.__main__ import Composed, compose
from app.context import AppContext
from app.headless import SteppedLoop
from app.logs import AppLogging
from app.paths import AppPaths
from app.stores import ConnectionState
from app.tasks import cancel_pending
from sip import CallId, EngineConfig
from tests.support.agent import Agent
from ui.call_window import CallWindow
from ui.i18n import Translations
from ui.main import UiShell
from ui.main_window import MainWindow
from ui.models.search import SearchModel
from ui.theme import apply_theme

__all__ = [
    "RealApp",
    "alive",
    "call_windows",
    "click",
    "dial",
    "drag_card",
    "row_of",
    "select_row",
    "send_mouse",
    "server_children",
    "shown_windows",
    "signed_in_app",
]

T = TypeVar("T")
STEP_S = 0.05


def alive(pid: int) -> bool:
    """True while ``pid`` exists (a zombie counts: it has not been reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def server_children() -> list[int]:
    """Pids of this process's children that run ``python -m server``."""
    me = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            stat = (entry / "stat").read_text()
            ppid = stat.rsplit(")", 1)[1].split()[1]
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            if ppid == me and b"server" in cmdline and b"-m" in cmdline:
                found.append(int(entry.name))
    return found


class RealApp:
    """One running desktop app: context, shell, main window, qasync loop."""

    def __init__(self, data_dir: Path, *, demo: bool = True) -> None:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            raise ValueError("RealApp needs a QApplication")
        self.qt_app = app
        self.loop: asyncio.AbstractEventLoop = SteppedLoop(app)
        asyncio.set_event_loop(self.loop)
        self.paths = AppPaths.create(data_dir)
        self.logs = AppLogging(self.paths.logs_dir)
        self.args = argparse.Namespace(data_dir=str(self.paths.root), demo=demo)
        config = EngineConfig(bound_address="127.0.0.1", log_level=0)
        self.composed: Composed = compose(
            self.args, self.loop, logs=self.logs, engine_config=config
        )
        self.ctx: AppContext = self.composed.context
        self.shell: UiShell = self.composed.shell
        self.closed = False

    def start_session(self) -> None:
        """What ``__main__`` does right after ``ui.main.run``."""
        self.ctx.session_ctl.start()

    @property
    def window(self) -> MainWindow:
        assert self.shell.window is not None, "the main window is not shown"
        return self.shell.window

    # -- running -----------------------------------------------------------------------------
    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a scenario, then let the requests it (or the app) started finish: between runs
        the asyncio loop stands still, and a request caught half-way would fail."""
        result = self.loop.run_until_complete(coro)
        self.loop.run_until_complete(self.settle())
        return result

    def requests_in_flight(self) -> int:
        connection = self.ctx.connection
        api = connection.api if connection is not None else None
        return api.in_flight if api is not None else 0

    async def settle(self, within: float = 10.0) -> None:
        """Wait (at most ``within`` s) until no request to the server is under way for a
        moment; the app's loads after sign-in and after each action have then finished."""
        quiet = 0
        for _ in range(round(within / STEP_S)):
            quiet = quiet + 1 if self.requests_in_flight() == 0 else 0
            if quiet >= 3:
                return
            await asyncio.sleep(STEP_S)

    async def until(self, predicate: Callable[[], object], within: float, what: str) -> None:
        """Let both loops run until ``predicate()`` holds; AssertionError after ``within`` s."""
        for _ in range(round(within / STEP_S)):
            if predicate():
                return
            await asyncio.sleep(STEP_S)
        if not predicate():
            raise AssertionError(f"not reached within {within} s: {what}")

    def online(self) -> bool:
        s = self.ctx.session
        return s.state is ConnectionState.ONLINE and s.registration.registered

    def embedded_pid(self) -> int:
        embedded = self.ctx.session_ctl.embedded
        assert embedded is not None and embedded.pid is not None
        return int(embedded.pid)

    def register_agent(self, agent: Agent, extension: str = "202") -> None:
        """Register a test agent with the embedded PBX (blocking: run it in a thread)."""
        embedded = self.ctx.session_ctl.embedded
        info = embedded.info if embedded is not None else None
        assert info is not None, "the embedded PBX is not running"
        agent.send(
            "register",
            host="127.0.0.1",
            port=info.sip_udp,
            user=extension,
            password=f"Demo-{extension}!",
        )
        agent.wait_event("registered", timeout=15)

    async def speak(self, call_key: str, wav: Path) -> None:
        """Play ``wav`` into a call, looped, as the user's voice (offscreen there is no
        microphone): the engine's own file player, so the call's bridge wiring is the real one."""
        await self.ctx.engine.play_wav(CallId(call_key), str(wav), True)

    # -- leaving -----------------------------------------------------------------------------
    def quit_from_menu(self) -> None:
        """File → Quit, then run the loop until the app has quit (the one quit path)."""
        self.window.quit_action.trigger()
        self.run(self.composed.done.wait())
        self.closed = True

    def close(self) -> None:
        """Quit the session if a test did not, and leave Qt as it was found."""
        try:
            if not self.closed and not self.loop.is_closed():
                self.shell.quitting = True
                self.ctx.quit_app()
                self.run(self.composed.done.wait())
        finally:
            if self.shell.window is not None:
                self.shell.window.hide_on_close = True
            for widget in (self.shell.window, self.shell.welcome):
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()
            if self.shell.tray is not None:
                self.shell.tray.icon.hide()
            with contextlib.suppress(RuntimeError):
                cancel_pending(self.loop)
                self.loop.close()
            asyncio.events._set_running_loop(None)
            asyncio.set_event_loop(None)
            self.logs.close()
            Translations(self.qt_app).install("en")
            apply_theme(self.qt_app, dark=False)
            self.qt_app.processEvents()


# -- driving the widgets as a user does ------------------------------------------------------
def click(button: QAbstractButton) -> None:
    """A left click on a button the user can see and press."""
    assert button.isVisible() and button.isEnabled(), button.text() or button.toolTip()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def call_windows(app: RealApp) -> list[CallWindow]:
    """Every call card of the main window (hidden conference members included)."""
    layer = app.window.calls_layer
    assert layer is not None
    return list(layer.windows.values())


def shown_windows(app: RealApp) -> list[CallWindow]:
    """The call cards the user sees."""
    return [w for w in call_windows(app) if w.isVisible()]


def dial(app: RealApp, digits: str) -> None:
    """Type ``digits`` in the top bar's dialer and press Enter."""
    top = app.window.top_bar
    if not top.dialer.isVisible():
        click(top.dialer_button)
    assert top.dialer.isVisible()
    top.dialer.field.setFocus()
    top.dialer.field.clear()
    QTest.keyClicks(top.dialer.field, digits)
    assert top.dialer.field.text() == digits
    QTest.keyClick(top.dialer.field, Qt.Key.Key_Return)


def send_mouse(widget: QWidget, kind: QEvent.Type, local: QPoint, buttons: Qt.MouseButton) -> None:
    """One mouse event, delivered at once (QTest.mouseMove would turn the event loop inside
    a running scenario, which asyncio does not allow)."""
    event = QMouseEvent(
        kind,
        QPointF(local),
        QPointF(widget.mapToGlobal(local)),
        Qt.MouseButton.LeftButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def drag_card(window: CallWindow, target: QPoint) -> None:
    """Press on the card's header, move to ``target`` (global) and let go there."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send_mouse(window, QEvent.Type.MouseButtonPress, window.header.geometry().center(), left)
    send_mouse(window, QEvent.Type.MouseMove, window.mapFromGlobal(target), left)
    send_mouse(window, QEvent.Type.MouseButtonRelease, window.mapFromGlobal(target), none)


def row_of(model: SearchModel, number: str) -> QModelIndex | None:
    """The search result with this number, if it is listed."""
    for row in range(model.rowCount()):
        index = model.index(row)
        if model.data(index, SearchModel.NumberRole) == number:
            return index
    return None


def select_row(view: QListView, index: QModelIndex) -> None:
    """Click the row's name (left part): selects it, away from the row's buttons."""
    rect = view.visualRect(index)
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 30, rect.center().y())
    )


@contextlib.contextmanager
def signed_in_app(data_dir: Path, within: float = 60) -> Iterator[RealApp]:
    """The real app with its embedded demo PBX, signed in as 201, registered, the directory
    loaded; quit and cleaned up afterwards."""
    app = RealApp(data_dir, demo=True)
    try:
        app.start_session()
        app.run(
            app.until(
                lambda: app.online() and bool(app.ctx.directory.everyone),
                within,
                "signed in as 201, registered, directory loaded",
            )
        )
        yield app
    finally:
        app.close()
