"""Retake docs/screenshots from the REAL app: embedded PBX, real calls with a pjsua2 agent as 202.

Run under Xvfb from the project root (a window manager is not needed)::

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/screenshots/take.py
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 2100x1350x24" \\
        .venv/bin/python docs/screenshots/take.py --suffix @150 --only nl-light

It starts the app without ``--demo`` in a fresh data folder for the welcome dialog, then the app
with ``--demo`` (signed in as Anna de Vries, 201): the empty Calls page, a call to the echo test
9000, a call to 202 answered by the agent, a missed call from 202 (its ringing window is the
incoming-call shot, its ended card the missed-call shot), a call to 999 (no such number: the
failed-call shot), an answered call from 202 (the in-call shot, keypad open), the history, the
update notice, directory searches (a name, a department with a colleague not signed in, an
unknown number), the dialer (backspace, the inline error), the status menu and the custom end
time, the tray menu and Settings (top, and scrolled to Start-up and server with the keys a
machine file locks), and call control (the expanded call window, the transfer picker, a
consultation with two windows, a local conference, the parked calls, an incoming call that was
transferred, and Move: the menu of the user's other phones, with a second agent registered as
201 and a desk phone added to the list, then the call moved to that agent), and queues (the
queue Support found by "supp", its card open, and a SIPp caller ringing Anna for it: "via
Support"). Each
screen is taken in English and Dutch, light and dark, from inside the app with
``QWidget.grab``. ``--section calls`` takes only the call-control screens, ``--section queues``
only the queue screens. Settings with a device
list needs a sound card, which the machine that takes these usually lacks: that screen
(``settings``) and a week of history (``main-calls-days``) come from the demo data of
tools/screenshots.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QPainter, QPixmap  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu, QScrollArea, QWidget  # noqa: E402

from app.devices import Device  # noqa: E402
from app.server_events import CallParked, CallUnparked, LineStateChanged  # noqa: E402
from app.stores.directory import DirectoryEntry  # noqa: E402
from app.updates import FeedEntry  # noqa: E402
from sip import AccountId, CallId, CallStateChanged, IncomingCall  # noqa: E402
from tests.support.agent import Agent, start_agent  # noqa: E402
from tests.support.sipp import SippUser, start_scenario  # noqa: E402
from tests.ui._app_harness import RealApp  # noqa: E402
from tools.screenshots import OUT, take_all  # noqa: E402
from ui.call_window import CallWindow  # noqa: E402
from ui.status_menu import CustomEndDialog  # noqa: E402
from ui.theme import apply_theme  # noqa: E402
from ui.tray import Tray  # noqa: E402

VARIANTS = (("en", False), ("nl", False), ("en", True), ("nl", True))
_written: list[Path] = []
_T = TypeVar("_T")


def run_demo(scenario: Callable[[RealApp, Path], Coroutine[Any, Any, _T]]) -> _T:
    """Run ``scenario`` on the real app signed in to its embedded demo PBX, in a temporary data
    folder with a machine configuration of its own (no update check); closes the app after."""
    qt_app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(qt_app, QApplication)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        machine = Path(tmp) / "machine.toml"
        machine.write_text('update_url = ""\n')
        os.environ["ACME_MACHINE_CONFIG"] = str(machine)
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        app = RealApp(Path(tmp) / "demo", demo=True)
        try:
            app.start_session()
            return app.run(scenario(app, Path(tmp)))
        finally:
            app.close()


def _tag(lang: str, dark: bool) -> str:
    return f"{lang}-{'dark' if dark else 'light'}"


class Shooter:
    """Switches language and scheme of one running app and saves grabs of its widgets."""

    def __init__(self, app: RealApp, suffix: str, only: str) -> None:
        self.app = app
        self.suffix = suffix
        self.variants = [v for v in VARIANTS if not only or _tag(*v) == only]

    async def look(self, lang: str, dark: bool) -> None:
        app = self.app
        app.shell.set_language(lang)
        apply_theme(app.qt_app, dark=dark)
        for widget in app.qt_app.allWidgets():
            QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
        if app.shell.window is not None:
            app.shell.window.side_bar.restyle()
        await asyncio.sleep(0.3)

    async def shoot(self, widget: QWidget, name: str) -> None:
        window = self.app.shell.window
        if window is not None:  # notices are transient: not part of the screen shown
            for toast in list(window.notices.toasts):
                toast.hide()
                toast.deleteLater()
        for lang, dark in self.variants:
            await self.look(lang, dark)
            path = OUT / f"{name}-{_tag(lang, dark)}{self.suffix}.png"
            widget.grab().save(str(path))
            _written.append(path)
        await self.look("en", False)

    async def shoot_made(self, name: str, make: Callable[[], Awaitable[QPixmap]]) -> None:
        """For what is built in the language shown (menus, dialogs): ``make`` runs per variant."""
        for lang, dark in self.variants:
            await self.look(lang, dark)
            path = OUT / f"{name}-{_tag(lang, dark)}{self.suffix}.png"
            (await make()).save(str(path))
            _written.append(path)
        await self.look("en", False)


async def _popup(menu: QMenu, at: QPoint) -> None:
    menu.popup(at)
    await asyncio.sleep(0.2)


def _over(window: QWidget, *popups: QWidget) -> QPixmap:
    """The window with its open popups painted where they are on the screen."""
    shot = window.grab()
    painter = QPainter(shot)
    origin = window.mapToGlobal(QPoint(0, 0))
    for popup in popups:
        painter.drawPixmap(popup.pos() - origin, popup.grab())
    painter.end()
    return shot


async def _welcome(app: RealApp, shooter: Shooter) -> None:
    dialog = app.shell.welcome
    assert dialog is not None, "no welcome dialog on a first start"
    await shooter.shoot(dialog, "welcome")
    dialog.remote.setChecked(True)
    await shooter.shoot(dialog, "welcome-server")


def _dial(app: RealApp, digits: str) -> None:
    top = app.window.top_bar
    if not top.dialer.isVisible():
        top.dialer_button.click()
    QTest.keyClicks(top.dialer.field, digits)
    QTest.keyClick(top.dialer.field, Qt.Key.Key_Return)


async def _agent(agent: Agent, event: str, **match: object) -> None:
    await asyncio.to_thread(agent.wait_event, event, timeout=20, **match)


async def _one_window(app: RealApp) -> None:
    layer = app.window.calls_layer
    await app.until(lambda: layer is not None and len(layer.windows) == 1, 20, "a call window")


async def _no_windows(app: RealApp) -> None:
    layer = app.window.calls_layer
    await app.until(lambda: layer is not None and not layer.windows, 20, "no call window")
    await app.until(lambda: app.ctx.calls.idle and not app.ctx.calls.calls, 20, "idle")


def _window(app: RealApp):  # type: ignore[no-untyped-def]
    layer = app.window.calls_layer
    assert layer is not None
    return next(iter(layer.windows.values()))


async def _talk(app: RealApp, seconds: float) -> None:
    await app.until(_window(app).timer_running, 20, "connected")
    await asyncio.sleep(seconds)
    _window(app).hangup_button.click()
    await _no_windows(app)


async def _main(app: RealApp, shooter: Shooter, agent: Agent, section: str = "") -> None:
    await app.until(app.online, 90, "signed in")
    await asyncio.to_thread(app.register_agent, agent)
    window = app.window
    window.resize(1100, 720)
    if section == "calls":
        await _call_control(app, shooter, agent)
        return
    if section == "queues":
        await _queues(app, shooter)
        return
    await shooter.shoot(window, "main-calls-empty")

    _dial(app, "9000")  # the echo test
    await _one_window(app)
    await _talk(app, 4)

    _dial(app, "202")
    await _agent(agent, "incoming_call")
    await asyncio.to_thread(agent.send, "answer", code=200)
    await _one_window(app)
    await _talk(app, 3)

    await asyncio.to_thread(agent.send, "call", uri="201")  # rings; 202 gives up: missed
    await _one_window(app)
    await app.until(lambda: _window(app).answer_button.isVisible(), 20, "ringing")
    await shooter.shoot(window, "call-incoming")
    await asyncio.to_thread(agent.send, "hangup")
    await app.until(lambda: _window(app).close_button.isVisible(), 20, "the missed card")
    await shooter.shoot(window, "call-missed")
    _window(app).close_button.click()  # a missed or failed card stays until it is seen
    await _no_windows(app)

    _dial(app, "999")  # no such number
    await _one_window(app)
    await app.until(lambda: _window(app).close_button.isVisible(), 20, "the failed card")
    await shooter.shoot(window, "call-failed")
    _window(app).close_button.click()
    await _no_windows(app)

    agent.drain()
    await asyncio.to_thread(agent.send, "call", uri="201")
    await _one_window(app)
    await app.until(lambda: _window(app).answer_button.isVisible(), 20, "ringing again")
    _window(app).answer_button.click()
    await app.until(_window(app).timer_running, 20, "answered")
    await asyncio.sleep(1.5)
    _window(app).keypad_button.click()
    await shooter.shoot(window, "call-in-call")
    await asyncio.to_thread(agent.send, "hangup")
    await _no_windows(app)

    page = window.calls_page
    await app.until(lambda: page.model.rowCount() == 5, 20, "five calls in the history")
    page.list.setCurrentIndex(page.model.index(2))
    await shooter.shoot(window, "main-calls")

    app.ctx.updates.set_entry(
        FeedEntry("0.3.0", "https://acme.example/download", "Call recording and voicemail.")
    )
    await app.until(lambda: window.update_banner.isVisible(), 10, "the update notice")
    await shooter.shoot(window, "update-banner")
    window.update_banner.dismiss()

    await _call_control(app, shooter, agent)
    await _search(app, shooter)
    await _queues(app, shooter)
    await _dialer(app, shooter)
    await _status(app, shooter)
    await _tray(app, shooter)

    window.show_section("settings")
    await shooter.shoot(window, "settings-no-sound-card")
    scroll = window.settings_page.findChild(QScrollArea)
    assert scroll is not None
    bar = scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    await shooter.shoot(window, "settings-startup")
    bar.setValue(0)


async def _pickup(app: RealApp, shooter: Shooter) -> None:
    """Chris's phone rings and Anna may pick up his calls (a pickup group the administrator
    gave them): his search result shows the ringing line with Pick up."""
    session, directory_ctl = app.ctx.session, app.ctx.directory_ctl
    me = session.me
    assert me is not None
    session.set_me(replace(me, pick_up_from=("203",)))
    directory_ctl.on_line_changed(LineStateChanged("203", "ringing"))
    search = app.window.top_bar.search
    app.window.activateWindow()
    search.setFocus()
    await app.until(search.hasFocus, 10, "the search field focused")
    QTest.keyClicks(search, "chris")
    await app.until(
        lambda: search.panel.isVisible() and search.model.rowCount() >= 1, 10, "results"
    )
    await asyncio.sleep(0.3)
    await shooter.shoot(app.window, "search-pickup")
    search.reset()
    directory_ctl.on_line_changed(LineStateChanged("203", "idle"))
    session.set_me(me)


def _windows(app: RealApp) -> dict[str, CallWindow]:
    layer = app.window.calls_layer
    assert layer is not None
    return layer.windows


async def _call_control(app: RealApp, shooter: Shooter, agent: Agent) -> None:
    """Call control on real calls: Bram (the agent) calls, Anna consults the echo test (9000),
    then merges the two calls into a local conference. Parking and the transferred call need
    the PBX's park and REFER: the real stores get the events the PBX sends for them."""
    window = app.window
    agent.drain()
    await asyncio.to_thread(agent.send, "call", uri="201")
    await _one_window(app)
    await app.until(lambda: _window(app).answer_button.isVisible(), 20, "ringing")
    first = _window(app)
    first.answer_button.click()
    await app.until(first.timer_running, 20, "answered")
    await app.until(lambda: first.quality_label.isVisible(), 20, "the call quality")
    first.expand_button.click()
    await shooter.shoot(window, "call-expanded")

    first.extras.transfer_button.click()
    picker = first.picker
    assert picker is not None
    QTest.keyClicks(picker.field, "chris")
    await app.until(lambda: picker.model.rowCount() >= 1, 10, "the picker's results")
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "call-transfer-picker")
    picker.close_picker()
    first.expand_button.click()

    search = window.top_bar.search  # during a call every result offers Transfer
    window.activateWindow()
    search.setFocus()
    await app.until(search.hasFocus, 10, "the search field focused")  # results show then only
    QTest.keyClicks(search, "support")
    await app.until(
        lambda: search.panel.isVisible() and search.model.rowCount() >= 2, 10, "results"
    )
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "search-transfer")
    search.reset()

    app.ctx.calls_ctl.consult(first.key, "9000")
    await app.until(lambda: len(_windows(app)) == 2, 20, "the consult window")
    consult = next(w for k, w in _windows(app).items() if k != first.key)
    await app.until(consult.timer_running, 20, "the consult call answered")
    await app.until(lambda: first.consult_bar.isVisible(), 20, "the consult bar")
    await asyncio.sleep(0.5)
    await shooter.shoot(window, "call-consulting")

    app.ctx.calls_ctl.merge(consult.key, first.key)
    await app.until(lambda: bool(consult.call.conference), 20, "the conference")
    lead = _windows(app)[consult.call.conference[0]]
    await app.until(lambda: lead.participants.isVisible(), 20, "the participants")
    await asyncio.sleep(0.5)
    await shooter.shoot(window, "call-conference")
    lead.hangup_button.click()
    await _no_windows(app)

    now = datetime.now(UTC)
    app.ctx.parked_ctl.on_parked(CallParked("p1", "7001", "202", "0612345678"))
    app.ctx.parked_ctl.on_parked(CallParked("p2", "7002", "203", "0201234567"))
    parked = app.ctx.parked
    parked.set_calls([replace(parked.calls[0], since=now - timedelta(minutes=4)), parked.calls[1]])
    await app.until(lambda: window.parked_panel.isVisible(), 10, "the parked calls")
    await shooter.shoot(window, "parked-calls")
    for slot, call_id in (("7001", "p1"), ("7002", "p2")):
        app.ctx.parked_ctl.on_unparked(CallUnparked(call_id, slot, None))
    await _pickup(app, shooter)

    # what the engine reports for an INVITE with "Referred-By: <sip:202@…>" (a REFER of Bram's)
    transferred = IncomingCall(
        CallId("screenshot-1"), AccountId("account-1"), "sip:0612345678@pbx", "", "sip:202@pbx"
    )
    app.ctx.calls_ctl.on_engine_event(transferred)
    await _one_window(app)
    await shooter.shoot(window, "call-transferred-incoming")
    gone = CallStateChanged(
        CallId("screenshot-1"), "disconnected", 487, "", "sip:0612345678@pbx", "", True
    )
    app.ctx.calls_ctl.on_engine_event(gone)
    _window(app).close_button.click()
    await _no_windows(app)
    await _move(app, shooter, agent)


async def _move(app: RealApp, shooter: Shooter, agent: Agent) -> None:
    """Move: a second agent is another phone of Anna's (201); the list also shows a desk phone
    (no real one here: its row is added to the store as the server would list it)."""
    window = app.window
    with start_agent(Path(tempfile.mkdtemp(prefix="move-")), "laptop") as laptop:
        await asyncio.to_thread(app.register_agent, laptop, "201")
        phones = app.ctx.phones
        await app.until(lambda: len(phones.devices) >= 2, 10, "Anna's second phone")
        desk = Device(
            "desk-1",
            "<sip:201@192.168.1.20:5060>",
            "Yealink SIP-T54W 96.86.0.100",
            "udp",
            datetime.now(UTC) + timedelta(minutes=5),
        )
        phones.set_devices([desk, *phones.devices])
        agent.drain()
        await asyncio.to_thread(agent.send, "call", uri="201")
        await _one_window(app)
        await app.until(lambda: _window(app).answer_button.isVisible(), 20, "ringing")
        first = _window(app)
        first.answer_button.click()
        await app.until(first.timer_running, 20, "answered")
        first.expand_button.click()
        await asyncio.sleep(0.5)
        menu = first.extras.move_menu

        async def with_menu() -> QPixmap:
            first.extras.move_button.click()
            await asyncio.sleep(0.3)
            shot = _over(window, menu)
            menu.hide()
            return shot

        await shooter.shoot_made("call-move-menu", with_menu)
        other = next(a for a in menu.actions() if "desk" not in a.text().lower())
        laptop.drain()
        other.trigger()
        await app.until(lambda: bool(first.status_label.text()), 10, "moving")
        await _agent(laptop, "incoming_call")  # the PBX let this phone go: the laptop rings
        await asyncio.to_thread(laptop.send, "answer", code=200)
        await app.until(lambda: first.pick_up_again_button.isVisible(), 20, "moved")
        await shooter.shoot(window, "call-moved")
        first.close_button.click()
        await _no_windows(app)
        await asyncio.to_thread(laptop.send, "hangup")


async def _search(app: RealApp, shooter: Shooter) -> None:
    search = app.window.top_bar.search
    model = search.model
    await _one_search(app, shooter, "bram", "search", lambda: model.rowCount() >= 1)
    await _one_search(
        app, shooter, "support", "search-not-signed-in", lambda: model.rowCount() >= 2
    )
    await _one_search(app, shooter, "0201234", "search-number", search.call_number.isVisible)


async def _queues(app: RealApp, shooter: Shooter) -> None:
    """The queue Support (1500) in the search, then with its card open (its row is added to the
    app's copy as the PBX's changes feed lists a queue), then a SIPp caller rings Anna for it
    with the PBX's X-Queue header: the incoming call window says "via Support"."""
    directory = app.ctx.directory
    support = DirectoryEntry(
        "queue", "Support", "1500", ("1500",), None, None, None, None, metadata="Support NL"
    )
    window = app.window
    search = window.top_bar.search
    window.activateWindow()
    search.setFocus()
    await app.until(search.hasFocus, 10, "the search field focused")
    QTest.keyClicks(search, "s")  # the first key asks the server for changes: let that end
    await app.settle()
    directory.index.put(support)  # the copy the search asks now (a full sync replaces it)
    QTest.keyClicks(search, "upp")
    await app.until(lambda: support in directory.results, 10, "the queue among the results")
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "search-queue")
    search.expand_row(directory.results.index(support))
    await app.until(search.card.isVisible, 10, "the queue's card")
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "search-queue-card")
    search.reset()

    with tempfile.TemporaryDirectory(prefix="sipp-") as tmp:
        caller = SippUser("0687000111", "-", "201")
        port = app.ctx.engine.sip_port
        with start_scenario(
            "uac_queue_invite_declined", Path(tmp), remote=("127.0.0.1", port), users=[caller]
        ) as peer:
            await _one_window(app)
            await app.until(lambda: _window(app).via_label.isVisible(), 20, "via Support")
            await shooter.shoot(window, "call-incoming-queue")
            _window(app).decline_button.click()
            await asyncio.to_thread(peer.wait, 20)
    await _no_windows(app)


async def _one_search(
    app: RealApp, shooter: Shooter, text: str, name: str, ready: Callable[[], bool]
) -> None:
    window = app.window
    search = window.top_bar.search
    window.activateWindow()
    search.setFocus()
    await app.until(search.hasFocus, 10, "the search field focused")
    QTest.keyClicks(search, text)
    await app.until(lambda: search.panel.isVisible() and ready(), 10, f"results of {text}")
    await asyncio.sleep(0.3)
    await shooter.shoot(window, name)
    search.clear()
    search.panel.hide()


async def _dialer(app: RealApp, shooter: Shooter) -> None:
    window = app.window
    top = window.top_bar
    top.dialer_button.click()
    await app.until(top.dialer.isVisible, 10, "the dialer")
    QTest.keyClicks(top.dialer.field, "2034")
    top.dialer.backspace.click()
    await shooter.shoot(window, "dialer")
    top.dialer.field.clear()

    async def error() -> QPixmap:  # the error is worded when Call is pressed: once per language
        top.dialer.field.clear()
        QTest.keyClicks(top.dialer.field, "bram")
        top.dialer.call_button.click()
        await app.until(top.dialer.error.isVisible, 10, "the dialer's error")
        return window.grab()

    await shooter.shoot_made("dialer-error", error)
    top.dialer.field.clear()
    top.dialer.hide()


async def _status(app: RealApp, shooter: Shooter) -> None:
    window = app.window
    status = window.top_bar.status
    app.ctx.presence_ctl.set_status("meeting", datetime.now(UTC) + timedelta(hours=1))
    await app.until(lambda: app.ctx.presence.status == "meeting", 10, "the meeting status")

    async def menu() -> QPixmap:
        status._build_menu()
        main = status.menu_
        await _popup(main, status.mapToGlobal(QPoint(0, status.height())))
        current = next(a for a in main.actions() if a.isChecked())
        sub = current.menu()
        assert isinstance(sub, QMenu)
        main.setActiveAction(current)
        geometry = main.actionGeometry(current)  # the menu is at the window's right edge:
        left = QPoint(-sub.sizeHint().width(), 0)  # the submenu opens to its left
        await _popup(sub, main.mapToGlobal(geometry.topLeft()) + left)
        shot = _over(window, main, sub)
        sub.hide()
        main.hide()
        return shot

    await shooter.shoot_made("status-menu", menu)

    async def dialog() -> QPixmap:
        custom = CustomEndDialog("meeting", datetime.now(UTC), window)
        custom.show()
        await asyncio.sleep(0.2)
        shot = custom.grab()
        custom.close()
        custom.deleteLater()
        return shot

    await shooter.shoot_made("status-custom-end", dialog)
    app.ctx.presence_ctl.set_status("available", None)
    await app.until(lambda: app.ctx.presence.status == "available", 10, "available again")


async def _tray(app: RealApp, shooter: Shooter) -> None:
    ctx = app.ctx
    tray = Tray(
        ctx.history,
        ctx.calls,
        presence=ctx.presence,
        presence_ctl=ctx.presence_ctl,
        calls_ctl=ctx.calls_ctl,
    )

    async def menu() -> QPixmap:
        tray.build_menu()
        await _popup(tray.menu, QPoint(900, 300))
        shot = tray.menu.grab()
        tray.menu.hide()
        return shot

    await shooter.shoot_made("tray-menu", menu)


def main() -> None:
    parser = argparse.ArgumentParser(description="Retake the screenshots from the real app.")
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. @150")
    parser.add_argument("--only", default="", help="one of en-light, nl-light, en-dark, nl-dark")
    parser.add_argument(
        "--section", default="", help="calls: only the call-control screens; queues: the queues'"
    )
    args = parser.parse_args()
    qt_app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(qt_app, QApplication)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        # IT's machine file: start at login and the update channel locked ("Set by your
        # administrator" in Settings), no update feed; start at login writes under tmp
        machine = Path(tmp) / "machine.toml"
        machine.write_text(
            'update_url = ""\nautostart = true\nlocked = ["autostart", "update_channel"]\n'
        )
        os.environ["ACME_MACHINE_CONFIG"] = str(machine)
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        if not args.section:
            first = RealApp(Path(tmp) / "first-start", demo=False)
            try:
                first.run(_welcome(first, Shooter(first, args.suffix, args.only)))
            finally:
                first.close()
        app = RealApp(Path(tmp) / "demo", demo=True)
        try:
            app.start_session()
            with start_agent(Path(tmp) / "agent", "bram") as agent:
                shooter = Shooter(app, args.suffix, args.only)
                app.run(_main(app, shooter, agent, args.section))
        finally:
            app.close()
    for lang, dark in VARIANTS:
        if not args.section and (not args.only or args.only == _tag(lang, dark)):
            _written.extend(
                take_all(qt_app, lang, dark, args.suffix, screens={"settings", "main-calls-days"})
            )
    for path in _written:
        print(path)


if __name__ == "__main__":
    main()
