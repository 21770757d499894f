"""The INVITE usage (RFC 3261 §13.3.1.4): 2xx re-sends, ACK, the 64*T1 give-up; pure."""

from __future__ import annotations

import pytest

from pbx_core.signaling.message import SipRequest, SipResponse, make_response, parse_message
from pbx_core.signaling.transaction import CancelTimer, Send, StartTimer, Terminated
from pbx_core.signaling.usage import (
    AckArrived,
    AckMissing,
    InviteUsage,
    UsageState,
    UsageStateError,
)


def _request(method: str, seq: int = 7) -> SipRequest:
    data = (
        f"{method} sip:pbx@192.0.2.1 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKab1;rport\r\n"
        "From: <sip:201@pbx>;tag=a1\r\n"
        "To: <sip:202@pbx>;tag=b1\r\n"
        "Call-ID: usage-1\r\n"
        f"CSeq: {seq} {method}\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()
    message = parse_message(data)
    assert isinstance(message, SipRequest)
    return message


def _ok() -> SipResponse:
    return make_response(_request("INVITE"), 200, to_tag="b1")


def test_2xx_is_resent_doubling_to_t2_until_the_ack() -> None:
    usage = InviteUsage(_ok(), reliable=False, t1=0.5, t2=4.0)
    assert usage.key == ("usage-1", 7)
    assert usage.start(0.0) == [StartTimer("2xx", 0.5), StartTimer("ack", 32.0)]
    delays = []
    for _ in range(5):
        actions = usage.timer_fired("2xx", 0.0)
        assert actions[0] == Send(usage.response)
        delays.append(actions[1])
    assert delays == [StartTimer("2xx", d) for d in (1.0, 2.0, 4.0, 4.0, 4.0)]
    ack = _request("ACK")
    assert usage.receive(ack, 0.0) == [
        CancelTimer("2xx"),
        CancelTimer("ack"),
        AckArrived(ack),
        Terminated(),
    ]
    assert usage.state is UsageState.CONFIRMED
    assert usage.receive(ack, 0.0) == []  # a retransmitted ACK is absorbed
    assert usage.timer_fired("2xx", 0.0) == []  # a late callback is ignored


def test_no_ack_after_64_t1_gives_up() -> None:
    usage = InviteUsage(_ok(), reliable=False)
    usage.start(0.0)
    assert usage.timer_fired("ack", 32.0) == [CancelTimer("2xx"), AckMissing(), Terminated()]
    assert usage.state is UsageState.TERMINATED


def test_reliable_transport_only_waits_for_the_ack() -> None:
    usage = InviteUsage(_ok(), reliable=True, t1=0.1)
    assert usage.start(0.0) == [StartTimer("ack", pytest.approx(6.4))]  # type: ignore[list-item]


def test_illegal_moves_raise_exact_text() -> None:
    usage = InviteUsage(_ok(), reliable=False)
    with pytest.raises(UsageStateError, match=r"^InviteUsage: ack not allowed in ANSWERING$"):
        usage.receive(_request("ACK"), 0.0)
    usage.start(0.0)
    with pytest.raises(UsageStateError, match=r"^InviteUsage: start not allowed in WAITING$"):
        usage.start(0.0)
    with pytest.raises(ValueError, match=r"^not an ACK: BYE$"):
        usage.receive(_request("BYE"), 0.0)


def test_only_a_2xx_to_invite_has_a_usage() -> None:
    with pytest.raises(ValueError, match=r"^not a 2xx to INVITE: 486 INVITE$"):
        InviteUsage(make_response(_request("INVITE"), 486), reliable=False)
    with pytest.raises(ValueError, match=r"^not a 2xx to INVITE: 200 BYE$"):
        InviteUsage(make_response(_request("BYE"), 200), reliable=False)
