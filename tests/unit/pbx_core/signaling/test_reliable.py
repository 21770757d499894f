"""Reliable provisionals (RFC 3262) in memory: RSeq and Require on the 180, re-sends at T1
doubling, the PRACK that stops them (200) or names nothing (481), and giving up at 64·T1."""

from __future__ import annotations

import pytest

from pbx_core.signaling.message import Headers, SipRequest, make_response
from pbx_core.signaling.reliable import (
    AnswerPrack,
    ArmResend,
    NoPrack,
    ReliableError,
    ReliableProvisionals,
    ReliableState,
    SendProvisional,
)
from pbx_core.signaling.uri import SipUri


def _request(method: str, cseq: int, *extra: tuple[str, str]) -> SipRequest:
    headers = Headers()
    headers.add("Via", "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1")
    headers.add("From", "<sip:201@pbx>;tag=a")
    headers.add("To", "<sip:202@pbx>")
    headers.add("Call-ID", "rel-1")
    headers.add("CSeq", f"{cseq} {method}")
    for name, value in extra:
        headers.add(name, value)
    return SipRequest(method, SipUri("202", "192.0.2.1"), headers)


def test_the_180_is_sent_again_until_its_prack() -> None:
    invite = _request("INVITE", 7, ("Require", "100rel"))
    machine = ReliableProvisionals(invite, first_rseq=41)
    ringing = make_response(invite, 180, to_tag="t")
    assert machine.send(ringing) == [SendProvisional(ringing), ArmResend(0.5)]
    assert ringing.headers.get("Require") == "100rel" and ringing.headers.get("RSeq") == "41"
    assert machine.fired() == [SendProvisional(ringing), ArmResend(1.0)]
    assert machine.fired() == [SendProvisional(ringing), ArmResend(2.0)]
    assert machine.prack(_request("PRACK", 8, ("RAck", "40 7 INVITE"))) == [AnswerPrack(481)]
    assert machine.state is ReliableState.WAITING
    assert machine.prack(_request("PRACK", 9, ("RAck", "41 7 INVITE"))) == [AnswerPrack(200)]
    assert machine.state is ReliableState.IDLE
    assert machine.fired() == []  # the re-send timer, late
    assert machine.prack(_request("PRACK", 9, ("RAck", "41 7 INVITE"))) == [AnswerPrack(200)]


def test_the_next_provisional_has_the_next_rseq() -> None:
    invite = _request("INVITE", 1)
    machine = ReliableProvisionals(invite, first_rseq=1)
    machine.send(make_response(invite, 180, to_tag="t"))
    machine.prack(_request("PRACK", 2, ("RAck", "1 1 INVITE")))
    second = make_response(invite, 183, to_tag="t")
    machine.send(second)
    assert second.headers.get("RSeq") == "2"


def test_no_prack_for_64_t1_gives_up() -> None:
    invite = _request("INVITE", 1)
    machine = ReliableProvisionals(invite, first_rseq=1)
    machine.send(make_response(invite, 180, to_tag="t"))
    delays = []
    while True:
        actions = machine.fired()
        if actions == [NoPrack()]:
            break
        delays.append(actions[-1])
    assert delays == [ArmResend(x) for x in (1.0, 2.0, 4.0, 8.0, 16.0, 0.5)]  # 32 s in all
    assert machine.state is ReliableState.GAVE_UP
    assert machine.fired() == []


def test_illegal_move_raises_exact_text() -> None:
    invite = _request("INVITE", 1)
    machine = ReliableProvisionals(invite, first_rseq=1)
    machine.send(make_response(invite, 180, to_tag="t"))
    with pytest.raises(ReliableError, match=r"^100rel: send not allowed in WAITING$"):
        machine.send(make_response(invite, 183, to_tag="t"))
