"""After a transfer the transferor is no longer in the call it left: the PBX lists the call only
for the parties who now talk (``GET /api/v1/active-calls``, line states), whether the attended
transfer came as a REFER with Replaces from a phone or through the API."""

from __future__ import annotations

from pbx_core.signaling.calls import Call
from pbx_core.signaling.message import SipRequest
from tests.unit.pbx_core.signaling._switchboard import Phone, Switchboard


def _call(a: Phone, b: Phone) -> None:
    """A calls B, B answers."""
    invite = a.invite(b.extension)
    to_b = b.request("INVITE")
    b.reply(to_b, 200)
    b.take()
    a.ack(invite, a.response(200))
    a.take()


def _consult(board: Switchboard) -> tuple[Phone, Phone, Phone]:
    """A talks with B; B holds A and calls C, who answers. B's phone points at the first call."""
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _call(a, b)
    first = b.dialog
    b.in_dialog("INVITE", "sendonly")
    a.reply(a.request("INVITE"), 200, "recvonly")
    b.take()
    b.dialog = None
    consult = b.invite("203")
    c.reply(c.request("INVITE"), 200)
    b.ack(consult, b.response(200))
    b.take()
    b.consult_dialog = b.dialog  # type: ignore[attr-defined]
    b.dialog = first
    return a, b, c


def _live(board: Switchboard) -> list[Call]:
    return [call for call in board.machine.registry.calls.values() if not call.ended]


def test_a_refer_with_replaces_leaves_the_transferor_in_no_call() -> None:
    board = Switchboard()
    _, b, _ = _consult(board)
    board.lines_changed.clear()
    b.refer("203", replaces=b.consult_dialog)  # type: ignore[attr-defined]
    assert b.response(202)
    (call,) = _live(board)
    assert call.extensions() == {"201", "203"}
    assert "202" in board.lines_changed  # its line state is worked out again: idle
    assert board.machine.registry.line_state("202") == "idle"
    assert [m for m in b.take() if isinstance(m, SipRequest) and m.method == "BYE"]


def test_an_attended_transfer_through_the_api_leaves_the_transferor_in_no_call() -> None:
    board = Switchboard()
    _consult(board)
    first, second = sorted(_live(board), key=lambda c: c.started_at)
    board.lines_changed.clear()
    board.perform(board.machine.attended_transfer(first.call_id, second.call_id, "202"))
    (call,) = _live(board)
    assert call.extensions() == {"201", "203"}
    assert "202" in board.lines_changed


def test_a_blind_transfer_by_the_callee_updates_the_transferors_line() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _call(a, b)
    board.lines_changed.clear()
    b.refer("203")
    assert b.response(202)
    c.reply(c.request("INVITE"), 200)
    (call,) = _live(board)
    assert call.extensions() == {"201", "203"}
    assert "202" in board.lines_changed


def test_the_transferors_media_is_closed_when_it_leaves() -> None:
    board = Switchboard()
    _, b, _ = _consult(board)
    b.refer("203", replaces=b.consult_dialog)  # type: ignore[attr-defined]
    assert b.response(202)
    assert {"leg-2", "leg-3"} <= board.closed  # B's two legs: their ports are free again
    assert "leg-1" not in board.closed and "leg-4" not in board.closed
