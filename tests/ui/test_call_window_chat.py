"""Chat from the call window (T4): in a call with a colleague the window's chat button opens the
1:1 conversation in the Chat section; a call with the echo test (no colleague) has no chat button.

The real app with its embedded PBX; Bram (202) is a pjsua2 agent in a process of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication

from tests.support.agent import start_agent
from tests.ui._app_harness import RealApp, call_windows, click, signed_in_app

pytestmark = [pytest.mark.own_process, pytest.mark.pjsua, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def real_app(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealApp]:
    with signed_in_app(tmp_path_factory.mktemp("app") / "data") as app:
        yield app


def _wait(app: RealApp, predicate: Callable[[], object], what: str) -> None:
    app.run(app.until(predicate, 40, what))


def test_the_call_window_opens_the_chat_with_the_colleague(
    real_app: RealApp, tmp_path_factory: pytest.TempPathFactory
) -> None:
    app = real_app
    window = app.window
    chat = app.ctx.chat
    assert chat is not None and window.chat_page is not None
    _wait(app, lambda: app.ctx.directory.index.user("202") is not None, "the directory")
    with start_agent(tmp_path_factory.mktemp("agent"), "bram") as agent:
        app.register_agent(agent)
        app.ctx.calls_ctl.dial("202")
        app.run(asyncio.to_thread(agent.wait_event, "incoming_call", timeout=30))
        app.run(asyncio.to_thread(agent.send, "answer", code=200))
        _wait(app, lambda: len(call_windows(app)) == 1, "the call window")
        (card,) = call_windows(app)
        _wait(app, lambda: card.call.in_call, "answered")
        _wait(app, card.chat_button.isVisible, "the chat button")
        assert card.chat_button.toolTip() == "Chat with Bram Jansen"
        click(card.chat_button)

        def opened() -> bool:
            cid = chat.open_id
            conv = chat.get(cid) if cid is not None else None
            return conv is not None and {m.extension for m in conv.members} == {"201", "202"}

        _wait(app, opened, "the chat with 202 open")
        assert window.pages.currentWidget() is window.chat_page
        assert window.chat_page.title.text() == "Bram Jansen"
        app.ctx.calls_ctl.hangup(card.key)
        app.run(asyncio.to_thread(agent.wait_event, "call_state", timeout=30, state="DISCONNECTED"))
        _wait(app, lambda: app.ctx.calls.idle, "idle after the call")


def test_a_call_with_no_colleague_has_no_chat_button(real_app: RealApp) -> None:
    app = real_app
    app.ctx.calls_ctl.dial("9000")
    _wait(app, lambda: any(w.call.in_call for w in call_windows(app)), "the echo test answered")
    card = next(w for w in call_windows(app) if w.call.in_call)
    assert card.chat_button.isHidden()
    app.ctx.calls_ctl.hangup(card.key)
    _wait(app, lambda: app.ctx.calls.idle, "idle after the call")


def test_new_chat_finds_colleagues_in_the_directory_copy_of_the_session(
    real_app: RealApp,
) -> None:
    """The finder asks the copy the session has now: a full sync swaps in a new one."""
    app = real_app
    page = app.window.chat_page
    assert page is not None
    _wait(app, lambda: app.ctx.directory.index.user("202") is not None, "the directory")
    assert ("202", "Bram Jansen") in page.colleagues("bram")
    assert all(ext != "201" for ext, _ in page.colleagues("a"))  # not oneself
