"""Registrar limits: bindings per extension (the oldest goes), a repeated Contact is one binding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pbx_core.signaling.authenticator import AuthOutcome
from pbx_core.signaling.message import SipRequest, parse_message
from pbx_core.signaling.registration import (
    DeleteBindings,
    RegistrarAction,
    RegistrarMachine,
    Reply,
)
from pbx_core.signaling.transport import Address

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
PHONE = Address("udp", "192.0.2.10", 5062)


def _register(*contacts: str, cseq: int = 1, call_id: str = "reg-1") -> SipRequest:
    lines = [
        "REGISTER sip:pbx.example SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-reg",
        "From: <sip:201@pbx.example>;tag=f1",
        "To: <sip:201@pbx.example>",
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} REGISTER",
        *(f"Contact: {c}" for c in contacts),
        "Content-Length: 0",
    ]
    request = parse_message(("\r\n".join(lines) + "\r\n\r\n").encode())
    assert isinstance(request, SipRequest)
    return request


def _reply(actions: list[RegistrarAction]) -> Reply:
    (reply,) = [a for a in actions if isinstance(a, Reply)]
    return reply


def _machine(max_bindings: int = 3) -> RegistrarMachine:
    return RegistrarMachine(lambda r: AuthOutcome(r.from_addr.uri.user), max_bindings=max_bindings)


def test_a_contact_repeated_in_one_register_is_one_binding() -> None:
    machine = _machine()
    contact = "<sip:201@192.0.2.10:5062>"
    reply = _reply(machine.receive(_register(contact, contact), PHONE, T0))
    assert reply.status == 200
    assert len(machine.bindings("201", T0)) == 1
    assert [h for h in reply.headers if h[0] == "Contact"] == [
        ("Contact", "<sip:201@192.0.2.10:5062>;expires=3600")
    ]


def test_the_oldest_binding_goes_beyond_the_limit() -> None:
    machine = _machine(3)
    for n in range(5):
        now = T0 + timedelta(seconds=n)
        actions = machine.receive(
            _register(f"<sip:201@192.0.2.{n}:5060>", call_id=f"c{n}"), PHONE, now
        )
        assert _reply(actions).status == 200
    live = machine.bindings("201", T0 + timedelta(seconds=5))
    assert sorted(str(b.contact) for b in live) == [
        "sip:201@192.0.2.2:5060", "sip:201@192.0.2.3:5060", "sip:201@192.0.2.4:5060"
    ]
    assert any(isinstance(a, DeleteBindings) for a in actions)


def test_one_register_with_many_contacts_keeps_the_last_ones() -> None:
    machine = _machine(10)
    contacts = ", ".join(f"<sip:201@10.0.0.{n}:5060>" for n in range(40))
    reply = _reply(machine.receive(_register(contacts), PHONE, T0))
    assert reply.status == 200
    assert len(machine.bindings("201", T0)) == 10
    assert sum(1 for h in reply.headers if h[0] == "Contact") == 10


def test_a_call_forks_to_at_most_max_bindings_even_of_stored_ones() -> None:
    machine = _machine(10)
    contacts = ", ".join(f"<sip:201@10.0.0.{n}:5060>" for n in range(12))
    machine.receive(_register(contacts), PHONE, T0)
    machine.max_bindings = 4  # lowered by the administrator later
    assert len(machine.bindings("201", T0)) == 4
