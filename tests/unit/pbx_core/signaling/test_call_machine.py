"""Phones against the B2BUA in memory (user-agent layer + call machine, fake clock, no
sockets): ring, answer, cancel, busy, forks, BYE from either side, hold/resume, glare, the 2xx
re-sends and their time-out, Timer B, the CANCEL/200 race, and the machine's exact errors."""

from __future__ import annotations

import pytest

from pbx_core.ids import LegId
from pbx_core.media import MusicOnHold
from pbx_core.signaling._call_actions import LegRequest
from pbx_core.signaling.callmachine import CallStateError
from pbx_core.signaling.message import SipRequest, make_response
from tests.unit.pbx_core.signaling._switchboard import Phone, Switchboard


def _ring(board: Switchboard, a: Phone, b: Phone) -> tuple[SipRequest, SipRequest]:
    """A calls B; B rings. Returns A's INVITE and the PBX's INVITE to B."""
    invite = a.invite(b.extension)
    assert a.statuses() == [100]
    to_b = b.request("INVITE")
    assert to_b.body and b"m=audio 20002 RTP/AVP 0 8 101" in to_b.body  # the PBX's port, A's codecs
    b.reply(to_b, 180)
    assert a.statuses() == [180]
    return invite, to_b


def _answer(board: Switchboard, a: Phone, b: Phone) -> tuple[SipRequest, SipRequest]:
    invite, to_b = _ring(board, a, b)
    b.reply(to_b, 200)
    assert b.request("ACK").cseq.seq == 1
    ok = a.response(200)
    assert ok.body and b"m=audio 20000 RTP/AVP 0 101" in ok.body  # B chose PCMU
    a.ack(invite, ok)
    return invite, to_b


def test_ring_answer_and_media_connected() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _answer(board, a, b)
    leg_a, leg_b = board.media["leg-1"], board.media["leg-2"]
    assert leg_a.source is leg_b and leg_b.source is leg_a
    assert board.kinds() == ["call.ringing", "call.answered"]
    assert board.machine.registry.line_state("202") == "busy"
    board.advance(60.0)
    assert a.take() == [] and b.take() == []  # the ACK stopped the 2xx re-sends


@pytest.mark.parametrize("who", ["caller", "callee"])
def test_bye_from_either_side(who: str) -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _answer(board, a, b)
    hanging, other = (a, b) if who == "caller" else (b, a)
    hanging.in_dialog("BYE")
    assert hanging.statuses() == [200]
    bye = other.request("BYE")
    other.reply(bye, 200)
    (record,) = board.records
    assert record.reason == "hangup" and record.answered
    assert board.published[-1].kind == "call.ended"
    assert board.closed == {"leg-1", "leg-2"}
    assert board.machine.registry.calls == {}
    hanging.in_dialog("BYE")  # the dialog is gone
    assert hanging.statuses() == [481]


def test_caller_cancels_while_ringing() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, to_b = _ring(board, a, b)
    a.cancel(invite)
    assert sorted(a.statuses()) == [200, 487]
    cancel = b.request("CANCEL")
    b.reply(cancel, 200)
    b.reply(to_b, 487)
    assert b.request("ACK").cseq.method == "ACK"  # the transaction ACKs the 487
    assert [r.reason for r in board.records] == ["cancelled"]
    assert board.closed == {"leg-1", "leg-2"}


def test_cancel_and_200_cross_the_callee_gets_ack_and_bye() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, to_b = _ring(board, a, b)
    a.cancel(invite)
    b.take()  # the CANCEL, which crossed B's 200
    b.reply(to_b, 200)
    assert b.statuses() == ["ACK", "BYE"]
    assert sorted(a.statuses()) == [200, 487]
    assert [r.reason for r in board.records] == ["cancelled"]


def test_cancel_while_the_rtp_ports_open() -> None:
    board = Switchboard()
    board.defer_media = True
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite = a.invite("202")
    a.cancel(invite)
    assert sorted(a.statuses()) == [100, 200, 487]
    board.open_media()
    assert b.take() == []  # nobody was rung
    assert board.closed == {"leg-1", "leg-2"}
    assert [r.reason for r in board.records] == ["cancelled"]


def test_cancel_after_the_answer_gets_481_and_the_call_goes_on() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, to_b = _ring(board, a, b)
    b.reply(to_b, 200)
    a.cancel(invite)  # crossed the PBX's 200 on the way
    assert sorted(s for s in a.statuses() if s != 200) == [481]
    assert board.machine.registry.line_state("201") == "busy"
    assert board.records == []


def test_a_second_phone_answering_late_gets_ack_and_bye() -> None:
    board = Switchboard()
    a = board.phone("201", 10)
    desk, soft = board.phone("202", 20), board.phone("202", 21)
    a.invite("202")
    to_desk, to_soft = desk.request("INVITE"), soft.request("INVITE")
    desk.reply(to_desk, 200)
    soft.reply(to_soft, 200)  # before our CANCEL could reach it
    assert desk.statuses() == ["ACK"]
    assert soft.statuses() == ["ACK", "BYE"]  # no CANCEL: it had not rung yet (§9.1)
    assert board.media["leg-1"].source is board.media["leg-2"]


def test_busy_callee_gives_486() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    a.invite("202")
    to_b = b.request("INVITE")
    b.reply(to_b, 486)
    assert a.statuses() == [100, 486]
    assert [r.reason for r in board.records] == ["busy"]


def test_declining_callee_gives_603_not_busy() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    a.invite("202")
    to_b = b.request("INVITE")
    b.reply(to_b, 180)
    b.reply(to_b, 603)
    assert a.statuses() == [100, 180, 603]
    (record,) = board.records
    assert (record.reason, record.sip_status, record.ended_by) == ("declined", 603, "202")
    assert board.published[-1].kind == "call.ended"
    assert board.published[-1].reason == "declined"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("desk_status", "soft_status", "caller_gets", "reason"),
    [
        (603, 603, 603, "declined"),
        (603, 486, 486, "busy"),  # any busy phone: busy, as before
        (600, 603, 486, "busy"),  # 600 Busy Everywhere is busy too
        (603, 480, 603, "declined"),  # one phone declined, the other was not there
        (480, 404, 404, "no-answer"),
    ],
)
def test_final_answer_of_two_phones_that_did_not_answer(
    desk_status: int, soft_status: int, caller_gets: int, reason: str
) -> None:
    board = Switchboard()
    a = board.phone("201", 10)
    desk, soft = board.phone("202", 20), board.phone("202", 21)
    a.invite("202")
    to_desk, to_soft = desk.request("INVITE"), soft.request("INVITE")
    desk.reply(to_desk, desk_status)
    assert a.statuses() == [100]  # the other phone still rings
    soft.reply(to_soft, soft_status)
    assert a.statuses() == [caller_gets]
    (record,) = board.records
    assert (record.reason, record.sip_status) == (reason, caller_gets)


def test_records_carry_who_ended_and_the_final_status() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _answer(board, a, b)
    b.in_dialog("BYE")
    a.reply(a.request("BYE"), 200)
    invite = a.invite("202")
    b.reply(b.request("INVITE"), 180)
    a.cancel(invite)
    a.invite("555")
    hangup, cancelled, unknown = board.records
    assert (hangup.reason, hangup.ended_by, hangup.sip_status) == ("hangup", "202", 200)
    assert hangup.answered and hangup.id is None
    assert (cancelled.reason, cancelled.ended_by, cancelled.sip_status) == ("cancelled", "201", 487)
    assert (unknown.reason, unknown.ended_by, unknown.sip_status) == ("not-found", None, 404)


def test_first_answer_wins_and_the_other_phone_is_cancelled() -> None:
    board = Switchboard()
    a = board.phone("201", 10)
    desk, soft = board.phone("202", 20), board.phone("202", 21)
    a.invite("202")
    to_desk, to_soft = desk.request("INVITE"), soft.request("INVITE")
    desk.reply(to_desk, 180)
    soft.reply(to_soft, 180)
    soft.reply(to_soft, 200)
    assert soft.statuses() == ["ACK"]
    assert desk.request("CANCEL").cseq.seq == to_desk.cseq.seq
    assert 200 in a.statuses()


def test_unknown_number_and_nobody_registered() -> None:
    board = Switchboard()
    a = board.phone("201", 10)
    board.phone("203", 30, register=False)
    a.invite("555")
    a.invite("203")
    assert a.statuses() == [100, 404, 100, 480]
    assert [r.reason for r in board.records] == ["not-found", "not-registered"]


def test_echo_test_hears_itself() -> None:
    board = Switchboard()
    a = board.phone("201", 10)
    invite = a.invite("9000")
    ok = a.response(200)
    a.ack(invite, ok)
    assert board.media["leg-1"].source is board.media["leg-1"]


def test_hold_plays_music_to_the_held_phone_and_resume_reconnects() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _answer(board, a, b)
    hold = a.in_dialog("INVITE", "sendonly")
    assert a.statuses() == []  # answered only after B has been told
    to_b = b.request("INVITE")
    assert to_b.body is not None and b"a=sendonly" in to_b.body
    b.reply(to_b, 200, "recvonly")
    assert b.statuses() == ["ACK"]
    ok = a.response(200)
    assert b"a=recvonly" in ok.body
    a.ack_in_dialog(hold)
    leg_a, leg_b = board.media["leg-1"], board.media["leg-2"]
    assert leg_a.source is None and isinstance(leg_b.source, MusicOnHold)
    assert board.kinds()[-1] == "call.held"
    a.in_dialog("INVITE", "sendrecv")
    to_b = b.request("INVITE")
    assert b"a=sendrecv" in to_b.body
    b.reply(to_b, 200)
    a.response(200)
    assert leg_a.source is leg_b and leg_b.source is leg_a
    assert board.kinds()[-1] == "call.resumed"


def test_reinvites_crossing_get_491() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _answer(board, a, b)
    a.in_dialog("INVITE", "sendonly")
    to_b = b.request("INVITE")
    b.in_dialog("INVITE", "sendonly")  # B holds too, crossing our re-INVITE
    assert b.statuses() == [491]
    a.in_dialog("INVITE", "inactive")  # and A tries again before its first one is answered
    assert a.statuses() == [491]
    b.reply(to_b, 200, "recvonly")
    assert a.response(200).status == 200


def test_reinvite_without_answer_ends_on_timer_b() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _answer(board, a, b)
    a.in_dialog("INVITE", "sendonly")
    b.request("INVITE")
    board.advance(31.0)
    assert a.take() == []
    board.advance(1.5)  # Timer B: A gets its answer, the call goes on
    assert a.response(200).status == 200


def test_2xx_is_resent_and_without_ack_the_call_ends_with_bye() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _invite, to_b = _ring(board, a, b)
    b.reply(to_b, 200)
    b.take()
    assert a.statuses() == [200]
    board.advance(8.0)
    assert a.statuses() == [200, 200, 200, 200]  # at 0.5, 1.5, 3.5 and 7.5 s
    board.advance(24.5)
    statuses = a.statuses()
    assert statuses[-1] == "BYE" and set(statuses[:-1]) == {200}
    assert b.statuses() == ["BYE"]
    assert [r.reason for r in board.records] == ["no-ack"]


def test_phone_that_never_answers_gives_480_after_timer_b() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    a.invite("202")
    board.advance(33.0)
    assert len([m for m in b.take() if isinstance(m, SipRequest)]) == 7  # INVITE + 6 re-sends
    assert a.statuses() == [100, 480]
    assert [r.reason for r in board.records] == ["no-answer"]


def test_illegal_move_raises_exact_text() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, _ = _answer(board, a, b)
    machine = board.machine
    (call,) = machine.registry.calls.values()
    with pytest.raises(CallStateError, match=r"^leg leg-1: ring not allowed in ANSWERED$"):
        machine._step(call, call.a, "ring")
    with pytest.raises(CallStateError, match=r"^leg leg-2: dial not allowed in ANSWERED$"):
        machine._step(call, call.forks[0], "dial")
    late = make_response(invite, 200, to_tag="x")
    context = LegRequest(call.call_id, LegId("leg-9"), "invite")
    assert machine.response(context, late) == []  # an unknown leg is ignored


def test_in_dialog_requests_other_than_bye_and_invite() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _answer(board, a, b)
    a.in_dialog("INFO")
    a.in_dialog("OPTIONS")
    a.in_dialog("MESSAGE")
    assert a.statuses() == [200, 200, 501]
    assert a.dialog is not None
    a.dialog.local_seq -= 1  # a CSeq that does not go up
    a.in_dialog("INFO")
    assert a.statuses() == [500]


def test_echo_test_on_hold_hears_nothing() -> None:
    board = Switchboard()
    a = board.phone("201", 10)
    invite = a.invite("9000")
    a.ack(invite, a.response(200))
    hold = a.in_dialog("INVITE", "sendonly")
    a.ack_in_dialog(hold)
    assert a.response(200).status == 200
    assert board.media["leg-1"].source is None
    a.in_dialog("INVITE", "sendrecv")
    assert a.response(200).status == 200
    assert board.media["leg-1"].source is board.media["leg-1"]


def test_over_tcp_nothing_is_resent_but_the_ack_is_still_awaited() -> None:
    board = Switchboard()
    a = board.phone("201", 10, transport="tcp")
    b = board.phone("202", 20, transport="tcp")
    _invite, to_b = _ring(board, a, b)
    b.reply(to_b, 200)
    assert b.statuses() == ["ACK"]
    assert a.statuses() == [200]
    board.advance(31.9)
    assert a.take() == [] and b.take() == []  # no 2xx re-sends on a reliable transport
    board.advance(0.2)
    assert a.statuses() == ["BYE"] and b.statuses() == ["BYE"]
    assert [r.reason for r in board.records] == ["no-ack"]


def test_a_phone_registered_through_a_proxy_is_called_through_its_path() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    path = ("<sip:192.0.2.1:5060;lr>", "<sip:198.51.100.7;lr>")
    board.paths["202"] = path
    a.invite(b.extension)
    to_b = b.request("INVITE")
    assert to_b.headers.get_all("Route") == list(path)  # RFC 3327 §5.4: pre-loaded Route set
    assert str(to_b.uri) == "sip:202@192.0.2.20:5060"


def test_the_phone_rung_gets_the_callers_max_forwards_less_one() -> None:
    """RFC 7332 §3.1: a B2BUA carries Max-Forwards on, so a loop through another PBX or a
    proxy runs out of hops (483) instead of ringing for ever; never more than 70."""
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    a.invite(b.extension, hops=5)
    assert b.request("INVITE").headers.get("Max-Forwards") == "4"
    a.invite(c.extension, hops=200)
    assert c.request("INVITE").headers.get("Max-Forwards") == "70"
