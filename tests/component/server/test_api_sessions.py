"""Password change and the user's sessions over HTTP, against a started demo server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from pbx_core.password_policy import NO_DIGIT, NO_SPECIAL, NO_UPPER, TOO_SHORT
from tests.support.api import bearer, login
from tests.support.server_process import RunningServer, start_server


def _change(api: httpx.Client, token: str, current: str, new: str) -> httpx.Response:
    return api.put(
        "/api/v1/me/password", json={"current": current, "new": new}, headers=bearer(token)
    )


def test_sessions_list_shows_this_one_and_never_a_token(api: httpx.Client) -> None:
    first = login(api, "201", "Demo-201!")
    second = login(api, "201", "Demo-201!")
    response = api.get(
        "/api/v1/me/sessions", headers={**bearer(second), "User-Agent": "Softphone-test/2"}
    )
    assert response.status_code == 200, response.text
    listed = response.json()
    assert set(listed[0]) == {
        "id",
        "created",
        "last_used",
        "expires",
        "user_agent",
        "source",
        "current",
    }
    current = [s for s in listed if s["current"]]
    assert len(current) == 1
    assert current[0]["source"] == "127.0.0.1"
    assert current[0]["user_agent"].startswith("python-httpx/")
    assert len(listed) >= 2
    assert first not in response.text and second not in response.text


def test_ending_a_session_signs_it_out_and_closes_its_sockets(
    api: httpx.Client, demo_server: RunningServer
) -> None:
    mine = login(api, "202", "Demo-202!")
    other = login(api, "202", "Demo-202!")

    async def watch() -> int:
        async with (
            connect(f"{demo_server.ws_url}/api/v1/events?token={other}") as ws,
            httpx.AsyncClient(base_url=demo_server.base_url, timeout=10) as client,
        ):
            listed = (await client.get("/api/v1/me/sessions", headers=bearer(mine))).json()
            for sid in [s["id"] for s in listed if not s["current"]]:
                ended = await client.delete(f"/api/v1/me/sessions/{sid}", headers=bearer(mine))
                assert ended.status_code == 204, ended.text
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(ws.recv(), 10)
            assert closed.value.rcvd is not None
            return closed.value.rcvd.code

    assert asyncio.run(watch()) == 4401
    assert api.get("/api/v1/me", headers=bearer(other)).status_code == 401
    assert api.get("/api/v1/me", headers=bearer(mine)).status_code == 200
    (only,) = api.get("/api/v1/me/sessions", headers=bearer(mine)).json()
    assert only["current"] is True


def test_another_users_session_is_404(api: httpx.Client) -> None:
    anna = login(api, "201", "Demo-201!")
    chris = login(api, "203", "Demo-203!")
    (sid,) = [
        s["id"]
        for s in api.get("/api/v1/me/sessions", headers=bearer(chris)).json()
        if s["current"]
    ]
    response = api.delete(f"/api/v1/me/sessions/{sid}", headers=bearer(anna))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert api.get("/api/v1/me", headers=bearer(chris)).status_code == 200
    assert api.delete("/api/v1/me/sessions/nope", headers=bearer(anna)).status_code == 404
    assert api.get("/api/v1/me/sessions").status_code == 401


def test_weak_new_password_lists_every_broken_rule(api: httpx.Client) -> None:
    token = login(api, "204", "Demo-204!")
    response = _change(api, token, "Demo-204!", "short")
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "weak_password"
    assert body["message"] == "the new password does not meet the password policy"
    assert body["problems"] == [TOO_SHORT, NO_DIGIT, NO_UPPER, NO_SPECIAL]
    assert body["codes"] == ["too_short", "no_digit", "no_upper", "no_special"]
    assert login(api, "204", "Demo-204!")


def test_password_change_keeps_this_session_and_ends_the_others(api: httpx.Client) -> None:
    other = login(api, "205", "Demo-205!")
    token = login(api, "205", "Demo-205!")
    assert _change(api, token, "Demo-205!", "Fresh-pass-9").status_code == 204
    assert api.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert api.get("/api/v1/me", headers=bearer(other)).status_code == 401
    wrong = api.post("/api/v1/auth/login", json={"username": "205", "password": "Demo-205!"})
    assert wrong.status_code == 401
    again = login(api, "205", "Fresh-pass-9")
    assert _change(api, again, "Fresh-pass-9", "Demo-205!").status_code == 204


def test_wrong_current_password_is_403_then_blocked(api: httpx.Client) -> None:
    token = login(api, "203", "Demo-203!")
    statuses = [_change(api, token, f"Wrong-{n}!", "Fresh-pass-9").status_code for n in range(6)]
    assert statuses[:5] == [403] * 5
    blocked = _change(api, token, "Demo-203!", "Fresh-pass-9")
    assert statuses[5] == blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert login(api, "203", "Demo-203!"), "the old password still works"


def test_a_restart_keeps_users_signed_in(tmp_path: Path) -> None:
    server = start_server(tmp_path, demo=True)
    with server, httpx.Client(base_url=server.base_url, timeout=10) as api:
        token = login(api, "201", "Demo-201!")
        ended = login(api, "201", "Demo-201!")
        assert api.post("/api/v1/auth/logout", headers=bearer(ended)).status_code == 204
        before = api.get("/api/v1/me/sessions", headers=bearer(token)).json()
    again = start_server(tmp_path, demo=True, data_dir=server.data_dir)
    with again, httpx.Client(base_url=again.base_url, timeout=10) as api:
        assert api.get("/api/v1/me", headers=bearer(token)).status_code == 200
        assert api.get("/api/v1/me", headers=bearer(ended)).status_code == 401
        after = api.get("/api/v1/me/sessions", headers=bearer(token)).json()
    assert [s["id"] for s in after] == [s["id"] for s in before]
    assert after[0]["current"] is True and after[0]["created"] == before[0]["created"]
