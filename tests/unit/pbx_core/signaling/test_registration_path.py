"""Path (RFC 3327) and the cluster sync of the registrar's machine; fake clock, no sockets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from pbx_core.events import BindingAdded, BindingRemoved
from pbx_core.ids import Extension
from pbx_core.signaling.authenticator import AuthOutcome
from pbx_core.signaling.bindings import Binding
from pbx_core.signaling.message import SipRequest, parse_message
from pbx_core.signaling.registration import (
    Publish,
    RegistrarAction,
    RegistrarMachine,
    Reply,
    SaveBindings,
)
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uas_checks import check_request
from pbx_core.signaling.uri import SipUri

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
PROXY = Address("udp", "192.0.2.1", 5060)
CONTACT = "sip:201@192.0.2.10:5062"
OTHER = "sip:202@192.0.2.20:5062"
PATH = "<sip:192.0.2.1:5060;lr>"


def _authenticate(request: SipRequest) -> AuthOutcome:
    return AuthOutcome(request.from_addr.uri.user)


def _register(*extra: str, cseq: int = 1, user: str = "201", contact: str = CONTACT) -> SipRequest:
    lines = [
        "REGISTER sip:pbx.example SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-proxy",
        "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-reg",
        "Max-Forwards: 69",
        f"From: <sip:{user}@pbx.example>;tag=f1",
        f"To: <sip:{user}@pbx.example>",
        f"Call-ID: reg-{user}",
        f"CSeq: {cseq} REGISTER",
        f"Contact: <{contact}>",
        "Expires: 300",
        *extra,
        "Content-Length: 0",
    ]
    request = parse_message(("\r\n".join(lines) + "\r\n\r\n").encode())
    assert isinstance(request, SipRequest)
    return request


def _reply(actions: list[RegistrarAction]) -> Reply:
    (reply,) = [a for a in actions if isinstance(a, Reply)]
    return reply


def _binding(contact: str = OTHER, extension: str = "202", cseq: int = 1) -> Binding:
    return Binding(
        extension=extension,
        contact=SipUri.parse(contact),
        destination=PROXY,
        expires_at=T0 + timedelta(seconds=300),
        call_id=f"reg-{extension}",
        cseq=cseq,
        path=(PATH,),
    )


@pytest.fixture
def machine() -> RegistrarMachine:
    return RegistrarMachine(_authenticate)


def test_the_path_is_kept_with_the_binding_in_order(machine: RegistrarMachine) -> None:
    second = "<sip:198.51.100.7;lr>"
    actions = machine.receive(_register(f"Path: {PATH}", f"Path: {second}"), PROXY, T0)
    (save,) = [a for a in actions if isinstance(a, SaveBindings)]
    assert save.bindings[0].path == (PATH, second)
    assert machine.bindings("201", T0)[0].path == (PATH, second)
    # without Supported: path the phone is not told (RFC 3327 §5.3)
    assert not [h for h in _reply(actions).headers if h[0] == "Path"]


def test_the_200_lists_the_path_when_the_phone_supports_it(machine: RegistrarMachine) -> None:
    actions = machine.receive(_register(f"Path: {PATH}", "Supported: path"), PROXY, T0)
    assert _reply(actions).status == 200
    assert ("Path", PATH) in _reply(actions).headers


def test_a_register_without_path_has_none(machine: RegistrarMachine) -> None:
    machine.receive(_register(), PROXY, T0)
    assert machine.bindings("201", T0)[0].path == ()


def test_the_path_survives_the_store() -> None:
    binding = _binding()
    binding = replace(binding, path=(PATH, "<sip:198.51.100.7;lr;transport=tcp>"))
    record = binding.record()
    assert record.path == f"{PATH}, <sip:198.51.100.7;lr;transport=tcp>"
    assert Binding.from_record(record) == binding
    assert replace(binding, path=()).record().path is None
    assert Binding.from_record(replace(binding, path=()).record()).path == ()


def test_require_path_is_accepted_on_register_only() -> None:
    assert check_request(_register("Require: path"), "INVITE") is None
    invite = _register("Require: path")
    invite.method = "OPTIONS"
    refusal = check_request(invite, "INVITE")
    assert refusal is not None and refusal.status == 420


def test_sync_takes_another_nodes_binding(machine: RegistrarMachine) -> None:
    actions = machine.sync([_binding()], machine.generation, T0)
    assert Publish(BindingAdded(Extension("202"), OTHER)) in actions
    (binding,) = machine.bindings("202", T0)
    assert binding.path == (PATH,)
    # the same again changes nothing and says nothing
    assert [
        a for a in machine.sync([_binding()], machine.generation, T0) if isinstance(a, Publish)
    ] == []


def test_sync_drops_a_binding_the_database_no_longer_has(machine: RegistrarMachine) -> None:
    machine.sync([_binding()], machine.generation, T0)
    actions = machine.sync([], machine.generation, T0)
    assert Publish(BindingRemoved(Extension("202"), OTHER, False)) in actions
    assert machine.bindings("202", T0) == []


def test_sync_takes_a_refresh_from_another_node(machine: RegistrarMachine) -> None:
    machine.sync([_binding()], machine.generation, T0)
    later = replace(_binding(cseq=2), expires_at=T0 + timedelta(seconds=900))
    machine.sync([later], machine.generation, T0)
    assert machine.bindings("202", T0)[0].cseq == 2


def test_own_changes_after_the_read_began_win(machine: RegistrarMachine) -> None:
    generation = machine.generation  # the read starts; then a REGISTER arrives here
    machine.receive(_register(), PROXY, T0)
    actions = machine.sync([_binding()], generation, T0)  # the read predates that REGISTER
    assert not [a for a in actions if isinstance(a, Publish) and a.event.extension == "201"]
    assert len(machine.bindings("201", T0)) == 1
    assert len(machine.bindings("202", T0)) == 1
    # the next read (after the write) does not have it either: now it is gone
    machine.sync([_binding()], machine.generation, T0)
    assert machine.bindings("201", T0) == []


def test_an_expired_stored_binding_is_not_taken(machine: RegistrarMachine) -> None:
    old = replace(_binding(), expires_at=T0 - timedelta(seconds=1))
    machine.sync([old], machine.generation, T0)
    assert machine.bindings("202", T0) == []
