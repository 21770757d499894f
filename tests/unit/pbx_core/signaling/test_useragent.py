"""The user-agent layer in memory: 400 to malformed requests, CANCEL, 2xx re-sends and their
time-out, a CANCEL of our own INVITE waiting for a provisional, Timer B; fake clock, no sockets."""

from __future__ import annotations

from pbx_core.signaling._ua_actions import (
    AckReceived,
    AckTimedOut,
    InviteCancelled,
    RequestReceived,
    RequestTimedOut,
    ResponseReceived,
)
from pbx_core.signaling.message import SipRequest, SipResponse, make_response, parse_message
from pbx_core.signaling.transport import Address
from pbx_core.signaling.useragent import UserAgent
from tests.unit.pbx_core.signaling._sipnet import FakeClock, Wire

PHONE = Address("udp", "192.0.2.10", 5062)


def _wire() -> Wire:
    clock = FakeClock()
    ua = UserAgent(host="192.0.2.1", clock=clock)
    ua.ports = {"udp": 5060, "tcp": 5060}
    return Wire(ua, clock)


def _request(method: str, *, seq: int = 1, branch: str = "z9hG4bKinv1", to_tag: str = "") -> bytes:
    to = "<sip:202@pbx>" + (f";tag={to_tag}" if to_tag else "")
    return (
        f"{method} sip:202@192.0.2.1 SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 192.0.2.10:5062;branch={branch};rport\r\n"
        "Max-Forwards: 70\r\n"
        "From: <sip:201@pbx>;tag=a1\r\n"
        f"To: {to}\r\n"
        "Call-ID: ua-1\r\n"
        f"CSeq: {seq} {method}\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()


def _statuses(messages: list[SipRequest | SipResponse | bytes]) -> list[object]:
    return [
        m.status if isinstance(m, SipResponse) else m.method if isinstance(m, SipRequest) else m
        for m in messages
    ]


def test_malformed_request_gets_400_and_a_malformed_response_nothing() -> None:
    wire = _wire()
    wire.receive(_request("INVITE").replace(b"CSeq: 1 INVITE", b"CSeq: x INVITE"), PHONE)
    ((reply, dest),) = wire.sent
    assert isinstance(reply, bytes) and dest == PHONE
    assert reply.startswith(b"SIP/2.0 400 Bad Request - bad CSeq\r\n")
    assert b"\r\nCall-ID: ua-1\r\n" in reply
    wire.sent.clear()
    wire.receive(b"SIP/2.0 200 OK\r\nCSeq: x\r\n\r\n", PHONE)
    assert wire.sent == [] and wire.events == []


def _answered_invite(wire: Wire) -> RequestReceived:
    wire.receive(_request("INVITE"), PHONE)
    (event,) = wire.take_events()
    assert isinstance(event, RequestReceived)
    assert event.handle.request.top_via.params["received"] == "192.0.2.10"
    event.handle.reply(200, to_tag="b1")
    wire.flush()
    assert _statuses(wire.take()) == [200]
    return event


def test_2xx_is_resent_until_the_ack_then_stops() -> None:
    wire = _wire()
    _answered_invite(wire)
    wire.advance(3.6)  # re-sends at 0.5, 1.5, 3.5
    assert _statuses(wire.take()) == [200, 200, 200]
    wire.receive(_request("ACK", branch="z9hG4bKack1", to_tag="b1"), PHONE)
    (ack,) = wire.take_events()
    assert isinstance(ack, AckReceived) and ack.source == PHONE
    wire.advance(60.0)
    assert wire.take() == [] and wire.take_events() == []


def test_2xx_without_ack_times_out_after_64_t1() -> None:
    wire = _wire()
    invite = _answered_invite(wire)
    wire.advance(31.9)
    assert _statuses(wire.take()) == [200] * 10  # 0.5, 1.5, 3.5, 7.5, then every 4 s
    assert wire.take_events() == []
    wire.advance(0.2)
    assert wire.take_events() == [AckTimedOut(invite.handle)]


def test_cancel_is_answered_200_and_the_invite_487_by_the_tu() -> None:
    wire = _wire()
    wire.receive(_request("INVITE"), PHONE)
    (event,) = wire.take_events()
    assert isinstance(event, RequestReceived)
    wire.receive(_request("CANCEL"), PHONE)
    assert wire.take_events() == [InviteCancelled(event.handle)]
    assert event.handle.cancelled
    event.handle.reply(487, to_tag="b1")
    wire.flush()
    assert [(m.status, m.cseq.method) for m in wire.take() if isinstance(m, SipResponse)] == [
        (200, "CANCEL"),
        (487, "INVITE"),
    ]
    wire.receive(_request("CANCEL"), PHONE)  # too late: the INVITE has its final answer
    assert [(m.status, m.cseq.method) for m in wire.take() if isinstance(m, SipResponse)] == [
        (200, "CANCEL")  # a retransmitted CANCEL gets its own answer again
    ]


def test_cancel_without_invite_gets_481() -> None:
    wire = _wire()
    wire.receive(_request("CANCEL", branch="z9hG4bKnone"), PHONE)
    assert _statuses(wire.take()) == [481]
    assert wire.take_events() == []


def _outgoing(wire: Wire) -> SipRequest:
    invite = parse_message(_request("INVITE"))
    assert isinstance(invite, SipRequest)
    invite.headers.remove("Via")
    return invite


def test_our_cancel_waits_for_a_provisional() -> None:
    wire = _wire()
    handle = wire.ua.send_request(_outgoing(wire), PHONE, context="fork-1")
    wire.flush()
    (sent,) = wire.take()
    assert isinstance(sent, SipRequest) and sent.top_via.port == 5060
    handle.cancel()
    wire.flush()
    assert wire.take() == []  # §9.1: not before a provisional
    wire.receive(make_response(sent, 180, to_tag="p1"), PHONE)
    (event,) = wire.take_events()
    assert isinstance(event, ResponseReceived) and event.handle.context == "fork-1"
    (cancel,) = wire.take()
    assert isinstance(cancel, SipRequest) and cancel.method == "CANCEL"
    assert cancel.top_via.branch == sent.top_via.branch


def test_no_answer_is_timer_b() -> None:
    wire = _wire()
    handle = wire.ua.send_request(_outgoing(wire), PHONE)
    wire.flush()
    wire.advance(31.0)
    assert wire.take_events() == []
    wire.advance(1.5)
    assert wire.take_events() == [RequestTimedOut(handle)]
    assert len(wire.take()) == 7  # the INVITE and its re-sends at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5


def test_the_same_request_by_another_path_gets_482() -> None:
    """§8.2.2.2: same From tag, Call-ID and CSeq, no To tag, another branch: Loop Detected;
    once the first transaction is over, the triple is free again."""
    wire = _wire()
    wire.receive(_request("OPTIONS", branch="z9hG4bKpath1"), PHONE)
    (first,) = wire.take_events()
    assert isinstance(first, RequestReceived)
    wire.receive(_request("OPTIONS", branch="z9hG4bKpath2"), PHONE)
    wire.flush()
    assert wire.take_events() == []
    assert _statuses(wire.take()) == [482]
    first.handle.reply(200)
    wire.flush()
    assert _statuses(wire.take()) == [200]
    wire.advance(33.0)  # Timer J ends the first transaction and the merged one
    wire.receive(_request("OPTIONS", branch="z9hG4bKpath3"), PHONE)
    assert [type(e) for e in wire.take_events()] == [RequestReceived]
