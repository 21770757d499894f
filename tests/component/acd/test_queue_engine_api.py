"""The queue engine on the PBX's queues, with real phones (pjsua2) on a real server process
(docs/queues.md): a caller to the demo queue Support is offered to Bram, who is logged in and
answers; the call is in the queue call log. Logged out by his supervisor through the API, Bram
gets no call: the next caller waits (seen in the API), hangs up, and is a missed call. Bram logs
in again with ``*11*1500*``, and the API shows it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.component.pbx.conftest import ended, established
from tests.component.server._phones import register
from tests.support.agent import start_agent
from tests.support.api import bearer, login
from tests.support.server_process import RunningServer, start_server

pytestmark = pytest.mark.pjsua
_GUARD_S = 15.0  # a guard against a hang, not a measured time


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path, demo=True)
    yield running
    running.stop()


def _until(read: Callable[[], Any], done: Callable[[Any], bool]) -> Any:
    deadline = time.monotonic() + _GUARD_S
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def test_queue_calls_reach_the_log_and_agents_follow_the_api(
    server: RunningServer, tmp_path: Path
) -> None:
    with (
        start_agent(tmp_path, "bram") as bram,
        start_agent(tmp_path, "dana") as dana,
        httpx.Client(base_url=server.base_url, timeout=10) as api,
    ):
        register(bram, server, "202", tmp_path)
        register(dana, server, "204", tmp_path)
        chris = bearer(login(api, "203", "Demo-203!"))
        bram_api = bearer(login(api, "202", "Demo-202!"))

        def calls(kind: str) -> list[dict[str, Any]]:
            answer = api.get("/api/v1/queues/1500/calls", params={"kind": kind}, headers=chris)
            assert answer.status_code == 200, answer.text
            rows: list[dict[str, Any]] = answer.json()
            return rows

        # Bram is logged in to Support (the demo) and his phone is registered: he is offered it
        placed = int(dana.send("call", uri="1500")["call"])
        established(dana, placed)  # the queue answers the caller
        incoming = bram.wait_event("incoming_call", timeout=10)
        assert "Support" in incoming["x_queue"]
        offered = int(incoming["call"])
        bram.send("answer", call=offered, code=200)
        established(bram, offered)
        (answered,) = _until(lambda: calls("answered"), bool)
        assert (answered["caller"], answered["agent"], answered["kind"]) == (
            "204",
            "202",
            "answered",
        )
        dana.send("hangup", call=placed)
        ended(bram, offered)

        # his supervisor logs him out: the next caller waits, and is seen waiting
        out = api.put(
            "/api/v1/queues/1500/agents/202", json={"status": "logged_out"}, headers=chris
        )
        assert out.status_code == 200, out.text
        placed = int(dana.send("call", uri="1500")["call"])
        established(dana, placed)
        support = _until(
            lambda: api.get("/api/v1/queues/1500", headers=chris).json(),
            lambda queue: bool(queue["waiting"]),
        )
        assert [w["caller"] for w in support["waiting"]] == ["204"]
        assert support["stats"]["waiting"] == 1 and support["stats"]["agents_logged_in"] == 0
        dana.send("hangup", call=placed)
        ended(dana, placed)
        (missed,) = _until(lambda: calls("missed"), bool)
        assert (missed["caller"], missed["outcome"], missed["agent"]) == ("204", "abandoned", None)

        # Bram logs in again by phone; the API shows it
        code = int(bram.send("call", uri="*11*1500*")["call"])
        established(bram, code)
        ended(bram, code, timeout=15)  # the PBX confirms and hangs up
        mine = _until(
            lambda: api.get("/api/v1/queues", headers=bram_api).json(),
            lambda queues: queues[0]["my_status"] == "logged_in",
        )
        assert [(q["number"], q["my_status"]) for q in mine] == [("1500", "logged_in")]
