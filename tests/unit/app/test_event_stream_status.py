"""The event stream reports a lost stream even when it never went live.

A server that accepts the WebSocket and closes it before its ``subscribed`` answer (as one that
is shutting down does, with 1012) must still make ``on_status(False)`` fire, or a session that
signed in just before would stay "online" with no events at all.
"""

from __future__ import annotations

import asyncio

from websockets.asyncio.server import ServerConnection, serve

from app.backoff import Backoff
from app.events import EventStream


async def _close_at_once(ws: ServerConnection) -> None:
    await ws.recv()  # the token
    await ws.close(1012, "service restart")


async def _subscribe(ws: ServerConnection) -> None:
    await ws.recv()
    await ws.send('{"seq": 1, "type": "subscribed", "data": {}}')
    await ws.close(1001, "going away")


async def _statuses(handler: object, wanted: int) -> list[bool]:
    statuses: list[bool] = []
    async with serve(handler, "127.0.0.1", 0) as server:  # type: ignore[arg-type]
        port = next(iter(server.sockets)).getsockname()[1]
        stream = EventStream(
            f"ws://127.0.0.1:{port}/api/v1/events",
            "token",
            lambda _event: None,
            on_status=statuses.append,
            backoff=Backoff(first=0.05, cap=0.1),
        )
        stream.start()
        for _ in range(200):
            if len(statuses) >= wanted:
                break
            await asyncio.sleep(0.05)
        await stream.stop()
    return statuses


async def test_a_stream_closed_before_it_went_live_is_reported_lost() -> None:
    statuses = await _statuses(_close_at_once, 2)
    assert statuses[:2] == [False, False]  # every failed attempt, not only a change


async def test_a_live_stream_reports_live_then_lost() -> None:
    statuses = await _statuses(_subscribe, 2)
    assert statuses[:2] == [True, False]
