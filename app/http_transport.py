"""The app's HTTP transport: httpx over plain asyncio streams.

httpx reaches the network through httpcore, which by default connects with anyio's
``connect_tcp``. A task cancelled while that connect completes (quitting, signing out or a server
restart while a request is starting) leaves the new socket open and unreferenced: anyio has
already handed it over when the cancellation unwinds its task group. The app cancels requests in
exactly those moments, so it talks HTTP through :class:`AsyncioBackend` instead: a connection
attempt cancelled at any point is closed by asyncio itself (``create_connection`` closes the
transport when its waiter is cancelled), and every other step is a single stream operation.

Only what the API client needs: TCP with an optional TLS upgrade, no Unix sockets, no proxies
(the client is built with ``trust_env=False``).
"""

from __future__ import annotations

# ruff: noqa: ASYNC109  (the timeout parameters are httpcore's network backend interface)
import asyncio
import contextlib
import ssl
import typing
from collections.abc import Iterable

import httpcore
import httpx

__all__ = ["AsyncioBackend", "asyncio_transport"]


def asyncio_transport(tls: ssl.SSLContext | None = None) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connection pool connects through :class:`AsyncioBackend`;
    ``tls`` verifies https servers (default: the system's trusted certificates)."""
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(  # httpx has no backend option
        ssl_context=tls or httpx.create_ssl_context(trust_env=False),
        network_backend=AsyncioBackend(),
    )
    return transport


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One TCP connection (possibly upgraded to TLS) as httpcore reads and writes it."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc) or "read timed out") from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc) or "write timed out") from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    async def aclose(self) -> None:
        # Closing the transport is immediate; the FIN is flushed by asyncio without waiting for
        # the peer, so a request cancelled here still leaves nothing open.
        self._writer.close()
        with contextlib.suppress(OSError, TimeoutError):
            async with asyncio.timeout(1.0):
                await self._writer.wait_closed()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            self._writer.close()
            raise httpcore.ConnectTimeout(str(exc) or "TLS handshake timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            self._writer.close()
            raise httpcore.ConnectError(str(exc)) from exc
        except BaseException:
            self._writer.close()
            raise
        return self

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            # httpcore asks before reusing a kept-alive connection: readable means the server
            # closed it (or sent something unasked), so it must not be reused.
            return self._writer.is_closing() or self._reader.at_eof() or _has_buffered(self)
        return None


def _has_buffered(stream: AsyncioStream) -> bool:
    buffer = getattr(stream._reader, "_buffer", b"")  # no public peek
    return bool(buffer)


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Connects with :func:`asyncio.open_connection`, trying a host's addresses in turn.

    Not with asyncio's Happy Eyeballs race (``happy_eyeballs_delay``): on Python 3.11 a race
    cancelled from outside leaves its winning socket open too."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port, local_addr=local)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc) or "connect timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = writer.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("the app does not connect to Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
