"""Presence and chat in the real app (C1, C3, S5): embedded PBX, real widgets, colleagues as API
clients of the same server.

Bram (202) sets "in a meeting" with an end and a note through the API: the app's search result
for 202 shows "until HH:MM" and the note without a new search (``presence.updated``); a
colleague with no phone registered (203) shows "Not signed in"; Bram forwarding his calls
shows "Calls forwarded to 204" on his result (C4) until he stops; the chat button of a result
opens the 1:1 conversation in the Chat section; the note typed in the profile menu reaches the
API, where colleagues read it; during a call with a pjsua2 agent (202) "In a call" shows beside
the user's status and on 202's result, and goes after the call.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterator

import httpx
import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.presence_text import PresenceLine, until_text
from tests.support.agent import start_agent
from tests.ui._app_harness import RealApp, signed_in_app
from ui.models.search import SearchModel

pytestmark = [pytest.mark.own_process, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def real_app(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealApp]:
    with signed_in_app(tmp_path_factory.mktemp("app") / "data") as app:
        yield app


_REQUESTS = frozenset(
    {
        "updating the directory",
        "searching the directory",
        "updating a colleague",
        "chat",
        "changing your note",
        "reading your presence",
    }
)


def _wait(app: RealApp, predicate: Callable[[], object], what: str) -> None:
    """Run until ``predicate()`` holds and no request of the app is half done (the loop stops
    between runs, which would break a request in flight)."""

    def quiet() -> bool:
        return not any(
            t.get_name() in _REQUESTS for t in asyncio.all_tasks(app.loop) if not t.done()
        )

    app.run(app.until(lambda: predicate() and quiet(), 40, what))


def _base_url(app: RealApp) -> str:
    embedded = app.ctx.session_ctl.embedded
    assert embedded is not None and embedded.info is not None
    return embedded.info.base_url


async def _signed_in(app: RealApp, extension: str) -> httpx.AsyncClient:
    embedded = app.ctx.session_ctl.embedded
    assert embedded is not None and embedded.info is not None
    verify = embedded.info.tls_context() or True  # the embedded PBX's pinned certificate
    client = httpx.AsyncClient(base_url=_base_url(app), timeout=10, verify=verify)
    answer = await client.post(
        "/api/v1/auth/login", json={"username": extension, "password": f"Demo-{extension}!"}
    )
    assert answer.status_code == 200, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


def _search(app: RealApp, text: str) -> SearchModel:
    field = app.window.top_bar.search
    field.clear()
    field.setFocus()
    QTest.keyClicks(field, text)
    return field.model


def _line(model: SearchModel, extension: str) -> PresenceLine | None:
    for row in range(model.rowCount()):
        index = model.index(row)
        if model.entry(row).extension == extension:
            line = index.data(SearchModel.PresenceLineRole)
            return line if isinstance(line, PresenceLine) else None
    return None


def test_a_status_end_and_note_show_in_the_search_result(real_app: RealApp) -> None:
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    local_end = until_text(until, dt.datetime.now(dt.UTC))  # "HH:MM" today, else with the day

    async def bram_sets_status() -> None:
        bram = await _signed_in(real_app, "202")
        try:
            body = {"status": "meeting", "until": until.isoformat(), "note": "Back at three"}
            answer = await bram.put("/api/v1/me/presence", json=body)
            assert answer.status_code == 200, answer.text
        finally:
            await bram.aclose()

    model = _search(real_app, "202")
    _wait(real_app, lambda: _line(model, "202") is not None, "202 found")
    real_app.run(bram_sets_status())

    def shown() -> bool:
        line = _line(model, "202")
        return line is not None and f"until {local_end}" in line.text

    _wait(real_app, shown, f"202 in a meeting until {local_end}")
    line = _line(model, "202")
    assert line is not None and line.note == "Back at three"
    # 202 has no phone registered in this test: the line says so before the status
    assert line.text == f"Not signed in · In a meeting until {local_end}"


def test_a_colleagues_forwarding_shows_in_the_search_result(real_app: RealApp) -> None:
    async def bram_forwards(number: str | None) -> None:
        bram = await _signed_in(real_app, "202")
        try:
            body = {"enabled": number is not None, "number": number or "204"}
            answer = await bram.put("/api/v1/me/forwarding", json=body)
            assert answer.status_code == 200, answer.text
        finally:
            await bram.aclose()

    model = _search(real_app, "202")
    _wait(real_app, lambda: _line(model, "202") is not None, "202 found")
    real_app.run(bram_forwards("204"))
    try:

        def forwarded() -> bool:
            line = _line(model, "202")
            return line is not None and line.text.endswith("Calls forwarded to 204")

        _wait(real_app, forwarded, "202's calls forwarded to 204 in the search result")
        model = _search(real_app, "Bram")  # a new search reads the same local copy
        _wait(real_app, forwarded, "forwarded in a new search")
    finally:
        real_app.run(bram_forwards(None))

    def back() -> bool:
        line = _line(model, "202")
        return line is not None and "forwarded" not in line.text

    _wait(real_app, back, "the forwarding gone from the search result")


def test_a_colleague_without_a_phone_is_not_signed_in(real_app: RealApp) -> None:
    model = _search(real_app, "203")
    _wait(real_app, lambda: _line(model, "203") is not None, "203 found")
    line = _line(model, "203")
    assert line is not None
    assert (line.text, line.signed_in) == ("Not signed in", False)


def test_chat_from_a_search_result_opens_the_conversation(real_app: RealApp) -> None:
    window = real_app.window
    chat = real_app.ctx.chat
    assert chat is not None and window.chat_page is not None
    model = _search(real_app, "202")
    _wait(real_app, lambda: _line(model, "202") is not None, "202 found")
    row = next(r for r in range(model.rowCount()) if model.entry(r).extension == "202")
    window.top_bar.search.chat_row(row)

    def opened() -> bool:
        cid = chat.open_id
        conv = chat.get(cid) if cid is not None else None
        return conv is not None and {m.extension for m in conv.members} == {"201", "202"}

    _wait(real_app, opened, "the chat with 202 open")
    assert window.pages.currentWidget() is window.chat_page
    assert window.chat_page.title.text() == "Bram Jansen"
    assert window.chat_page.call_button.isVisible()


def test_the_own_note_from_the_profile_menu_reaches_the_api(real_app: RealApp) -> None:
    top = real_app.window.top_bar
    top._build_profile_menu()
    editor = top.note_editor
    editor.field.setText("Working from Utrecht today")
    editor.save()
    own = real_app.ctx.own_presence
    assert own is not None
    _wait(real_app, lambda: own.note == "Working from Utrecht today", "note stored")

    async def seen_by_bram() -> object:
        bram = await _signed_in(real_app, "202")
        try:
            rows = (await bram.get("/api/v1/directory", params={"q": "201"})).json()
        finally:
            await bram.aclose()
        anna = next(r for r in rows if r.get("extension") == "201")
        return anna["presence"]["note"], anna["presence"]["role"]

    assert real_app.run(seen_by_bram()) == ("Working from Utrecht today", "work")
    top._build_profile_menu()
    top.note_editor.private.setChecked(True)  # the private role (seed 004)
    _wait(real_app, lambda: own.role == "private", "role stored")
    assert real_app.run(seen_by_bram()) == ("Working from Utrecht today", "private")


@pytest.mark.pjsua
def test_in_a_call_shows_during_a_call_and_goes_after(
    real_app: RealApp, tmp_path_factory: pytest.TempPathFactory
) -> None:
    app = real_app
    own = app.ctx.own_presence
    badge = app.window.top_bar.in_call_badge
    assert own is not None and badge is not None
    with start_agent(tmp_path_factory.mktemp("agent"), "bram") as agent:
        app.register_agent(agent)
        model = _search(app, "202")
        _wait(
            app,
            lambda: (_line(model, "202") or PresenceLine("", None, False, False)).signed_in,
            "202 signed in",
        )
        app.ctx.calls_ctl.dial("202")
        app.run(asyncio.to_thread(agent.wait_event, "incoming_call", timeout=30))
        app.run(asyncio.to_thread(agent.send, "answer", code=200))
        _wait(app, lambda: own.in_call and badge.isVisible(), "'In a call' beside the status")
        assert badge.text() == "In a call"
        _wait(
            app,
            lambda: (
                "In a call" in (_line(model, "202") or PresenceLine("", None, True, False)).text
            ),
            "202 in a call in the search result",
        )
        key = app.ctx.calls.calls[0].key
        app.ctx.calls_ctl.hangup(key)
        app.run(asyncio.to_thread(agent.wait_event, "call_state", timeout=30, state="DISCONNECTED"))
        _wait(app, lambda: not own.in_call and not badge.isVisible(), "'In a call' gone")
        _wait(app, lambda: app.ctx.calls.idle, "idle after the call")
