"""A caller the callee blocked in the address book is declined by the PBX (603) and the
callee's phone never rings; unblocked, the same call goes through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.component.server._phones import register
from tests.support.agent import start_agent
from tests.support.api import bearer, login
from tests.support.server_process import RunningServer, start_server

pytestmark = pytest.mark.pjsua


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path, demo=True)
    yield running
    running.stop()


def test_a_blocked_caller_is_declined(server: RunningServer, tmp_path: Path) -> None:
    with (
        start_agent(tmp_path, "anna") as anna,
        start_agent(tmp_path, "bram") as bram,
        httpx.Client(base_url=server.base_url, timeout=10) as api,
    ):
        register(anna, server, "201", tmp_path)
        register(bram, server, "202", tmp_path)
        token = bearer(login(api, "202", "Demo-202!"))
        made = api.post(
            "/api/v1/contacts",
            json={"name": "Anna", "numbers": [{"number": "201"}], "type": "blocked"},
            headers=token,
        )
        assert made.status_code == 201, made.text

        placed = int(anna.send("call", uri="202")["call"])
        ended = anna.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=10)
        assert ended["code"] == 603
        assert not any(e.get("event") == "incoming_call" for e in bram.drain())

        unblocked = api.put(
            f"/api/v1/contacts/{made.json()['id']}/type", json={"type": "none"}, headers=token
        )
        assert unblocked.status_code == 200
        anna.send("call", uri="202")
        bram.wait_event("incoming_call")
