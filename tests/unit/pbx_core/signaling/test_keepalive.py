"""NAT keep-alive of UDP phones (pbx_core/signaling/keepalive.py): who is pinged when, any
answer keeps a phone, three unanswered pings in a row give it up; the registrar then drops it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pbx_core.events import BindingRemoved
from pbx_core.signaling.bindings import Binding
from pbx_core.signaling.keepalive import KeepAlivePlanner, build_options
from pbx_core.signaling.registration import DeleteBindings, Publish, RegistrarMachine
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import SipUri

_LATER = datetime(2030, 1, 1, tzinfo=UTC)


def _binding(ext: str, transport: str = "udp", port: int = 5062) -> Binding:
    contact = SipUri.parse(f"sip:{ext}@192.0.2.7:{port}")
    return Binding(ext, contact, Address(transport, "192.0.2.7", port), _LATER, f"c-{ext}", 1)


def test_udp_phones_are_pinged_each_interval_and_others_never() -> None:
    planner = KeepAlivePlanner(interval_s=30.0)
    udp, tcp = _binding("201"), _binding("202", "tcp", 5063)
    assert planner.tick([udp, tcp], 0.0).ping == []  # it just registered: it is there
    assert planner.tick([udp, tcp], 10.0).ping == []  # not yet due
    assert planner.tick([udp, tcp], 30.0).ping == [udp]
    planner.answered(udp.key, 200)
    assert planner.tick([udp, tcp], 45.0).ping == []
    assert planner.tick([udp, tcp], 60.0).ping == [udp]
    assert planner.watched == 1


def test_phones_behind_a_proxy_are_left_to_it() -> None:
    planner = KeepAlivePlanner(interval_s=30.0)
    proxied = replace(_binding("201"), path=("<sip:192.0.2.1;lr>",))
    assert planner.tick([proxied], 0.0).ping == []
    assert planner.tick([proxied], 30.0).ping == []
    assert planner.watched == 0


def test_any_answer_keeps_a_phone_and_three_silent_rounds_give_it_up() -> None:
    planner = KeepAlivePlanner(interval_s=1.0, misses=3)
    phone = _binding("201")
    planner.tick([phone], 0.0)
    assert planner.tick([phone], 1.0).ping == [phone]
    planner.answered(phone.key, 405)  # "I do not do OPTIONS" still says "I am here"
    assert planner.tick([phone], 2.0).gone == []
    assert planner.tick([phone], 3.0).gone == []  # one miss
    planner.answered(phone.key, 408)  # our own timeout tells nothing more
    assert planner.tick([phone], 4.0).gone == []  # two
    last = planner.tick([phone], 5.0)
    assert last.gone == [phone.key] and last.ping == []
    assert planner.watched == 0


def test_an_answer_in_between_starts_the_count_again() -> None:
    planner = KeepAlivePlanner(interval_s=1.0, misses=3)
    phone = _binding("201")
    for now in (0.0, 1.0, 2.0, 3.0):  # pinged at 1, then two misses
        planner.tick([phone], now)
    planner.answered(phone.key, 200)
    for now in (4.0, 5.0):
        assert planner.tick([phone], now).gone == []


def test_a_binding_that_went_is_forgotten() -> None:
    planner = KeepAlivePlanner(interval_s=1.0)
    phone = _binding("201")
    planner.tick([phone], 0.0)
    planner.tick([], 1.0)
    assert planner.watched == 0
    assert planner.tick([phone], 1.5).ping == [], "registered again: there"
    assert planner.tick([phone], 2.5).ping == [phone]


def test_the_options_request() -> None:
    request = build_options("pbx.example", _binding("201"))
    assert request.method == "OPTIONS"
    assert str(request.uri) == "sip:201@192.0.2.7:5062"
    assert request.headers.get("CSeq") == "1 OPTIONS"
    assert "pbx.example" in (request.headers.get("From") or "")


def test_the_registrar_drops_an_unreachable_binding() -> None:
    machine = RegistrarMachine(lambda _request: None)  # type: ignore[arg-type,return-value]
    phone = _binding("201")
    now = _LATER - timedelta(minutes=5)
    machine.load([phone], now)
    assert machine.all_bindings(now) == [phone]
    actions = machine.unreachable(phone.key)
    assert DeleteBindings((phone.key,)) in actions
    removed = [a.event for a in actions if isinstance(a, Publish)]
    assert removed == [BindingRemoved("201", str(phone.contact), True)]  # type: ignore[arg-type]
    assert machine.all_bindings(now) == [] and machine.unreachable(phone.key) == []
