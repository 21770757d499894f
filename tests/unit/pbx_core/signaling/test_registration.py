"""The registrar's machine in memory, fake clock: REGISTER in, actions out (RFC 3261 §10.3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pbx_core.events import BindingAdded, BindingRemoved
from pbx_core.ids import Extension
from pbx_core.signaling.authenticator import AuthOutcome
from pbx_core.signaling.bindings import Binding
from pbx_core.signaling.message import SipRequest, parse_message
from pbx_core.signaling.registration import (
    MIN_EXPIRES,
    ArmExpiry,
    DeleteBindings,
    Publish,
    RegistrarAction,
    RegistrarMachine,
    Reply,
    SaveBindings,
)
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import SipUri
from pbx_core.store import BindingRecord

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
PHONE = Address("udp", "192.0.2.10", 5062)
CONTACT = "sip:201@192.0.2.10:5062"
SECOND = "sip:201@192.0.2.11:5060;transport=tcp"


def _authenticate(request: SipRequest) -> AuthOutcome:
    """The SIP user is whoever the From header names; "nobody" is challenged."""
    user = request.from_addr.uri.user
    if user == "nobody":
        return AuthOutcome(None, 401, (("WWW-Authenticate", 'Digest realm="pbx"'),))
    return AuthOutcome(user)


def _register(
    *contacts: str,
    cseq: int = 1,
    call_id: str = "reg-1",
    expires: int | None = None,
    user: str = "201",
    to: str = "201",
) -> SipRequest:
    lines = [
        "REGISTER sip:pbx.example SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-reg",
        "Max-Forwards: 70",
        f"From: <sip:{user}@pbx.example>;tag=f1",
        f"To: <sip:{to}@pbx.example>",
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} REGISTER",
        *(f"Contact: {c}" for c in contacts),
        *([f"Expires: {expires}"] if expires is not None else []),
        "User-Agent: test-phone",
        "Content-Length: 0",
    ]
    request = parse_message(("\r\n".join(lines) + "\r\n\r\n").encode())
    assert isinstance(request, SipRequest)
    return request


def _reply(actions: list[RegistrarAction]) -> Reply:
    (reply,) = [a for a in actions if isinstance(a, Reply)]
    assert actions[-1] is reply or isinstance(actions[-1], ArmExpiry)
    return reply


def _of(kind: type, actions: list[RegistrarAction]) -> list[RegistrarAction]:
    return [a for a in actions if isinstance(a, kind)]


@pytest.fixture
def machine() -> RegistrarMachine:
    return RegistrarMachine(_authenticate)


def test_register_saves_then_answers_and_arms_the_expiry(machine: RegistrarMachine) -> None:
    actions = machine.receive(_register(f"<{CONTACT}>", expires=120), PHONE, T0)
    (save,) = _of(SaveBindings, actions)
    assert isinstance(save, SaveBindings)
    (binding,) = save.bindings
    assert binding.contact == SipUri.parse(CONTACT)
    assert binding.destination == PHONE
    assert binding.expires_at == T0 + timedelta(seconds=120)
    assert binding.user_agent == "test-phone"
    # the writes come before the reply: the driver answers once they are committed
    assert actions.index(save) < actions.index(_reply(actions))
    assert _reply(actions).status == 200
    assert ("Contact", f"<{CONTACT}>;expires=120") in _reply(actions).headers
    assert Publish(BindingAdded(Extension("201"), CONTACT)) in actions
    assert actions[-1] == ArmExpiry(T0 + timedelta(seconds=120))
    assert machine.bindings("201", T0) == [binding]


def test_refresh_publishes_nothing_new_and_moves_the_timer(machine: RegistrarMachine) -> None:
    machine.receive(_register(f"<{CONTACT}>", expires=120), PHONE, T0)
    later = T0 + timedelta(seconds=60)
    actions = machine.receive(_register(f"<{CONTACT}>", cseq=2, expires=120), PHONE, later)
    assert _reply(actions).status == 200
    assert _of(Publish, actions) == []
    assert actions[-1] == ArmExpiry(later + timedelta(seconds=120))
    (binding,) = machine.bindings("201", later)
    assert binding.cseq == 2


def test_expiry_removes_the_binding_when_the_timer_fires(machine: RegistrarMachine) -> None:
    machine.receive(_register(f"<{CONTACT}>", expires=60), PHONE, T0)
    end = T0 + timedelta(seconds=60)
    assert machine.timer_fired(end - timedelta(seconds=1)) == [ArmExpiry(end)]  # early: again
    assert machine.bindings("201", T0 + timedelta(seconds=60)) == []  # reads check the clock
    actions = machine.timer_fired(T0 + timedelta(seconds=60))
    assert actions == [
        DeleteBindings((("201", CONTACT),)),
        Publish(BindingRemoved(Extension("201"), CONTACT, True)),
    ]  # the timer has fired and nothing is left to arm it for
    assert machine.timer_fired(T0 + timedelta(seconds=61)) == []


def test_unregister_with_expires_zero(machine: RegistrarMachine) -> None:
    machine.receive(_register(f"<{CONTACT}>"), PHONE, T0)
    actions = machine.receive(_register(f"<{CONTACT}>", cseq=2, expires=0), PHONE, T0)
    assert actions == [
        DeleteBindings((("201", CONTACT),)),
        Publish(BindingRemoved(Extension("201"), CONTACT, False)),
        Reply(200, headers=(("Date", "Thu, 03 Dec 2026 09:00:00 GMT"),)),
        ArmExpiry(None),
    ]


def test_wildcard_removes_every_binding(machine: RegistrarMachine) -> None:
    machine.receive(_register(f"<{CONTACT}>", f"<{SECOND}>"), PHONE, T0)
    assert len(machine.bindings("201", T0)) == 2
    actions = machine.receive(_register("*", cseq=2, expires=0), PHONE, T0)
    (delete,) = _of(DeleteBindings, actions)
    assert isinstance(delete, DeleteBindings)
    assert sorted(delete.keys) == [("201", CONTACT), ("201", SECOND)]
    assert len(_of(Publish, actions)) == 2
    assert _reply(actions).status == 200
    assert machine.bindings("201", T0) == []


def test_wildcard_needs_expires_zero(machine: RegistrarMachine) -> None:
    actions = machine.receive(_register("*", expires=60), PHONE, T0)
    assert actions == [Reply(400, "Bad Request - wildcard Contact needs Expires 0")]


def test_too_brief_is_423_with_min_expires(machine: RegistrarMachine) -> None:
    actions = machine.receive(_register(f"<{CONTACT}>;expires=30"), PHONE, T0)
    assert actions == [Reply(423, headers=(("Min-Expires", str(MIN_EXPIRES)),))]
    assert machine.bindings("201", T0) == []


def test_too_long_is_shortened_to_an_hour(machine: RegistrarMachine) -> None:
    actions = machine.receive(_register(f"<{CONTACT}>", expires=7200), PHONE, T0)
    assert ("Contact", f"<{CONTACT}>;expires=3600") in _reply(actions).headers


def test_cseq_out_of_order_is_500_and_changes_nothing(machine: RegistrarMachine) -> None:
    machine.receive(_register(f"<{CONTACT}>", cseq=5), PHONE, T0)
    before = machine.bindings("201", T0)
    actions = machine.receive(
        _register(f"<{SECOND}>", f"<{CONTACT}>", cseq=5, expires=0), PHONE, T0
    )
    assert actions == [Reply(500, "Server Internal Error - CSeq out of order")]
    assert machine.bindings("201", T0) == before
    # another Call-ID starts its own order
    other = machine.receive(_register(f"<{CONTACT}>", cseq=1, call_id="reg-2"), PHONE, T0)
    assert _reply(other).status == 200


def test_a_second_contact_is_a_second_binding(machine: RegistrarMachine) -> None:
    machine.receive(_register(f"<{CONTACT}>", expires=600), PHONE, T0)
    tcp = Address("tcp", "192.0.2.11", 49152)
    actions = machine.receive(
        _register(f"<{SECOND}>", call_id="reg-b", expires=300), tcp, T0 + timedelta(seconds=1)
    )
    assert Publish(BindingAdded(Extension("201"), SECOND)) in actions
    contacts = [h for h in _reply(actions).headers if h[0] == "Contact"]
    assert contacts == [
        ("Contact", f"<{CONTACT}>;expires=599"),
        ("Contact", f"<{SECOND}>;expires=300"),
    ]
    assert actions[-1] == ArmExpiry(T0 + timedelta(seconds=301))
    second = [b for b in machine.bindings("201", T0) if b.destination == tcp]
    assert second[0].contact.params == {"transport": "tcp"}


@pytest.mark.parametrize(
    ("request_", "reply"),
    [
        (_register(f"<{CONTACT}>", user="nobody"), 401),
        (_register(f"<{CONTACT}>", to="202"), 403),
        (_register(f"<{CONTACT}>;expires=soon"), 400),
    ],
)
def test_refusals(machine: RegistrarMachine, request_: SipRequest, reply: int) -> None:
    (action,) = machine.receive(request_, PHONE, T0)
    assert isinstance(action, Reply)
    assert action.status == reply


def test_load_keeps_live_bindings_and_deletes_the_rest(machine: RegistrarMachine) -> None:
    live = Binding("201", SipUri.parse(CONTACT), PHONE, T0 + timedelta(seconds=30), "c", 1)
    gone = Binding("202", SipUri.parse("sip:202@h"), PHONE, T0, "c", 1)
    actions = machine.load([live, gone], T0)
    assert actions == [DeleteBindings((("202", "sip:202@h"),)), ArmExpiry(live.expires_at)]
    assert machine.bindings("201", T0) == [live]


def test_binding_round_trips_through_the_store_record() -> None:
    record = BindingRecord("201", SECOND, T0, "tcp:192.0.2.11:49152", "c", 3, "phone/1.0")
    binding = Binding.from_record(record)
    assert binding.destination == Address("tcp", "192.0.2.11", 49152)
    assert binding.contact.host == "192.0.2.11"
    assert binding.record() == record


def test_bad_stored_source_is_refused() -> None:
    record = BindingRecord("201", CONTACT, T0, "sctp:h:1", "c", 3, None)
    with pytest.raises(ValueError, match="bad transport address: 'sctp:h:1'"):
        Binding.from_record(record)


def test_a_phone_asking_for_a_gruu_registers_without_one(machine: RegistrarMachine) -> None:
    """Linphone's REGISTER (``Supported: gruu``, ``+sip.instance``, ``reg-id``): the 200 lists
    its binding by its own Contact URI and no ``pub-gruu`` (RFC 5627 §4.2: the phone goes on
    with that URI), so calls and in-dialog requests reach the phone at that URI."""
    instance = '"<urn:uuid:2d1c6a32-7a5b-4c2e-9e1a-4e4a3bf0c1d2>"'
    contact = f"<{CONTACT};transport=udp>;+sip.instance={instance};reg-id=1;expires=600"
    request = _register(contact)
    request.headers.add("Supported", "replaces, outbound, gruu")
    actions = machine.receive(request, PHONE, T0)
    reply = _reply(actions)
    assert reply.status == 200
    uri = f"{CONTACT};transport=udp"
    assert ("Contact", f"<{uri}>;expires=600") in reply.headers
    assert not any("gruu" in value for _, value in reply.headers)
    assert not any(name == "Require" for name, _ in reply.headers)
    (binding,) = machine.bindings("201", T0)
    assert binding.contact == SipUri.parse(uri)


def test_the_same_instance_from_a_new_contact_replaces_its_binding(
    machine: RegistrarMachine,
) -> None:
    """A laptop's Linphone on another network: same ``+sip.instance``, new Contact (RFC 5626)."""
    instance = ';+sip.instance="<urn:uuid:2D1C6A32-7A5B-4C2E-9E1A-4E4A3BF0C1D2>"'
    machine.receive(_register(f"<{CONTACT}>{instance}", expires=600), PHONE, T0)
    machine.receive(_register(f"<{SECOND}>", call_id="other-phone", expires=600), PHONE, T0)
    moved = _register(f"<sip:201@198.51.100.7:5062>{instance.lower()}", cseq=2, expires=600)
    actions = machine.receive(moved, Address("udp", "198.51.100.7", 5062), T0)
    assert DeleteBindings((("201", CONTACT),)) in actions
    assert Publish(BindingRemoved(Extension("201"), CONTACT, False)) in actions
    contacts = [value for name, value in _reply(actions).headers if name == "Contact"]
    assert sorted(contacts) == sorted(
        ["<sip:201@198.51.100.7:5062>;expires=600", f"<{SECOND}>;expires=600"]
    )
