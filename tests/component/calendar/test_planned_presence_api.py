"""A plan's upcoming status in a colleague's view of the user's presence, on a real demo
server: the presence answers of the API and the ``presence.updated`` event."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.support.api import bearer
from tests.support.server_process import RunningServer


async def _login(api: httpx.AsyncClient, user: str) -> dict[str, str]:
    answer = await api.post(
        "/api/v1/auth/login", json={"username": user, "password": f"Demo-{user}!"}
    )
    return bearer(answer.json()["token"])


async def _update_of(
    ws: ClientConnection, extension: str, *, with_plans: bool = True
) -> dict[str, Any]:
    """The next ``presence.updated`` of ``extension`` with (or without) planned statuses."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 15))
        data = message["data"]
        ours = message["type"] == "presence.updated" and data["extension"] == extension
        if ours and bool(data["planned"]) == with_plans:
            return data  # type: ignore[no-any-return]


async def test_a_plan_two_hours_ahead_shows_in_a_colleagues_presence(
    demo_server: RunningServer,
) -> None:
    async with httpx.AsyncClient(base_url=demo_server.base_url, timeout=10) as api:
        bram, anna = await _login(api, "202"), await _login(api, "201")
        token = anna["Authorization"].removeprefix("Bearer ")
        async with connect(f"{demo_server.ws_url}/api/v1/events?token={token}") as ws:
            start = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
            end = start + timedelta(minutes=45)
            made = await api.post(
                "/api/v1/me/plans",
                json={
                    "name": "Budget review",
                    "status": "meeting",
                    "start": start.replace(tzinfo=None).isoformat(),
                    "end": end.replace(tzinfo=None).isoformat(),
                    "time_zone": "UTC",
                    "note": "room 4, bring the figures",
                },
                headers=bram,
            )
            assert made.status_code == 201, made.text
            try:
                event = await _update_of(ws, "202")
                everyone = (await api.get("/api/v1/presence", headers=anna)).json()
                found = (
                    await api.get("/api/v1/directory", params={"q": "Bram"}, headers=anna)
                ).json()
            finally:
                await api.delete(f"/api/v1/me/plans/{made.json()['id']}", headers=bram)
            cleared = await _update_of(ws, "202", with_plans=False)
    expected = [{"status": "meeting", "start": start, "end": end}]
    assert _parsed(event["planned"]) == expected
    (bram_now,) = [p for p in everyone if p["extension"] == "202"]
    assert _parsed(bram_now["planned"]) == expected
    (entry,) = [e for e in _entries(found) if e.get("extension") == "202"]
    assert _parsed(entry["presence"]["planned"]) == expected
    assert "room 4" not in json.dumps([event, bram_now, entry])  # the note stays in the calendar
    assert cleared["planned"] == []


def _entries(found: Any) -> list[dict[str, Any]]:
    return found["entries"] if isinstance(found, dict) else found  # type: ignore[no-any-return]


def _parsed(planned: list[dict[str, str]]) -> list[dict[str, object]]:
    return [
        {
            "status": p["status"],
            "start": datetime.fromisoformat(p["start"]),
            "end": datetime.fromisoformat(p["end"]),
        }
        for p in planned
    ]
