from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from pbx_core.store import CallRecord, Store
from tests.support.api import bearer, login
from tests.support.server_process import RunningServer


@pytest.fixture
def anna(api: httpx.Client) -> str:
    return login(api, "201", "Demo-201!")


def _assert_error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    return str(body["message"])


def test_health_and_openapi(api: httpx.Client, demo_server: RunningServer) -> None:
    health = api.get("/api/health").json()
    assert health == {
        "status": "ok",
        "sip_udp": demo_server.sip_udp_port,
        "sip_tcp": demo_server.sip_tcp_port,
        "sip_tls": demo_server.ready["sip_tls"],
        "sip_ws": 0,  # SIP over WebSocket is off unless --sip-ws-port
    }
    assert health["sip_tls"] > 0, "TLS listens by default"
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/auth/login", "/api/v1/me", "/api/v1/calls", "/api/v1/directory"):
        assert path in paths
    assert "put" in paths["/api/v1/me/presence"]


def test_login_by_extension_and_email(api: httpx.Client) -> None:
    by_ext = login(api, "204", "Demo-204!")
    by_mail = login(api, "Dana.Bakker@acme.example", "Demo-204!")
    assert by_ext != by_mail
    assert api.get("/api/v1/me", headers=bearer(by_mail)).json()["extension"] == "204"


@pytest.mark.parametrize(
    "body",
    [
        {"username": "201", "password": "Demo-202!"},
        {"username": "nobody@acme.example", "password": "Demo-201!"},
    ],
)
def test_wrong_password_is_401_json(api: httpx.Client, body: dict[str, str]) -> None:
    response = api.post("/api/v1/auth/login", json=body)
    assert _assert_error(response, 401, "unauthorized") == "wrong user name or password"
    assert response.headers["www-authenticate"] == "Bearer"


def test_login_without_password_is_422_json(api: httpx.Client) -> None:
    message = _assert_error(
        api.post("/api/v1/auth/login", json={"username": "201"}), 422, "invalid_request"
    )
    assert "password" in message


def test_me_needs_a_valid_token(api: httpx.Client) -> None:
    _assert_error(api.get("/api/v1/me"), 401, "unauthorized")
    _assert_error(api.get("/api/v1/me", headers=bearer("not-a-token")), 401, "unauthorized")


def test_me(api: httpx.Client) -> None:
    token = login(api, "eva.smit@acme.example", "Demo-205!")
    me = api.get("/api/v1/me", headers=bearer(token)).json()
    assert me["name"] == "Eva Smit"
    assert me["extension"] == "205"
    assert me["email"] == "eva.smit@acme.example"
    assert me["department"] == "Management"
    assert "admin" in me["roles"]
    assert me["presence"]["status"] in {"available", "meeting", "lunch"}
    assert me["pick_up_from"] is None  # the admin picks up anyone's calls
    chris = api.get("/api/v1/me", headers=bearer(login(api, "203", "Demo-203!"))).json()
    assert chris["pick_up_from"] == ["202"]  # his department (Support)


def test_logout_ends_the_token(api: httpx.Client) -> None:
    token = login(api, "203", "Demo-203!")
    assert api.post("/api/v1/auth/logout", headers=bearer(token)).status_code == 204
    _assert_error(api.get("/api/v1/me", headers=bearer(token)), 401, "unauthorized")


def test_directory_users_with_presence_and_line_state(api: httpx.Client, anna: str) -> None:
    entries = api.get("/api/v1/directory", params={"q": "support"}, headers=bearer(anna)).json()
    users = {e["extension"]: e for e in entries if e["kind"] == "user"}
    assert sorted(users) == ["202", "203"]
    assert users["202"]["name"] == "Bram Jansen"
    assert users["202"]["presence"]["status"] in {"available", "meeting", "lunch", "dnd"}
    assert users["202"]["line_state"] == "idle"
    assert isinstance(users["202"]["registered"], bool)


def test_directory_contacts_by_number_and_company(api: httpx.Client, anna: str) -> None:
    by_number = api.get("/api/v1/directory", params={"q": "+45 33 12"}, headers=bearer(anna))
    assert [(e["kind"], e["name"], e["company"]) for e in by_number.json()] == [
        ("contact", "Lars Nielsen", "Nordlys ApS")
    ]
    assert by_number.json()[0]["numbers"][0] == {"label": "work", "number": "+4533123456"}
    by_company = api.get("/api/v1/directory", params={"q": "visser"}, headers=bearer(anna))
    assert [e["name"] for e in by_company.json()] == ["Jan Visser"]
    echo = api.get("/api/v1/directory", params={"q": "echo"}, headers=bearer(anna)).json()
    assert [(e["kind"], e["extension"], e["name"]) for e in echo] == [
        ("service", "9000", "Echo test")
    ]
    _assert_error(api.get("/api/v1/directory"), 401, "unauthorized")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"status": "asleep"}, "status"),
        ({"status": "meeting", "until": "tomorrow"}, "until"),
        ({"status": "meeting", "until": "2020-01-01T10:00:00Z"}, "until must be in the future"),
        ({"status": "meeting", "until": "2099-01-01T10:00:00"}, "time zone"),
        ({"status": "meeting", "colour": "red"}, "colour"),
    ],
)
def test_bad_presence_is_422_json(
    api: httpx.Client, anna: str, body: dict[str, Any], fragment: str
) -> None:
    response = api.put("/api/v1/me/presence", json=body, headers=bearer(anna))
    assert fragment in _assert_error(response, 422, "invalid_request")


def test_unknown_path_is_404_json(api: httpx.Client) -> None:
    _assert_error(api.get("/api/v1/nothing-here"), 404, "not_found")


async def _next_of_type(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == kind:
            return message  # type: ignore[no-any-return]


async def test_presence_change_is_seen_on_the_websocket(demo_server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=demo_server.base_url, timeout=10) as api:
        token = (
            await api.post("/api/v1/auth/login", json={"username": "202", "password": "Demo-202!"})
        ).json()["token"]
        url = f"{demo_server.ws_url}/api/v1/events?token={token}"
        async with connect(url) as ws:
            until = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
            put = await api.put(
                "/api/v1/me/presence",
                json={"status": "meeting", "until": until.isoformat()},
                headers=bearer(token),
            )
            assert put.status_code == 200, put.text
            assert put.json()["status"] == "meeting"
            first = await _next_of_type(ws, "presence.changed")
            await api.put("/api/v1/me/presence", json={"status": "lunch"}, headers=bearer(token))
            second = await _next_of_type(ws, "presence.changed")
    assert first["data"]["extension"] == "202"
    assert first["data"]["status"] == "meeting"
    assert datetime.fromisoformat(first["data"]["until"]) == until
    assert second["data"] == {"extension": "202", "status": "lunch", "until": None}
    assert isinstance(first["seq"], int) and second["seq"] > first["seq"]
    me = (await api_get_me(demo_server, token))["presence"]
    assert {k: me[k] for k in ("status", "until")} == {"status": "lunch", "until": None}


async def api_get_me(server: RunningServer, token: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as api:
        return (await api.get("/api/v1/me", headers=bearer(token))).json()  # type: ignore[no-any-return]


async def test_websocket_token_in_first_message(demo_server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=demo_server.base_url, timeout=10) as api:
        token = (
            await api.post("/api/v1/auth/login", json={"username": "203", "password": "Demo-203!"})
        ).json()["token"]
        async with connect(f"{demo_server.ws_url}/api/v1/events") as ws:
            await ws.send(json.dumps({"token": token}))
            subscribed = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert subscribed["type"] == "subscribed"
            await api.put("/api/v1/me/presence", json={"status": "dnd"}, headers=bearer(token))
            event = await _next_of_type(ws, "presence.changed")
            await api.put(
                "/api/v1/me/presence", json={"status": "available"}, headers=bearer(token)
            )
    assert event["data"]["extension"] == "203"
    assert event["seq"] > subscribed["seq"]


@pytest.mark.parametrize("first_message", [None, '{"token": "forged"}', "not json"])
async def test_websocket_bad_token_closes_with_4401(
    demo_server: RunningServer, first_message: str | None
) -> None:
    url = f"{demo_server.ws_url}/api/v1/events"
    if first_message is None:
        url += "?token=forged"
    async with connect(url) as ws:
        if first_message is not None:
            await ws.send(first_message)
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


def test_call_history_from_the_users_point_of_view(
    api: httpx.Client, demo_server: RunningServer
) -> None:
    store = Store(f"sqlite:///{demo_server.data_dir / 'pbx.sqlite3'}")
    store.open()
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def record(n: int, caller: str, callee: str, answered: bool) -> CallRecord:
        start = t0 + timedelta(minutes=n)
        return CallRecord(
            call_id=f"hist-{n}",
            caller=caller,
            callee=callee,
            caller_name=None,
            callee_name="Unknown caller" if callee.startswith("+4") else None,
            started_at=start,
            answered_at=start + timedelta(seconds=3) if answered else None,
            ended_at=start + timedelta(seconds=93),
            reason="hangup" if answered else "cancelled",
        )

    try:
        store.add_call_record(record(1, "204", "+4533123456", True))
        store.add_call_record(record(2, "202", "204", False))
        store.add_call_record(record(3, "203", "204", True))
        store.add_call_record(record(4, "201", "202", True))
    finally:
        store.close()
    token = login(api, "204", "Demo-204!")
    calls = api.get("/api/v1/calls", headers=bearer(token)).json()
    assert [(c["direction"], c["number"], c["name"], c["duration"]) for c in calls] == [
        ("incoming", "203", "Chris Peters", 90),
        ("missed", "202", "Bram Jansen", 0),
        ("outgoing", "+4533123456", "Lars Nielsen, Nordlys ApS", 90),
    ]
    assert calls[0]["started_at"].startswith("2026-03-02T09:03:00")
    limited = api.get("/api/v1/calls", params={"limit": 1}, headers=bearer(token)).json()
    assert len(limited) == 1
    _assert_error(api.get("/api/v1/calls"), 401, "unauthorized")


def test_a_deleted_call_leaves_only_that_users_history(
    api: httpx.Client, demo_server: RunningServer
) -> None:
    store = Store(f"sqlite:///{demo_server.data_dir / 'pbx.sqlite3'}")
    store.open()
    t0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    try:
        shared = store.add_call_record(
            CallRecord(
                call_id="del-1",
                caller="205",
                callee="203",
                caller_name=None,
                callee_name=None,
                started_at=t0,
                answered_at=None,
                ended_at=t0 + timedelta(seconds=5),
                reason="declined",
                ended_by="203",
                sip_status=603,
            )
        )
    finally:
        store.close()
    caller = login(api, "205", "Demo-205!")
    callee = login(api, "203", "Demo-203!")
    other = login(api, "202", "Demo-202!")
    (mine,) = [
        c for c in api.get("/api/v1/calls", headers=bearer(caller)).json() if c["id"] == shared
    ]
    assert (mine["reason"], mine["ended_by"], mine["sip_status"]) == ("declined", "203", 603)

    _assert_error(api.delete(f"/api/v1/calls/{shared}"), 401, "unauthorized")
    _assert_error(api.delete(f"/api/v1/calls/{shared}", headers=bearer(other)), 404, "not_found")
    _assert_error(api.delete("/api/v1/calls/999999", headers=bearer(caller)), 404, "not_found")
    deleted = api.delete(f"/api/v1/calls/{shared}", headers=bearer(caller))
    assert deleted.status_code == 204 and deleted.content == b""
    assert api.delete(f"/api/v1/calls/{shared}", headers=bearer(caller)).status_code == 204

    def ids(token: str) -> list[int]:
        return [c["id"] for c in api.get("/api/v1/calls", headers=bearer(token)).json()]

    assert shared not in ids(caller)
    assert shared in ids(callee)  # the other party still has it
    assert "delete" in api.get("/openapi.json").json()["paths"]["/api/v1/calls/{call_id}"]


def test_everyones_presence_is_listed(api: httpx.Client) -> None:
    bram = bearer(login(api, "202", "Demo-202!"))
    body = {"status": "lunch", "note": "Back at one"}
    assert api.put("/api/v1/me/presence", json=body, headers=bram).status_code == 200
    anna = bearer(login(api, "201", "Demo-201!"))
    listed = api.get("/api/v1/presence", headers=anna)
    assert listed.status_code == 200
    by_ext = {row["extension"]: row for row in listed.json()}
    assert {"201", "202", "203", "204", "205"} <= set(by_ext)
    assert (by_ext["202"]["status"], by_ext["202"]["note"]) == ("lunch", "Back at one")
    assert api.get("/api/v1/presence").status_code == 401
    api.put("/api/v1/me/presence", json={"status": "available", "note": ""}, headers=bram)
