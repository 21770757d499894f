"""Wakes the engine thread out of ``libHandleEvents`` when a command is queued.

pjsua2 has no call that interrupts a blocking ``libHandleEvents`` from another
thread, and a timer scheduled meanwhile does not shorten the ioqueue's wait.
A datagram on the SIP UDP socket does. pjsip's UDP transport drops datagrams
of 32 bytes or less without a word (``sip_transport_udp.c``), so the wake-up is
a CRLF CRLF keep-alive (RFC 5626 section 4.4.1): it costs no parse and no log.
"""

from __future__ import annotations

import socket

__all__ = ["Waker"]

_PING = b"\r\n\r\n"


class Waker:
    """Sends a keep-alive to our own SIP UDP port; safe from any thread."""

    def __init__(self, bound_address: str, port: int) -> None:
        host = "127.0.0.1" if bound_address in ("", "0.0.0.0") else bound_address
        self._addr = (host, port)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sent = 0

    def wake(self) -> None:
        try:
            self._sock.sendto(_PING, self._addr)
        except OSError:  # closed by shutdown meanwhile, or the buffer is full: both harmless
            return
        self.sent += 1

    def close(self) -> None:
        self._sock.close()
