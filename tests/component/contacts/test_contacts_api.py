"""The address books through the API of a real demo server process: two users' personal
contacts, company contacts read-only, types and views, import (all or nothing, with the
rejected lines) and export, and ``contact.changed`` on the event WebSocket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.support.api import bearer, login
from tests.support.server_process import RunningServer, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("contacts"), demo=True)
    yield running
    running.stop()


@pytest.fixture
def api(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def tokens(server: RunningServer) -> dict[str, dict[str, str]]:
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        return {ext: bearer(login(client, ext, f"Demo-{ext}!")) for ext in ("201", "202", "203")}


def _names(api: httpx.Client, who: dict[str, str], view: str = "all") -> list[str]:
    response = api.get("/api/v1/contacts", params={"type": view}, headers=who)
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json() if c["book"] == "personal"]


PIET = {
    "name": "Piet Pieters",
    "company": "Pieters BV",
    "department": "Inkoop",
    "job_title": "Buyer",
    "email": "piet@pieters.example",
    "address": "Kade 1, Amsterdam",
    "numbers": [
        {"label": "work", "number": "020 555 0177"},
        {"label": "mobile", "number": "06 1111 2222", "primary": True},
    ],
    "type": "favourite",
}


def test_personal_contacts_crud_and_one_user_cannot_see_anothers(
    api: httpx.Client, tokens: dict[str, dict[str, str]]
) -> None:
    anna, bram = tokens["201"], tokens["202"]
    made = api.post("/api/v1/contacts", json=PIET, headers=anna)
    assert made.status_code == 201, made.text
    body = made.json()
    cid = body["id"]
    assert cid.startswith("p") and body["book"] == "personal" and body["editable"]
    assert body["numbers"] == [
        {"label": "mobile", "number": "+31611112222", "primary": True},
        {"label": "work", "number": "+31205550177", "primary": False},
    ]
    assert "Piet Pieters" in _names(api, anna)
    assert "Piet Pieters" in _names(api, anna, "favorites")
    assert "Piet Pieters" not in _names(api, anna, "vip")
    assert "Piet Pieters" not in _names(api, bram)
    assert api.get(f"/api/v1/contacts/{cid}", headers=bram).status_code == 404
    assert api.put(f"/api/v1/contacts/{cid}", json=PIET, headers=bram).status_code == 404
    assert api.delete(f"/api/v1/contacts/{cid}", headers=bram).status_code == 404

    changed = api.put(
        f"/api/v1/contacts/{cid}", json={**PIET, "name": "Piet P.", "type": "vip"}, headers=anna
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Piet P."
    assert "Piet P." in _names(api, anna, "vip")
    assert api.get(f"/api/v1/contacts/{cid}", headers=anna).json()["type"] == "vip"
    assert api.delete(f"/api/v1/contacts/{cid}", headers=anna).status_code == 204
    assert api.get(f"/api/v1/contacts/{cid}", headers=anna).status_code == 404


def test_company_contacts_are_read_only_but_can_be_typed(
    api: httpx.Client, tokens: dict[str, dict[str, str]]
) -> None:
    chris = tokens["203"]
    everyone = api.get("/api/v1/contacts", headers=chris).json()
    jan = next(c for c in everyone if c["name"] == "Jan Visser")
    assert jan["book"] == "company" and not jan["editable"] and jan["id"].startswith("c")
    assert jan["numbers"][0] == {"label": "work", "number": "+31205550134", "primary": True}
    cid = jan["id"]
    assert api.delete(f"/api/v1/contacts/{cid}", headers=chris).status_code == 403
    edit = {**{k: jan[k] for k in ("name", "company", "email", "numbers")}, "name": "X"}
    assert api.put(f"/api/v1/contacts/{cid}", json=edit, headers=chris).status_code == 403
    vip = api.put(f"/api/v1/contacts/{cid}/type", json={"type": "vip"}, headers=chris)
    assert vip.status_code == 200 and vip.json()["type"] == "vip"
    vips = api.get("/api/v1/contacts", params={"type": "vip"}, headers=chris).json()
    assert [c["name"] for c in vips] == ["Jan Visser"]
    api.put(f"/api/v1/contacts/{cid}/type", json={"type": "none"}, headers=chris)


def test_the_list_a_page_at_a_time_is_the_whole_list(
    api: httpx.Client, tokens: dict[str, dict[str, str]]
) -> None:
    anna = tokens["201"]
    mine = [
        api.post("/api/v1/contacts", json={"name": name}, headers=anna).json()["id"]
        for name in ("aaron (personal)", "Lotte (personal)", "zz top (personal)")
    ]
    whole = api.get("/api/v1/contacts", headers=anna).json()
    paged: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"after": after} if after else {})
        response = api.get("/api/v1/contacts/page", params=params, headers=anna)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["contacts"]) <= 2
        paged += body["contacts"]
        after = body["next"]
        if after is None:
            break
    assert [c["id"] for c in paged] == [c["id"] for c in whole]
    assert {c["book"] for c in paged} == {"personal", "company"}
    names = [c["name"].lower() for c in paged]
    assert names == sorted(names)
    bad = api.get("/api/v1/contacts/page", params={"after": "not-a-cursor"}, headers=anna)
    assert bad.status_code == 422 and "after" in bad.json()["message"]
    assert api.get("/api/v1/contacts/page", params={"limit": 0}, headers=anna).status_code == 422
    for cid in mine:
        api.delete(f"/api/v1/contacts/{cid}", headers=anna)


def test_a_bad_contact_is_422(api: httpx.Client, tokens: dict[str, dict[str, str]]) -> None:
    bad = api.post(
        "/api/v1/contacts",
        json={"name": "X", "numbers": [{"number": "not a number"}]},
        headers=tokens["201"],
    )
    assert bad.status_code == 422 and bad.json()["message"].startswith("numbers.0: ")
    assert api.get("/api/v1/contacts").status_code == 401


def test_import_is_all_or_nothing_with_the_rejected_lines(
    api: httpx.Client, tokens: dict[str, dict[str, str]]
) -> None:
    bram = tokens["202"]
    before = _names(api, bram)
    broken = "name,mobile,type\nGood,0612345678,\n,0612345679,\nAlso good,,vip\nBad,123abc,\n"
    rejected = api.post("/api/v1/contacts/import", content=broken.encode(), headers=bram)
    assert rejected.status_code == 422
    body = rejected.json()
    assert body["error"] == "import_rejected"
    assert [r["line"] for r in body["rejected"]] == [3, 5]
    assert body["rejected"][0]["message"] == "a contact needs a name"
    assert _names(api, bram) == before  # nothing applied

    template = api.get("/api/v1/contacts/template", headers=bram)
    assert template.status_code == 200 and template.headers["content-type"].startswith("text/csv")
    assert template.text.startswith("name,company,department,job_title,email,address,")
    good = broken.replace(",0612345679,", "Fixed,0612345679,").replace("123abc", "0201234567")
    imported = api.post("/api/v1/contacts/import", content=good.encode(), headers=bram)
    assert imported.status_code == 201, imported.text
    assert imported.json()["imported"] == 4
    assert sorted(_names(api, bram)) == sorted([*before, "Good", "Fixed", "Also good", "Bad"])


def test_export_and_reimport_csv_and_vcard(
    api: httpx.Client, tokens: dict[str, dict[str, str]], server: RunningServer
) -> None:
    del server
    anna = tokens["201"]
    api.post("/api/v1/contacts", json={**PIET, "name": "Export Me"}, headers=anna)
    mine = sorted(
        (c for c in api.get("/api/v1/contacts", headers=anna).json() if c["book"] == "personal"),
        key=lambda c: c["name"],
    )
    for fmt, kind in (("csv", "text/csv"), ("vcard", "text/vcard")):
        exported = api.get("/api/v1/contacts/export", params={"format": fmt}, headers=anna)
        assert exported.status_code == 200 and exported.headers["content-type"].startswith(kind)
        assert "attachment" in exported.headers["content-disposition"]
        other = tokens["203"]
        before = {c["id"] for c in api.get("/api/v1/contacts", headers=other).json()}
        back = api.post("/api/v1/contacts/import", content=exported.content, headers=other)
        assert back.status_code == 201, back.text
        copied = sorted(back.json()["contacts"], key=lambda c: c["name"])

        def fields(c: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in c.items() if k not in ("id",)}

        assert [fields(c) for c in copied] == [fields(c) for c in mine]
        for c in copied:  # leave Chris's book as it was
            assert c["id"] not in before
            api.delete(f"/api/v1/contacts/{c['id']}", headers=other)
    v3 = api.get("/api/v1/contacts/export?format=vcard&version=3.0", headers=anna)
    assert "VERSION:3.0" in v3.text


async def test_changes_are_published_as_contact_changed(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
        response = await client.post(
            "/api/v1/auth/login", json={"username": "204", "password": "Demo-204!"}
        )
        token = response.json()["token"]
        async with connect(f"{server.ws_url}/api/v1/events?token={token}") as ws:
            made = await client.post(
                "/api/v1/contacts", json={"name": "Evented"}, headers=bearer(token)
            )
            cid = made.json()["id"]
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if message["type"] == "contact.changed":
                    break
    assert message["data"] == {"extension": "204", "action": "created", "ids": [cid]}


def test_a_file_over_the_limit_is_413(api: httpx.Client, tokens: dict[str, dict[str, str]]) -> None:
    big = b"name\n" + b"x" * 5_000_000
    response = api.post("/api/v1/contacts/import", content=big, headers=tokens["201"])
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    bad = api.post("/api/v1/contacts/import", content=b"name\n\xff\n", headers=tokens["201"])
    assert bad.status_code == 422 and bad.json()["message"] == "the file is not UTF-8 text"


def test_the_routes_are_in_the_openapi_document(api: httpx.Client, tmp_path: Path) -> None:
    del tmp_path
    paths = api.get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/contacts",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/contacts/import",
        "/api/v1/contacts/page",
        "/api/v1/contacts/export",
        "/api/v1/contacts/template",
    } <= set(paths)


def test_the_admin_gives_a_company_book_to_a_department(
    api: httpx.Client, tokens: dict[str, dict[str, str]]
) -> None:
    """Seed 001 "Adresboeken", access per user group: a book for Support hides its contacts
    from Sales (Anna), in the Contacts list, the directory search and the app's copy of the
    directory, and shows them to Support (Bram); removing the book shows them again."""
    anna, bram = tokens["201"], tokens["202"]
    eva = bearer(login(api, "205", "Demo-205!"))

    def company(who: dict[str, str]) -> dict[str, str]:
        found = api.get("/api/v1/contacts", headers=who).json()
        return {c["id"]: c["name"] for c in found if c["book"] == "company"}

    def in_directory(who: dict[str, str], name: str) -> bool:
        found = api.get("/api/v1/directory", params={"q": name}, headers=who).json()
        return any(e["kind"] == "contact" and e["name"] == name for e in found)

    def copy(who: dict[str, str]) -> tuple[str, set[str]]:
        """The epoch and the keys of a whole copy of the directory, as the app fetches it."""
        page = api.get("/api/v1/directory/changes", params={"limit": 5000}, headers=who).json()
        assert page["full"] and page["next"] is None
        return page["epoch"], {e["key"] for e in page["entries"]}

    everyone = company(anna)
    first = sorted(everyone)[0]
    name, key = everyone[first], f"contact:{first[1:]}"
    epoch, keys = copy(anna)
    assert in_directory(anna, name) and key in keys
    assert api.put("/api/v1/address-books/Suppliers", json={}, headers=anna).status_code == 403
    bad = api.put(
        "/api/v1/address-books/Suppliers", json={"contacts": [first, "c999999", "p1"]}, headers=eva
    )
    assert bad.status_code == 422 and "'c999999', 'p1'" in bad.json()["message"]
    assert api.get("/api/v1/address-books", headers=eva).json() == []  # nothing was made
    body = {"groups": ["Support"], "contacts": [first]}
    made = api.put("/api/v1/address-books/Suppliers", json=body, headers=eva)
    assert made.status_code == 200, made.text
    assert {k: made.json()[k] for k in ("name", "groups", "contacts")} == {
        "name": "Suppliers",
        "groups": ["Support"],
        "contacts": [first],
    }
    try:
        assert first not in company(anna) and len(company(anna)) == len(everyone) - 1
        assert first in company(bram)  # Support
        assert first in company(eva)  # the admin sees every book
        assert api.get(f"/api/v1/contacts/{first}", headers=anna).status_code == 404
        assert not in_directory(anna, name) and in_directory(bram, name)
        renewed, anna_keys = copy(anna)
        assert renewed != epoch  # every app's copy is sent again, as now seen
        assert key not in anna_keys and key in copy(bram)[1]
    finally:
        gone = api.delete("/api/v1/address-books/Suppliers", headers=eva)
        assert gone.status_code == 204
    assert company(anna) == everyone
    assert in_directory(anna, name) and key in copy(anna)[1]
    assert api.delete("/api/v1/address-books/Suppliers", headers=eva).status_code == 404
