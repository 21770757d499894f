"""The parked calls load over real HTTP on loopback; a server without the endpoint (404) is
an empty list, not an error."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from app.api import ApiClient
from app.connection import Connection
from app.controllers.parked import ParkedController
from app.notices import Notices
from app.stores.parked import ParkedCall, ParkedStore
from app.tasks import TaskRunner

_ROW = {
    "slot": "7003",
    "call_id": "b2b-1",
    "caller": "0612345678",
    "caller_name": None,
    "parked_by": "202",
    "parked_by_name": "Bram Jansen",
    "since": "2026-12-03T10:00:00+00:00",
}


async def _serve(status: int, body: object) -> tuple[asyncio.Server, str]:
    """A one-route HTTP/1.1 server on 127.0.0.1 that answers every request alike."""
    payload = json.dumps(body).encode()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        head += f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
        writer.write(head.encode() + payload)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture
async def runner() -> AsyncIterator[TaskRunner]:
    yield TaskRunner(asyncio.get_running_loop(), Notices())


@pytest.mark.parametrize(
    ("status", "body", "slots"),
    [(200, [_ROW, {"slot": "x"}], ["7003"]), (404, {"message": "Not Found"}, [])],
)
async def test_parked_calls_load(
    runner: TaskRunner, status: int, body: object, slots: list[str]
) -> None:
    server, url = await _serve(status, body)
    conn = Connection()
    conn.api = ApiClient(url)
    store = ParkedStore()
    store.put(ParkedCall.from_api({**_ROW, "slot": "7009"}))  # stale: replaced by the load
    try:
        await ParkedController(store, conn, runner)._load()
    finally:
        await conn.api.aclose()
        server.close()
        await server.wait_closed()
    assert [c.slot for c in store.calls] == slots
    if slots:
        assert store.calls[0].parked_by_name == "Bram Jansen"
