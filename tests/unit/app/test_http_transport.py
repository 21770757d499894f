"""The app's HTTP transport: requests over asyncio streams, and no socket left open by a request
cancelled at any step of its connection (quitting or a server restart while a request starts)."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any

import pytest

from app.api import ApiClient
from app.errors import ServerUnreachable

_BODY = b'{"status": "ok", "sip_udp": 5060}'


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while await reader.readuntil(b"\r\n\r\n"):
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            writer.write(head + b"Content-Length: %d\r\n\r\n" % len(_BODY) + _BODY)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@pytest.fixture
async def server() -> AsyncIterator[str]:
    srv = await asyncio.start_server(_handle, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    srv.close()
    await srv.wait_closed()


class _Unraisable:
    """Collects what ``__del__`` methods complain about (an unclosed socket or transport)."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._old: Any = None

    def __enter__(self) -> _Unraisable:
        self._old = sys.unraisablehook
        sys.unraisablehook = lambda args: self.seen.append(f"{args.exc_value!r} {args.object!r}")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        sys.unraisablehook = self._old


async def test_requests_and_keep_alive(server: str) -> None:
    api = ApiClient(server)
    try:
        assert await api.health() == {"status": "ok", "sip_udp": 5060}
        assert await api.health() == {"status": "ok", "sip_udp": 5060}
    finally:
        await api.aclose()


async def test_nothing_listening_is_unreachable() -> None:
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    api = ApiClient(f"http://127.0.0.1:{port}")
    try:
        with pytest.raises(ServerUnreachable, match="cannot be reached"):
            await api.health()
    finally:
        await api.aclose()


@pytest.mark.parametrize("steps", range(24))
async def test_a_request_cancelled_at_any_step_leaves_no_socket_open(
    server: str, steps: int
) -> None:
    with _Unraisable() as unraisable:
        api = ApiClient(server)
        task = asyncio.create_task(api.health())
        for _ in range(steps):
            await asyncio.sleep(0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await api.aclose()
        del task, api
        gc.collect()
        await asyncio.sleep(0)
        gc.collect()
    assert unraisable.seen == []
