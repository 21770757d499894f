"""The package's socket code: binding an RTP/RTCP port pair and the asyncio datagram endpoint.

Sockets are bound synchronously (so a busy port is skipped at once, see ``ports.py``) and then
handed to ``loop.create_datagram_endpoint(sock=...)``.  ICMP errors (a phone restarting) are
logged and ignored so a leg survives them.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable

__all__ = ["Address", "bind_pair", "open_endpoint"]

log = logging.getLogger(__name__)

Address = tuple[str, int]
Receiver = Callable[[bytes, Address], None]


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.setblocking(False)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def bind_pair(host: str, port: int) -> tuple[socket.socket, socket.socket] | None:
    """Sockets bound to ``port`` (RTP) and ``port + 1`` (RTCP), or None if either is busy."""
    try:
        rtp = _bind(host, port)
    except OSError:
        return None
    try:
        rtcp = _bind(host, port + 1)
    except OSError:
        rtp.close()
        return None
    return rtp, rtcp


class _Endpoint(asyncio.DatagramProtocol):
    def __init__(self, receiver: Receiver, name: str) -> None:
        self._receiver = receiver
        self._name = name

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        self._receiver(data, (str(addr[0]), int(str(addr[1]))))

    def error_received(self, exc: Exception) -> None:
        log.debug("%s: socket error %s", self._name, exc)


async def open_endpoint(
    sock: socket.socket, receiver: Receiver, name: str
) -> asyncio.DatagramTransport:
    """Start delivering the datagrams of a bound socket to ``receiver``."""
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(lambda: _Endpoint(receiver, name), sock=sock)
    return transport
