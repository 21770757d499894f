"""The API runs on the PBX's event loop and leaves SQL to the store's worker thread.

The PBX and uvicorn share one loop in this process (as ``python -m server`` does), on loopback
with a stand-in for the SIP side, so the test can see which thread does what.

Why these fail on the code before routes became coroutines: FastAPI ran the plain ``def``
routes (``PUT /api/v1/me/presence`` among them) in Starlette's thread pool, so

- ``PresenceService._rearm`` found no running loop in that thread and armed no timer: the status
  never fell back to "available" by itself (``next_expiry`` stayed empty and no second event came);
- the bus delivered the route's ``presence.changed`` on a pool thread, and the event hub's
  ``asyncio.Queue.put_nowait`` woke the WebSocket's waiter from that foreign thread: with the
  loop in debug mode asyncio refuses that ("Non-thread-safe operation"), so the event never
  reached the client, and the subscriber saw a thread other than the loop's;
- ``POST /api/v1/auth/login`` and the user lookup of every request ran SQL on the loop thread
  (``login_record``, ``user_by_id``), and history and directory ran it on pool threads.

Checked by running this module against that code (with ``WORKER_THREAD`` spelled out): all
three tests fail there.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, event
from websockets.asyncio.client import ClientConnection, connect

from pbx_core.bus import EventBus
from pbx_core.config import PbxConfig
from pbx_core.errors import Conflict
from pbx_core.events import Event
from pbx_core.pbx import Pbx, TelephonyService
from pbx_core.presence_board import PresenceBoard
from pbx_core.presence_view import PresenceView
from pbx_core.signaling.parking import ParkedCall
from pbx_core.store import Store
from pbx_core.store.gateway import WORKER_THREAD
from pbx_core.telephony import ActiveCall, Device
from server.app import create_app
from server.runner import bind_http_socket
from tests.support.inprocess_server import InProcessServer


class _NoSip:
    """The SIP side of the PBX, absent: every line idle, no calls."""

    def __init__(self, bus: EventBus) -> None:
        no_calls: list[ActiveCall] = []
        self.board = PresenceBoard(
            bus,
            is_user=lambda _ext: True,
            registered=self.is_registered,
            calls=lambda: no_calls,
            parked=self.parked_calls,
        )

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    @property
    def sip_udp_port(self) -> int:
        return 0

    @property
    def sip_tcp_port(self) -> int:
        return 0

    @property
    def sip_tls_port(self) -> int:
        return 0

    def line_state(self, extension: str) -> str:
        return "idle"

    def is_registered(self, extension: str) -> bool:
        return False

    def refuse_calls_when(self, blocked: Callable[[str, str], bool]) -> None:
        pass

    def convert_dialled_with(self, convert: Callable[[str], str]) -> None:
        pass

    def active_calls(self, extension: str | None = None) -> Sequence[ActiveCall]:
        return []

    def transfer(self, call_id: str, extension: str, target: str) -> None:
        raise Conflict("no calls")

    def attended_transfer(self, call_id: str, other_call_id: str, extension: str) -> None:
        raise Conflict("no calls")

    def merge(self, call_id: str, other_call_id: str, extension: str) -> str:
        raise Conflict("no calls")

    def devices(self, extension: str) -> Sequence[Device]:
        return []

    def move(self, call_id: str, extension: str, device: str) -> None:
        raise Conflict("no calls")

    def parked_calls(self) -> Sequence[ParkedCall]:
        return []

    def presence_view(self, extension: str) -> PresenceView:
        return self.board.view(extension)


def _no_sip(_config: PbxConfig, _store: Store, bus: EventBus) -> TelephonyService:
    return _NoSip(bus)


@dataclass
class _Running:
    pbx: Pbx
    base_url: str
    ws_url: str
    published_on: list[int] = field(default_factory=list)


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[_Running]:
    asyncio.get_running_loop().set_debug(True)  # asyncio checks the thread of loop calls
    pbx = Pbx(PbxConfig(data_dir=tmp_path / "pbx", sip_port=0), telephony_factory=_no_sip)
    await pbx.start(demo=True)
    sock = bind_http_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = InProcessServer(
        uvicorn.Config(create_app(pbx), log_config=None, lifespan="off", ws="websockets-sansio")
    )
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    running = _Running(pbx, f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}")

    def on_event(_event: Event) -> None:
        running.published_on.append(threading.get_ident())

    pbx.bus.subscribe(on_event)
    try:
        while not server.started:
            assert not serving.done()
            await asyncio.sleep(0.01)
        yield running
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 10)
        await pbx.stop()
        sock.close()


async def _login(api: httpx.AsyncClient, user: str) -> dict[str, str]:
    response = await api.post(
        "/api/v1/auth/login", json={"username": user, "password": f"Demo-{user}!"}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def _next_presence(ws: ClientConnection) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == "presence.changed":
            return message  # type: ignore[no-any-return]


async def test_event_published_from_a_route_reaches_a_websocket_client(
    running: _Running,
) -> None:
    """A route's bus event is delivered on the loop thread and arrives on the WebSocket."""
    loop_thread = threading.get_ident()
    async with httpx.AsyncClient(base_url=running.base_url, timeout=10) as api:
        auth = await _login(api, "202")
        token = auth["Authorization"].removeprefix("Bearer ")
        async with connect(f"{running.ws_url}/api/v1/events?token={token}") as ws:
            put = await api.put("/api/v1/me/presence", json={"status": "lunch"}, headers=auth)
            assert put.status_code == 200, put.text
            message = await _next_presence(ws)
    assert message["data"] == {"extension": "202", "status": "lunch", "until": None}
    assert running.published_on and set(running.published_on) == {loop_thread}


async def test_presence_set_through_the_api_arms_its_expiry_timer(running: _Running) -> None:
    """A status with an end time, set by a route, falls back to "available" by its timer."""
    async with httpx.AsyncClient(base_url=running.base_url, timeout=10) as api:
        auth = await _login(api, "203")
        token = auth["Authorization"].removeprefix("Bearer ")
        async with connect(f"{running.ws_url}/api/v1/events?token={token}") as ws:
            until = datetime.now(UTC) + timedelta(seconds=1)
            put = await api.put(
                "/api/v1/me/presence",
                json={"status": "meeting", "until": until.isoformat()},
                headers=auth,
            )
            assert put.status_code == 200, put.text
            assert running.pbx.presence.next_expiry == until
            set_message = await _next_presence(ws)
            ended_message = await _next_presence(ws)  # sent by the timer, not by a request
    assert set_message["data"]["status"] == "meeting"
    assert ended_message["data"] == {"extension": "203", "status": "available", "until": None}
    assert running.pbx.presence.next_expiry is None


@contextlib.contextmanager
def _sql_threads(prefix: str = "") -> Iterator[list[str]]:
    """The threads that ran the SQL statements (those starting with ``prefix``) of the block."""
    names: list[str] = []

    def on_execute(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.startswith(prefix):
            names.append(threading.current_thread().name)

    event.listen(Engine, "before_cursor_execute", on_execute)
    try:
        yield names
    finally:
        event.remove(Engine, "before_cursor_execute", on_execute)


@contextlib.asynccontextmanager
async def _pbx_and_phone(tmp_path: Path) -> AsyncIterator[tuple[Pbx, Any]]:
    """A whole demo PBX (SIP included) and a UDP phone on loopback that talks to it."""
    from tests.component.pbx.conftest import UdpPeer

    config = PbxConfig(
        data_dir=tmp_path / "pbx", sip_port=0, rtp_port_min=40000, rtp_port_max=40999
    )
    pbx = Pbx(config)
    await pbx.start(demo=True)
    loop = asyncio.get_running_loop()
    transport, peer = await loop.create_datagram_endpoint(UdpPeer, local_addr=("127.0.0.1", 0))
    peer.server = ("127.0.0.1", pbx.telephony.sip_udp_port)
    try:
        yield pbx, peer
    finally:
        transport.close()
        await pbx.stop()


async def test_the_loop_never_waits_on_sql(running: _Running) -> None:
    """Every statement the API causes runs on the store's worker thread, none on the loop."""
    with _sql_threads() as statements:
        async with httpx.AsyncClient(base_url=running.base_url, timeout=10) as api:
            auth = await _login(api, "201")
            assert (await api.get("/api/v1/me", headers=auth)).status_code == 200
            put = await api.put("/api/v1/me/presence", json={"status": "dnd"}, headers=auth)
            assert put.status_code == 200
            assert (await api.get("/api/v1/calls", headers=auth)).status_code == 200
            found = await api.get("/api/v1/directory", params={"q": "nordlys"}, headers=auth)
            assert [e["name"] for e in found.json()] == ["Lars Nielsen"]
            assert (await api.post("/api/v1/auth/logout", headers=auth)).status_code == 204
    assert statements, "the requests above read and write the store"
    assert {name.split("_")[0] for name in statements} == {WORKER_THREAD}


async def test_register_and_unregister_run_no_sql_on_the_loop(tmp_path: Path) -> None:
    """The registrar answers from memory and commits bindings on the store's worker thread."""
    async with _pbx_and_phone(tmp_path) as (pbx, peer):
        with _sql_threads() as statements:
            assert (await peer.register("201", "Demo-201!")).status == 200
            assert [b.extension for b in pbx.store.load_bindings()] == ["201"]
            assert (await peer.register("201", "wrong")).status == 403
            assert (await peer.register("201", "Demo-201!", expires=0)).status == 200
            assert pbx.store.load_bindings() == []
    assert statements, "the bindings were written"
    assert {name.split("_")[0] for name in statements} == {WORKER_THREAD}


_SDP = (  # UdpPeer.send turns each \n into CRLF
    "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
    "m=audio 40998 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n"
)


def _invite(peer: Any, target: str, cseq: int, call_id: str, auth: str | None) -> str:
    lines = [
        f"INVITE sip:{target}@127.0.0.1:{peer.server[1]} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{peer.port};branch=z9hG4bK{secrets.token_hex(6)};rport",
        "Max-Forwards: 70",
        "From: <sip:201@acme.local>;tag=a1",
        f"To: <sip:{target}@acme.local>",
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} INVITE",
        f"Contact: <sip:201@127.0.0.1:{peer.port}>",
        "Content-Type: application/sdp",
        *([f"Authorization: {auth}"] if auth else []),
        f"Content-Length: {len(_SDP) + _SDP.count(chr(10))}",
    ]
    return "\n".join(lines) + "\n\n" + _SDP


async def test_a_call_record_is_written_off_the_loop(tmp_path: Path) -> None:
    """A call to an unknown number (404) is recorded on the store's worker thread."""
    from pbx_core.signaling.auth import build_authorization, parse_challenge

    async with _pbx_and_phone(tmp_path) as (pbx, peer):
        with _sql_threads("INSERT INTO call_records") as inserts:
            call_id = secrets.token_hex(8)
            peer.send(_invite(peer, "299", 1, call_id, None))
            challenge = await peer.response(call_id=call_id)
            assert challenge.status == 401
            auth = build_authorization(
                parse_challenge(challenge.headers.get_lines("WWW-Authenticate")[0]),
                "INVITE",
                f"sip:299@127.0.0.1:{peer.server[1]}",
                "201",
                "Demo-201!",
                cnonce="c0ffee",
            )
            peer.send(_invite(peer, "299", 2, call_id, auth))
            assert (await peer.response(call_id=call_id)).status == 404
            for _ in range(100):
                if await pbx.store.aio.call_history("201"):
                    break
                await asyncio.sleep(0.05)
    assert [name.split("_")[0] for name in inserts] == [WORKER_THREAD]
