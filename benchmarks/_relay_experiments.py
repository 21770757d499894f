"""Copies of the PBX's relay path with design changes, measured by media_relay.py ``--variant``.

The product's path (``pbx_core/media/leg.py``) is: one asyncio datagram transport per RTP
socket, one ``datagram_received`` call per packet, then ``_on_rtp`` (RTCP demux, header peek,
latch check, direction check, receive statistics) and ``_relay`` on each sink (payload-type
map, sequence/timestamp mapping, header rewrite, ``transport.sendto``). These variants keep
the same work per packet (SDP offer/answer by real ``MediaLeg`` objects, latching, the
payload-type map, one SSRC and continuous sequence numbers per leg, ``ReceiveStats``) and
change how packets reach it:

* ``reader``: ``loop.add_reader`` on each raw socket; the callback drains the socket
  (``recvfrom`` until EAGAIN) and relays with ``socket.sendto``: no transport, no protocol
  object, no address re-conversion, one clock read per wake-up, the per-leg decisions
  (payload-type map, may-send) made once at connect time instead of per packet.
* ``thread``: the same relay loop on its own thread with its own ``select.epoll`` (the
  asyncio loop stays for signalling only); ``sys.setswitchinterval`` is left alone.
* ``reader-nostats``: ``reader`` without the receive statistics, to show what they cost.
* ``engine-nogc``: the real engine with Python's cyclic garbage collector off.

(The engine now codes G.722 with libg722 itself, so the former ``engine-cg722`` swap is gone.)
Run any of them, on uvloop (the default, as shipped) or asyncio, with ``python
benchmarks/media_relay.py --variant X [--loop asyncio] --no-rtpengine --no-docs``.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
import struct
import threading
import time
from collections.abc import Callable

from pbx_core.media import G722, PCMU, MediaLeg, SessionDescription, offered_codecs
from pbx_core.media.codecs import TELEPHONE_EVENT
from pbx_core.media.endpoint import bind_pair
from pbx_core.media.ports import PortAllocator
from pbx_core.media.stream import OutgoingStream, ReceiveStats

__all__ = ["make_relay"]

HOST = "127.0.0.1"
_HEADER = struct.Struct("!HLL")
_unpack_header = _HEADER.unpack_from
_pack_header = _HEADER.pack_into


class _NoHost:
    """The ``LegHost`` of legs used only for offer/answer here."""

    def source_changed(self, leg: MediaLeg) -> None:
        pass

    def leg_closed(self, leg: MediaLeg) -> None:
        pass

    def leave_room(self, leg: MediaLeg) -> None:
        pass


class LeanLeg:
    """One leg's relay state, taken from a negotiated ``MediaLeg``; sockets read raw."""

    __slots__ = (
        "in_ssrc",
        "latched",
        "leg",
        "out",
        "pt_map",
        "received",
        "remote",
        "rtcp",
        "sent",
        "seq_off",
        "sink",
        "sock",
        "stats",
        "ts_off",
    )  # fmt: skip

    def __init__(self, leg: MediaLeg, sockets: tuple[socket.socket, socket.socket]) -> None:
        self.leg = leg
        self.sock, self.rtcp = sockets
        self.remote = leg.remote
        self.latched = False
        self.sink: LeanLeg | None = None
        self.pt_map: dict[int, int] = {}
        self.out = OutgoingStream()
        self.stats = ReceiveStats()
        self.in_ssrc: int | None = None
        self.seq_off = self.ts_off = 0
        self.received = self.sent = 0

    def connect(self, sink: LeanLeg) -> None:
        """Decide once what ``_relay`` decides per packet: the fast-path payload-type map."""
        self.sink = sink
        self.pt_map = {}
        for pt, spec in self.leg._receive_map.items():
            if spec == TELEPHONE_EVENT and sink.leg.dtmf_payload_type is not None:
                self.pt_map[pt] = sink.leg.dtmf_payload_type
            elif spec == sink.leg.codec and sink.leg.payload_type is not None:
                self.pt_map[pt] = sink.leg.payload_type

    def relay_from(self, data: bytes, now: float, stats: bool) -> None:
        """Received on this leg's source: a copy of ``MediaLeg._relay``'s fast path."""
        source = self.sink  # legs are joined both ways: our source is our sink
        assert source is not None
        out_pt = source.pt_map.get(data[1] & 0x7F)
        if out_pt is None or self.remote is None:
            return
        seq, ts, ssrc = _unpack_header(data, 2)
        if stats:
            source.stats.add(ssrc, seq, ts, now)
        marker = data[1] & 0x80
        if ssrc != self.in_ssrc:  # a new input stream: continue our own numbering
            out = self.out
            self.in_ssrc = ssrc
            self.seq_off = (out.last_seq + 1 - seq) & 0xFFFF
            self.ts_off = (out.last_ts + 160 - ts) & 0xFFFFFFFF
            marker = 0x80
        packet = bytearray(data)
        packet[1] = marker | out_pt
        out_seq, out_ts = (seq + self.seq_off) & 0xFFFF, (ts + self.ts_off) & 0xFFFFFFFF
        _pack_header(packet, 2, out_seq, out_ts, self.out.ssrc)
        self.out.last_seq, self.out.last_ts = out_seq, out_ts
        try:
            self.sock.sendto(packet, self.remote)
        except OSError:
            return
        self.sent += 1

    def drain(self, stats: bool = True) -> None:
        """Read every datagram waiting on the RTP socket and relay it."""
        recvfrom, now = self.sock.recvfrom, time.monotonic()
        while True:
            try:
                data, addr = recvfrom(2048)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # an ICMP error queued on the socket
            if len(data) < 12 or data[0] >> 6 != 2 or 192 <= data[1] <= 223:
                continue  # not RTP, or RTCP multiplexed: never relayed
            if not self.latched:
                self.remote, self.latched = addr, True
            elif addr != self.remote:
                continue
            self.received += 1
            sink = self.sink
            if sink is not None:
                sink.relay_from(data, now, stats)


class LeanRelay:
    """Calls negotiated by real ``MediaLeg`` objects and relayed by ``LeanLeg``."""

    def __init__(self, low: int, high: int, how: str, stats: bool = True) -> None:
        self._ports = PortAllocator(low, high)
        self._how = how
        self._stats = stats
        self._legs: list[LeanLeg] = []
        self._epoll: select.epoll | None = None
        self._by_fd: dict[int, LeanLeg] = {}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.calls = 0

    async def _leg(self, n: int, side: str) -> tuple[MediaLeg, tuple[socket.socket, ...]]:
        bound: list[tuple[socket.socket, socket.socket]] = []

        def try_bind(port: int) -> bool:
            pair = bind_pair(HOST, port)
            if pair is not None:
                bound.append(pair)
            return pair is not None

        port = self._ports.allocate(try_bind)
        return MediaLeg(_NoHost(), f"{n}{side}", HOST, port, bound[0]), bound[0]

    async def open_call(
        self, a_addr: list[object], b_addr: list[object], transcode: bool
    ) -> list[int]:
        from _pbx_relay import ANSWER, OFFER, sdp  # benchmarks/ is the script folder

        if transcode:
            raise ValueError("the experiments copy the fast path only")
        n = self.calls = self.calls + 1
        a, a_socks = await self._leg(n, "a")
        b, b_socks = await self._leg(n, "b")
        offer: SessionDescription = sdp(OFFER, n, a_addr)
        a.answer(offer, codecs=[PCMU] if transcode else None)
        b.offer(codecs=[G722] if transcode else offered_codecs(offer))
        b.accept_answer(sdp(ANSWER, n, b_addr, pt=0, codec="PCMU"))
        lean_a, lean_b = LeanLeg(a, (a_socks[0], a_socks[1])), LeanLeg(b, (b_socks[0], b_socks[1]))
        lean_a.connect(lean_b)
        lean_b.connect(lean_a)
        self._legs += [lean_a, lean_b]
        for leg in (lean_a, lean_b):
            self._watch(leg)
        return [a.local_port, b.local_port]

    def _watch(self, leg: LeanLeg) -> None:
        stats = self._stats
        if self._how == "thread":
            if self._epoll is None:
                self._epoll = select.epoll()
                self._thread = threading.Thread(target=self._run, daemon=True)
                self._thread.start()
            with self._lock:
                self._by_fd[leg.sock.fileno()] = leg
            self._epoll.register(leg.sock.fileno(), select.EPOLLIN)
        else:
            drain: Callable[[], None] = lambda: leg.drain(stats)  # noqa: E731
            asyncio.get_running_loop().add_reader(leg.sock.fileno(), drain)

    def _run(self) -> None:
        assert self._epoll is not None
        poll, by_fd, stats = self._epoll.poll, self._by_fd, self._stats
        while True:
            try:
                events = poll()
            except (OSError, ValueError):
                return
            for fd, _ in events:
                leg = by_fd.get(fd)
                if leg is not None:
                    leg.drain(stats)

    async def close_all(self) -> None:
        loop = asyncio.get_running_loop()
        for leg in self._legs:
            fd = leg.sock.fileno()
            if self._how == "thread" and self._epoll is not None:
                with contextlib.suppress(OSError):
                    self._epoll.unregister(fd)
                with self._lock:
                    self._by_fd.pop(fd, None)
            else:
                loop.remove_reader(fd)
            leg.sock.close()
            leg.rtcp.close()
            self._ports.release(leg.leg.local_port)
        self._legs.clear()
        self.calls = 0

    def counters(self) -> dict[str, int]:
        return {
            "received": sum(leg.received for leg in self._legs),
            "sent": sum(leg.sent for leg in self._legs),
            "dropped": 0,
        }


def make_relay(variant: str, low: int, high: int) -> LeanRelay:
    if variant == "reader":
        return LeanRelay(low, high, "reader")
    if variant == "reader-nostats":
        return LeanRelay(low, high, "reader", stats=False)
    if variant == "thread":
        return LeanRelay(low, high, "thread")
    raise SystemExit(f"unknown variant {variant!r}: reader, reader-nostats, thread")
