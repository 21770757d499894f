"""Allowed destinations (toll fraud) on a running demo PBX with pjsua2 phones: an outside number
of a type the caller's department may not call is refused 403 before anything else and kept in
the history as ``not-allowed``; another department may call it (404 here: no outbound trunk);
emergency numbers are never refused; admins change the lists through the API
(docs/routing.md "Allowed destinations")."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.component.voicemail.conftest import Phones, VoicemailPbx
from tests.support.agent import Agent
from tests.support.api import bearer, login

pytestmark = pytest.mark.pjsua

_DEMO = {
    "default": ["national", "mobile"],
    "groups": {
        "Management": ["national", "mobile", "international", "premium"],
        "Sales": ["national", "mobile", "international"],
    },
}


@pytest.fixture
def admin(vm_pbx: VoicemailPbx) -> Iterator[httpx.Client]:
    with vm_pbx.api() as client:
        client.headers.update(bearer(login(client, "205", "Demo-205!")))
        yield client
        client.put("/api/v1/org/allowed-destinations", json=_DEMO)


def _dial(vm_pbx: VoicemailPbx, phone: Agent, number: str) -> int:
    """The final status of a call from ``phone`` to ``number`` that nobody answers."""
    placed = int(phone.send("call", uri=f"sip:{number}@127.0.0.1:{vm_pbx.sip_port}")["call"])
    event = phone.wait_call_state(placed, "DISCONNECTED", timeout=10)
    return int(event["code"])


def test_a_department_calls_abroad_only_where_its_list_allows(
    vm_pbx: VoicemailPbx, phones: Phones, admin: httpx.Client
) -> None:
    assert admin.get("/api/v1/org/allowed-destinations").json() == _DEMO
    dana, anna = phones("204", tone=False), phones("201", tone=False)  # Reception, Sales
    assert _dial(vm_pbx, dana, "004533123456") == 403  # converted to +45…: international
    assert _dial(vm_pbx, anna, "004533123456") == 404  # allowed; no outbound trunk here
    assert _dial(vm_pbx, dana, "0900123456") == 403  # premium rate
    assert _dial(vm_pbx, dana, "0612345678") == 404  # a Dutch mobile: the default allows it
    assert _dial(vm_pbx, dana, "112") != 403  # emergency numbers are never refused

    put = admin.put(
        "/api/v1/org/allowed-destinations",
        json={"default": ["national"], "groups": {"Reception": ["international"]}},
    )
    assert put.status_code == 200, put.text
    assert _dial(vm_pbx, dana, "004533123456") == 404
    assert _dial(vm_pbx, dana, "0612345678") == 403  # Reception's list has no mobile now
    assert _dial(vm_pbx, dana, "299") == 404  # extensions are never refused


def test_a_bad_list_is_refused_and_changes_nothing(admin: httpx.Client) -> None:
    bad = {"default": ["national", "moon"], "groups": {}}
    refused = admin.put("/api/v1/org/allowed-destinations", json=bad)
    assert refused.status_code == 422
    assert admin.get("/api/v1/org/allowed-destinations").json() == _DEMO


def test_the_history_says_why_in_plain_words(vm_pbx: VoicemailPbx, phones: Phones) -> None:
    dana = phones("204", tone=False)
    assert _dial(vm_pbx, dana, "0900123456") == 403
    with vm_pbx.api() as client:
        client.headers.update(bearer(login(client, "204", "Demo-204!")))
        calls = client.get("/api/v1/calls").json()
    latest = calls[0]
    assert (latest["callee"], latest["reason"], latest["sip_status"]) == (
        "+31900123456",
        "not-allowed",
        403,
    )
