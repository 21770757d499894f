"""The real app, end to end: embedded PBX, real widgets, a pjsua2 agent as extension 202.

One app for the module (start-up is the slow part): the tests run in file order and each one
waits for the state it needs. The app dials 202 from the dialer, the agent answers, the call
window's timer runs, mute and hold work, hang-up lands in the Calls history; 202 calls in and is
answered from the call window; the embedded PBX is killed with SIGKILL and the app recovers by
itself; File → Quit leaves no child process.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from tests.support.agent import Agent, start_agent
from tests.ui._app_harness import RealApp, alive, server_children, signed_in_app
from ui.call_window import CallWindow

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]

_TIMER = re.compile(r"^(\d\d):(\d\d)")


@pytest.fixture(scope="module")
def real_app(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealApp]:
    with signed_in_app(tmp_path_factory.mktemp("app") / "data") as app:
        yield app


@pytest.fixture(autouse=True)
def no_call_left(real_app: RealApp) -> None:
    """Each test starts with no call window: close those a previous test left ended.

    (Between tests the qasync loop is stopped, so the two-second linger of an ended call can
    outlive the test that ended it; a user would close the window or wait.)
    """
    for call in list(real_app.ctx.calls.calls):
        assert call.state == "ended", f"a call is still up: {call}"
        real_app.ctx.calls_ctl.dismiss(call.key)
    layer = real_app.window.calls_layer
    assert layer is not None
    for window in list(layer.windows.values()):
        assert window.call.state == "ended", f"a call is still up: {window.call}"
        window.closed.emit(window.key)  # as its Close button does
    real_app.run(real_app.until(lambda: not layer.windows, 5, "no call window left"))


@pytest.fixture(scope="module")
def agent(real_app: RealApp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with start_agent(tmp_path_factory.mktemp("agent"), "bram") as a:
        real_app.register_agent(a)
        yield a


def _click(button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text() or button.toolTip()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _only_window(app: RealApp) -> CallWindow:
    layer = app.window.calls_layer
    assert layer is not None
    windows = list(layer.windows.values())
    assert len(windows) == 1, [w.name_label.text() for w in windows]
    return windows[0]


def _has_window(app: RealApp) -> bool:
    layer = app.window.calls_layer
    return layer is not None and len(layer.windows) == 1


def _seconds(window: CallWindow) -> int | None:
    m = _TIMER.match(window.timer_label.text())
    return int(m.group(1)) * 60 + int(m.group(2)) if m else None


def _dial(app: RealApp, digits: str) -> None:
    top = app.window.top_bar
    if not top.dialer.isVisible():
        _click(top.dialer_button)
    assert top.dialer.isVisible()
    top.dialer.field.setFocus()
    QTest.keyClicks(top.dialer.field, digits)
    assert top.dialer.field.text() == digits
    QTest.keyClick(top.dialer.field, Qt.Key.Key_Return)


def _history_rows(app: RealApp) -> list[str]:
    model = app.window.calls_page.model
    return [str(model.index(r).data()) for r in range(model.rowCount())]


async def _wait_agent(agent: Agent, event: str, **match: object) -> None:
    await asyncio.to_thread(agent.wait_event, event, timeout=15, **match)


def test_dial_202_timer_mute_hold_hangup_history(real_app: RealApp, agent: Agent) -> None:
    app = real_app
    assert app.window.isVisible()
    assert app.ctx.session.me is not None and app.ctx.session.me.name == "Anna de Vries"
    assert app.window.calls_page.stack.currentWidget() is app.window.calls_page.empty

    async def scenario() -> None:
        _dial(app, "202")
        await _wait_agent(agent, "incoming_call")
        await app.until(lambda: _has_window(app), 10, "a call window")
        window = _only_window(app)
        assert window.name_label.text() == "Bram Jansen"
        assert window.header_text.text() == "Outgoing call"
        await app.until(lambda: window.status_label.text() == "Ringing…", 10, "ringing")
        assert window.hangup_button.text() == "Cancel"

        await asyncio.to_thread(agent.send, "answer", code=200)
        await app.until(window.timer_running, 10, "the in-call timer")
        assert window.header_text.text() == "In call"
        first = _seconds(window)
        assert first is not None, window.timer_label.text()
        await app.until(
            lambda: (_seconds(window) or 0) >= max(1, first + 1), 10, "the timer counting"
        )

        _click(window.mute_button)
        await app.until(window.mute_button.isChecked, 10, "mute checked")
        assert app.ctx.calls.calls[0].muted
        assert window.mute_button.toolTip() == "Unmute"

        agent.drain()
        _click(window.hold_button)
        await _wait_agent(agent, "media_state", status="REMOTE_HOLD")
        await app.until(window.hold_button.isChecked, 10, "hold checked")
        await app.until(lambda: window.header_text.text() == "On hold", 10, "on hold shown")
        assert not window.timer_running()
        _click(window.hold_button)
        await _wait_agent(agent, "media_active")
        await app.until(lambda: not window.hold_button.isChecked(), 10, "resumed")
        await app.until(window.timer_running, 10, "the timer again")

        _click(window.hangup_button)
        await _wait_agent(agent, "call_state", state="DISCONNECTED")
        await app.until(lambda: app.ctx.calls.idle, 10, "idle after hang-up")
        await app.until(lambda: _history_rows(app)[:1] == ["Bram Jansen"], 15, "history row")
        page = app.window.calls_page
        assert page.stack.currentWidget() is page.list
        page.list.setCurrentIndex(page.model.index(0))
        await app.until(lambda: page.detail_name.text() == "Bram Jansen", 5, "details")
        assert "Outgoing" in page.detail_info.text(), page.detail_info.text()
        assert not app.window.top_bar.dialer.call_button.isHidden()

    app.run(scenario())


def test_incoming_call_rings_and_is_answered_from_the_call_window(
    real_app: RealApp, agent: Agent
) -> None:
    app = real_app

    async def scenario() -> None:
        await app.until(lambda: not app.ctx.calls.calls, 10, "no call left")
        before = len(_history_rows(app))
        await asyncio.to_thread(agent.send, "call", uri="201")
        await app.until(lambda: _has_window(app), 15, "the incoming call window")
        window = _only_window(app)
        assert window.header_text.text() == "Incoming call"
        assert window.name_label.text() == "Bram Jansen"
        assert window.number_label.text() == "202"
        assert window.decline_button.isVisible() and not window.hangup_button.isVisible()
        await _wait_agent(agent, "call_state", state="EARLY")
        _click(window.answer_button)
        await _wait_agent(agent, "call_state", state="CONFIRMED")
        await app.until(window.timer_running, 10, "in call after answering")
        assert window.hangup_button.isVisible() and not window.answer_button.isVisible()
        await asyncio.to_thread(agent.send, "hangup")
        await app.until(lambda: app.ctx.calls.idle, 10, "idle after the remote hang-up")
        await app.until(lambda: len(_history_rows(app)) == before + 1, 15, "a new history row")
        assert _history_rows(app)[0] == "Bram Jansen"
        assert app.ctx.history.entries[0].direction == "incoming"

    app.run(scenario())


def test_embedded_pbx_killed_banner_recovery_and_new_call(real_app: RealApp) -> None:
    app = real_app
    banner = app.window.banner

    async def scenario() -> int:
        await app.until(app.online, 30, "online")
        assert not banner.isVisible()
        first = app.embedded_pid()
        os.kill(first, signal.SIGKILL)
        await app.until(banner.isVisible, 15, "the connection banner")
        assert banner.label.text() == "The phone system stopped unexpectedly; restarting…"
        await app.until(app.online, 60, "online again")
        await app.until(lambda: not banner.isVisible(), 10, "the banner gone")
        second = app.embedded_pid()
        assert second != first and not alive(first)

        _dial(app, "9000")
        await app.until(lambda: _has_window(app), 10, "the echo test's call window")
        window = _only_window(app)
        calls = app.ctx.calls
        await app.until(
            lambda: calls.calls[0].state in ("connected", "ended"), 15, "the echo test answered"
        )
        echo = calls.calls[0]
        assert echo.state == "connected", f"the echo test ended: {calls.calls}"
        assert window.timer_running()
        _click(window.hangup_button)
        await app.until(lambda: app.ctx.calls.idle, 10, "idle")
        return second

    second = app.run(scenario())
    assert alive(second)


def test_quit_leaves_no_child_process(real_app: RealApp) -> None:
    app = real_app
    pid = app.embedded_pid()
    assert server_children() == [pid]
    app.quit_from_menu()
    assert not alive(pid)
    assert server_children() == []
    assert app.ctx.session_ctl.embedded is None
    assert not app.window.isVisible()
