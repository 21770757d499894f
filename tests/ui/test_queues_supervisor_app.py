"""The Queues section of the real app as a supervisor (S6): Chris (203) supervises Support (1500)
and Sales (1501) and is a member of neither. His list says "(Supervisor)" and has no switch of
his own; in Support he logs Anna (201) in and out from her agent row, and the server has it.
With nobody logged in, Dana (a pjsua2 phone in its own process, 204) dials 1500 and waits: the
waiting list shows her, and she leaves the list when she hangs up. Her call is then in the call
log under Missed (not under Answered); Chris assigns it to Anna, In progress, with a note, and
the server has it; with "Only calls assigned to me" his log is empty.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.support.agent import Agent, start_agent
from tests.ui._app_harness import RealApp, click
from tests.ui._queues import WAIT_S, agent_status, api_as, queue_state, signed_in_as, wait
from ui.queues_page import QueuesPage

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def real_app(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealApp]:
    with signed_in_as(tmp_path_factory.mktemp("app") / "data", "203") as app:
        yield app


@pytest.fixture(scope="module")
def dana(real_app: RealApp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with start_agent(tmp_path_factory.mktemp("dana"), "dana") as agent:
        real_app.register_agent(agent, "204")
        yield agent


def _support(app: RealApp) -> QueuesPage:
    """The Queues section with Support open."""
    button = app.window.side_bar.buttons["queues"]
    wait(app, button.isVisible, "the Queues button shows once the queues are read")
    click(button)
    page = app.window.queues_page
    assert page is not None
    if page.stack.currentWidget() is not page.queue_view:
        wait(app, lambda: "1500" in page.list.rows, "Support listed")
        click(page.list.rows["1500"].open_button)
    wait(app, lambda: set(page.now.agent_rows) == {"201", "202"}, "Support's agents shown")
    return page


def test_the_list_marks_supervised_queues(real_app: RealApp) -> None:
    button = real_app.window.side_bar.buttons["queues"]
    wait(real_app, button.isVisible, "the Queues button shows once the queues are read")
    click(button)
    page = real_app.window.queues_page
    assert page is not None
    wait(real_app, lambda: set(page.list.rows) == {"1500", "1501"}, "both queues listed")
    assert page.list.rows["1500"].title.text() == "Support (Supervisor)"
    assert page.list.rows["1501"].title.text() == "Sales (Supervisor)"
    assert not page.list.rows["1500"].switch.isVisible()  # not a member


def test_the_supervisor_logs_an_agent_in_and_out(real_app: RealApp) -> None:
    page = _support(real_app)
    assert page.heading.text() == "Support (Supervisor) · 1500"
    for status in ("logged_in", "logged_out"):
        row = page.now.agent_rows["201"]
        wait(
            real_app, lambda r=row, s=status: r.switch.buttons[s].isEnabled(), "the switch is free"
        )
        click(row.switch.buttons[status])
        wait(
            real_app,
            lambda s=status: page.now.agent_rows["201"].switch.status == s,
            f"Anna shows {status}",
        )
        state = real_app.run(queue_state(real_app, "1500"))
        assert agent_status(state, "201") == status


def _log_out_bram(app: RealApp) -> None:
    async def log_out() -> None:
        chris = await api_as(app, "203")
        try:
            answer = await chris.put(
                "/api/v1/queues/1500/agents/202", json={"status": "logged_out"}
            )
            assert answer.status_code == 200, answer.text
        finally:
            await chris.aclose()

    app.run(log_out())


def _dana_waits(app: RealApp, dana: Agent, page: QueuesPage) -> int:
    """Dana calls Support with nobody logged in (Bram logged out), and waits; her call."""
    _log_out_bram(app)
    wait(app, lambda: page.now.agent_rows["202"].switch.status == "logged_out", "Bram out")

    async def dana_calls() -> int:
        placed = int((await asyncio.to_thread(dana.send, "call", uri="1500"))["call"])
        await asyncio.to_thread(dana.wait_call_state, placed, "CONFIRMED", timeout=WAIT_S)
        return placed

    call = app.run(dana_calls())
    wait(app, lambda: len(page.now.waiting_rows) == 1, "Dana waits in Support")
    return call


def _dana_hangs_up(app: RealApp, dana: Agent, page: QueuesPage, call: int) -> None:
    app.run(asyncio.to_thread(dana.send, "hangup", call=call))
    wait(app, lambda: not page.now.waiting_rows, "Dana left the queue")
    page.tabs.setCurrentWidget(page.calls)
    wait(app, lambda: any(c.caller == "204" for c in page.calls.calls), "the missed call")


def test_a_waiting_caller_shows_and_becomes_a_missed_call(real_app: RealApp, dana: Agent) -> None:
    page = _support(real_app)
    call = _dana_waits(real_app, dana, page)
    who, waited = page.now.waiting_rows[0]
    assert "Dana Bakker" in who.text() and "204" in who.text()
    assert waited.text().count(":") == 1  # mm:ss, ticking
    assert page.now.tiles["waiting"].value.text() == "1"
    wait(real_app, lambda: page.list.rows["1500"].waiting.text() == "1 waiting", "list count")
    assert real_app.window.side_bar.badges["queues"].text() == "1"
    _dana_hangs_up(real_app, dana, page, call)
    assert page.now.nobody_waits.isVisible() or not page.now.isVisible()
    assert page.calls.call_filter().kind == "missed"
    assert page.calls.table.item(0, 1).text().startswith("Dana Bakker")
    assert not real_app.window.side_bar.badges["queues"].isVisible()


def _server_calls(app: RealApp, **params: str) -> list[dict[str, Any]]:
    async def read() -> list[dict[str, Any]]:
        chris = await api_as(app, "203")
        try:
            answer = await chris.get("/api/v1/queues/1500/calls", params=params)
            assert answer.status_code == 200, answer.text
            rows: list[dict[str, Any]] = answer.json()
            return rows
        finally:
            await chris.aclose()

    return app.run(read())


def test_the_supervisor_assigns_a_missed_call_and_filters_the_log(
    real_app: RealApp, dana: Agent
) -> None:
    page = _support(real_app)
    _dana_hangs_up(real_app, dana, page, _dana_waits(real_app, dana, page))
    calls = page.calls
    calls.table.selectRow(0)
    assert calls.editor.isVisible() and calls.assignee.isEnabled()
    ident = calls.calls[0].id
    calls.assignee.setCurrentIndex(calls.assignee.findData("201"))
    calls.handling.setCurrentIndex(calls.handling.findData("in_progress"))
    calls.note.setText("Calling back after lunch")
    click(calls.save_button)
    wait(
        real_app,
        lambda: calls.calls and calls.calls[0].assigned_to == "201",
        "the call shows as assigned to Anna",
    )
    row = next(r for r in _server_calls(real_app, kind="missed") if r["id"] == ident)
    assert (row["assigned_to"], row["handling"], row["note"]) == (
        "201",
        "in_progress",
        "Calling back after lunch",
    )
    assert calls.table.item(0, 4).text() == "Anna de Vries"
    assert calls.table.item(0, 5).text() == "In progress"

    calls.kind.setCurrentIndex(calls.kind.findData("answered"))
    calls.kind.activated.emit(calls.kind.currentIndex())
    wait(real_app, lambda: calls.stack.currentWidget() is calls.empty, "no answered call")
    assert calls.empty.label.text() == "No calls"
    calls.kind.setCurrentIndex(calls.kind.findData("missed"))
    calls.kind.activated.emit(calls.kind.currentIndex())
    wait(real_app, lambda: calls.stack.currentWidget() is calls.table, "the missed calls")
    click(calls.mine)  # Chris has no call assigned to him
    wait(real_app, lambda: calls.stack.currentWidget() is calls.empty, "none assigned to Chris")
    assert _server_calls(real_app, kind="missed", assigned_to_me="true") == []
    click(calls.mine)
    wait(real_app, lambda: calls.stack.currentWidget() is calls.table, "the missed calls again")


def test_the_supervisor_listens_to_an_agent_in_a_queue_call(
    real_app: RealApp, dana: Agent, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Bram (202, a pjsua2 phone, logged in to Support) answers Dana's queue call; his row shows
    Listen, Whisper and Barge in; Listen dials ``*66*202*`` and the PBX connects Chris."""
    with start_agent(tmp_path_factory.mktemp("bram"), "bram") as bram:
        real_app.register_agent(bram, "202")
        page = _support(real_app)
        assert not page.now.agent_rows["202"].watch_buttons["listen"].isVisible()

        async def bram_answers_dana() -> None:
            placed = int((await asyncio.to_thread(dana.send, "call", uri="1500"))["call"])
            await asyncio.to_thread(dana.wait_call_state, placed, "CONFIRMED", timeout=WAIT_S)
            incoming = await asyncio.to_thread(bram.wait_event, "incoming_call", timeout=WAIT_S)
            offered = int(incoming["call"])
            await asyncio.to_thread(bram.send, "answer", call=offered, code=200)
            await asyncio.to_thread(bram.wait_call_state, offered, "CONFIRMED", timeout=WAIT_S)

        real_app.run(bram_answers_dana())
        row = page.now.agent_rows["202"]
        wait(real_app, row.watch_buttons["listen"].isVisible, "Bram is in a call: Listen shows")
        assert row.watch_buttons["whisper"].isVisible()
        assert row.watch_buttons["barge"].isVisible()
        assert not page.now.agent_rows["201"].watch_buttons["listen"].isVisible()
        click(row.watch_buttons["listen"])
        calls = real_app.ctx.calls
        wait(
            real_app,
            lambda: any(c.number == "*66*202*" and c.state == "connected" for c in calls.calls),
            f"Chris listens to Bram's call ({calls.calls})",
        )
