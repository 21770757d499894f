"""A client that comes back to the event WebSocket with ``since`` gets what it missed, in order,
and only its own; or, when that cannot be done, a ``resync``.

A real PBX and its API on 127.0.0.1 (uvicorn in the test's loop, so the test can change
presence through the PBX), real WebSocket clients, and the HTTP API for chat messages.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from pbx_core.config import PbxConfig
from pbx_core.pbx import Pbx
from server.app import create_app
from server.auth import TokenStore
from server.runner import bind_http_socket
from tests.support.inprocess_server import InProcessServer

Message = dict[str, Any]
_WAIT = 10.0  # a guard against a hang, not a measured time


@asynccontextmanager
async def _server(
    data_dir: Path, tokens: TokenStore, event_buffer: int = 5000
) -> AsyncIterator[tuple[Pbx, str]]:
    pbx = Pbx(PbxConfig(data_dir=data_dir, sip_port=0))
    await pbx.start(demo=True)
    sock = bind_http_socket("127.0.0.1", 0)
    app = create_app(pbx, tokens=tokens, event_buffer=event_buffer)
    server = InProcessServer(
        uvicorn.Config(app, log_config=None, lifespan="off", ws="websockets-sansio")
    )
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            assert not serving.done()
            await asyncio.sleep(0.01)
        yield pbx, f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, _WAIT)
        await pbx.stop()
        sock.close()


async def _login(host: str, user: str) -> str:
    async with httpx.AsyncClient(base_url=f"http://{host}", timeout=_WAIT) as api:
        response = await api.post(
            "/api/v1/auth/login", json={"username": user, "password": f"Demo-{user}!"}
        )
        assert response.status_code == 200, response.text
        token = response.json()["token"]
        assert isinstance(token, str)
        return token


async def _chat(host: str, token: str, to: str, text: str) -> None:
    """One chat message from ``token``'s user to ``to`` (a direct conversation)."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://{host}", timeout=_WAIT, headers=headers) as api:
        chat = await api.post("/api/v1/chats", json={"kind": "direct", "members": [to]})
        assert chat.status_code in (200, 201), chat.text
        sent = await api.post(f"/api/v1/chats/{chat.json()['id']}/messages", json={"text": text})
        assert sent.status_code == 201, sent.text


async def _receive(ws: ClientConnection) -> Message:
    message = json.loads(await asyncio.wait_for(ws.recv(), _WAIT))
    assert isinstance(message, dict)
    return message


async def _read_until(ws: ClientConnection, done: Callable[[Message], bool]) -> list[Message]:
    """Messages up to and including the first for which ``done`` is true."""
    read = [await _receive(ws)]
    while not done(read[-1]):
        read.append(await _receive(ws))
    return read


async def _subscribe(host: str, token: str, **resume: object) -> tuple[ClientConnection, Message]:
    ws = await connect(f"ws://{host}/api/v1/events")
    await ws.send(json.dumps({"token": token, **resume}))
    subscribed = await _receive(ws)
    assert subscribed["type"] == "subscribed", subscribed
    return ws, subscribed


def _presence_of(extension: str, status: str) -> Callable[[Message], bool]:
    return lambda m: m["type"] == "presence.changed" and m["data"] == {
        "extension": extension,
        "status": status,
        "until": None,
    }


async def _witness(ws: ClientConnection, seen: list[Message]) -> None:
    async for raw in ws:
        seen.append(json.loads(raw))


async def _until(done: Callable[[], bool]) -> None:
    for _ in range(round(_WAIT / 0.01)):
        if done():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within the guard time")


async def test_a_returning_client_gets_exactly_what_it_missed(tmp_path: Path) -> None:
    async with _server(tmp_path / "pbx", TokenStore()) as (pbx, host):
        anna, bram, chris = [await _login(host, user) for user in ("201", "202", "203")]
        # another connection of Anna's that stays: what she should have seen
        stays = await connect(f"ws://{host}/api/v1/events?token={anna}")
        seen: list[Message] = []
        watching = asyncio.create_task(_witness(stays, seen))

        ws, subscribed = await _subscribe(host, anna)
        assert subscribed["data"]["extension"] == "201"
        epoch = subscribed["data"]["epoch"]
        await pbx.presence.set("202", "meeting")
        last = (await _read_until(ws, _presence_of("202", "meeting")))[-1]["seq"]
        await ws.close()

        # while Anna is away: Bram's presence, Bram writes to Anna, Bram writes to Chris
        await pbx.presence.set("202", "lunch")
        await _chat(host, bram, "201", "Koffie?")
        await _chat(host, chris, "202", "Not for Anna")

        ws, again = await _subscribe(host, anna, since=last, epoch=epoch)
        assert again["data"]["epoch"] == epoch
        await pbx.presence.set("203", "dnd")  # live, after the replay
        back = await _read_until(ws, _presence_of("203", "dnd"))
        marker = back[-1]["seq"]
        await _until(lambda: any(m["seq"] == marker for m in seen))
        await ws.close()
        await stays.close()
        await watching

    expected = [m for m in seen if last < m["seq"] <= marker]
    assert back == expected, "the same events, in the same order, no gap, no duplicate"
    kinds = [m["type"] for m in back]
    assert "chat.message" in kinds
    texts = [m["data"].get("text") for m in back if m["type"] == "chat.message"]
    assert texts == ["Koffie?"], "not the messages of a conversation without Anna"
    assert [m["seq"] for m in back] == sorted({m["seq"] for m in back})
    assert any(_presence_of("202", "lunch")(m) for m in back)


async def test_since_on_the_url_replays_too(tmp_path: Path) -> None:
    async with _server(tmp_path / "pbx", TokenStore()) as (pbx, host):
        anna = await _login(host, "201")
        await pbx.presence.set("202", "meeting")
        await pbx.presence.set("202", "lunch")
        async with connect(f"ws://{host}/api/v1/events?token={anna}&since=0") as ws:
            replayed = await _read_until(ws, _presence_of("202", "lunch"))
    assert replayed[0]["seq"] == 1
    assert [m["seq"] for m in replayed] == list(range(1, len(replayed) + 1))


async def test_a_client_too_far_behind_is_told_to_resync(tmp_path: Path) -> None:
    async with _server(tmp_path / "pbx", TokenStore(), event_buffer=3) as (pbx, host):
        anna = await _login(host, "201")
        ws, subscribed = await _subscribe(host, anna)
        since = subscribed["data"]["last_seq"]
        await ws.close()
        for status in ("meeting", "lunch", "dnd", "available"):  # more than three events
            await pbx.presence.set("202", status)
        ws, _ = await _subscribe(host, anna, since=since)
        resync = await _receive(ws)
        await pbx.presence.set("203", "meeting")
        live = await _receive(ws)
        await ws.close()
    assert resync["type"] == "resync"
    assert resync["data"] == {"reason": "too old", "epoch": subscribed["data"]["epoch"]}
    assert live["seq"] == resync["seq"] + 1, "then the live events"


async def test_a_restarted_server_tells_the_client_to_resync(tmp_path: Path) -> None:
    tokens = TokenStore()  # the session outlives the server's run here
    async with _server(tmp_path / "pbx", tokens) as (pbx, host):
        anna = await _login(host, "201")
        await pbx.presence.set("202", "meeting")
        ws, subscribed = await _subscribe(host, anna)
        await ws.close()
    before = subscribed["data"]
    assert before["last_seq"] > 0

    async def first_after_subscribed(host: str, **resume: object) -> Message:
        ws, again = await _subscribe(host, anna, **resume)
        assert again["data"]["epoch"] != before["epoch"]
        message = await _receive(ws)
        await ws.close()
        return message

    async with _server(tmp_path / "pbx", tokens) as (pbx, host):
        ahead: Awaitable[Message] = first_after_subscribed(host, since=before["last_seq"])
        assert (await ahead)["data"]["reason"] == "server restarted"
        await pbx.presence.set("202", "lunch")  # the new run has events of its own
        await pbx.presence.set("202", "dnd")
        old_epoch = await first_after_subscribed(host, since=1, epoch=before["epoch"])
    assert old_epoch["type"] == "resync"
    assert old_epoch["data"]["reason"] == "server restarted"
