"""RTP load for the media relay benchmark: paced senders and kernel-stamped receivers.

Each call has two streams (A to B and B to A), 50 packets a second each, 12-byte RTP header
plus 160 payload octets (20 ms of G.711). The payload starts with the stream's number, its own
packet counter and the wall-clock time just before ``sendto`` (``time.time_ns``); a relay on the
fast path leaves payloads alone, so the receiver learns each packet's one-way delay from the
kernel's receive timestamp (SO_TIMESTAMPNS, the same clock), whatever its own scheduling.

Phones share sockets: all A phones send from and receive on one socket, all B phones on
another; a relay latches each leg to the address its packets come from, so that is all it needs.
Senders and receivers run in forked processes (``multiprocessing``), so the relay under test,
the senders and the receivers each have their own interpreter.
"""

from __future__ import annotations

import socket
import struct
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FRAME_NS",
    "STOP",
    "LoadResult",
    "ReceiverResult",
    "SenderResult",
    "Stream",
    "phone_socket",
    "receive",
    "send",
    "summarise",
]

FRAME_NS = 20_000_000
PAYLOAD_OCTETS = 160
STOP = b"STOP"
_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; SCM_TIMESTAMPNS is the same
_STAMP = struct.Struct("!IIQ")  # stream, counter, send time (ns since the epoch)
_HEADER = struct.Struct("!BBHLL")
_SLACK_NS = 1_000_000
_POLL_SECONDS = 0.005
_TIMESPEC = struct.Struct("@qq")


@dataclass(frozen=True, slots=True)
class Stream:
    """One direction of one call: sent from phone socket ``sock`` to ``to`` with ``pt``."""

    number: int
    sock: int  # index into the phone sockets
    to: tuple[str, int]
    pt: int


@dataclass(frozen=True, slots=True)
class SenderResult:
    sent: int
    late_p99_ms: float  # how far behind its schedule the sender sent (generator health)
    late_max_ms: float


@dataclass(frozen=True, slots=True)
class ReceiverResult:
    """Raw counts of one receiver; ``delays_ns`` only for packets of the measured window."""

    streams: np.ndarray  # stream number per packet in the window
    delays_ns: np.ndarray
    counters: np.ndarray
    other: int  # packets without a readable stamp (transcoded) or before the window


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Loss and delay of one step, all streams together."""

    expected: int
    received: int
    loss: float  # fraction
    jitter_p50_ms: float  # added one-way jitter: delay minus the stream's lowest delay
    jitter_p99_ms: float
    jitter_max_ms: float
    delay_p50_ms: float
    delay_p99_ms: float
    late_p99_ms: float
    late_max_ms: float


def phone_socket(host: str = "127.0.0.1") -> socket.socket:
    """A bound UDP socket with kernel receive timestamps and a large receive buffer."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
    for option in (33, socket.SO_RCVBUF):  # SO_RCVBUFFORCE needs CAP_NET_ADMIN
        try:
            sock.setsockopt(socket.SOL_SOCKET, option, 8 << 20)
            break
        except OSError:
            continue
    sock.bind((host, 0))
    return sock


def send(
    socks: Sequence[socket.socket],
    streams: Sequence[Stream],
    start_ns: int,
    frames: int,
    result: object,
) -> None:
    """Send ``frames`` packets per stream from ``start_ns`` (monotonic), spread over each 20 ms.

    ``result`` is a ``multiprocessing`` connection; the ``SenderResult`` is sent on it.
    """
    count = len(streams)
    phases = [i * FRAME_NS // max(1, count) for i in range(count)]
    packets = []
    for stream in streams:
        buf = bytearray(12 + PAYLOAD_OCTETS)
        buf[12:] = b"\xff" * PAYLOAD_OCTETS
        ssrc = 0x5EED0000 + stream.number
        _HEADER.pack_into(buf, 0, 0x80, stream.pt, 0, 0, ssrc)
        packets.append((socks[stream.sock].sendto, stream.to, buf, stream.number))
    late = array("q")
    pack_header = struct.Struct("!HL").pack_into
    pack_stamp = _STAMP.pack_into
    monotonic_ns, time_ns, sleep = time.monotonic_ns, time.time_ns, time.sleep
    for frame in range(frames):
        base = start_ns + frame * FRAME_NS
        seq, ts = frame & 0xFFFF, (frame * 160) & 0xFFFFFFFF
        i = 0
        while i < count:
            now = monotonic_ns()
            due = base + phases[i]
            if due > now + _SLACK_NS:
                sleep((due - now - _SLACK_NS) / 1e9)
                now = monotonic_ns()
            horizon = now + _SLACK_NS  # everything due within the next millisecond goes now
            while i < count and base + phases[i] <= horizon:
                sendto, to, buf, number = packets[i]
                pack_header(buf, 2, seq, ts)
                pack_stamp(buf, 12, number, frame, time_ns())
                try:  # noqa: SIM105  (the hot loop: no context manager per packet)
                    sendto(buf, to)
                except OSError:
                    pass  # a full send buffer counts as loss at the receiver
                i += 1
        late.append(max(0, monotonic_ns() - base - phases[-1]))  # the frame's last packet
    lags = np.frombuffer(late, dtype=np.int64) if late else np.zeros(1, dtype=np.int64)
    result.send(  # type: ignore[attr-defined]
        SenderResult(
            frames * count,
            float(np.percentile(lags, 99)) / 1e6,
            float(lags.max()) / 1e6,
        )
    )


def receive(sock: socket.socket, first_counter: int, result: object) -> None:
    """Record every packet on ``sock`` until a ``STOP`` datagram; send a ``ReceiverResult``."""
    streams, counters, delays = array("q"), array("q"), array("q")
    other = 0
    recvmsg, unpack_stamp, unpack_time = sock.recvmsg, _STAMP.unpack_from, _TIMESPEC.unpack
    level = socket.SOL_SOCKET
    stopped = False
    while not stopped:
        time.sleep(_POLL_SECONDS)  # kernel timestamps: reading late does not move the figures
        while True:
            try:
                data, ancillary, _, _ = recvmsg(2048, 64, socket.MSG_DONTWAIT)
            except BlockingIOError:
                break
            if data == STOP:
                stopped = True
                break
            rx = 0
            for cmsg_level, cmsg_type, cmsg_data in ancillary:
                if cmsg_level == level and cmsg_type == _SO_TIMESTAMPNS:
                    sec, nsec = unpack_time(cmsg_data[: _TIMESPEC.size])
                    rx = sec * 1_000_000_000 + nsec
            if len(data) < 12 + _STAMP.size:
                other += 1
                continue
            number, counter, sent = unpack_stamp(data, 12)
            delay = rx - sent
            if counter < first_counter or not 0 <= delay < 10_000_000_000:
                other += 1
                continue
            streams.append(number)
            counters.append(counter)
            delays.append(delay)
    result.send(  # type: ignore[attr-defined]
        ReceiverResult(
            np.frombuffer(streams, dtype=np.int64).copy(),
            np.frombuffer(delays, dtype=np.int64).copy(),
            np.frombuffer(counters, dtype=np.int64).copy(),
            other,
        )
    )


def summarise(
    receivers: Sequence[ReceiverResult],
    senders: Sequence[SenderResult],
    streams: int,
    window_frames: int,
    counted_only: bool = False,
) -> LoadResult:
    """Loss and added jitter over the window; ``counted_only`` (transcoded) counts packets."""
    late_p99 = max((s.late_p99_ms for s in senders), default=0.0)
    late_max = max((s.late_max_ms for s in senders), default=0.0)
    if counted_only:
        expected = sum(s.sent for s in senders)
        received = sum(r.other + len(r.streams) for r in receivers)
        loss = max(0.0, 1 - received / expected) if expected else 1.0
        return _no_delays(expected, received, loss, late_p99, late_max)
    number = np.concatenate([r.streams for r in receivers])
    counter = np.concatenate([r.counters for r in receivers])
    delay = np.concatenate([r.delays_ns for r in receivers])
    expected = streams * window_frames
    keys = np.unique(number * (1 << 32) + counter)
    received = len(keys)
    loss = max(0.0, 1 - received / expected) if expected else 1.0
    if not len(delay):
        return _no_delays(expected, 0, 1.0, late_p99, late_max)
    lowest = np.full(streams, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, number, delay)
    added = (delay - lowest[number]) / 1e6
    ms = delay / 1e6
    return LoadResult(
        expected,
        received,
        loss,
        float(np.percentile(added, 50)),
        float(np.percentile(added, 99)),
        float(added.max()),
        float(np.percentile(ms, 50)),
        float(np.percentile(ms, 99)),
        late_p99,
        late_max,
    )


def _no_delays(
    expected: int, received: int, loss: float, late_p99: float, late_max: float
) -> LoadResult:
    """Counts only: the payloads carried no readable send time (transcoded) or none came."""
    nan = float("nan")
    return LoadResult(expected, received, loss, nan, nan, nan, nan, nan, late_p99, late_max)
