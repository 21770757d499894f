"""ACD queues on a real demo PBX and its API over HTTP, a real store (docs/queues.md): the demo
queues as each user sees them, who may log whom in, the administrator's queues and every refusal,
login states over a restart of the PBX, the queue call log with its filters and assignment, and
the statistics tiles from the logged calls."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from pbx_core.acd.calls import NewQueueCall, Outcome
from pbx_core.acd.model import config_to_dict
from pbx_core.acd.service import QueueService
from pbx_core.demo import demo_password
from tests.component.security._office import Office, office
from tests.component.security.sip_peer import new_peer

_TRIES = 200  # a guard against a hang (0.05 s apart), not a measured time


def _by_number(answer: httpx.Response) -> dict[str, dict[str, object]]:
    assert answer.status_code == 200, answer.text
    return {q["number"]: q for q in answer.json()}


async def _status(acme: Office, who: str, number: str, extension: str, status: str) -> int:
    async with acme.client(who) as api:
        answer = await api.put(
            f"/api/v1/queues/{number}/agents/{extension}", json={"status": status}
        )
    return answer.status_code


async def test_the_demo_queues_as_each_user_sees_them(tmp_path: Path) -> None:
    async with office(tmp_path / "pbx") as acme:
        seen: dict[str, dict[str, dict[str, object]]] = {}
        for extension in ("201", "202", "203", "204", "205"):
            async with acme.client(extension) as api:
                seen[extension] = _by_number(await api.get("/api/v1/queues"))
        assert seen["202"] == {  # Bram is logged in, but has no phone registered: not available
            "1500": {
                "number": "1500", "name": "Support", "role": "agent", "my_status": "logged_in",
                "waiting": 0, "agents_available": 0, "agents_logged_in": 1,
            }
        }  # fmt: skip
        assert {n: q["my_status"] for n, q in seen["201"].items()} == {
            "1500": "logged_out",
            "1501": "logged_out",
        }
        assert list(seen["204"]) == ["1501"]
        for lead in ("203", "205"):  # the supervisor and the administrator
            assert {n: (q["role"], q["my_status"]) for n, q in seen[lead].items()} == {
                "1500": ("supervisor", None),
                "1501": ("supervisor", None),
            }

        async with acme.client("204") as dana:
            assert (await dana.get("/api/v1/queues/1500")).status_code == 404
            one = await dana.get("/api/v1/queues/1501")
        assert one.status_code == 200, one.text
        sales = one.json()
        assert (sales["name"], sales["role"], sales["waiting"]) == ("Sales", "agent", [])
        assert sales["agents"] == [
            {"extension": "201", "name": "Anna de Vries", "status": "logged_out",
             "available": False, "skill": 5, "priority": 0},
            {"extension": "204", "name": "Dana Bakker", "status": "logged_out",
             "available": False, "skill": 3, "priority": 1},
        ]  # fmt: skip
        assert acme.pbx.queues.by_code("1500") == acme.pbx.queues.queue("1500")

        # Bram's phone registers: the queue engine offers him the next call
        transport, phone = await new_peer(acme.pbx.telephony.sip_udp_port)
        try:
            assert (await phone.register("202", demo_password("202"))).status == 200
            async with acme.client("203") as chris:
                for _ in range(_TRIES):
                    support = (await chris.get("/api/v1/queues/1500")).json()
                    if support["stats"]["agents_available"] == 1:
                        break
                    await asyncio.sleep(0.05)
        finally:
            transport.close()
        assert [(a["extension"], a["available"]) for a in support["agents"]] == [
            ("202", True),
            ("201", False),
        ]


async def test_who_may_log_an_agent_in_pause_and_log_out(tmp_path: Path) -> None:
    async with office(tmp_path / "pbx") as acme:
        assert await _status(acme, "201", "1500", "201", "logged_in") == 200  # herself
        assert await _status(acme, "201", "1500", "202", "logged_out") == 403  # a colleague
        assert await _status(acme, "204", "1500", "201", "logged_out") == 403  # a stranger
        assert await _status(acme, "204", "1500", "204", "logged_in") == 403  # not a member
        assert await _status(acme, "203", "1500", "201", "paused") == 200  # the supervisor
        assert await _status(acme, "205", "1501", "204", "logged_in") == 200  # the admin
        assert await _status(acme, "203", "1500", "204", "logged_in") == 404  # no member
        assert await _status(acme, "203", "1599", "201", "logged_in") == 404  # no queue
        assert await _status(acme, "203", "1500", "201", "away") == 422
        agents = acme.pbx.queues.agents("1500")
        assert (agents["201"].status, agents["201"].reason) == ("paused", "supervisor")
        assert agents["202"].status == "logged_in"
        assert acme.pbx.queues.agents("1501")["204"].status == "logged_in"
        async with acme.client("201") as anna:
            queues = _by_number(await anna.get("/api/v1/queues"))
        assert queues["1500"]["my_status"] == "paused"
        assert (queues["1500"]["agents_available"], queues["1500"]["agents_logged_in"]) == (0, 2)


async def test_login_states_and_queues_survive_a_restart(tmp_path: Path) -> None:
    async with office(tmp_path / "pbx") as acme:
        assert await _status(acme, "201", "1501", "201", "logged_in") == 200
        assert await _status(acme, "202", "1500", "202", "paused") == 200
        async with acme.client("205") as eva:
            made = await eva.put(
                "/api/v1/org/queues/1502",
                json={"number": "1502", "name": "Helpdesk", "members": [{"extension": "204"}]},
            )
            assert made.status_code == 200, made.text
        assert await _status(acme, "204", "1502", "204", "logged_in") == 200
    async with office(tmp_path / "pbx") as again:  # the same store, the PBX started anew
        queues = again.pbx.queues
        assert [q.number for q in queues.queues()] == ["1500", "1501", "1502"]
        assert queues.agents("1501")["201"].status == "logged_in"
        assert queues.agents("1500")["202"].status == "paused"
        assert queues.agents("1502")["204"].status == "logged_in"
        assert queues.agents("1500")["201"].status == "logged_out"


async def _found(api: httpx.AsyncClient, q: str) -> list[tuple[str, str, str | None]]:
    """The queues the directory search finds for ``q``: (kind, name, number)."""
    answer = await api.get("/api/v1/directory", params={"q": q})
    assert answer.status_code == 200, answer.text
    return [(e["kind"], e["name"], e["extension"]) for e in answer.json() if e["kind"] == "queue"]


async def test_the_administrator_creates_changes_and_removes_queues(tmp_path: Path) -> None:
    async with (
        office(tmp_path / "pbx") as acme,
        acme.client("205") as eva,
        acme.client("203") as chris,
    ):
        listed = await eva.get("/api/v1/org/queues")
        assert listed.status_code == 200
        assert listed.json() == [config_to_dict(q) for q in acme.pbx.queues.queues()]
        assert [q["number"] for q in listed.json()] == ["1500", "1501"]
        assert (await chris.get("/api/v1/org/queues")).status_code == 403

        body = {"number": "1502", "name": "Helpdesk", "code": "42", "supervisors": ["203"]}
        made = await eva.put("/api/v1/org/queues/1502", json=body)
        assert made.status_code == 200, made.text
        assert made.json()["code"] == "42" and made.json()["ring_seconds"] == 20.0
        assert await _found(chris, "Helpdesk") == [("queue", "Helpdesk", "1502")]  # at once
        refused = await chris.put("/api/v1/org/queues/1503", json={**body, "number": "1503"})
        assert refused.status_code == 403

        for path, bad, message in [
            ("1503", {"number": "1504"}, "the number in the path and in the body differ"),
            ("7001", {}, "7001 is one of the PBX's own numbers"),
            ("201", {}, "201 is a user's extension"),
            ("9102", {}, "9102 is the number of a group inbox"),
            ("1503", {"code": "1500"}, "code 1500 is already the code of queue 1500"),
            ("1503", {"members": [{"extension": "299"}]}, "member 299 is not a user's extension"),
            ("1503", {"supervisors": ["298"]}, "supervisor 298 is not a user's extension"),
            ("1503", {"parallel": 0}, "parallel must be a whole number from 1 to 50"),
        ]:  # fmt: skip
            answer = await eva.put(f"/api/v1/org/queues/{path}", json={"name": "X", **bad})
            assert answer.status_code == 422, (path, answer.text)
            assert answer.json() == {"error": "bad_queue", "message": message}
        assert [q.number for q in acme.pbx.queues.queues()] == ["1500", "1501", "1502"]

        # Bram, logged in, is no longer a member of Support: he is logged out
        support = config_to_dict(acme.pbx.queues.queue("1500"))  # type: ignore[arg-type]
        support["members"] = [{"extension": "201", "priority": 0, "skill": 3}]
        changed = await eva.put("/api/v1/org/queues/1500", json=support)
        assert changed.status_code == 200, changed.text
        assert list(acme.pbx.queues.agents("1500")) == ["201"]
        async with acme.client("202") as bram:
            assert (await bram.get("/api/v1/queues")).json() == []
            assert (await bram.get("/api/v1/queues/1500")).status_code == 404

        assert (await eva.delete("/api/v1/org/queues/1502")).status_code == 204
        assert (await eva.delete("/api/v1/org/queues/1502")).status_code == 404
        assert acme.pbx.queues.queue("1502") is None
        assert await _found(chris, "Helpdesk") == []
        assert await _found(chris, "Sales") == [("queue", "Sales", "1501")]  # the demo's
        assert (await chris.get("/api/v1/queues/1502")).status_code == 404


def _log(queues: QueueService, n: int, at: datetime, outcome: Outcome, waited: float) -> None:
    queues.log_call(
        NewQueueCall(
            call_id=f"call-{n}", queue="1500", caller=f"+3120555{n:04d}",
            caller_name="Jan Visser" if n == 1 else None, arrived_at=at, outcome=outcome,
            waited_s=waited, answered_at=at if outcome == "answered" else None,
            ended_at=at + timedelta(seconds=waited), agent="202" if outcome == "answered" else None,
            overflow_reason="timeout" if outcome == "overflow" else None,
            forwarded_to="204" if n == 4 else None,
        )
    )  # fmt: skip


async def test_the_call_log_its_filters_assignment_and_the_tiles(tmp_path: Path) -> None:
    async with office(tmp_path / "pbx") as acme:
        queues = acme.pbx.queues
        now = datetime.now().astimezone()
        calls: list[tuple[int, timedelta, Outcome, float]] = [
            (6, timedelta(hours=30), "abandoned", 99.0),  # not in the last 24 h
            (5, timedelta(hours=23), "answered", 6.0),
            (1, timedelta(minutes=5), "abandoned", 40.0),
            (2, timedelta(minutes=4), "answered", 10.0),
            (3, timedelta(minutes=3), "overflow", 300.0),  # nowhere to go
            (4, timedelta(minutes=2), "overflow", 20.0),  # to 204
        ]
        for n, ago, outcome, waited in calls:  # in the order they leave the queue
            _log(queues, n, now - ago, outcome, waited)
        await acme.pbx.store.aio.drain()

        async with (
            acme.client("203") as chris,
            acme.client("201") as anna,
            acme.client("202") as bram,
            acme.client("204") as dana,
        ):
            every = (await chris.get("/api/v1/queues/1500/calls")).json()
            assert [c["call_id"] for c in every] == [f"call-{n}" for n in (4, 3, 2, 1, 5, 6)]
            assert every[3]["caller_name"] == "Jan Visser" and every[3]["kind"] == "missed"
            kinds = {}
            for kind in ("missed", "answered", "forwarded"):
                answer = await bram.get("/api/v1/queues/1500/calls", params={"kind": kind})
                kinds[kind] = [c["call_id"] for c in answer.json()]
            assert kinds == {
                "missed": ["call-3", "call-1", "call-6"],
                "answered": ["call-2", "call-5"],
                "forwarded": ["call-4"],
            }
            assert len((await chris.get("/api/v1/queues/1500/calls?limit=2")).json()) == 2
            assert (await chris.get("/api/v1/queues/1500/calls?kind=lost")).status_code == 422
            assert (await dana.get("/api/v1/queues/1500/calls")).status_code == 404

            missed = every[3]["id"]
            path = f"/api/v1/queues/1500/calls/{missed}"
            assigned = await chris.put(path, json={"assigned_to": "201", "handling": "unhandled"})
            assert assigned.status_code == 200, assigned.text
            mine = (await anna.get("/api/v1/queues/1500/calls?assigned_to_me=true")).json()
            assert [c["id"] for c in mine] == [missed]
            assert (await bram.get("/api/v1/queues/1500/calls?assigned_to_me=true")).json() == []

            done = {"assigned_to": "201", "handling": "handled", "note": "Called back, sorted."}
            handled = await anna.put(path, json=done)
            assert handled.status_code == 200, handled.text
            assert (handled.json()["handling"], handled.json()["note"]) == (
                "handled",
                "Called back, sorted.",
            )
            other = {"assigned_to": "202", "handling": "in_progress", "note": ""}
            assert (await anna.put(path, json=other)).status_code == 403  # only a supervisor
            assert (await bram.put(path, json=other)).status_code == 403  # not assigned to him
            nobody = await chris.put(path, json={**other, "assigned_to": "204"})
            assert nobody.status_code == 422 and nobody.json()["error"] == "bad_queue_call"
            gone = await chris.put("/api/v1/queues/1500/calls/99999", json=other)
            assert gone.status_code == 404
            kept = (await chris.get("/api/v1/queues/1500/calls?kind=missed")).json()
            assert [(c["assigned_to"], c["handling"]) for c in kept if c["id"] == missed] == [
                ("201", "handled")
            ]

            stats = (await anna.get("/api/v1/queues/1500")).json()["stats"]
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        today = [(o, w) for _, ago, o, w in calls if now - ago >= midnight]
        assert stats["last_24h"] == {"total": 5, "answered": 2, "abandoned": 1}
        assert stats["today"] == {
            "total": len(today),
            "answered": sum(o == "answered" for o, _ in today),
            "abandoned": sum(o == "abandoned" for o, _ in today),
        }
        answered = [w for o, w in today if o == "answered"]  # the seed: answered calls only
        assert stats["average_wait_s"] == sum(answered) / len(answered)
        assert stats["last_wait_s"] == 10.0  # call-2, the answered call that left last
        assert (stats["agents_available"], stats["agents_logged_in"], stats["waiting"]) == (0, 1, 0)
        assert stats["longest_wait_s"] is None


async def test_analytics_of_a_period_for_supervisors(tmp_path: Path) -> None:
    async with office(tmp_path / "pbx") as acme:
        now = datetime.now().astimezone()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        _log(acme.pbx.queues, 1, today + timedelta(minutes=1), "abandoned", 40.0)
        _log(acme.pbx.queues, 2, today + timedelta(minutes=2), "answered", 10.0)
        _log(acme.pbx.queues, 3, today - timedelta(hours=1), "answered", 30.0)  # yesterday
        await acme.pbx.store.aio.drain()
        async with acme.client("203") as chris, acme.client("202") as bram:
            found = await chris.get("/api/v1/queues/1500/analytics")
            assert found.status_code == 200, found.text
            body = found.json()
            assert (body["period"], body["total"], body["answered"], body["abandoned"]) == (
                "today",
                2,
                1,
                1,
            )
            assert body["service_level"] == 0.5 and body["average_wait_s"] == 10.0
            assert body["agents"] == [
                {"extension": "202", "name": "Bram Jansen", "answered": 1, "average_wait_s": 10.0}
            ]
            week = (await chris.get("/api/v1/queues/1500/analytics?period=last_7_days")).json()
            assert week["total"] == 3
            bad = await chris.get("/api/v1/queues/1500/analytics?period=decade")
            assert bad.status_code == 422
            refused = await bram.get("/api/v1/queues/1500/analytics")  # an agent
            assert refused.status_code == 403
