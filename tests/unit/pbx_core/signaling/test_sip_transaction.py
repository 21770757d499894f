from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from pbx_core.signaling.message import SipRequest, SipResponse, make_response, parse_message
from pbx_core.signaling.transaction import (
    Action,
    CancelTimer,
    Deliver,
    DeliverRequest,
    InviteClientTransaction,
    InviteServerTransaction,
    NonInviteClientTransaction,
    NonInviteServerTransaction,
    Send,
    StartTimer,
    Terminated,
    Timeout,
    TransactionKey,
    TransactionState,
    TransactionStateError,
    build_ack,
    build_cancel,
    client_key,
    server_key,
)

S = TransactionState


def request(method: str, branch: str = "z9hG4bKtx1") -> SipRequest:
    data = (
        f"{method} sip:1002@pbx.example.com SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 192.0.2.10:5062;branch={branch};rport\r\n"
        "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKupstream\r\n"
        "Route: <sip:edge.example.com;lr>\r\n"
        "Max-Forwards: 70\r\n"
        "From: <sip:1001@pbx.example.com>;tag=from1\r\n"
        "To: <sip:1002@pbx.example.com>\r\n"
        "Call-ID: call-1@192.0.2.10\r\n"
        f"CSeq: 7 {method}\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()
    msg = parse_message(data)
    assert isinstance(msg, SipRequest)
    return msg


def response(req: SipRequest, status: int) -> SipResponse:
    return make_response(req, status, to_tag=None if status == 100 else "to9")


@dataclass
class Driver:
    """Performs actions with a fake clock, like the asyncio driver will."""

    machine: Any
    now: float = 0.0
    timers: dict[str, float] = field(default_factory=dict)
    sent: list[tuple[float, Any]] = field(default_factory=list)
    events: list[Action] = field(default_factory=list)

    def apply(self, actions: list[Action]) -> list[Action]:
        for action in actions:
            self.events.append(action)
            if isinstance(action, Send):
                self.sent.append((self.now, action.message))
            elif isinstance(action, StartTimer):
                self.timers[action.name] = self.now + action.delay
            elif isinstance(action, CancelTimer):
                self.timers.pop(action.name)
        return actions

    def run_until(self, until: float) -> None:
        while self.timers:
            name, due = min(self.timers.items(), key=lambda item: item[1])
            if due > until:
                break
            del self.timers[name]
            self.now = due
            self.apply(self.machine.timer_fired(name, due))
        self.now = until

    def sent_times(self) -> list[float]:
        return [t for t, _ in self.sent]


def test_invite_client_timer_a_doubles_until_b_times_out() -> None:
    tx = InviteClientTransaction(request("INVITE"), reliable=False)
    d = Driver(tx)
    d.apply(tx.start(0.0))
    assert d.timers == {"A": 0.5, "B": 32.0}
    d.run_until(100.0)
    assert d.sent_times() == [0.0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5]
    assert tx.state is S.TERMINATED
    assert d.events[-3:] == [CancelTimer("A"), Timeout(), Terminated()]
    assert d.timers == {}


def test_invite_client_provisional_stops_retransmission() -> None:
    req = request("INVITE")
    tx = InviteClientTransaction(req, reliable=False)
    d = Driver(tx)
    d.apply(tx.start(0.0))
    d.run_until(0.6)
    ringing = response(req, 180)
    assert d.apply(tx.receive(ringing, 0.7)) == [
        CancelTimer("A"),
        CancelTimer("B"),
        Deliver(ringing),
    ]
    assert tx.state is S.PROCEEDING
    d.run_until(100.0)
    assert len(d.sent) == 2


def test_invite_client_non_2xx_final_acks_and_waits_timer_d() -> None:
    req = request("INVITE")
    tx = InviteClientTransaction(req, reliable=False)
    d = Driver(tx)
    d.apply(tx.start(0.0))
    d.apply(tx.receive(response(req, 100), 0.1))
    busy = response(req, 486)
    actions = d.apply(tx.receive(busy, 1.0))
    assert tx.state is S.COMPLETED
    ack = d.sent[-1][1]
    assert actions == [Send(ack), Deliver(busy), StartTimer("D", 32.0)]
    assert isinstance(ack, SipRequest) and ack.method == "ACK"
    assert ack.branch == req.branch
    assert len(ack.vias) == 1
    assert ack.to_addr.tag == "to9"
    assert str(ack.cseq) == "7 ACK"
    assert ack.headers.get_all("Route") == ["<sip:edge.example.com;lr>"]
    assert ack == tx.ack == build_ack(req, busy)
    # a retransmitted final is answered with the same ACK and not delivered again
    assert d.apply(tx.receive(busy, 2.0)) == [Send(ack)]
    assert d.apply(tx.receive(response(req, 180), 2.1)) == []
    d.run_until(33.0)
    assert tx.state is S.TERMINATED
    assert d.events[-1] == Terminated()


def test_invite_client_2xx_goes_to_accepted_timer_m() -> None:
    req = request("INVITE")
    tx = InviteClientTransaction(req, reliable=False)
    d = Driver(tx)
    d.apply(tx.start(0.0))
    ok = response(req, 200)
    assert d.apply(tx.receive(ok, 0.2)) == [
        CancelTimer("A"),
        CancelTimer("B"),
        Deliver(ok),
        StartTimer("M", 32.0),
    ]
    assert tx.state is S.ACCEPTED
    # 2xx retransmissions (or other forks) reach the TU, which sends the ACK
    assert d.apply(tx.receive(ok, 1.0)) == [Deliver(ok)]
    assert d.apply(tx.receive(response(req, 500), 1.1)) == []
    assert len(d.sent) == 1  # no ACK from the transaction for a 2xx
    d.run_until(40.0)
    assert tx.state is S.TERMINATED


def test_invite_client_reliable_no_a_and_zero_d() -> None:
    req = request("INVITE")
    tx = InviteClientTransaction(req, reliable=True)
    d = Driver(tx)
    assert d.apply(tx.start(0.0)) == [Send(req), StartTimer("B", 32.0)]
    busy = response(req, 603)
    actions = d.apply(tx.receive(busy, 1.0))
    assert [type(a) for a in actions] == [CancelTimer, Send, Deliver, Terminated]
    assert tx.state is S.TERMINATED
    with pytest.raises(
        TransactionStateError, match=r"^InviteClientTransaction: final not allowed in TERMINATED$"
    ):
        tx.receive(busy, 2.0)


def test_invite_client_reliable_timeout_b() -> None:
    tx = InviteClientTransaction(request("INVITE"), reliable=True, t1=0.1)
    d = Driver(tx)
    d.apply(tx.start(0.0))
    d.run_until(10.0)
    assert d.sent_times() == [0.0]
    assert d.events[-2:] == [Timeout(), Terminated()]
    assert d.now == 10.0 and tx.state is S.TERMINATED


def test_non_invite_client_timer_e_capped_at_t2_then_f() -> None:
    tx = NonInviteClientTransaction(request("OPTIONS"), reliable=False)
    d = Driver(tx)
    d.apply(tx.start(0.0))
    d.run_until(100.0)
    times = d.sent_times()
    assert times[:6] == [0.0, 0.5, 1.5, 3.5, 7.5, 11.5]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps) == 4.0
    assert times[-1] <= 32.0
    assert d.events[-3:] == [CancelTimer("E"), Timeout(), Terminated()]


def test_non_invite_client_proceeding_retransmits_every_t2() -> None:
    req = request("BYE")
    tx = NonInviteClientTransaction(req, reliable=False)
    d = Driver(tx)
    d.apply(tx.start(0.0))
    trying = response(req, 100)
    assert d.apply(tx.receive(trying, 0.1)) == [Deliver(trying)]
    assert tx.state is S.PROCEEDING
    d.run_until(9.0)
    assert d.sent_times() == [0.0, 0.5, 4.5, 8.5]
    ok = response(req, 200)
    assert d.apply(tx.receive(ok, 9.0)) == [
        CancelTimer("E"),
        CancelTimer("F"),
        Deliver(ok),
        StartTimer("K", 5.0),
    ]
    assert tx.state is S.COMPLETED
    assert d.apply(tx.receive(ok, 9.5)) == []
    d.run_until(14.0)
    assert tx.state is S.TERMINATED


def test_non_invite_client_reliable() -> None:
    req = request("REGISTER")
    tx = NonInviteClientTransaction(req, reliable=True)
    d = Driver(tx)
    assert d.apply(tx.start(0.0)) == [Send(req), StartTimer("F", 32.0)]
    ok = response(req, 200)
    assert d.apply(tx.receive(ok, 0.1)) == [CancelTimer("F"), Deliver(ok), Terminated()]


def test_client_illegal_calls() -> None:
    req = request("OPTIONS")
    tx = NonInviteClientTransaction(req, reliable=False)
    with pytest.raises(
        TransactionStateError,
        match=r"^NonInviteClientTransaction: receive not allowed before start$",
    ):
        tx.receive(response(req, 200), 0.0)
    tx.start(0.0)
    with pytest.raises(
        TransactionStateError, match=r"^NonInviteClientTransaction: start not allowed twice$"
    ):
        tx.start(0.0)
    with pytest.raises(ValueError, match=r"^not a non-INVITE request: INVITE$"):
        NonInviteClientTransaction(request("INVITE"), reliable=False)


def test_late_timer_is_ignored() -> None:
    req = request("OPTIONS")
    tx = NonInviteClientTransaction(req, reliable=False)
    tx.start(0.0)
    tx.receive(response(req, 200), 0.1)
    assert tx.timer_fired("E", 0.5) == []
    assert tx.state is S.COMPLETED


def test_invite_server_non_2xx_timer_g_and_ack_then_i() -> None:
    req = request("INVITE")
    tx = InviteServerTransaction(req, reliable=False)
    d = Driver(tx)
    assert tx.state is S.PROCEEDING
    assert d.apply(tx.receive(req, 0.1)) == []  # nothing sent yet to repeat
    trying = response(req, 100)
    d.run_until(0.1)
    d.apply(tx.respond(trying, 0.1))
    d.run_until(0.2)
    assert d.apply(tx.receive(req, 0.2)) == [Send(trying)]
    busy = response(req, 486)
    d.run_until(1.0)
    assert d.apply(tx.respond(busy, 1.0)) == [
        Send(busy),
        StartTimer("G", 0.5),
        StartTimer("H", 32.0),
    ]
    assert tx.state is S.COMPLETED
    d.run_until(16.0)
    assert d.sent_times() == [0.1, 0.2, 1.0, 1.5, 2.5, 4.5, 8.5, 12.5]
    assert d.apply(tx.receive(req, 16.0)) == [Send(busy)]
    ack = build_ack(req, busy)
    assert d.apply(tx.receive(ack, 16.1)) == [
        CancelTimer("G"),
        CancelTimer("H"),
        StartTimer("I", 5.0),
    ]
    assert tx.state is S.CONFIRMED
    assert d.apply(tx.receive(ack, 16.2)) == []
    assert d.apply(tx.receive(req, 16.3)) == []
    d.run_until(30.0)
    assert tx.state is S.TERMINATED
    assert d.events[-1] == Terminated()


def test_invite_server_timer_h_without_ack() -> None:
    req = request("INVITE")
    tx = InviteServerTransaction(req, reliable=False, t1=0.1, t2=0.4)
    d = Driver(tx)
    d.apply(tx.respond(response(req, 404), 0.0))
    d.run_until(60.0)
    assert tx.state is S.TERMINATED
    assert d.events[-3:] == [CancelTimer("G"), Timeout(), Terminated()]
    gaps = [b - a for a, b in zip(d.sent_times(), d.sent_times()[1:], strict=False)]
    assert gaps[:3] == pytest.approx([0.1, 0.2, 0.4]) and max(gaps) == pytest.approx(0.4)


def test_invite_server_2xx_accepted_timer_l() -> None:
    req = request("INVITE")
    tx = InviteServerTransaction(req, reliable=False)
    d = Driver(tx)
    ok = response(req, 200)
    assert d.apply(tx.respond(ok, 0.0)) == [Send(ok), StartTimer("L", 32.0)]
    assert tx.state is S.ACCEPTED
    assert d.apply(tx.receive(req, 0.5)) == []  # INVITE retransmission absorbed
    assert d.apply(tx.respond(ok, 0.5)) == [Send(ok)]  # the TU retransmits 2xx itself
    ack = request("ACK")
    assert d.apply(tx.receive(ack, 0.6)) == [DeliverRequest(ack)]
    with pytest.raises(
        TransactionStateError,
        match=r"^InviteServerTransaction: respond_final not allowed in ACCEPTED$",
    ):
        tx.respond(response(req, 500), 0.7)
    d.run_until(40.0)
    assert tx.state is S.TERMINATED


def test_invite_server_reliable_zero_i() -> None:
    req = request("INVITE")
    tx = InviteServerTransaction(req, reliable=True)
    d = Driver(tx)
    busy = response(req, 480)
    assert d.apply(tx.respond(busy, 0.0)) == [Send(busy), StartTimer("H", 32.0)]
    assert d.apply(tx.receive(build_ack(req, busy), 0.1)) == [CancelTimer("H"), Terminated()]
    assert tx.state is S.TERMINATED


def test_non_invite_server_retransmissions_and_timer_j() -> None:
    req = request("BYE")
    tx = NonInviteServerTransaction(req, reliable=False)
    d = Driver(tx)
    assert tx.state is S.TRYING
    assert d.apply(tx.receive(req, 0.1)) == []
    trying = response(req, 100)
    assert d.apply(tx.respond(trying, 0.2)) == [Send(trying)]
    assert tx.state is S.PROCEEDING
    assert d.apply(tx.receive(req, 0.3)) == [Send(trying)]
    ok = response(req, 200)
    assert d.apply(tx.respond(ok, 0.4)) == [Send(ok), StartTimer("J", 32.0)]
    assert d.apply(tx.receive(req, 1.0)) == [Send(ok)]
    with pytest.raises(
        TransactionStateError,
        match=r"^NonInviteServerTransaction: respond_final not allowed in COMPLETED$",
    ):
        tx.respond(ok, 1.1)
    d.run_until(40.0)
    assert tx.state is S.TERMINATED
    with pytest.raises(TransactionStateError, match=r"request not allowed in TERMINATED$"):
        tx.receive(req, 41.0)


def test_non_invite_server_reliable() -> None:
    req = request("MESSAGE")
    tx = NonInviteServerTransaction(req, reliable=True)
    ok = response(req, 202)
    assert tx.respond(ok, 0.0) == [Send(ok), Terminated()]
    assert tx.state is S.TERMINATED


def test_keys_match_between_request_and_response() -> None:
    invite = request("INVITE")
    key = server_key(invite)
    assert key == TransactionKey("z9hG4bKtx1", "192.0.2.10:5062", "INVITE")
    assert server_key(build_ack(invite, response(invite, 486))) == key
    assert client_key(response(invite, 180)) == key
    assert InviteClientTransaction(invite, reliable=False).key == key
    cancel = build_cancel(invite)
    assert server_key(cancel) == TransactionKey("z9hG4bKtx1", "192.0.2.10:5062", "CANCEL")
    assert server_key(request("BYE", "z9hG4bKother")).branch == "z9hG4bKother"


def test_default_port_in_key() -> None:
    req = request("OPTIONS")
    req.headers.set("Via", "SIP/2.0/TLS Host.Example.com;branch=z9hG4bKa")
    assert server_key(req).sent_by == "host.example.com:5061"


def test_rfc2543_requests_match_on_what_they_say() -> None:
    """No magic cookie (RFC 4475 §3.2.1, §3.4.1): Request-URI, From tag, Call-ID, CSeq number
    and top Via make the transaction, so a retransmission, the ACK and the CANCEL find it."""
    invite = request("INVITE")
    invite.headers.set("Via", "SIP/2.0/UDP host;branch=1234")
    key = server_key(invite)
    assert key.sent_by == "host:5060" and key.method == "INVITE"
    ack = request("ACK")
    ack.headers.set("Via", "SIP/2.0/UDP host;branch=1234")
    ack.headers.set("To", (invite.headers.get("To") or "") + ";tag=ours")
    ack.headers.set("CSeq", f"{invite.cseq.seq} ACK")
    assert server_key(ack) == key
    cancel = request("CANCEL")
    cancel.headers.set("Via", "SIP/2.0/UDP host;branch=1234")
    cancel.headers.set("CSeq", f"{invite.cseq.seq} CANCEL")
    assert server_key(cancel).branch == key.branch
    later = request("INVITE")
    later.headers.set("Via", "SIP/2.0/UDP host;branch=1234")
    later.headers.set("CSeq", f"{invite.cseq.seq + 1} INVITE")
    assert server_key(later) != key
    bare = request("OPTIONS")
    bare.headers.set("Via", "SIP/2.0/UDP host")
    assert NonInviteServerTransaction(bare, reliable=False).key.branch.startswith("rfc2543 ")


def test_build_cancel() -> None:
    invite = request("INVITE")
    cancel = build_cancel(invite)
    assert cancel.method == "CANCEL"
    assert cancel.uri == invite.uri
    assert [v.branch for v in cancel.vias] == ["z9hG4bKtx1"]
    assert cancel.from_addr == invite.from_addr and cancel.to_addr == invite.to_addr
    assert cancel.call_id == invite.call_id
    assert str(cancel.cseq) == "7 CANCEL"
    assert cancel.headers.get_all("Route") == ["<sip:edge.example.com;lr>"]
    assert parse_message(bytes(cancel)) == cancel
    assert InviteClientTransaction(invite, reliable=True).cancel_request() == cancel


def test_build_ack_refuses_2xx() -> None:
    invite = request("INVITE")
    with pytest.raises(ValueError, match=r"^ACK for a 2xx is built by the dialog"):
        build_ack(invite, response(invite, 200))
