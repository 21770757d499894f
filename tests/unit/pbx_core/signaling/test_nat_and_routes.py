"""NAT and routing headers, in memory: a response goes back to the address and port the request
came from, with ``received`` and ``rport`` filled in (RFC 3261 §18.2.1, RFC 3581), whatever the
Via claims; requests inside a dialog carry its route set as Route headers in the order RFC
3261 §12.1 gives (the Record-Route as received on the answering side, reversed on the calling
side) and go to the address the peer's messages come from (loose routing, RFC 3261 §16.12)."""

from __future__ import annotations

from pbx_core.signaling._ua_actions import RequestReceived
from pbx_core.signaling.dialog import Dialog
from pbx_core.signaling.message import SipResponse, make_response, parse_message
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import NameAddr
from pbx_core.signaling.useragent import UserAgent
from tests.unit.pbx_core.signaling._sipnet import FakeClock, Wire

BEHIND_NAT = Address("udp", "203.0.113.9", 40312)  # the phone's public address and port
PROXY = Address("udp", "192.0.2.50", 5060)


def _invite(rport: str, *record_routes: str) -> bytes:
    lines = [
        "INVITE sip:202@192.0.2.1 SIP/2.0",
        f"Via: SIP/2.0/UDP 10.0.0.23:5060;branch=z9hG4bKnat1{rport}",
        "Max-Forwards: 70",
        "From: <sip:201@acme.local>;tag=a1",
        "To: <sip:202@acme.local>",
        "Call-ID: nat-1",
        "CSeq: 1 INVITE",
        "Contact: <sip:201@10.0.0.23:5060>",
        *(f"Record-Route: {route}" for route in record_routes),
        "Content-Length: 0",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _wire() -> Wire:
    clock = FakeClock()
    ua = UserAgent(host="192.0.2.1", clock=clock)
    ua.ports = {"udp": 5060, "tcp": 5060}
    return Wire(ua, clock)


def test_a_response_goes_back_where_the_request_came_from_with_received_and_rport() -> None:
    wire = _wire()
    wire.receive(_invite(";rport"), BEHIND_NAT)
    (event,) = wire.take_events()
    assert isinstance(event, RequestReceived)
    event.handle.reply(486)
    wire.flush()
    ((response, dest),) = wire.sent
    assert dest == BEHIND_NAT  # not 10.0.0.23:5060, the private address in the Via
    assert isinstance(response, SipResponse)
    via = response.top_via
    assert via.params["received"] == "203.0.113.9" and via.params["rport"] == "40312"


def test_without_rport_only_received_is_added() -> None:
    wire = _wire()
    wire.receive(_invite(""), BEHIND_NAT)
    (event,) = wire.take_events()
    assert isinstance(event, RequestReceived)
    event.handle.reply(486)
    wire.flush()
    ((response, _dest),) = wire.sent
    assert isinstance(response, SipResponse)
    assert response.top_via.params["received"] == "203.0.113.9"
    assert "rport" not in response.top_via.params


def test_answering_side_routes_in_dialog_requests_by_the_record_route_as_received() -> None:
    request = parse_message(_invite(";rport", "<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"))
    assert not isinstance(request, SipResponse)
    ok = make_response(request, 200, to_tag="b1")
    assert ok.headers.get_all("Record-Route") == [
        "<sip:p1.example.com;lr>",
        "<sip:p2.example.com;lr>",
    ]  # a 2xx carries the route set back (§12.1.1)
    dialog = Dialog.as_uas(
        request, ok, source=PROXY, contact=NameAddr.parse("<sip:pbx@192.0.2.1:5060>")
    )
    bye = dialog.create_request("BYE")
    assert bye.headers.get_all("Route") == ["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"]
    assert str(bye.uri) == "sip:201@10.0.0.23:5060"  # loose routing: the remote target stays
    assert dialog.destination == PROXY


def test_calling_side_routes_in_dialog_requests_by_the_record_route_reversed() -> None:
    invite = parse_message(_invite(";rport"))
    assert not isinstance(invite, SipResponse)
    raw = (
        b"SIP/2.0 200 OK\r\n"
        b"Via: SIP/2.0/UDP 10.0.0.23:5060;branch=z9hG4bKnat1\r\n"
        b"Record-Route: <sip:p2.example.com;lr>\r\n"
        b"Record-Route: <sip:p1.example.com;lr>\r\n"
        b"From: <sip:201@acme.local>;tag=a1\r\n"
        b"To: <sip:202@acme.local>;tag=b1\r\n"
        b"Call-ID: nat-1\r\n"
        b"CSeq: 1 INVITE\r\n"
        b"Contact: <sip:202@198.51.100.4:5062>\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    ok = parse_message(raw)
    assert isinstance(ok, SipResponse)
    dialog = Dialog.as_uac(invite, ok, destination=PROXY)
    ack = dialog.create_ack(1)
    assert ack.headers.get_all("Route") == ["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"]
    assert str(ack.uri) == "sip:202@198.51.100.4:5062"
