"""The calendar shows the answer to the window asked for last, over real HTTP on loopback: when
the user pages to next month and back to today, a slow answer for next month that arrives last
must not replace today's plans."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import pytest

from app.api import ApiClient
from app.connection import Connection
from app.controllers.calendar import CalendarController
from app.notices import Notices
from app.stores.calendar import CalendarStore
from app.tasks import TaskRunner

_TODAY = (dt.datetime(2026, 11, 30, tzinfo=dt.UTC), dt.datetime(2027, 1, 11, tzinfo=dt.UTC))
_NEXT = (dt.datetime(2026, 12, 28, tzinfo=dt.UTC), dt.datetime(2027, 2, 8, tzinfo=dt.UTC))
_PLAN = {
    "id": 7,
    "name": "Stand-up",
    "status": "meeting",
    "start": "2026-12-05T09:00:00",
    "end": "2026-12-05T10:00:00",
    "time_zone": "UTC",
    "repeat": "none",
    "occurrences": [{"start": "2026-12-05T09:00:00+00:00", "end": "2026-12-05T10:00:00+00:00"}],
}


async def _serve() -> tuple[asyncio.Server, str, list[str]]:
    """Answers next month's window late and empty, any other window at once with the plan."""
    asked: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        target = head.split(" ", 2)[1]
        start = parse_qs(urlsplit(target).query)["from"][0]
        asked.append(start)
        late = dt.datetime.fromisoformat(start) == _NEXT[0]
        if late:
            await asyncio.sleep(0.3)
        payload = json.dumps([] if late else [_PLAN]).encode()
        reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        reply += f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
        writer.write(reply.encode() + payload)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}", asked


@pytest.fixture
async def runner() -> AsyncIterator[TaskRunner]:
    yield TaskRunner(asyncio.get_running_loop(), Notices())


async def test_a_late_answer_for_an_older_window_is_dropped(runner: TaskRunner) -> None:
    server, url, asked = await _serve()
    conn = Connection()
    conn.api = ApiClient(url)
    store = CalendarStore()
    calendar = CalendarController(store, conn, runner)
    try:
        calendar.load(*_NEXT)  # the user pages on ...
        await asyncio.sleep(0.05)
        calendar.load(*_TODAY)  # ... and back to today before next month has come
        for _ in range(100):
            if len(asked) == 2 and conn.api.in_flight == 0:
                break
            await asyncio.sleep(0.01)
        calendar.reload()  # a save or a plans.changed event reloads the window on view
        for _ in range(100):
            if len(asked) == 3 and conn.api.in_flight == 0:
                break
            await asyncio.sleep(0.01)
    finally:
        await conn.api.aclose()
        server.close()
        await server.wait_closed()
    assert len(asked) == 3, asked
    assert dt.datetime.fromisoformat(asked[2]) == _TODAY[0], "the reload asks for today's window"
    assert store.window == _TODAY
    assert [p.draft.name for p in store.plans] == ["Stand-up"]
