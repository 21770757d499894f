"""Leaving voicemail in the call machine (phones in memory, a fake clock): 1 rings the
assistance number, 2 the callee's phones again; nobody answering brings the call back to the
same mailbox; a group inbox number is voicemail at once."""

from __future__ import annotations

from pbx_core.events import VoicemailAnswered
from pbx_core.media.connections import Connect, ConnectTone, Disconnect
from pbx_core.signaling.callmachine import VoicemailRouting
from tests.unit.pbx_core.signaling._switchboard import Phone, Switchboard


def _in_voicemail(delay: float = 15.0) -> tuple[Switchboard, Phone, VoicemailAnswered]:
    """201 calls 202 straight into 202's voicemail (``*1*202*``)."""
    board = Switchboard()
    board.machine.voicemail = VoicemailRouting(delay_seconds=delay)
    a = board.phone("201", 10)
    invite = a.invite("*1*202*")
    a.ack(invite, a.response(200))
    (event,) = [e for e in board.published if isinstance(e, VoicemailAnswered)]
    return board, a, event


def _answers(board: Switchboard) -> list[VoicemailAnswered]:
    return [e for e in board.published if isinstance(e, VoicemailAnswered)]


def test_one_rings_the_assistance_number_and_connects_who_answers() -> None:
    board, a, event = _in_voicemail()
    dana = board.phone("203", 40)
    board.perform(board.machine.reroute(event.call_id, "203", board._route("203")))
    assert board.sounds[event.leg_id] == ConnectTone(event.leg_id, "ringback", "NL")
    to_dana = dana.request("INVITE")
    dana.reply(to_dana, 180)
    dana.reply(to_dana, 200)
    assert dana.request("ACK")
    assert isinstance(board.sounds[event.leg_id], Connect)
    board.advance(20.0)  # the voicemail delay passes: the call stays connected
    assert len(_answers(board)) == 1
    (missed,) = board.records  # 202's part: a missed call
    assert (missed.callee, missed.reason, missed.answered_at) == ("202", "no-answer", None)
    a.in_dialog("BYE")
    assert board.records[-1].callee == "203" and board.records[-1].answered_at is not None


def test_two_rings_the_callee_again_and_no_answer_comes_back_to_voicemail() -> None:
    board, a, event = _in_voicemail(delay=15.0)
    bram = board.phone("202", 20)
    board.perform(board.machine.reroute(event.call_id, "202", board._route("202")))
    to_bram = bram.request("INVITE")
    bram.reply(to_bram, 180)
    board.advance(14.0)
    assert len(_answers(board)) == 1
    board.advance(1.5)
    assert bram.request("CANCEL")
    again = _answers(board)[-1]
    assert (again.mailbox, again.mode, again.reason, again.call_id) == (
        "202",
        "deposit",
        "again",
        event.call_id,
    )
    assert board.sounds[event.leg_id] == Disconnect(event.leg_id)
    a.in_dialog("BYE")
    assert board.records[-1].callee == "202"


def test_a_busy_answer_after_two_is_back_in_voicemail_at_once() -> None:
    board, a, event = _in_voicemail(delay=15.0)
    bram = board.phone("202", 20)
    board.perform(board.machine.reroute(event.call_id, "202", board._route("202")))
    to_bram = bram.request("INVITE")
    bram.reply(to_bram, 486)  # busy on his only phone: no waiting for the no-answer time
    again = _answers(board)[-1]
    assert len(_answers(board)) == 2 and (again.mailbox, again.reason) == ("202", "again")
    a.in_dialog("BYE")


def test_nobody_to_ring_is_back_in_voicemail_at_once() -> None:
    board, _, event = _in_voicemail()
    board.phone("203", 30, register=False)
    board.perform(board.machine.reroute(event.call_id, "203", board._route("203")))
    assert len(_answers(board)) == 2 and _answers(board)[-1].mailbox == "202"
    board.perform(board.machine.reroute(event.call_id, "999", board._route("999")))
    assert len(_answers(board)) == 3


def test_reroute_of_a_call_not_in_voicemail_does_nothing() -> None:
    board, a, event = _in_voicemail()
    a.in_dialog("BYE")
    assert board.machine.reroute(event.call_id, "203", board._route("203")) == []


def test_a_group_inbox_number_is_voicemail_at_once() -> None:
    board = Switchboard()
    board.machine.voicemail = VoicemailRouting(groups=frozenset({"9102"}))
    a = board.phone("201", 10)
    invite = a.invite("9102")
    a.ack(invite, a.response(200))
    (event,) = _answers(board)
    assert (event.mailbox, event.mode, event.reason) == ("9102", "deposit", "group")
    a.in_dialog("BYE")
    assert board.records[-1].reason == "hangup"
