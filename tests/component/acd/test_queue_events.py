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


async def _next_queue_event(ws: ClientConnection) -> dict[str, Any]:
    """The next ``queue.*`` message (others, such as presence, are passed over)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), _WAIT))
        if str(message["type"]).startswith("queue."):
            return {"type": message["type"], **message["data"]}


async def test_queue_events_reach_its_people_and_the_admins_only(tmp_path: Path) -> None:
    async with office(tmp_path / "pbx") as acme:
        sockets = {ext: await _subscribe(acme, ext) for ext in ("201", "202", "203", "204", "205")}
        try:
            async with acme.client("203") as chris:  # Support: 202, 201; Chris; Eva the admin
                answer = await chris.put(
                    "/api/v1/queues/1500/agents/201", json={"status": "logged_in"}
                )
                assert answer.status_code == 200, answer.text
            support = {
                "type": "queue.agent_changed", "queue": "1500", "extension": "201",
                "status": "logged_in", "reason": "supervisor",
            }  # fmt: skip
            for ext in ("201", "202", "203", "205"):
                assert await _next_queue_event(sockets[ext]) == support, ext

            acme.pbx.queues.publish_updated("1501")  # as the queue engine does: Sales
            sales = {"type": "queue.updated", "number": "1501"}
            for ext in ("201", "203", "204", "205"):  # Dana's first: Support's never reached her
                assert await _next_queue_event(sockets[ext]) == sales, ext

            async with acme.client("205") as eva:
                made = await eva.put(
                    "/api/v1/org/queues/1502",
                    json={"number": "1502", "name": "Night", "members": [{"extension": "204"}]},
                )
                assert made.status_code == 200, made.text
            night = {"type": "queue.changed", "number": "1502", "removed": False}
            for ext in ("204", "205"):
                assert await _next_queue_event(sockets[ext]) == night, ext
            # Bram's next queue event is the change of his own queue, not Sales' nor Night's
            acme.pbx.queues.publish_updated("1500")
            assert await _next_queue_event(sockets["202"]) == {
                "type": "queue.updated",
                "number": "1500",
            }
            # Bram, logged in, taken off Support: he is told he is logged out, then of the change
            support = config_to_dict(acme.pbx.queues.queue("1500"))  # type: ignore[arg-type]
            support["members"] = [{"extension": "201", "priority": 0, "skill": 3}]
            async with acme.client("205") as eva:
                assert (await eva.put("/api/v1/org/queues/1500", json=support)).status_code == 200
            assert await _next_queue_event(sockets["202"]) == {
                "type": "queue.agent_changed", "queue": "1500", "extension": "202",
                "status": "logged_out", "reason": "removed",
            }  # fmt: skip
            changed = {"type": "queue.changed", "number": "1500", "removed": False}
            assert await _next_queue_event(sockets["202"]) == changed
        finally:
            for ws in sockets.values():
                await ws.close()
