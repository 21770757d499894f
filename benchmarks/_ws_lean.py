"""A lean reader of many WebSocket event streams in one process, for the fan-out benchmark.

The clients of a fan-out stand for other computers; on the benchmark's machine they share the
cores with the server, so each receipt should cost as little as possible there. This opens the
streams with a plain RFC 6455 handshake, then reads them with one ``selectors`` loop: it takes
frames apart only as far as needed (text frames searched for a byte string, pings answered with
a masked pong as §5.5.3 asks), with no JSON parsing and no task per connection.
"""

from __future__ import annotations

import base64
import os
import selectors
import socket
import struct
import time

_OP_TEXT, _OP_CLOSE, _OP_PING = 0x1, 0x8, 0x9


class _Stream:
    __slots__ = ("buf", "got", "sock")

    def __init__(self, sock: socket.socket, rest: bytes) -> None:
        self.sock = sock
        self.buf = bytearray(rest)
        self.got: float | None = None


def _handshake(host: str, port: int, path: str) -> _Stream:
    sock = socket.create_connection((host, port), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the server closed the connection during the handshake")
        head += chunk
    status, _, rest = head.partition(b"\r\n\r\n")
    if b" 101 " not in status.split(b"\r\n", 1)[0]:
        raise ConnectionError(status.split(b"\r\n", 1)[0].decode(errors="replace"))
    sock.setblocking(False)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return _Stream(sock, rest)


def _pong(payload: bytes) -> bytes:
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | 0xA, 0x80 | len(payload)]) + mask + masked


def _frames(stream: _Stream) -> list[tuple[int, bytes]]:
    """Complete frames at the front of the buffer (server frames are never masked)."""
    out = []
    buf = stream.buf
    while len(buf) >= 2:
        opcode, length, at = buf[0] & 0x0F, buf[1] & 0x7F, 2
        if length == 126:
            if len(buf) < 4:
                break
            length, at = struct.unpack_from("!H", buf, 2)[0], 4
        elif length == 127:
            if len(buf) < 10:
                break
            length, at = struct.unpack_from("!Q", buf, 2)[0], 10
        if len(buf) < at + length:
            break
        out.append((opcode, bytes(buf[at : at + length])))
        del buf[: at + length]
    return out


class LeanStreams:
    """``count`` event streams to ``host:port``, each signed in with ``tokens[n]``."""

    def __init__(self, host: str, port: int, tokens: list[str]) -> None:
        self._streams = [_handshake(host, port, f"/api/v1/events?token={t}") for t in tokens]
        self._selector = selectors.DefaultSelector()
        for stream in self._streams:
            self._selector.register(stream.sock, selectors.EVENT_READ, stream)

    def __len__(self) -> int:
        return len(self._streams)

    def until_each_has(self, needle: bytes, within_s: float) -> list[float]:
        """Read until every stream has had a text frame holding ``needle``; the monotonic time
        at which each one had it."""
        for stream in self._streams:
            stream.got = None
        waiting = len(self._streams)
        deadline = time.monotonic() + within_s
        while waiting:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{waiting} of {len(self._streams)} streams did not have it")
            for key, _ in self._selector.select(left):
                stream: _Stream = key.data
                chunk = stream.sock.recv(65536)
                now = time.monotonic()
                if not chunk:
                    raise ConnectionError("the server closed an event stream")
                stream.buf += chunk
                for opcode, payload in _frames(stream):
                    if opcode == _OP_PING:
                        stream.sock.sendall(_pong(payload))
                    elif opcode == _OP_CLOSE:
                        raise ConnectionError(f"the server closed an event stream: {payload!r}")
                    elif opcode == _OP_TEXT and stream.got is None and needle in payload:
                        stream.got = now
                        waiting -= 1
        return [s.got for s in self._streams if s.got is not None]

    def close(self) -> None:
        for stream in self._streams:
            self._selector.unregister(stream.sock)
            stream.sock.close()
        self._selector.close()
