"""What a UAS refuses before acting (RFC 3261 §8.2.1 to §8.2.3), without sockets."""

from __future__ import annotations

import pytest

from pbx_core.signaling.message import SipRequest, parse_message
from pbx_core.signaling.uas_checks import Refusal, check_request

ALLOW = "INVITE, ACK, BYE"


def _request(method: str, *extra: str, body: str = "", to_tag: str = "") -> SipRequest:
    to = "<sip:202@pbx>" + (f";tag={to_tag}" if to_tag else "")
    lines = [
        f"{method} sip:202@192.0.2.1 SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKc1",
        "From: <sip:201@pbx>;tag=a1",
        f"To: {to}",
        "Call-ID: checks-1",
        f"CSeq: 1 {method}",
        *extra,
        f"Content-Length: {len(body)}",
    ]
    message = parse_message(("\r\n".join(lines) + "\r\n\r\n" + body).encode())
    assert isinstance(message, SipRequest)
    return message


def test_a_plain_request_passes() -> None:
    assert check_request(_request("INVITE", "Max-Forwards: 70"), ALLOW) is None
    assert check_request(_request("OPTIONS", "Max-Forwards: 0"), ALLOW) is None


def test_unknown_method_is_not_implemented_with_allow() -> None:
    assert check_request(_request("FROBNICATE"), ALLOW) == Refusal(501, (("Allow", ALLOW),))


def test_required_options_we_lack_are_listed() -> None:
    refusal = check_request(_request("OPTIONS", "Require: foo, replaces", "Require: x"), ALLOW)
    assert refusal == Refusal(420, (("Unsupported", "foo, x"),))
    assert check_request(_request("INVITE", "Require: replaces"), ALLOW) is None


def test_session_timers_and_100rel_are_supported_preconditions_are_not() -> None:
    assert check_request(_request("INVITE", "Require: timer"), ALLOW) is None
    assert check_request(_request("UPDATE", "Require: timer", to_tag="b"), ALLOW) is None
    assert check_request(_request("INVITE", "Require: 100rel, timer"), ALLOW) is None
    assert check_request(_request("INVITE", "Supported: 100rel, timer"), ALLOW) is None
    refusal = check_request(_request("INVITE", "Require: precondition, 100rel"), ALLOW)
    assert refusal == Refusal(420, (("Unsupported", "precondition"),))


@pytest.mark.parametrize("method", ["ACK", "CANCEL"])
def test_ack_and_cancel_are_never_refused(method: str) -> None:
    assert check_request(_request(method, "Require: 100rel"), ALLOW) is None


def test_no_hops_left_for_what_we_pass_on() -> None:
    assert check_request(_request("INVITE", "Max-Forwards: 0"), ALLOW) == Refusal(483)
    assert check_request(_request("MESSAGE", "Max-Forwards: 00"), ALLOW) == Refusal(483)
    assert check_request(_request("INVITE", "Max-Forwards: 0", to_tag="b"), ALLOW) is None


def test_invite_body_and_accept() -> None:
    text = _request("INVITE", "Content-Type: text/plain", body="hello")
    assert check_request(text, ALLOW) == Refusal(415, (("Accept", "application/sdp"),))
    sdp = _request("INVITE", "Content-Type: application/sdp; charset=x", body="v=0\r\n")
    assert check_request(sdp, ALLOW) is None
    odd = _request("INVITE", "Accept: text/nobodyKnowsThis")
    assert check_request(odd, ALLOW) == Refusal(406, (("Accept", "application/sdp"),))
    wide = _request("INVITE", "Accept: text/html, application/*;q=0.5")
    assert check_request(wide, ALLOW) is None
