"""SIP transports over asyncio: UDP datagrams, TCP and TLS streams (RFC 3261 §18, §26.2.1).

The only socket code of the SIP stack. It moves bytes: a UDP datagram is one message; on TCP the
stream is split into messages by the Content-Length framing of §18.3, and CRLF keep-alives are
answered per RFC 5626 §4.4.1. Everything above works on parsed messages and never sees a socket.
Accepted TCP connections are bounded (:class:`TcpPolicy`): a message must be complete within
``header_seconds`` of its first byte (and a new connection must send one that soon), a connection
silent for ``idle_seconds`` is closed, and one source may hold ``per_source`` connections.
Responses and requests to a phone that reached us over TCP reuse its connection (§18.2.2), so a
phone behind NAT stays reachable over the connection it registered on. TLS is the same stream
code with a sans-IO TLS session (:mod:`pbx_core.signaling.tls`) between the socket and the framer;
a failed handshake is logged once, with the peer, and closes only that connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from pbx_core.errors import PbxError
from pbx_core.signaling.message import SipParseError, frame_length
from pbx_core.signaling.tls import TlsError, TlsSession

__all__ = ["Address", "FramingError", "StreamFramer", "TcpPolicy", "TransportLayer"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message came from or goes to: transport ("udp"/"tcp"/"tls"/"ws"), host and
    port."""

    transport: str
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.transport}:{self.host}:{self.port}"

    @classmethod
    def parse(cls, text: str) -> Address:
        """Parse the ``transport:host:port`` form that :meth:`__str__` writes."""
        transport, _, rest = text.partition(":")
        host, _, port = rest.rpartition(":")
        if transport not in ("udp", "tcp", "tls", "ws") or not host or not port.isdigit():
            raise ValueError(f"bad transport address: {text!r}")
        return cls(transport, host, int(port))


@dataclass(frozen=True, slots=True)
class TcpPolicy:
    """Limits of accepted SIP/TCP connections. The idle time exceeds the longest registration
    interval (3600 s), so a phone that only re-registers keeps its connection."""

    header_seconds: float = 10.0
    idle_seconds: float = 3900.0
    per_source: int = 64

    def expired(self, now: float, last_data: float, partial_since: float | None) -> str | None:
        """Why a connection must close at ``now`` (``None``: not yet)."""
        if partial_since is not None and now - partial_since >= self.header_seconds:
            return "message incomplete"
        if now - last_data >= self.idle_seconds:
            return "idle"
        return None

    def next_check(self, last_data: float, partial_since: float | None) -> float:
        """When :meth:`expired` may first answer something else."""
        idle = last_data + self.idle_seconds
        return idle if partial_since is None else min(idle, partial_since + self.header_seconds)


class FramingError(PbxError, ValueError):
    """The TCP stream cannot be split into SIP messages; the connection is closed."""


class StreamFramer:
    """Splits a SIP byte stream into messages by Content-Length (RFC 3261 §18.3). Sans-IO."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.keepalive_pings = 0

    @property
    def pending(self) -> bool:
        """True while part of a message has arrived and the rest has not."""
        return bool(self._buffer.strip(b"\r\n"))

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the complete messages now available."""
        self._buffer += data
        frames: list[bytes] = []
        while True:
            self._skip_keepalives()
            try:
                length = frame_length(bytes(self._buffer))
            except SipParseError as exc:
                raise FramingError(str(exc)) from exc
            if length is None:
                return frames
            frames.append(bytes(self._buffer[:length]))
            del self._buffer[:length]

    def _skip_keepalives(self) -> None:
        while self._buffer.startswith(b"\r\n"):
            if self._buffer.startswith(b"\r\n\r\n"):
                self.keepalive_pings += 1
                del self._buffer[:4]
            else:
                del self._buffer[:2]


MessageHandler = Callable[[bytes, Address], None]


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, on_data: MessageHandler) -> None:
        self._on_data = on_data

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if data.strip(b"\r\n") == b"":
            return  # keep-alive
        self._on_data(data, Address("udp", addr[0], addr[1]))

    def error_received(self, exc: Exception) -> None:
        _log.debug("UDP error: %s", exc)


class _TcpConnection(asyncio.Protocol):
    """One TCP connection: frames incoming messages and writes outgoing ones."""

    kind = "tcp"

    def __init__(self, layer: TransportLayer, *, inbound: bool = False) -> None:
        self._layer = layer
        self._framer = StreamFramer()
        self._inbound = inbound
        self._counted = False
        self._loop = asyncio.get_running_loop()
        self._last_data = self._loop.time()
        self._partial_since: float | None = self._last_data if inbound else None
        self._timer: asyncio.TimerHandle | None = None
        self.transport: asyncio.Transport | None = None
        self.address: Address | None = None
        self.closed = self._loop.create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's TCP transport implements asyncio.Transport without subclassing it
        self.transport = cast(asyncio.Transport, transport)
        peer = transport.get_extra_info("peername")
        self.address = Address(self.kind, peer[0], peer[1])
        if self._inbound:
            per_source = self._layer._per_source
            if per_source.get(peer[0], 0) >= self._layer.tcp_policy.per_source:
                _log.warning(
                    "SIP/%s connection from %s refused: too many from there",
                    self.kind.upper(),
                    peer[0],
                )
                self.transport.close()
                return
            per_source[peer[0]] = per_source.get(peer[0], 0) + 1
            self._counted = True
            self._arm()
        self._layer._connections[(self.kind, peer[0], peer[1])] = self
        self._started()

    def _started(self) -> None:
        """Hook: the connection is up (TLS sends its ClientHello here)."""

    def _unwrap(self, data: bytes) -> bytes | None:
        """Hook: the plaintext in ``data`` (``None``: closed, or the TLS handshake goes on)."""
        return data

    def _wrap(self, data: bytes) -> bytes:
        """Hook: what to write for plaintext ``data``."""
        return data

    def data_received(self, data: bytes) -> None:
        assert self.address is not None and self.transport is not None
        plain = self._unwrap(data)
        if plain is None:
            return
        data = plain
        before = self._framer.keepalive_pings
        try:
            frames = self._framer.feed(data)
        except FramingError as exc:
            _log.warning("closing %s connection from %s: %s", self.kind, self.address, exc)
            self.transport.close()
            return
        self._last_data = self._loop.time()
        if not self._framer.pending:
            self._partial_since = None
        elif self._partial_since is None or frames:
            self._partial_since = self._last_data
        if self._framer.keepalive_pings != before:
            self.write(b"\r\n")  # RFC 5626 §4.4.1 pong
        for frame in frames:
            self._layer._deliver(frame, self.address)

    def _arm(self) -> None:
        policy = self._layer.tcp_policy
        at = policy.next_check(self._last_data, self._partial_since)
        self._timer = self._loop.call_at(at, self._check)

    def _check(self) -> None:
        self._timer = None
        if self.transport is None or self.transport.is_closing():
            return
        reason = self._layer.tcp_policy.expired(
            self._loop.time(), self._last_data, self._partial_since
        )
        if reason is None:
            self._arm()
            return
        _log.info("closing SIP/%s connection from %s: %s", self.kind.upper(), self.address, reason)
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.address is not None:
            key = (self.kind, self.address.host, self.address.port)
            if self._layer._connections.get(key) is self:
                del self._layer._connections[key]
            if self._counted:
                self._counted = False
                left = self._layer._per_source.get(self.address.host, 1) - 1
                if left > 0:
                    self._layer._per_source[self.address.host] = left
                else:
                    self._layer._per_source.pop(self.address.host, None)
        if not self.closed.done():
            self.closed.set_result(None)

    def write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            out = self._wrap(data)
            if out:
                self.transport.write(out)


class _TlsConnection(_TcpConnection):
    """One TLS connection: a :class:`TlsSession` between the socket and the TCP framing."""

    kind = "tls"

    def __init__(
        self, layer: TransportLayer, context: ssl.SSLContext, *, inbound: bool = False
    ) -> None:
        super().__init__(layer, inbound=inbound)
        self._tls = TlsSession(context, server_side=inbound)
        self._inbound_tls = inbound

    def _started(self) -> None:
        if not self._inbound_tls and self.transport is not None:
            self.transport.write(self._tls.start())

    def _unwrap(self, data: bytes) -> bytes | None:
        assert self.transport is not None
        try:
            plain, reply = self._tls.receive(data)
        except TlsError as exc:
            self._failed(exc)
            return None
        if reply:
            self.transport.write(reply)
        if self._tls.closed:
            self.transport.close()
        # during the handshake the connection's first-message timer keeps running
        return plain if self._tls.established else None

    def _wrap(self, data: bytes) -> bytes:
        try:
            return self._tls.send(data)
        except TlsError as exc:
            self._failed(exc)
            return b""

    def _failed(self, exc: TlsError) -> None:
        # the host without the port: a flood from one address is one line a minute
        host = self.address.host if self.address is not None else "?"
        _log.warning("SIP/TLS connection from %s closed: %s", host, exc)
        if self.transport is not None:
            self.transport.close()


class TransportLayer:
    """UDP, TCP and (with :meth:`start_tls`) TLS listeners on one address; hands every received
    message to ``on_message``."""

    def __init__(self, on_message: MessageHandler) -> None:
        self._on_message = on_message
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp_server: asyncio.Server | None = None
        self._connections: dict[tuple[str, str, int], _TcpConnection] = {}
        self._pending: dict[tuple[str, str, int], asyncio.Task[_TcpConnection]] = {}
        self._tls_server: asyncio.Server | None = None
        self._tls_client: ssl.SSLContext | None = None
        self._per_source: dict[str, int] = {}
        self.tcp_policy = TcpPolicy()
        self.host = ""
        self.udp_port = 0
        self.tcp_port = 0
        self.tls_port = 0
        self.ws_port = 0
        self._listeners: list[asyncio.Server] = []

    def add_listener(self, kind: str, server: asyncio.Server) -> None:
        """A listener made elsewhere (SIP over WebSocket): its port, closed with the rest."""
        self._listeners.append(server)
        if kind == "ws":
            self.ws_port = server.sockets[0].getsockname()[1]

    async def start(self, host: str, udp_port: int, tcp_port: int | None = None) -> None:
        """Bind UDP, then TCP on the same port number (or ``tcp_port``); 0 picks free ports."""
        loop = asyncio.get_running_loop()
        self.host = host
        udp, _ = await loop.create_datagram_endpoint(
            lambda: _UdpProtocol(self._deliver), local_addr=(host, udp_port)
        )
        self._udp = udp
        self.udp_port = udp.get_extra_info("sockname")[1]
        wanted_tcp = self.udp_port if tcp_port is None else tcp_port
        try:
            self._tcp_server = await loop.create_server(
                lambda: _TcpConnection(self, inbound=True), host, wanted_tcp, reuse_address=True
            )
        except OSError:
            if tcp_port is not None:
                raise
            self._tcp_server = await loop.create_server(
                lambda: _TcpConnection(self, inbound=True), host, 0
            )
        self.tcp_port = self._tcp_server.sockets[0].getsockname()[1]

    async def start_tls(
        self, host: str, port: int, server: ssl.SSLContext, client: ssl.SSLContext
    ) -> None:
        """Listen for SIP over TLS on ``port`` (0 picks a free one); ``client`` is the context
        of the connections we open to phones."""
        loop = asyncio.get_running_loop()
        self._tls_client = client
        self._tls_server = await loop.create_server(
            lambda: _TlsConnection(self, server, inbound=True), host, port, reuse_address=True
        )
        self.tls_port = self._tls_server.sockets[0].getsockname()[1]

    def _deliver(self, data: bytes, source: Address) -> None:
        try:
            self._on_message(data, source)
        except Exception:
            _log.exception("message handler failed for a message from %s", source)

    def send(self, data: bytes, dest: Address) -> None:
        """Send one message; TCP and TLS reuse a connection to ``dest`` or open one in the
        background."""
        if dest.transport == "udp":
            if self._udp is not None:
                self._udp.sendto(data, (dest.host, dest.port))
            return
        key = (dest.transport, dest.host, dest.port)
        conn = self._connections.get(key)
        if conn is not None:
            conn.write(data)
            return
        if dest.transport == "ws":  # a browser's socket is opened by the browser only
            _log.warning("no WebSocket connection to %s (the phone went away); not sent", dest)
            return
        task = self._pending.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._connect(dest))
            self._pending[key] = task
            task.add_done_callback(lambda _t: self._pending.pop(key, None))
        task.add_done_callback(lambda t: self._write_when_connected(t, data, dest))

    async def _connect(self, dest: Address) -> _TcpConnection:
        loop = asyncio.get_running_loop()
        if dest.transport == "tls":
            context = self._tls_client
            if context is None:
                raise TlsError("no SIP/TLS transport")
            _, tls = await loop.create_connection(
                lambda: _TlsConnection(self, context), dest.host, dest.port
            )
            return tls
        _, conn = await loop.create_connection(lambda: _TcpConnection(self), dest.host, dest.port)
        return conn

    @staticmethod
    def _write_when_connected(
        task: asyncio.Task[_TcpConnection], data: bytes, dest: Address
    ) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            _log.warning("cannot connect to %s: %s", dest, exc)
            return
        task.result().write(data)

    def has_connection(self, dest: Address) -> bool:
        return (dest.transport, dest.host, dest.port) in self._connections

    async def close(self) -> None:
        for task in list(self._pending.values()):
            task.cancel()
        if self._udp is not None:
            self._udp.close()
        for server in (self._tcp_server, self._tls_server, *self._listeners):
            if server is not None:
                server.close()
        for conn in list(self._connections.values()):
            if conn.transport is not None:
                conn.transport.close()
        for conn in list(self._connections.values()):
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(conn.closed, 1.0)
        for server in (self._tcp_server, self._tls_server, *self._listeners):
            if server is not None:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(server.wait_closed(), 1.0)
