"""Odd input gets a described answer, never a 500 or a traceback: presence ``until`` out of
range, broken WebSocket sign-ins, revoked tokens, 405 Allow, 400 in the schema, stale
server.json."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.support.server_process import RunningServer, start_server


def _token(api: httpx.Client, user: str = "201") -> str:
    response = api.post("/api/v1/auth/login", json={"username": user, "password": f"Demo-{user}!"})
    assert response.status_code == 200
    return str(response.json()["token"])


_EDGES = ["9999-12-31T23:59:59-23:59", "0001-01-01T00:30:00+01:00"]


@pytest.mark.parametrize("until", _EDGES)
def test_presence_until_out_of_range_is_422(api: httpx.Client, until: str) -> None:
    response = api.put(
        "/api/v1/me/presence",
        json={"status": "meeting", "until": until},
        headers={"Authorization": f"Bearer {_token(api)}"},
    )
    assert response.status_code == 422
    assert response.json() == {"error": "invalid_request", "message": "until is out of range"}


@pytest.mark.parametrize(
    "plan",
    [
        {"start": _EDGES[0], "end": _EDGES[0]},
        {"start": _EDGES[1], "end": "2027-01-01T10:00:00"},
        {"start": "0001-01-01T00:00:00", "end": "2027-01-01T10:00:00", "repeat": "daily"},
        {"start": "9999-12-31T00:00:00", "end": "9999-12-31T00:00:00", "all_day": True},
    ],
    ids=["past-9999-in-utc", "before-year-1-in-utc", "daily-from-year-1", "last-day-all-day"],
)
def test_a_plan_at_the_edge_of_the_calendar_is_422_and_not_kept(
    limited_server: RunningServer, api: httpx.Client, plan: dict[str, object]
) -> None:
    headers = {"Authorization": f"Bearer {_token(api, '203')}"}
    answer = api.post(
        "/api/v1/me/plans", json={"name": "x", "status": "meeting", **plan}, headers=headers
    )
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_request"
    window = {"from": _EDGES[0], "to": "2027-01-01T00:00:00Z"}  # from is past year 9999
    listed = api.get("/api/v1/me/plans", params=window, headers=headers)
    assert listed.status_code == 422
    assert listed.json()["error"] == "invalid_request"
    kept = api.post(  # a plan stored anyway would break the scheduler: a traceback per step
        "/api/v1/me/plans",
        json={
            "name": "y",
            "status": "lunch",
            "start": "2027-01-04T12:00:00",
            "end": "2027-01-04T13:00:00",
        },
        headers=headers,
    )
    assert kept.status_code == 201
    assert api.get("/api/v1/me/presence", headers=headers).status_code == 200
    assert "Traceback" not in limited_server.stderr()


@pytest.mark.parametrize(
    "first_message",
    ['{"token": "\\ud800"}', "[" * 2_000 + "]" * 2_000],  # 2,000 deep: beyond the recursion limit
    ids=["lone-surrogate", "deep-json"],
)
async def test_a_broken_websocket_sign_in_closes_with_4401(
    limited_server: RunningServer, first_message: str
) -> None:
    async with connect(f"{limited_server.ws_url}/api/v1/events", max_size=None) as ws:
        await ws.send(first_message)
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401
    assert "Traceback" not in limited_server.stderr()


async def test_a_websocket_message_above_the_body_limit_closes_with_1009(
    limited_server: RunningServer,
) -> None:
    too_big = json.dumps({"token": "x" * 5_000})  # --http-max-body 4096
    async with connect(f"{limited_server.ws_url}/api/v1/events", max_size=None) as ws:
        await ws.send(too_big)
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009  # message too big
    assert "Traceback" not in limited_server.stderr()


async def _first_answer(url: str, token: str) -> str:
    """Sign in on a new socket by first message: "subscribed" or "closed <code>"; while the
    server has not yet let go of sockets just closed (refused: 403, 1008), try again."""
    for _ in range(100):
        try:
            async with connect(url) as ws:
                await ws.send(json.dumps({"token": token}))
                try:
                    return str(json.loads(await asyncio.wait_for(ws.recv(), 10))["type"])
                except ConnectionClosed as closed:
                    code = closed.rcvd.code if closed.rcvd is not None else None
                    if code != 1008:
                        return f"closed {code}"
        except InvalidStatus:
            pass
        await asyncio.sleep(0.05)
    return "refused"


async def test_one_user_has_a_bounded_number_of_event_sockets(
    limited_server: RunningServer, api: httpx.Client
) -> None:
    token = _token(api, "204")
    url = f"{limited_server.ws_url}/api/v1/events"
    async with connect(f"{url}?token={token}"), connect(f"{url}?token={token}"):
        with pytest.raises(InvalidStatus) as refused:  # --event-sockets-per-user 2
            async with connect(f"{url}?token={token}"):
                pass
        assert refused.value.response.status_code == 403
        async with connect(url) as third:
            await third.send(json.dumps({"token": token}))
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(third.recv(), 10)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1008
    assert await _first_answer(url, token) == "subscribed"  # the two closed: room again


async def test_one_address_has_a_bounded_number_of_sockets_signing_in(
    limited_server: RunningServer,
) -> None:
    url = f"{limited_server.ws_url}/api/v1/events"
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(6):  # --http-per-source 6: upgraded, silent, not signed in
            await stack.enter_async_context(connect(url))
        with pytest.raises(InvalidStatus) as refused:
            async with connect(url):
                pass
        assert refused.value.response.status_code == 403
    assert await _first_answer(url, "not-a-token") == "closed 4401"  # the six went: room again


async def test_a_socket_is_closed_when_its_token_is_revoked(
    limited_server: RunningServer, api: httpx.Client
) -> None:
    token = _token(api, "202")
    async with connect(f"{limited_server.ws_url}/api/v1/events?token={token}") as ws:
        await asyncio.sleep(0)  # the subscription is live once the handshake completed
        out = await asyncio.to_thread(
            api.post, "/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}
        )
        assert out.status_code == 204
        with pytest.raises(ConnectionClosed) as closed:
            while True:  # events published before the sign-out may still arrive
                await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


def test_405_names_every_method_of_the_path(api: httpx.Client) -> None:
    response = api.delete("/api/v1/me/presence")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PUT"
    assert response.json()["error"] == "method_not_allowed"


def test_every_405_allows_what_the_schema_says_the_path_takes(api: httpx.Client) -> None:
    """For each path of the schema, a method no route of that path takes: 405, and ``Allow``
    lists the methods of every route the path matches (``/contacts/page`` is also a
    ``/contacts/{contact_id}``)."""
    paths = api.get("/openapi.json").json()["paths"]
    templates = [
        (
            re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"),
            {method.upper() for method in operations},
        )
        for path, operations in paths.items()
    ]
    checked = 0
    for path in paths:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        takes = set().union(*(methods for rx, methods in templates if rx.match(concrete)))
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - takes):
            response = api.request(method, concrete)
            assert response.status_code == 405, f"{method} {path}: {response.status_code}"
            allow = {m.strip() for m in response.headers["allow"].split(",")}
            assert allow - {"HEAD"} == takes, f"{method} {path}: Allow {allow}"
            checked += 1
    assert checked > 100


def test_the_schema_describes_400_and_413(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert {"400", "413"} <= set(operation["responses"]), f"{method} {path}"
    assert "429" in paths["/api/v1/auth/login"]["post"]["responses"]


def test_a_stale_server_json_naming_a_live_pid_does_not_block_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "pbx"
    data_dir.mkdir()
    unrelated = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (data_dir / "server.json").write_text(json.dumps({"pid": unrelated.pid}))
        server = start_server(tmp_path, demo=False, data_dir=data_dir)
        try:
            assert server.ready["pid"] == server.process.pid
        finally:
            server.stop()
    finally:
        unrelated.kill()
        unrelated.wait()
