"""Where a call goes when nobody answers: phones against the call machine in memory (no
sockets, a fake clock). Voicemail after the delay, when busy or unreachable, when nothing is
registered, with ``*1*<ext>*``; ``9100`` answers for listening; without a voicemail service
calls end as before."""

from __future__ import annotations

from pbx_core.events import CallEnded, VoicemailAnswered
from pbx_core.signaling.callmachine import VoicemailRouting
from tests.unit.pbx_core.signaling._switchboard import Phone, Switchboard


def _board(delay: float = 20.0) -> Switchboard:
    board = Switchboard()
    board.machine.voicemail = VoicemailRouting(delay_seconds=delay)
    return board


def _answered(board: Switchboard) -> VoicemailAnswered:
    (event,) = [e for e in board.published if isinstance(e, VoicemailAnswered)]
    return event


def _hang_up(board: Switchboard, a: Phone) -> None:
    a.in_dialog("BYE")
    assert 200 in a.statuses()


def test_no_answer_goes_to_voicemail_after_the_delay() -> None:
    board = _board(delay=15.0)
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite = a.invite("202")
    to_b = b.request("INVITE")
    b.reply(to_b, 180)
    board.advance(14.0)
    assert [e for e in board.published if isinstance(e, VoicemailAnswered)] == []
    board.advance(1.5)
    assert b.request("CANCEL")  # the phone stops ringing
    ok = a.response(200)
    a.ack(invite, ok)
    event = _answered(board)
    assert (event.mailbox, event.caller, event.mode, event.reason) == (
        "202",
        "201",
        "deposit",
        "no-answer",
    )
    assert event.leg_id == "leg-1"
    _hang_up(board, a)
    (record,) = board.records
    assert (record.reason, record.answered_at, record.callee) == ("no-answer", None, "202")


def test_answered_in_time_never_reaches_voicemail() -> None:
    board = _board(delay=15.0)
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite = a.invite("202")
    to_b = b.request("INVITE")
    b.reply(to_b, 200)
    a.ack(invite, a.response(200))
    board.advance(30.0)
    assert not any(isinstance(e, VoicemailAnswered) for e in board.published)


def test_busy_in_another_call_and_unreachable_phones_go_to_voicemail() -> None:
    for status, reason in ((486, "busy"), (408, "no-answer")):
        board = _board()
        a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
        if status == 486:  # 202 talks to 203
            invite = c.invite("202")
            to_b = b.request("INVITE")
            b.reply(to_b, 200)
            c.ack(invite, c.response(200))
        a.invite("202")
        b.reply(b.request("INVITE"), status)
        a.response(200)
        assert _answered(board).reason == reason


def test_a_busy_answer_from_an_idle_phone_is_a_refusal() -> None:
    board = _board()
    a, b = board.phone("201", 10), board.phone("202", 20)
    a.invite("202")
    b.reply(b.request("INVITE"), 486)
    assert 486 in a.statuses()
    assert not any(isinstance(e, VoicemailAnswered) for e in board.published)


def test_a_declined_call_is_still_declined() -> None:
    board = _board()
    a, b = board.phone("201", 10), board.phone("202", 20)
    a.invite("202")
    b.reply(b.request("INVITE"), 603)
    assert 603 in a.statuses()
    assert not any(isinstance(e, VoicemailAnswered) for e in board.published)


def test_nothing_registered_goes_to_voicemail_at_once() -> None:
    board = _board()
    a = board.phone("201", 10)
    board.phone("203", 30, register=False)
    invite = a.invite("203")
    a.ack(invite, a.response(200))
    assert (_answered(board).mailbox, _answered(board).reason) == ("203", "not-registered")
    _hang_up(board, a)
    assert board.records[0].reason == "not-registered"


def test_star_1_and_the_voicemail_number() -> None:
    board = _board()
    a, b = board.phone("201", 10), board.phone("202", 20)
    a.invite("*1*202*")
    assert 200 in a.statuses() and b.take() == []  # 202's phone never rings
    assert (_answered(board).mailbox, _answered(board).reason) == ("202", "direct")
    board = _board()
    a = board.phone("201", 10)
    a.invite("9100")
    assert 200 in a.statuses()
    event = _answered(board)
    assert (event.mailbox, event.mode) == ("201", "listen")


def test_the_service_hangs_up() -> None:
    board = _board()
    a = board.phone("201", 10)
    a.invite("*1*202*")
    a.take()
    board.perform(board.machine.hang_up(_answered(board).call_id))
    bye = a.request("BYE")
    assert bye.method == "BYE"
    assert any(isinstance(e, CallEnded) for e in board.published)


def test_without_a_voicemail_service_calls_end_as_before() -> None:
    board = Switchboard()
    a = board.phone("201", 10)
    board.phone("203", 30, register=False)
    a.invite("203")
    assert 480 in a.statuses()
    a.invite("9100")
    assert 404 in a.statuses()


def test_a_user_who_turned_voicemail_off() -> None:
    board = Switchboard()
    board.machine.voicemail = VoicemailRouting(delay_seconds=5.0, off=frozenset({"202", "203"}))
    a, b = board.phone("201", 10), board.phone("202", 20)
    board.phone("203", 30, register=False)
    a.invite("203")
    assert 480 in a.statuses()
    a.invite("202")
    b.reply(b.request("INVITE"), 180)
    board.advance(30.0)
    assert not any(isinstance(e, VoicemailAnswered) for e in board.published)
