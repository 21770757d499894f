"""Phones against the B2BUA in memory: a late offer (INVITE and re-INVITE without SDP, the
answer in the ACK), UPDATE (RFC 3311) with and without SDP and 491 on a pending offer, session
timers (RFC 4028: 422, Session-Expires in the 2xx, refresh, BYE to both when not refreshed,
the PBX's own refresh), the 491 back-off of our re-INVITE (RFC 3261 §14.1), and reliable
provisionals with PRACK (RFC 3262)."""

from __future__ import annotations

import random

from pbx_core.signaling.dialog import Dialog
from pbx_core.signaling.message import SipRequest, SipResponse, new_branch
from tests.unit.pbx_core.signaling._switchboard import PBX, Phone, Switchboard, sdp

TIMER = (("Supported", "timer"), ("Session-Expires", "120;refresher=uac"))


def _call(
    board: Switchboard, a: Phone, b: Phone, *, offer: bool = True, extra: tuple = ()
) -> tuple[SipRequest, SipResponse]:
    invite = a.invite(b.extension, offer=offer, extra=extra)
    assert a.statuses() == [100]
    to_b = b.request("INVITE")
    b.reply(to_b, 200)
    b.request("ACK")
    ok = a.response(200)
    return invite, ok


def test_late_offer_gets_our_offer_in_the_200_and_the_answer_from_the_ack() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, ok = _call(board, a, b, offer=False)
    assert ok.body and b"m=audio 20000 RTP/AVP 0 9 8 101" in ok.body  # 202's codec first
    leg_a = board.media["leg-1"]
    assert leg_a.remote is None
    a.ack(invite, ok, answer=sdp(a.address.host, a.rtp_port, codecs="0 101"))
    assert leg_a.remote == (a.address.host, a.rtp_port) and leg_a.codec is not None
    assert leg_a.source is board.media["leg-2"]
    a.in_dialog("BYE")
    assert a.statuses() == [200]
    assert b.request("BYE")
    assert [r.reason for r in board.records] == ["hangup"]


def test_late_offer_to_the_echo_test() -> None:
    board = Switchboard()
    a = board.phone("201", 10)
    invite = a.invite("9000", offer=False)
    ok = a.response(200)
    assert ok.body and b"m=audio 20000 RTP/AVP" in ok.body
    a.ack(invite, ok, answer=sdp(a.address.host, a.rtp_port, codecs="8 101"))
    assert board.media["leg-1"].codec is not None and board.media["leg-1"].codec.name == "PCMA"


def test_a_late_offer_answered_with_another_codec_is_transcoded() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, ok = _call(board, a, b, offer=False)
    a.ack(invite, ok, answer=sdp(a.address.host, a.rtp_port, codecs="8 101"))
    leg_a, leg_b = board.media["leg-1"], board.media["leg-2"]
    assert leg_a.codec is not None and leg_a.codec.name == "PCMA"
    assert leg_b.codec is not None and leg_b.codec.name == "PCMU"
    assert leg_a.source is leg_b


def test_an_ack_without_a_usable_answer_ends_the_call() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, ok = _call(board, a, b, offer=False)
    a.ack(invite, ok, answer=sdp(a.address.host, a.rtp_port, codecs="18"))  # G.729 only
    assert a.request("BYE") and b.request("BYE")
    assert [r.reason for r in board.records] == ["no-common-codec"]


def test_reinvite_without_sdp_gets_an_offer_answered_in_the_ack() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, ok = _call(board, a, b)
    a.ack(invite, ok)
    reinvite = a.in_dialog("INVITE")
    ok2 = a.response(200)
    assert ok2.body and b"a=sendrecv" in ok2.body
    a.in_dialog("UPDATE", "sendrecv")  # the offer of the 200 waits for the ACK
    assert a.statuses() == [491]
    a.ack_in_dialog_with(reinvite, sdp(a.address.host, a.rtp_port + 2, codecs="0 101"))
    assert board.media["leg-1"].remote == (a.address.host, a.rtp_port + 2)
    assert b.take() == []  # nothing changed for 202


def test_update_without_sdp_is_answered_200_and_with_sdp_holds() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, ok = _call(board, a, b)
    assert "UPDATE" in (ok.headers.get("Allow") or "")
    assert ok.headers.get("Supported") == "replaces, timer, 100rel"
    a.ack(invite, ok)
    a.in_dialog("UPDATE")
    ok_update = a.response(200)
    assert ok_update.body == b""
    a.in_dialog("UPDATE", "sendonly")  # hold by UPDATE: 202 is told first
    assert a.take() == []
    reinvite = b.request("INVITE")
    assert reinvite.body and b"a=sendonly" in reinvite.body
    b.reply(reinvite, 200, "recvonly")
    held = a.response(200)
    assert held.body and b"a=recvonly" in held.body
    assert board.kinds()[-1] == "call.held"


def test_session_interval_below_min_se_gets_422() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    a.invite("202", extra=(("Supported", "timer"), ("Session-Expires", "30")))
    statuses = a.take()
    assert [m.status for m in statuses if isinstance(m, SipResponse)] == [100, 422]
    assert statuses[-1].headers.get("Min-SE") == "90"
    assert b.take() == []


def test_session_timer_refreshed_then_expired_ends_both_legs() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, ok = _call(board, a, b, extra=TIMER)
    assert ok.headers.get("Session-Expires") == "120;refresher=uac"
    assert ok.headers.get("Require") == "timer"
    a.ack(invite, ok)
    board.advance(60.0)
    a.in_dialog("UPDATE", extra=TIMER)  # the phone refreshes
    assert a.response(200).headers.get("Session-Expires") == "120;refresher=uac"
    board.advance(60.0)  # 120 s after the answer: still alive (refreshed at 60 s)
    assert a.take() == [] and b.take() == []
    board.advance(30.0)  # 90 s after the refresh: 120 - min(32, 40)
    assert a.request("BYE") and b.request("BYE")
    assert [r.reason for r in board.records] == ["session-expired"]


def test_reinvite_refreshes_the_session() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, ok = _call(board, a, b, extra=TIMER)
    a.ack(invite, ok)
    board.advance(80.0)
    reinvite = a.in_dialog("INVITE", "sendrecv", extra=TIMER)
    ok2 = a.response(200)
    assert ok2.headers.get("Session-Expires") == "120;refresher=uac"
    a.ack_in_dialog(reinvite)
    board.advance(80.0)
    assert board.records == []
    board.advance(20.0)
    assert [r.reason for r in board.records] == ["session-expired"]


def test_the_pbx_refreshes_when_the_phone_asks_it_to() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    extra = (("Supported", "timer"), ("Session-Expires", "120;refresher=uas"), ("Allow", "UPDATE"))
    invite, ok = _call(board, a, b, extra=extra)
    assert ok.headers.get("Session-Expires") == "120;refresher=uas"
    a.ack(invite, ok)
    board.advance(60.0)
    update = a.request("UPDATE")
    assert update.headers.get("Session-Expires") == "120;refresher=uac"
    a.reply(update, 200)
    board.advance(60.0)
    a.reply(a.request("UPDATE"), 200)
    assert board.records == []
    board.advance(60.0)
    update = a.request("UPDATE")  # unanswered: the session ends at its deadline
    board.advance(30.0)
    assert b.request("BYE")
    assert [r.reason for r in board.records] == ["session-expired"]


def test_our_reinvite_refused_491_is_sent_again_after_the_back_off() -> None:
    board = Switchboard()
    board.machine.random = random.Random(7)
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite, ok = _call(board, a, b)
    a.ack(invite, ok)
    a.in_dialog("INVITE", "sendonly")  # 201 holds: the PBX re-INVITEs 202
    first = b.request("INVITE")
    b.in_dialog("INVITE", "sendonly")  # 202 holds at the same moment: glare
    assert b.statuses() == [491]
    b.reply(first, 491)
    b.request("ACK")
    board.advance(2.0)
    assert [m for m in b.take() if isinstance(m, SipRequest)] == []  # 2.1-4 s: the PBX
    # chose the Call-ID of that dialog
    board.advance(2.0)
    again = b.request("INVITE")
    assert again.cseq.seq > first.cseq.seq
    b.reply(again, 200, "recvonly")
    assert a.response(200).body
    assert board.kinds()[-1] == "call.held"


def _prack(a: Phone, invite: SipRequest, ringing: SipResponse, rseq: str) -> SipRequest:
    """PRACK the reliable 180 in the early dialog (RFC 3262 §7.2)."""
    early = Dialog.as_uac(invite, ringing, destination=PBX)
    prack = early.create_request("PRACK")
    prack.headers.add("RAck", f"{rseq} {invite.cseq.seq} INVITE")
    prack.headers.prepend("Via", f"SIP/2.0/UDP {a.address.host}:5060;branch={new_branch()}")
    a.send(prack)
    return prack


def test_a_caller_requiring_100rel_gets_a_reliable_180_until_its_prack() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    invite = a.invite("202", extra=(("Require", "100rel"), ("Supported", "100rel")))
    to_b = b.request("INVITE")
    b.reply(to_b, 180)
    a.response(100)
    ringing = a.response(180)
    assert ringing.headers.get("Require") == "100rel" and ringing.headers.get("Contact")
    rseq = ringing.headers.get("RSeq") or ""
    board.advance(0.5)
    assert a.response(180).headers.get("RSeq") == rseq  # sent again at T1
    _prack(a, invite, ringing, str(int(rseq) - 1))
    assert a.statuses() == [481]  # names no provisional of ours
    _prack(a, invite, ringing, rseq)
    assert a.statuses() == [200]
    board.advance(10.0)
    assert a.take() == []  # PRACKed: no more re-sends
    b.reply(to_b, 200)
    ok = a.response(200)
    assert "100rel" in (ok.headers.get("Supported") or "")
    a.ack(invite, ok)
    assert board.media["leg-1"].source is board.media["leg-2"]


def test_a_reliable_180_never_pracked_rejects_the_invite_after_64_t1() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    a.invite("202", extra=(("Require", "100rel"),))
    to_b = b.request("INVITE")
    b.reply(to_b, 180)
    for _ in range(63):
        board.advance(0.5)
    assert 500 not in a.statuses()  # re-sent at 0.5, 1.5, 3.5 ... until 64·T1 = 32 s
    board.advance(0.5)
    board.advance(0.5)
    assert 500 in a.statuses()
    assert b.request("CANCEL")
    assert [r.reason for r in board.records] == ["no-ack"]


def test_supported_100rel_alone_gets_an_ordinary_180() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    a.invite("202", extra=(("Supported", "100rel, timer"),))
    b.reply(b.request("INVITE"), 180)
    a.response(100)
    ringing = a.response(180)
    assert ringing.headers.get("RSeq") is None and ringing.headers.get("Require") is None
    board.advance(2.0)
    assert [m for m in a.take() if isinstance(m, SipResponse) and m.status == 180] == []


def test_our_refresh_update_refused_491_is_retried_by_reinvite() -> None:
    board = Switchboard()
    board.machine.random = random.Random(3)
    a, b = board.phone("201", 10), board.phone("202", 20)
    extra = (("Supported", "timer"), ("Session-Expires", "120;refresher=uas"), ("Allow", "UPDATE"))
    invite, ok = _call(board, a, b, extra=extra)
    a.ack(invite, ok)
    board.advance(60.0)
    a.reply(a.request("UPDATE"), 491)
    board.advance(2.0)  # 0-2 s: the caller chose this dialog's Call-ID
    reinvite = a.request("INVITE")
    assert reinvite.body and b"a=sendrecv" in reinvite.body
    a.reply(reinvite, 200)
    assert a.request("ACK")
    board.advance(59.0)
    assert [m for m in a.take() if isinstance(m, SipRequest)] == []
    board.advance(1.0)
    assert a.request("UPDATE")  # refreshed by the re-INVITE: the next refresh 60 s after it
    assert board.records == []


def _answered_with(
    board: Switchboard, a: Phone, b: Phone, headers: tuple[tuple[str, str], ...]
) -> None:
    invite = a.invite(b.extension)
    to_b = b.request("INVITE")
    assert to_b.headers.get("Supported") == "replaces, timer"
    assert to_b.headers.get("Session-Expires") == "1800"
    b.reply(to_b, 200, headers=headers)
    b.request("ACK")
    a.ack(invite, a.response(200))


def test_a_called_phone_that_takes_the_timer_and_refreshes_nothing_is_hung_up() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _answered_with(board, a, b, (("Session-Expires", "120;refresher=uas"), ("Require", "timer")))
    board.advance(60.0)
    b.in_dialog("UPDATE", extra=TIMER)  # 202 refreshes
    assert b.response(200).headers.get("Session-Expires") == "120;refresher=uac"
    board.advance(87.0)
    assert board.records == []
    board.advance(1.0)  # 88 s after its refresh: 120 - 32
    assert a.request("BYE") and b.request("BYE")
    assert [r.reason for r in board.records] == ["session-expired"]


def test_the_pbx_refreshes_a_called_phone_that_names_it_refresher() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    headers = (("Session-Expires", "120;refresher=uac"), ("Allow", "INVITE, BYE, UPDATE"))
    _answered_with(board, a, b, headers)
    board.advance(60.0)
    update = b.request("UPDATE")
    assert update.headers.get("Session-Expires") == "120;refresher=uac"
    b.reply(update, 200)
    board.advance(60.0)
    b.request("UPDATE")  # not answered: the session ends at its deadline
    board.advance(28.0)
    assert a.request("BYE")
    assert [r.reason for r in board.records] == ["session-expired"]


def test_a_called_phone_without_timers_is_left_alone() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _answered_with(board, a, b, ())
    board.advance(4000.0)
    assert [m for m in b.take() if isinstance(m, SipRequest)] == []
    assert board.records == []
