"""The one presence model and the bodies made from it, without a PBX: views from plain call
data, dialog-info, PIDF and message-summary documents, and the board's change detection."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from pbx_core.bus import EventBus
from pbx_core.events import BindingAdded, CallAnswered, Event, LineStateChanged, PresenceChanged
from pbx_core.ids import CallId, Extension
from pbx_core.presence import Presence, PresenceDetailsChanged
from pbx_core.presence_board import Changes, PresenceBoard
from pbx_core.presence_view import PresenceUpdated, compute_view, slot_view
from pbx_core.signaling.event_bodies import (
    ANONYMOUS,
    MailboxCounts,
    dialog_info,
    message_summary,
    pidf,
)
from pbx_core.signaling.parking import ParkedCall
from pbx_core.telephony import ActiveCall, Party

AVAILABLE = Presence("available")
UNTIL = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
NS = {"d": "urn:ietf:params:xml:ns:dialog-info", "p": "urn:ietf:params:xml:ns:pidf"}


def _call(state_202: str, *, answered: bool = False, held_by: str | None = None) -> ActiveCall:
    return ActiveCall(
        "c1",
        "201",
        "202",
        answered,
        (
            Party("201", "Anna de Vries", "answered", holding=held_by == "201"),
            Party("202", "Bram Jansen", state_202, holding=held_by == "202"),
        ),
    )


def test_idle_and_not_registered() -> None:
    view = compute_view("202", AVAILABLE, registered=False, calls=[])
    assert (view.line, view.activity, view.registered, view.dialogs) == (
        "idle",
        "available",
        False,
        (),
    )


def test_ringing_then_in_a_call_shows_in_call_by_itself() -> None:
    ringing = compute_view("202", AVAILABLE, registered=True, calls=[_call("ringing")])
    assert ringing.line == "ringing" and ringing.activity == "available"
    (dialog,) = ringing.dialogs
    assert (dialog.direction, dialog.state, dialog.peer, dialog.peer_name) == (
        "recipient",
        "early",
        "201",
        "Anna de Vries",
    )
    talking = compute_view(
        "202", AVAILABLE, registered=True, calls=[_call("answered", answered=True)]
    )
    assert talking.line == "in_call" and talking.activity == "in_call"
    caller = compute_view(
        "201", AVAILABLE, registered=True, calls=[_call("answered", answered=True)]
    )
    assert caller.dialogs[0].direction == "initiator" and caller.line == "in_call"


def test_a_set_status_stays_during_a_call() -> None:
    meeting = Presence("meeting", UNTIL, note="Room 4")
    view = compute_view("202", meeting, registered=True, calls=[_call("answered", answered=True)])
    assert view.activity == "meeting" and view.line == "in_call" and view.note == "Room 4"


def test_hold_and_park() -> None:
    held = compute_view(
        "202", AVAILABLE, registered=True, calls=[_call("answered", answered=True, held_by="201")]
    )
    assert held.line == "on_hold" and held.dialogs[0].remote_held
    parked = ParkedCall("7001", CallId("c9"), "201", None, "202", None, UNTIL)
    view = compute_view("202", AVAILABLE, registered=True, calls=[], parked=[parked])
    assert view.line == "parked"


def test_dialog_info_full_state_with_hold_and_terminated() -> None:
    held = compute_view(
        "202", AVAILABLE, registered=True, calls=[_call("answered", answered=True, held_by="201")]
    )
    root = ET.fromstring(dialog_info(held, 3, "pbx.example"))
    assert root.get("version") == "3" and root.get("state") == "full"
    assert root.get("entity") == "sip:202@pbx.example"
    dialog = root.find("d:dialog", NS)
    assert dialog is not None and dialog.get("direction") == "recipient"
    assert dialog.findtext("d:state", namespaces=NS) == "confirmed"
    identity = dialog.find("d:remote/d:identity", NS)
    assert identity is not None and identity.text == "sip:201@pbx.example"
    assert identity.get("display") == "Anna de Vries"
    param = dialog.find("d:remote/d:target/d:param", NS)
    assert param is not None and param.get("pvalue") == "no"
    idle = compute_view("202", AVAILABLE, registered=True, calls=[])
    ended = ET.fromstring(dialog_info(idle, 4, "pbx.example", ended=("c1",)))
    assert [d.findtext("d:state", namespaces=NS) for d in ended] == ["terminated"]


def test_private_role_hides_the_caller() -> None:
    private = Presence("available", role="private")
    view = compute_view("202", private, registered=True, calls=[_call("ringing")])
    root = ET.fromstring(dialog_info(view, 0, "pbx.example"))
    identity = root.find("d:dialog/d:remote/d:identity", NS)
    assert identity is not None and identity.text == ANONYMOUS


def test_pidf_open_closed_activity_and_note() -> None:
    meeting = Presence("meeting", UNTIL, note="Room <4>")
    view = compute_view("202", meeting, registered=True, calls=[])
    body = pidf(view, "pbx.example")
    root = ET.fromstring(body)
    assert root.findtext("p:tuple/p:status/p:basic", namespaces=NS) == "open"
    assert root.findtext("p:tuple/p:note", namespaces=NS) == "In a meeting until 15:00 UTC"
    assert b"<rpid:busy/><rpid:meeting/>" in body and b"Room &lt;4&gt;" in body
    gone = compute_view("202", AVAILABLE, registered=False, calls=[])
    closed = ET.fromstring(pidf(gone, "pbx.example"))
    assert closed.findtext("p:tuple/p:status/p:basic", namespaces=NS) == "closed"
    assert closed.findtext("p:tuple/p:note", namespaces=NS) == "Not registered"


def test_message_summary() -> None:
    assert message_summary("201", MailboxCounts(), "pbx.example") == (
        b"Messages-Waiting: no\r\nMessage-Account: sip:201@pbx.example\r\n"
        b"Voice-Message: 0/0 (0/0)\r\n"
    )
    assert b"Messages-Waiting: yes" in message_summary("201", MailboxCounts(1, 0), "x")


def test_board_announces_only_changed_views() -> None:
    bus = EventBus()
    calls: list[ActiveCall] = []
    registered: set[str] = set()
    board = PresenceBoard(
        bus,
        is_user=lambda ext: ext in {"201", "202"},
        registered=lambda ext: ext in registered,
        calls=lambda: calls,
        parked=list,
    )
    seen: list[Changes] = []
    updates: list[PresenceUpdated] = []
    board.listeners.append(seen.append)

    def keep(event: Event) -> None:
        if isinstance(event, PresenceUpdated):
            updates.append(event)

    bus.subscribe(keep)
    registered.add("202")
    bus.publish(BindingAdded(Extension("202"), "sip:202@127.0.0.1:5070"))
    assert updates[-1].registered and updates[-1].line == "idle"
    bus.publish(LineStateChanged(Extension("202"), "idle"))  # nothing new: no update
    assert len(updates) == 1
    calls.append(_call("answered", answered=True))
    bus.publish(CallAnswered(CallId("c1"), "201", "202"))
    assert {u.extension: u.activity for u in updates[1:]} == {"201": "in_call", "202": "in_call"}
    bus.publish(PresenceChanged(Extension("202"), "meeting", UNTIL))
    bus.publish(PresenceDetailsChanged(Extension("202"), "work", "Room 4"))
    assert board.current("202").note == "Room 4" and board.current("202").status == "meeting"
    assert len(seen) == 4


def test_park_slot_view_shows_the_parked_party() -> None:
    parked = ParkedCall("7001", CallId("c9"), "201", "Anna de Vries", "202", None, UNTIL)
    taken = slot_view("7001", [parked])
    assert taken.line == "parked"
    (dialog,) = taken.dialogs
    assert (dialog.state, dialog.peer, dialog.peer_name) == ("confirmed", "201", "Anna de Vries")
    assert slot_view("7002", [parked]).dialogs == ()
