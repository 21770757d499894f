"""Queue events on the event WebSocket reach the queue's members, its supervisors and the
administrators, and nobody else: a real demo PBX, its API over HTTP and real WebSocket clients
(docs/queues.md "Events")."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from pbx_core.acd.model import config_to_dict
from tests.component.security._office import Office, office

_WAIT = 10.0  # a guard against a hang, not a measured time


async def _subscribe(acme: Office, extension: str) -> ClientConnection:
    host = acme.base_url.removeprefix("http://")
    ws = await connect(f"ws://{host}/api/v1/events?token={await acme.token(extension)}")
    return ws


async def _next(ws: ClientConnection, kind: str) -> dict[str, Any]:
    """The next message of type ``kind`` (others, such as presence, are passed over)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), _WAIT))
        if message["type"] == kind:
            return dict(message["data"])


async def _status(acme: Office, who: str, number: str, extension: str, status: str) -> None:
    async with acme.client(who) as api:
        answer = await api.put(
            f"/api/v1/queues/{number}/agents/{extension}", json={"status": status}
        )
    assert answer.status_code == 200, answer.text


async def test_queue_events_reach_its_people_and_the_admins_only(tmp_path: Path) -> None:
    async with office(tmp_path / "pbx") as acme:
        sockets = {ext: await _subscribe(acme, ext) for ext in ("201", "202", "203", "204", "205")}
        try:
            # Support 1500: members 202 and 201, supervisor 203, and Eva the admin
            await _status(acme, "203", "1500", "201", "logged_in")
            support = {"queue": "1500", "extension": "201", "status": "logged_in",
                       "reason": "supervisor"}  # fmt: skip
            for ext in ("201", "202", "203", "205"):
                assert await _next(sockets[ext], "queue.agent_changed") == support, ext
            # the queue engine tells Support's people that its free agents changed
            for ext in ("201", "202", "203", "205"):
                assert await _next(sockets[ext], "queue.updated") == {"number": "1500"}, ext

            # Sales 1501: 201 and 204; Dana's first agent change is Sales', not Support's
            await _status(acme, "204", "1501", "204", "logged_in")
            sales = {"queue": "1501", "extension": "204", "status": "logged_in", "reason": "app"}
            for ext in ("201", "203", "204", "205"):
                assert await _next(sockets[ext], "queue.agent_changed") == sales, ext
            assert await _next(sockets["204"], "queue.updated") == {"number": "1501"}

            async with acme.client("205") as eva:
                made = await eva.put(
                    "/api/v1/org/queues/1502",
                    json={"number": "1502", "name": "Night", "members": [{"extension": "204"}]},
                )
                assert made.status_code == 200, made.text
                night = {"number": "1502", "removed": False}
                for ext in ("204", "205"):
                    assert await _next(sockets[ext], "queue.changed") == night, ext

                # Bram, logged in, taken off Support: told of his logout, then of the change;
                # his next events are these, so Sales' and Night's never reached him
                body = config_to_dict(acme.pbx.queues.queue("1500"))  # type: ignore[arg-type]
                body["members"] = [{"extension": "201", "priority": 0, "skill": 3}]
                assert (await eva.put("/api/v1/org/queues/1500", json=body)).status_code == 200
            assert await _next(sockets["202"], "queue.agent_changed") == {
                "queue": "1500", "extension": "202", "status": "logged_out", "reason": "removed",
            }  # fmt: skip
            changed = {"number": "1500", "removed": False}
            assert await _next(sockets["202"], "queue.changed") == changed
        finally:
            for ws in sockets.values():
                await ws.close()
