"""The desktop after a network blip: it shows what changed while it was cut off, without
reloading everything; and when the server can no longer replay, every store reloads.

The app core (headless, real SIP engine) signs in to a real PBX and API in this process through
a TCP relay on 127.0.0.1 that the test cuts and mends like a network: the event WebSocket (and
any HTTP connection) is torn down and new ones are refused until it is mended. The server keeps
only a few events, so a longer outage asks the app to resynchronise.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import uvicorn

from app.bus import SessionOnline
from app.context import AppContext
from app.headless import headless
from app.stores import ConnectionState
from pbx_core.chat import chat_service
from pbx_core.config import PbxConfig
from pbx_core.pbx import Pbx
from server.app import create_app
from server.runner import bind_http_socket
from tests.component.app._wait import until
from tests.support.inprocess_server import InProcessServer

pytestmark = [pytest.mark.own_process, pytest.mark.timeout(180)]

_BUFFER = 6  # events the server keeps for a returning client


class _Relay:
    """A TCP relay to ``port`` on 127.0.0.1 that can be cut (connections torn down, new ones
    refused) and mended."""

    def __init__(self, port: int) -> None:
        self._port = port
        self.cut_off = False
        self._open: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    def cut(self) -> None:
        self.cut_off = True
        for writer in list(self._open):
            writer.transport.abort()

    def mend(self) -> None:
        self.cut_off = False

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.cut_off:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self._port)
        except OSError:
            writer.transport.abort()
            return
        self._open |= {writer, up_writer}
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            self._open -= {writer, up_writer}
            for end in (writer, up_writer):
                end.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()


@asynccontextmanager
async def _pbx_behind_relay(data_dir: Path) -> AsyncIterator[tuple[Pbx, _Relay, str]]:
    pbx = Pbx(PbxConfig(data_dir=data_dir, sip_port=0))
    await pbx.start(demo=True)
    sock = bind_http_socket("127.0.0.1", 0)
    server = InProcessServer(
        uvicorn.Config(
            create_app(pbx, event_buffer=_BUFFER),
            log_config=None,
            lifespan="off",
            ws="websockets-sansio",
        )
    )
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    relay = _Relay(sock.getsockname()[1])
    try:
        while not server.started:
            assert not serving.done()
            await asyncio.sleep(0.01)
        yield pbx, relay, f"http://127.0.0.1:{await relay.start()}"
    finally:
        await relay.close()
        server.should_exit = True
        await asyncio.wait_for(serving, 10)
        await pbx.stop()
        sock.close()


def _status_of(ctx: AppContext, extension: str) -> str | None:
    entry = ctx.directory.index.user(extension)
    return entry.presence if entry is not None else None


def _state(ctx: AppContext) -> ConnectionState:
    return ctx.session.state


def _unread(ctx: AppContext) -> int:
    return ctx.chat.unread_total if ctx.chat is not None else -1


async def _quiet(ctx: AppContext) -> None:
    """Until no request of the app is under way for a few turns (the loads have finished)."""
    quiet = 0
    for _ in range(400):
        api = ctx.connection.api if ctx.connection is not None else None
        quiet = quiet + 1 if api is not None and api.in_flight == 0 else 0
        if quiet >= 10:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the app kept asking the server")


def test_a_blip_shows_what_was_missed_and_a_long_one_reloads(qapp: object, tmp_path: Path) -> None:
    reloads: list[SessionOnline] = []
    with headless(tmp_path / "app", demo=False) as (ctx, loop):

        async def scenario() -> None:
            async with _pbx_behind_relay(tmp_path / "pbx") as (pbx, relay, url):
                ctx.session_ctl.sign_in(url, "201", "Demo-201!", remember=False)
                await until(
                    lambda: _state(ctx) is ConnectionState.ONLINE
                    and ctx.session.registration.registered
                    and _status_of(ctx, "202") == "available",
                    40,
                    "signed in, registered, the directory loaded",
                )
                await _quiet(ctx)
                assert _unread(ctx) == 0
                ctx.bus.subscribe(SessionOnline, reloads.append)

                # a blip: Bram goes into a meeting while the app is cut off
                relay.cut()
                await until(lambda: _state(ctx) is ConnectionState.OFFLINE, 20, "offline")
                await pbx.presence.set("202", "meeting")
                relay.mend()
                await until(lambda: _status_of(ctx, "202") == "meeting", 30, "Bram in a meeting")
                assert _state(ctx) is ConnectionState.ONLINE
                assert reloads == [], "only the missed events were applied"

                # a long outage: more events than the server keeps, among them a chat message
                relay.cut()
                await until(lambda: _state(ctx) is ConnectionState.OFFLINE, 20, "offline again")
                await chat_service(pbx.store, pbx.bus).send_direct("202", "201", "Koffie?")
                for status in ("lunch", "dnd", "meeting", "not_present") * 2:
                    await pbx.presence.set("203", status)
                relay.mend()
                await until(lambda: bool(reloads), 30, "the stores reload")
                await until(lambda: _unread(ctx) == 1, 30, "the message, from the reload")
                assert _state(ctx) is ConnectionState.ONLINE
                assert len(reloads) == 1
                await _quiet(ctx)
                ctx.session_ctl.sign_out()
                await until(lambda: _state(ctx) is ConnectionState.SIGNED_OUT, 20, "signed out")

        loop.run_until_complete(scenario())
