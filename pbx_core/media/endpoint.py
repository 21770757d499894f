"""The package's socket code: binding an RTP/RTCP port pair and reading it on the loop.

Sockets are bound synchronously (so a busy port is skipped at once, see ``ports.py``) and then
read by a reader callback on the loop that drains each socket per wake-up (``SocketEndpoint``).
ICMP errors (a phone restarting) are logged and ignored so a leg survives them.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable

__all__ = ["Address", "SocketEndpoint", "bind_pair", "open_endpoint"]

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


_MAX_DATAGRAM = 2048  # RTP of the codecs we offer is far below; larger is not media


class SocketEndpoint:
    """A bound UDP socket read by the loop's reader callback: each wake-up drains every
    datagram waiting (``recvfrom`` until it would block) and hands each to ``receiver``.

    Cheaper than a datagram transport per packet (no protocol call, no address conversion, no
    send buffer) and, under load, it takes a whole burst per wake-up instead of one packet per
    loop iteration. Sending never blocks: when the socket buffer is full the packet is dropped,
    which is what late RTP is worth anyway.
    """

    def __init__(
        self,
        sock: socket.socket,
        receiver: Receiver,
        name: str,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self._sock = sock
        self._receiver = receiver
        self._name = name
        self._loop = loop
        self._fd = sock.fileno()
        self._errors = 0
        loop.add_reader(self._fd, self._drain)

    def _drain(self) -> None:
        recvfrom, receiver = self._sock.recvfrom, self._receiver
        while True:
            try:
                data, addr = recvfrom(_MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # an ICMP error queued on the socket (a phone restarted)
                self._error(exc)
                continue
            receiver(data, addr if len(addr) == 2 else (addr[0], addr[1]))

    def sendto(self, data: bytes | bytearray, addr: Address) -> None:
        try:
            self._sock.sendto(data, addr)
        except (BlockingIOError, InterruptedError):
            pass  # the socket buffer is full: drop this packet
        except OSError as exc:
            self._error(exc)

    def _error(self, exc: OSError) -> None:
        self._errors += 1
        if self._errors == 1 or self._errors % 1000 == 0:
            log.debug("%s: socket error %s (%d so far)", self._name, exc, self._errors)

    def close(self) -> None:
        if self._fd < 0:
            return
        self._loop.remove_reader(self._fd)
        self._fd = -1
        self._sock.close()


async def open_endpoint(sock: socket.socket, receiver: Receiver, name: str) -> SocketEndpoint:
    """Start delivering the datagrams of a bound, non-blocking socket to ``receiver``."""
    return SocketEndpoint(sock, receiver, name, asyncio.get_running_loop())
