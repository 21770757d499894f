"""Number conversions (P7) on a running demo PBX: a dialled short number rings whom it is
converted to (a pjsua2 phone), short numbers find their contacts in the directory and name a
caller, and the admin's API replaces the list all or nothing (docs/routing.md)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.component.voicemail.conftest import Phones, VoicemailPbx
from tests.support.api import bearer, login

pytestmark = pytest.mark.pjsua

_DEMO = [
    {"prefix": "00", "digits": None, "rewrite": "+", "ranges": []},
    {"prefix": "0", "digits": 9, "rewrite": "+31", "ranges": []},
    {"prefix": "6", "digits": 2, "rewrite": "+45331234", "ranges": []},
]


@pytest.fixture
def admin(vm_pbx: VoicemailPbx) -> Iterator[httpx.Client]:
    with vm_pbx.api() as client:
        client.headers.update(bearer(login(client, "205", "Demo-205!")))
        yield client
        client.put("/api/v1/org/number-conversions", json={"conversions": _DEMO})


def _search(api: httpx.Client, query: str) -> list[str]:
    found = api.get("/api/v1/directory", params={"q": query})
    assert found.status_code == 200, found.text
    return [e["name"] for e in found.json() if e["kind"] == "contact"]


def test_the_demo_short_number_finds_its_contact(admin: httpx.Client) -> None:
    assert admin.get("/api/v1/org/number-conversions").json() == {"conversions": _DEMO}
    assert _search(admin, "656") == ["Lars Nielsen"]  # +45 33 12 34 56 holds no "656"


def test_a_dialled_short_number_rings_whom_it_is_converted_to(
    vm_pbx: VoicemailPbx, phones: Phones, admin: httpx.Client
) -> None:
    rules = [*_DEMO, {"prefix": "22", "digits": 1, "rewrite": "20", "ranges": ["2-3"]}]
    put = admin.put("/api/v1/org/number-conversions", json={"conversions": rules})
    assert put.status_code == 200, put.text
    anna, bram = phones("201", tone=False), phones("202", tone=False)
    mark = vm_pbx.mark()
    placed = int(anna.send("call", uri=f"sip:222@127.0.0.1:{vm_pbx.sip_port}")["call"])
    bram.wait_event("incoming_call", timeout=10)
    assert vm_pbx.bus_event("call.ringing", since=mark, caller="201")["callee"] == "202"
    anna.send("hangup", call=placed)
    anna.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=10)
    bram.wait_event("call_state", state="DISCONNECTED", timeout=10)


def test_a_new_list_gives_contacts_new_short_numbers_and_a_bad_one_changes_nothing(
    vm_pbx: VoicemailPbx, admin: httpx.Client
) -> None:
    mark = vm_pbx.mark()
    nordlys = [{"prefix": "4", "digits": 2, "rewrite": "+45339122", "ranges": ["00-49"]}]
    put = admin.put("/api/v1/org/number-conversions", json={"conversions": nordlys})
    assert put.json() == {"conversions": nordlys}
    vm_pbx.bus_event("directory.changed", since=mark)
    assert _search(admin, "440") == ["Mette Jensen"]  # +45 33 91 22 40
    assert _search(admin, "656") == []

    bad = [*nordlys, {"prefix": "7", "digits": 1, "ranges": ["5-12"]}]
    refused = admin.put("/api/v1/org/number-conversions", json={"conversions": bad})
    assert refused.status_code == 422
    assert refused.json()["error"] == "bad_conversion"
    assert "conversion 2" in refused.json()["message"]
    assert admin.get("/api/v1/org/number-conversions").json() == {"conversions": nordlys}


def test_a_colleague_who_is_not_an_admin_may_not_see_or_change_them(
    vm_pbx: VoicemailPbx,
) -> None:
    with vm_pbx.api() as client:
        client.headers.update(bearer(login(client, "201", "Demo-201!")))
        assert client.get("/api/v1/org/number-conversions").status_code == 403
        put = client.put("/api/v1/org/number-conversions", json={"conversions": []})
        assert put.status_code == 403
