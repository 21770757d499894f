"""What the desktop reads from the forwarding API and events (docs/routing.md)."""

from __future__ import annotations

import pytest

from app.controllers.forwarding import call_flows_of, forwarding_of
from app.server_events import ForwardingChanged, parse_event
from app.stores.forwarding import Forwarding, ForwardingStore


def test_the_api_bodies_are_read() -> None:
    assert forwarding_of({"enabled": True, "number": "202"}) == Forwarding(True, "202")
    assert forwarding_of({"enabled": False, "number": None}).target is None
    assert Forwarding(False, "202").target is None and Forwarding(True, "202").target == "202"
    flows = {"flows": {"lunch": "forward to 200", "dnd": "voicemail"}}
    assert call_flows_of(flows) == {"lunch": "forward to 200", "dnd": "voicemail"}


@pytest.mark.parametrize("body", [None, [], {"enabled": "yes"}, {"enabled": True, "number": 202}])
def test_bad_forwarding_bodies_are_refused(body: object) -> None:
    with pytest.raises(ValueError):
        forwarding_of(body)


@pytest.mark.parametrize("body", [None, {}, {"flows": []}, {"flows": {"lunch": 1}}])
def test_bad_call_flow_bodies_are_refused(body: object) -> None:
    with pytest.raises(ValueError):
        call_flows_of(body)


def test_the_event_is_parsed() -> None:
    data = {"extension": "201", "enabled": True, "number": "202"}
    message = {"seq": 3, "type": "forwarding.changed", "data": data}
    assert parse_event(message) == ForwardingChanged("201", True, "202")


def test_the_store_says_when_it_changed(qapp: object) -> None:
    store = ForwardingStore()
    seen: list[Forwarding] = []
    store.changed.connect(lambda: seen.append(store.forwarding))
    store.set(Forwarding(True, "202"))
    store.set(Forwarding(True, "202"))  # the same: no signal
    store.set(Forwarding(False, "202"))
    assert seen == [Forwarding(True, "202"), Forwarding(False, "202")]
