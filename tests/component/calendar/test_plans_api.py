"""Plans through the API of a real demo server: validation, overlaps, the event, and the
status changing at a plan's start and end."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.support.api import bearer, login
from tests.support.server_process import RunningServer


def _plan(start: datetime, end: datetime, **kw: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Planning",
        "status": "meeting",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "time_zone": "Europe/Amsterdam",
    }
    body.update(kw)
    return body


def test_bad_plans_are_refused_with_the_reason(api: httpx.Client) -> None:
    token = login(api, "203", "Demo-203!")
    start = datetime(2027, 1, 4, 9, 0)
    bad_rule = api.post(
        "/api/v1/me/plans",
        json=_plan(start, start + timedelta(hours=1), repeat="custom", rrule="FREQ=NEVER"),
        headers=bearer(token),
    )
    assert bad_rule.status_code == 422 and "bad RRULE" in bad_rule.json()["message"]
    backwards = api.post(
        "/api/v1/me/plans", json=_plan(start, start - timedelta(hours=1)), headers=bearer(token)
    )
    assert backwards.status_code == 422
    assert backwards.json()["message"] == "end must be after start"
    missing = api.delete("/api/v1/me/plans/999999", headers=bearer(token))
    assert missing.status_code == 404


def test_create_list_overlap_update_delete(api: httpx.Client) -> None:
    token = login(api, "203", "Demo-203!")
    monday = datetime(2027, 1, 4, 9, 0)
    weekly = api.post(
        "/api/v1/me/plans",
        json=_plan(monday, monday + timedelta(hours=1), repeat="weekly", note="stand-up"),
        headers=bearer(token),
    )
    assert weekly.status_code == 201, weekly.text
    weekly_id = weekly.json()["id"]
    assert weekly.json()["rrule"] == "FREQ=WEEKLY" and weekly.json()["overlaps"] == []
    clash = api.post(
        "/api/v1/me/plans",
        json=_plan(monday + timedelta(days=7, minutes=30), monday + timedelta(days=7, hours=2)),
        headers=bearer(token),
    )
    assert clash.json()["overlaps"] == [weekly_id]
    listed = api.get(
        "/api/v1/me/plans",
        params={"from": "2027-01-01T00:00:00Z", "to": "2027-01-31T00:00:00Z"},
        headers=bearer(token),
    ).json()
    by_id = {p["id"]: p for p in listed}
    assert [o["start"] for o in by_id[weekly_id]["occurrences"]] == [
        "2027-01-04T08:00:00Z",
        "2027-01-11T08:00:00Z",
        "2027-01-18T08:00:00Z",
        "2027-01-25T08:00:00Z",
    ]
    assert by_id[clash.json()["id"]]["overlaps"] == [weekly_id]
    moved = api.put(
        f"/api/v1/me/plans/{clash.json()['id']}",
        json=_plan(monday + timedelta(days=7, hours=3), monday + timedelta(days=7, hours=4)),
        headers=bearer(token),
    )
    assert moved.status_code == 200 and moved.json()["overlaps"] == []
    all_day = api.post(
        "/api/v1/me/plans",
        json=_plan(datetime(2027, 1, 6), datetime(2027, 1, 6), all_day=True, status="vacation"),
        headers=bearer(token),
    ).json()
    assert (all_day["start"], all_day["end"]) == ("2027-01-06T00:00:00", "2027-01-07T00:00:00")
    for plan_id in (weekly_id, clash.json()["id"], all_day["id"]):
        assert api.delete(f"/api/v1/me/plans/{plan_id}", headers=bearer(token)).status_code == 204


async def _next_of_type(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 15))
        if message["type"] == kind:
            return message  # type: ignore[no-any-return]


async def test_a_plan_sets_the_status_at_its_start_and_ends_it(demo_server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=demo_server.base_url, timeout=10) as api:
        token = (
            await api.post("/api/v1/auth/login", json={"username": "202", "password": "Demo-202!"})
        ).json()["token"]
        async with connect(f"{demo_server.ws_url}/api/v1/events?token={token}") as ws:
            start = (datetime.now(UTC) + timedelta(seconds=2)).replace(microsecond=0)
            end = start + timedelta(seconds=2)
            created = await api.post(
                "/api/v1/me/plans",
                json=_plan(start, end, status="dnd", time_zone="UTC"),
                headers=bearer(token),
            )
            assert created.status_code == 201, created.text
            changed = await _next_of_type(ws, "plans.changed")
            assert changed["data"] == {
                "extension": "202",
                "plan_id": created.json()["id"],
                "change": "created",
            }
            began = await _next_of_type(ws, "presence.changed")
            presence = (await api.get("/api/v1/me/presence", headers=bearer(token))).json()
            ended = await _next_of_type(ws, "presence.changed")
    assert began["data"] == {"extension": "202", "status": "dnd", "until": end.isoformat()}
    assert presence["status"] == "dnd"
    assert datetime.fromisoformat(presence["until"]) == end
    assert ended["data"]["status"] == "available"


def test_admins_and_a_supervisor_see_a_colleagues_plans(api: httpx.Client) -> None:
    """Seed 004 "future presence authorization": the admin sees anyone's plans, a supervisor
    their department's; others are refused."""
    start = datetime(2027, 2, 1, 9, 0)
    window = {"from": "2027-02-01T00:00:00Z", "to": "2027-02-02T00:00:00Z"}
    bram = bearer(login(api, "202", "Demo-202!"))  # Support, an agent
    made = api.post("/api/v1/me/plans", json=_plan(start, start + timedelta(hours=2)), headers=bram)
    assert made.status_code == 201, made.text
    try:
        eva = bearer(login(api, "205", "Demo-205!"))  # the admin
        chris = bearer(login(api, "203", "Demo-203!"))  # Support's supervisor
        anna = bearer(login(api, "201", "Demo-201!"))  # Sales, a user
        for viewer in (eva, chris):
            seen = api.get("/api/v1/users/202/plans", params=window, headers=viewer)
            assert seen.status_code == 200, seen.text
            assert [p["id"] for p in seen.json()] == [made.json()["id"]]
            assert seen.json()[0]["occurrences"][0]["start"].startswith("2027-02-01T08:00")
        refused = api.get("/api/v1/users/202/plans", params=window, headers=anna)
        assert refused.status_code == 403
        assert refused.json()["message"] == "you may not see the planned statuses of 202"
        other_department = api.get("/api/v1/users/201/plans", params=window, headers=chris)
        assert other_department.status_code == 403
        assert api.get("/api/v1/users/201/plans", params=window, headers=anna).status_code == 200
        assert api.get("/api/v1/users/299/plans", headers=eva).status_code == 404
    finally:
        api.delete(f"/api/v1/me/plans/{made.json()['id']}", headers=bram)
