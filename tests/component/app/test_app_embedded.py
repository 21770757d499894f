"""The embedded PBX child, the REST client and the event stream against the real server."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from app.api import ApiClient
from app.backoff import Backoff
from app.embedded import EmbeddedServer, ServerInfo
from app.errors import AuthFailed, EmbeddedServerFailed, ServerRejected, ServerUnreachable
from app.events import EventStream
from app.server_events import PresenceChanged, ServerEvent
from tests.component.app._wait import until
from tests.support.processes import pid_alive


async def test_start_use_kill_restart_and_stop(tmp_path: Path) -> None:
    exits: list[int | None] = []
    readies: list[ServerInfo] = []
    server = EmbeddedServer(
        tmp_path / "pbx",
        on_exit=exits.append,
        on_ready=readies.append,
        backoff=Backoff(first=0.2, cap=1.0),
    )
    info = await server.start()
    try:
        assert server.pid == info.pid and pid_alive(info.pid)
        assert info.base_url.startswith("https://127.0.0.1:")
        stranger = ApiClient(info.base_url)  # the system's trust: the self-signed one is refused
        with pytest.raises(ServerUnreachable, match="certificate this app does not trust"):
            await stranger.login("201", "Demo-201!")
        await stranger.aclose()
        api = ApiClient(info.base_url, tls=info.tls_context())  # pinned
        with pytest.raises(AuthFailed, match=r"^Wrong user name or password\.$"):
            await api.login("201", "wrong")
        await api.login("201", "Demo-201!")
        me = await api.me()
        assert (me["name"], me["extension"]) == ("Anna de Vries", "201")
        assert [e["extension"] for e in await api.directory("Bram")] == ["202"]
        with pytest.raises(ServerRejected) as rejected:
            await api.set_presence("sleeping", None)
        assert rejected.value.status == 422

        events: list[ServerEvent] = []
        statuses: list[bool] = []
        unauthorized: list[bool] = []
        stream = EventStream(
            api.ws_url,
            api.token or "",
            events.append,
            on_status=statuses.append,
            on_unauthorized=lambda: unauthorized.append(True),
            backoff=Backoff(first=0.2, cap=0.5),
            tls=api.tls,
        )
        assert api.ws_url.startswith("wss://")
        stream.start()
        await until(lambda: statuses == [True])
        await api.set_presence("lunch", None)
        await until(lambda: PresenceChanged("201", "lunch") in events)  # parsed at the edge

        os.kill(info.pid, signal.SIGKILL)
        await until(lambda: bool(exits) and bool(readies))
        assert exits == [-signal.SIGKILL]
        assert statuses[:2] == [True, False]
        new = readies[0]
        assert new.pid != info.pid and server.info == new and server.restarts == 1
        assert not pid_alive(info.pid)
        # sessions are stored: the token outlives the crash (the app reconnects to the new port)
        again = ApiClient(new.base_url, tls=new.tls_context())
        again.token = api.token
        try:
            assert (await again.me())["extension"] == "201"
        finally:
            await again.aclose()
        assert unauthorized == []
        await stream.stop()
        await api.aclose()
    finally:
        code = await server.stop()
    assert code == 0
    assert not pid_alive(readies[-1].pid if readies else info.pid)
    assert server.info is None


async def test_unreachable_server_is_reported_plainly() -> None:
    api = ApiClient("http://127.0.0.1:9", timeout=2.0)
    with pytest.raises(ServerUnreachable, match=r"^The server at http://127.0.0.1:9 cannot be"):
        await api.login("201", "x")
    await api.aclose()


async def test_a_child_that_cannot_start_is_reported(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "pbx", extra_args=("--log-level", "NOISY"))
    with pytest.raises(EmbeddedServerFailed, match="stopped while starting"):
        await server.start()


async def test_stale_token_on_the_stream_calls_on_unauthorized(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "pbx")
    info = await server.start()
    try:
        unauthorized: list[bool] = []
        stream = EventStream(
            f"wss://127.0.0.1:{info.http_port}/api/v1/events",
            "not-a-token",
            lambda e: None,
            on_unauthorized=lambda: unauthorized.append(True),
            tls=info.tls_context(),
        )
        stream.start()
        await until(lambda: unauthorized == [True])
        await stream.stop()
    finally:
        await server.stop()
