"""Another user's items stay theirs: by id they are not found, reading or changing, and no list
shows them (docs/permissions.md). Not even a colleague of the same department, its supervisor or
the admin reads another user's voicemail, recordings, contacts, plans, chats, sessions or calls.

Bram (202, Support, an agent) owns the items; Chris (203, Support's supervisor), Dana (204,
Reception) and Eva (205, the admin) try them. A real PBX and its API over HTTP, a real store.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from pbx_core.recording import repository as recordings
from pbx_core.store import CallRecord
from pbx_core.voicemail import repository as voicemail
from tests.component.security._office import Office, no_leak, office

SECRET = "Zq-secret-4711"
"""Written into every item of Bram's: no answer to anyone else may carry it."""
CALLER = "+31205554711"
PROBERS = ("203", "204", "205")


async def _bram_items(acme: Office, bram: httpx.AsyncClient) -> dict[str, str]:
    """Make one item of each kind for Bram; their ids."""
    store = acme.pbx.store
    now = datetime.now(UTC)
    message = await store.aio.call(
        voicemail.add_message,
        store,
        voicemail.NewMessage("202", "personal", CALLER, SECRET, now, 3.0, "vm/202/x.wav", 0),
    )
    recording = await store.aio.call(
        recordings.add_recording,
        store,
        recordings.NewRecording("202", SECRET, now, 3.0, CALLER, SECRET, "rec/202/x.wav", 0),
    )
    record = CallRecord(SECRET, "202", CALLER, "Bram Jansen", SECRET, now, now, now, "hangup")
    call = await store.aio.add_call_record(record)
    contact = await bram.post(
        "/api/v1/contacts", json={"name": SECRET, "numbers": [{"number": CALLER}]}
    )
    start = datetime(2027, 3, 1, 9, 0)
    plan = await bram.post(
        "/api/v1/me/plans",
        json={
            "name": SECRET,
            "status": "meeting",
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
            "note": SECRET,
        },
    )
    chat = await bram.post("/api/v1/chats", json={"kind": "direct", "members": ["201"]})
    said = await bram.post(f"/api/v1/chats/{chat.json()['id']}/messages", json={"text": SECRET})
    rules = await bram.put("/api/v1/me/routing-rules", json={"mobile": CALLER, "rules": []})
    sessions = (await bram.get("/api/v1/me/sessions")).json()
    for made in (contact, plan, chat, said, rules):
        assert made.status_code in (200, 201), made.text
    return {
        "voicemail": str(message.id),
        "recording": str(recording.id),
        "call": str(call),
        "contact": str(contact.json()["id"]),
        "plan": str(plan.json()["id"]),
        "chat": str(chat.json()["id"]),
        "session": str(sessions[0]["id"]),
    }


_CARD = {"name": "Taken over", "numbers": [{"number": "204"}]}
_PLAN = {
    "name": "x",
    "status": "lunch",
    "start": "2027-03-01T12:00:00",
    "end": "2027-03-01T13:00:00",
}

ITEM_ROUTES: tuple[tuple[str, str, object], ...] = (
    ("GET", "/api/v1/voicemail/{message_id:int}/audio", None),
    ("POST", "/api/v1/voicemail/{message_id:int}/heard", None),
    ("PATCH", "/api/v1/voicemail/{message_id:int}", {"heard": True}),
    ("DELETE", "/api/v1/voicemail/{message_id:int}", None),
    ("GET", "/api/v1/recordings/{recording_id:int}/audio", None),
    ("DELETE", "/api/v1/recordings/{recording_id:int}", None),
    ("DELETE", "/api/v1/calls/{call_id}", None),
    ("GET", "/api/v1/contacts/{contact_id}", None),
    ("PUT", "/api/v1/contacts/{contact_id}", _CARD),
    ("PUT", "/api/v1/contacts/{contact_id}/type", {"type": "blocked"}),
    ("DELETE", "/api/v1/contacts/{contact_id}", None),
    ("PUT", "/api/v1/me/plans/{plan_id:int}", _PLAN),
    ("DELETE", "/api/v1/me/plans/{plan_id:int}", None),
    ("GET", "/api/v1/chats/{conversation_id}", None),
    ("PATCH", "/api/v1/chats/{conversation_id}", {"name": "Taken over"}),
    ("POST", "/api/v1/chats/{conversation_id}/members", {"extensions": ["204"]}),
    ("DELETE", "/api/v1/chats/{conversation_id}/members/{extension}", None),
    ("POST", "/api/v1/chats/{conversation_id}/leave", None),
    ("GET", "/api/v1/chats/{conversation_id}/messages", None),
    ("POST", "/api/v1/chats/{conversation_id}/messages", {"text": "hello"}),
    ("POST", "/api/v1/chats/{conversation_id}/read", {"seq": 1}),
    ("POST", "/api/v1/chats/{conversation_id}/delivered", {"seq": 1}),
    ("POST", "/api/v1/chats/{conversation_id}/typing", None),
    ("DELETE", "/api/v1/me/sessions/{session_id}", None),
)
"""Every route that names one of a user's stored items by id, with a body it would take
(tests/component/security/test_permission_matrix.py checks that no "own" route is missing)."""

_PARAMS = {
    "message_id": "voicemail",
    "recording_id": "recording",
    "call_id": "call",
    "contact_id": "contact",
    "plan_id": "plan",
    "conversation_id": "chat",
    "session_id": "session",
}


def fill(template: str, values: dict[str, str]) -> str:
    """The path ``template`` names, its parameters taken from ``values``."""
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values[m.group(1)], template)


def _by_id(ids: dict[str, str]) -> list[tuple[str, str, object]]:
    values = {param: ids[kind] for param, kind in _PARAMS.items()} | {"extension": "201"}
    return [(method, fill(template, values), body) for method, template, body in ITEM_ROUTES]


_LISTS = (
    "/api/v1/voicemail",
    "/api/v1/recordings",
    "/api/v1/calls",
    "/api/v1/contacts",
    "/api/v1/contacts/page",
    "/api/v1/me/plans?from=2027-02-01T00:00:00Z&to=2027-04-01T00:00:00Z",
    "/api/v1/chats",
    f"/api/v1/chats/search?q={SECRET}",
    "/api/v1/me/sessions",
    "/api/v1/me/routing-rules",
    "/api/v1/me/routing",
    "/api/v1/contacts/export",
)


async def test_no_one_reads_or_changes_another_users_items(tmp_path: Path) -> None:
    async with office(tmp_path / "pbx") as acme, acme.client("202") as bram:
        ids = await _bram_items(acme, bram)
        routes = _by_id(ids)
        for extension in PROBERS:
            async with acme.client(extension) as other:
                for method, path, body in routes:
                    answer = await other.request(method, path, json=body)
                    assert answer.status_code in (403, 404), (extension, path, answer.text)
                    no_leak(answer, SECRET, CALLER)
                for path in _LISTS:
                    listed = await other.get(path)
                    assert listed.status_code == 200, (extension, path, listed.text)
                    no_leak(listed, SECRET, CALLER)
        await _all_still_there(bram, ids)


async def _all_still_there(bram: httpx.AsyncClient, ids: dict[str, str]) -> None:
    """Nothing the others tried changed Bram's items; his session still works."""
    (message,) = [m for m in (await bram.get("/api/v1/voicemail")).json()]
    assert (message["id"], message["heard"]) == (int(ids["voicemail"]), False)
    assert [r["id"] for r in (await bram.get("/api/v1/recordings")).json()] == [
        int(ids["recording"])
    ]
    assert int(ids["call"]) in [c["id"] for c in (await bram.get("/api/v1/calls")).json()]
    card = (await bram.get(f"/api/v1/contacts/{ids['contact']}")).json()
    assert (card["name"], card["type"]) == (SECRET, "none")
    chat = (await bram.get(f"/api/v1/chats/{ids['chat']}")).json()
    assert sorted(m["extension"] for m in chat["members"]) == ["201", "202"]
    assert chat["name"] is None
    texts = (await bram.get(f"/api/v1/chats/{ids['chat']}/messages")).json()["messages"]
    assert [m["text"] for m in texts] == [SECRET]
    plans = await bram.get(
        "/api/v1/me/plans", params={"from": "2027-02-01T00:00:00Z", "to": "2027-04-01T00:00:00Z"}
    )
    assert [p["name"] for p in plans.json()] == [SECRET]
    assert len((await bram.get("/api/v1/me/sessions")).json()) >= 1


async def test_a_group_inbox_is_its_departments(tmp_path: Path) -> None:
    """Support's inbox (9102): Bram and Chris read it; Dana (Reception) and Eva (the admin,
    Management) neither list nor touch it."""
    async with office(tmp_path / "pbx") as acme:
        store = acme.pbx.store
        new = voicemail.NewMessage(
            "9102", "Support", CALLER, SECRET, datetime.now(UTC), 3.0, "vm/9102/x.wav", 0
        )
        message = await store.aio.call(voicemail.add_message, store, new)
        for extension in ("202", "203"):
            async with acme.client(extension) as member:
                listed = (await member.get("/api/v1/voicemail", params={"inbox": "9102"})).json()
                assert [m["id"] for m in listed] == [message.id]
        for extension in ("204", "205"):
            async with acme.client(extension) as other:
                no_leak(await other.get("/api/v1/voicemail"), SECRET, CALLER)
                inboxes = (await other.get("/api/v1/voicemail/inboxes")).json()
                assert "9102" not in [i["number"] for i in inboxes]
                for method in ("POST", "DELETE"):
                    path = f"/api/v1/voicemail/{message.id}" + (
                        "/heard" if method == "POST" else ""
                    )
                    answer = await other.request(method, path)
                    assert answer.status_code == 404, answer.text
                    no_leak(answer, SECRET, CALLER)
