"""The Queues section's widgets alone: the Log in / Pause / Log out switch and who may change
a call of the log (the supervisor, the agent it is assigned to, nobody else)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.queues.records import QueueCall, QueueDetail
from tests.support.queue_rows import call_row, detail_row
from ui.queue_calls import QueueCallsView
from ui.queues_list import StatusSwitch


def test_the_switch_asks_once_and_waits_for_the_server(qtbot: QtBot) -> None:
    switch = StatusSwitch()
    qtbot.addWidget(switch)
    chosen: list[str] = []
    switch.chosen.connect(chosen.append)
    switch.set_status("logged_out")
    switch.buttons["logged_out"].click()  # the current one: nothing to ask
    assert chosen == [] and switch.buttons["paused"].isEnabled()
    switch.buttons["logged_in"].click()
    assert chosen == ["logged_in"]
    assert switch.buttons["logged_out"].isChecked()  # until the server has it
    assert not switch.buttons["paused"].isEnabled()
    switch.set_status("logged_in")
    assert switch.buttons["logged_in"].isChecked() and switch.buttons["paused"].isEnabled()


def _view(qtbot: QtBot, me: str, role: str, assigned_to: str | None) -> QueueCallsView:
    view = QueueCallsView(lambda: me)
    qtbot.addWidget(view)
    detail = QueueDetail.from_api(detail_row(role=role), 0.0)
    calls = (QueueCall.from_api(call_row(assigned_to=assigned_to)),)
    view.show_calls(detail, calls, loaded=True)
    view.table.selectRow(0)
    return view


def test_who_may_change_acall_row(qtbot: QtBot) -> None:
    lead = _view(qtbot, "203", "supervisor", None)
    assert lead.assignee.isEnabled() and lead.save_button.isEnabled()
    assignee = _view(qtbot, "202", "agent", "202")
    assert not assignee.assignee.isEnabled() and assignee.save_button.isEnabled()
    other = _view(qtbot, "201", "agent", "202")
    assert not other.save_button.isEnabled() and not other.note.isEnabled()
    assert not other.read_only.isHidden()
    saved: list[tuple[object, ...]] = []
    assignee.save.connect(lambda *args: saved.append(args))
    assignee.handling.setCurrentIndex(assignee.handling.findData("handled"))
    assignee.note.setText("  Solved  ")
    assignee.save_button.click()
    assert saved == [(7, "202", "handled", "Solved")]
