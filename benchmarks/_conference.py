"""CPU per conference party: rooms of the PBX's media engine, each party a real leg and phone.

Each party has its own UDP socket (the room sends every member its own mix-minus, so parties
cannot share an address) and is one leg of the engine in a room (``JoinRoom``). One sender
process sends 50 packets a second per party, a steady tone at the party's own pitch (-24 dBFS,
frames encoded once with the product's coder and sent in a loop), the parties spread over
each 20 ms. One receiver process records every mixed packet with the kernel's receive
timestamp and keeps the last second of payloads of the measured window, which the summary
decodes to check that each party hears the others (not silence).

Figures of a step: CPU of the relay process per party, loss into the engine (the legs'
receive counters against the packets sent) and out of it (mixed packets against 50 a second
per party), and whether the mix keeps up: the gaps between a party's mixed packets (the
engine sends them from one 20 ms ticker), a tick counted late when its gap exceeds 30 ms.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import selectors
import socket
import struct
import sys
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _rtp_load import FRAME_NS, STOP, phone_socket  # benchmarks/ is the script folder

from pbx_core.media.codecs import G722, PCMU, CodecSpec, get_decoder, get_encoder

__all__ = [
    "PartyAudio",
    "RoomHost",
    "RoomStep",
    "conference_line",
    "cpu_seconds",
    "run_rooms",
    "summarise_rooms",
    "tone_frames",
]

CODECS: dict[str, tuple[CodecSpec, int]] = {"PCMU": (PCMU, 0), "G722": (G722, 9)}
LEVEL_DBFS = -24.0
HEARD_DBFS = -50.0  # a party whose mix is quieter than this heard silence
LATE_GAP_MS = 30.0
FRAMES_PER_SECOND = 1_000_000_000 // FRAME_NS
_HEADER = struct.Struct("!BBHLL")
_TIMESPEC = struct.Struct("@qq")
_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
_SLACK_NS = 1_000_000
_POLL_SECONDS = 0.005


def cpu_seconds(pid: int) -> float:
    """User+system CPU seconds of ``pid`` (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tone_frames(codec: str, freq: float, frames: int = FRAMES_PER_SECOND) -> list[bytes]:
    """``frames`` consecutive 20 ms payloads of a sine at ``freq`` (whole cycles per second,
    so the frames loop without a click), encoded by the product's coder for ``codec``."""
    spec = CODECS[codec][0]
    rate = spec.sample_rate
    n = rate * frames // FRAMES_PER_SECOND
    t = np.arange(n) / rate
    amp = 32767 * 10 ** (LEVEL_DBFS / 20)
    pcm = (amp * np.sin(2 * math.pi * freq * t)).astype(np.int16)
    encoder = get_encoder(spec)
    step = rate // FRAMES_PER_SECOND
    return [encoder.encode(pcm[i : i + step]) for i in range(0, n, step)]


def level_dbfs(codec: str, payloads: Sequence[bytes]) -> float:
    """RMS level of consecutive payloads, decoded; -inf for none or digital silence."""
    if not payloads:
        return -math.inf
    decoder = get_decoder(CODECS[codec][0])
    pcm = np.concatenate([decoder.decode(p) for p in payloads]).astype(np.float64)
    rms = float(np.sqrt(np.mean(pcm * pcm))) if len(pcm) else 0.0
    return 20 * math.log10(rms / 32768) if rms > 0 else -math.inf


@dataclass(frozen=True, slots=True)
class PartyAudio:
    """What the receiver saw for one party: arrival times (ns since the epoch) and payloads."""

    arrivals_ns: np.ndarray
    payloads: list[bytes]  # the last second of the audio window


def send_parties(
    socks: Sequence[socket.socket],
    targets: Sequence[tuple[str, int]],
    frames: Sequence[Sequence[bytes]],
    pt: int,
    start_ns: int,
    count: int,
    result: object,
) -> None:
    """Party ``i`` sends ``count`` packets from ``socks[i]`` to ``targets[i]``, cycling through
    ``frames[i]``, from ``start_ns`` (monotonic); sends (sent, late p99 ms) on ``result``."""
    parties = len(socks)
    phases = [i * FRAME_NS // max(1, parties) for i in range(parties)]
    late = array("q")
    for frame in range(count):
        base = start_ns + frame * FRAME_NS
        for i in range(parties):
            due = base + phases[i]
            now = time.monotonic_ns()
            if due > now + _SLACK_NS:
                time.sleep((due - now - _SLACK_NS) / 1e9)
            header = _HEADER.pack(0x80, pt, frame & 0xFFFF, (frame * 160) & 0xFFFFFFFF, 0xC0F0 + i)
            with contextlib.suppress(OSError):  # a full send buffer counts as loss
                socks[i].sendto(header + frames[i][frame % len(frames[i])], targets[i])
        late.append(max(0, time.monotonic_ns() - base - phases[-1]))
    lags = np.frombuffer(late, dtype=np.int64) if late else np.zeros(1, dtype=np.int64)
    result.send((count * parties, float(np.percentile(lags, 99)) / 1e6))  # type: ignore[attr-defined]


def receive_parties(
    socks: Sequence[socket.socket], audio_window: tuple[int, int], result: object
) -> None:
    """Record each socket's packets until a ``STOP`` datagram reached every socket."""
    arrivals = [array("q") for _ in socks]
    payloads: list[list[bytes]] = [[] for _ in socks]
    selector = selectors.DefaultSelector()
    for i, sock in enumerate(socks):
        selector.register(sock, selectors.EVENT_READ, i)
    stopped: set[int] = set()
    while len(stopped) < len(socks):
        time.sleep(_POLL_SECONDS)  # kernel timestamps: reading late does not move the figures
        for key, _ in selector.select(0):
            i = int(key.data)
            sock = socks[i]
            while True:
                try:
                    data, ancillary, _, _ = sock.recvmsg(2048, 64, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    break
                if data == STOP:
                    stopped.add(i)
                    selector.unregister(sock)
                    break
                rx = 0
                for level, kind, value in ancillary:
                    if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS:
                        sec, nsec = _TIMESPEC.unpack(value[: _TIMESPEC.size])
                        rx = sec * 1_000_000_000 + nsec
                arrivals[i].append(rx)
                if audio_window[0] <= rx < audio_window[1] and len(data) > 12:
                    payloads[i].append(data[12:])
    selector.close()
    result.send(  # type: ignore[attr-defined]
        [
            PartyAudio(np.frombuffer(a, dtype=np.int64).copy(), p)
            for a, p in zip(arrivals, payloads, strict=True)
        ]
    )


@dataclass(frozen=True, slots=True)
class RoomStep:
    """One run: ``rooms`` rooms of ``size`` parties with ``codec``, measured ``seconds``."""

    rooms: int
    size: int
    codec: str
    cpu_s_per_s: float  # relay process, CPU seconds per second
    generator_cpu: float
    sent: int
    engine_received: int
    mixed_expected: int
    mixed_received: int
    gap_p99_ms: float
    gap_max_ms: float
    late_ticks: float  # fraction of gaps over LATE_GAP_MS
    quietest_dbfs: float  # the quietest party's mix over the last second of the window
    silent: int  # parties that heard silence
    sender_late_p99_ms: float
    loadavg: str

    @property
    def parties(self) -> int:
        return self.rooms * self.size

    @property
    def cpu_per_party_pct(self) -> float:
        return 100 * self.cpu_s_per_s / self.parties

    @property
    def loss_in(self) -> float:
        return max(0.0, 1 - self.engine_received / self.sent) if self.sent else 1.0

    @property
    def loss_out(self) -> float:
        if not self.mixed_expected:
            return 1.0
        return max(0.0, 1 - self.mixed_received / self.mixed_expected)

    @property
    def keeps_up(self) -> bool:
        """No loss either way beyond 0.1 %, under 1 % of ticks late, every party hears."""
        return (
            self.loss_in < 0.001 and self.loss_out < 0.001 and self.late_ticks < 0.01
        ) and not self.silent


def summarise_rooms(
    audio: Sequence[PartyAudio], codec: str, window_ns: tuple[int, int]
) -> tuple[int, float, float, float, float, int]:
    """Pure: (mixed packets in the window, gap p99 ms, gap max ms, late-tick fraction,
    quietest level dBFS, silent parties) from what the receiver saw."""
    received = 0
    gaps: list[np.ndarray] = []
    levels = []
    for party in audio:
        t = party.arrivals_ns
        inside = t[(t >= window_ns[0]) & (t < window_ns[1])]
        received += len(inside)
        if len(inside) > 1:
            gaps.append(np.diff(np.sort(inside)) / 1e6)
        levels.append(level_dbfs(codec, party.payloads))
    every = np.concatenate(gaps) if gaps else np.array([math.inf])
    quietest = min(levels, default=-math.inf)
    silent = sum(1 for level in levels if level < HEARD_DBFS)
    return (
        received,
        float(np.percentile(every, 99)),
        float(every.max()),
        float(np.mean(every > LATE_GAP_MS)),
        quietest,
        silent,
    )


class RoomHost(Protocol):
    """The PBX relay process: opens rooms of legs, sums its legs' counters, closes them."""

    pids: list[int]

    def open_room(self, room: str, codec: str, parties: list[tuple[str, int]]) -> list[int]: ...

    def counters(self) -> dict[str, int]: ...

    def close_calls(self) -> None: ...


def run_rooms(
    host: RoomHost,
    rooms: int,
    size: int,
    codec: str,
    warm_s: float,
    seconds: float,
    loadavg: str,
) -> RoomStep:
    """Open ``rooms`` rooms of ``size`` parties, send for ``warm_s + seconds``, measure."""
    hostname = "127.0.0.1"
    socks = [phone_socket(hostname) for _ in range(rooms * size)]
    try:
        addrs = [(hostname, int(s.getsockname()[1])) for s in socks]
        targets: list[tuple[str, int]] = []
        for r in range(rooms):
            ports = host.open_room(f"room{r}", codec, addrs[r * size : (r + 1) * size])
            targets += [(hostname, port) for port in ports]
        frames = [tone_frames(codec, 300.0 + 50 * (i % size)) for i in range(len(socks))]
        count = round((warm_s + seconds) * FRAMES_PER_SECOND)
        start_ns = time.monotonic_ns() + 300_000_000
        wall_start = time.time_ns() + (start_ns - time.monotonic_ns())
        window = (wall_start + round(warm_s * 1e9), wall_start + round((warm_s + seconds) * 1e9))
        ctx = multiprocessing.get_context("fork")
        got_r, give_r = ctx.Pipe(duplex=False)
        audio_window = (window[1] - 1_000_000_000, window[1])
        receiver = ctx.Process(target=receive_parties, args=(socks, audio_window, give_r))
        got_s, give_s = ctx.Pipe(duplex=False)
        args = (socks, targets, frames, CODECS[codec][1], start_ns, count, give_s)
        sender = ctx.Process(target=send_parties, args=args)
        receiver.start()
        sender.start()
        pids = [p.pid for p in (receiver, sender) if p.pid is not None]

        def sample() -> tuple[float, float, float]:
            return (
                time.monotonic(),
                sum(cpu_seconds(pid) for pid in host.pids),
                sum(cpu_seconds(pid) for pid in pids),
            )

        time.sleep(max(0.0, (start_ns - time.monotonic_ns()) / 1e9 + warm_s))
        t0, cpu0, gen0 = sample()
        time.sleep(max(0.0, (start_ns - time.monotonic_ns()) / 1e9 + warm_s + seconds))
        t1, cpu1, gen1 = sample()
        sent, late_p99 = got_s.recv()
        sender.join()
        time.sleep(0.5)  # packets still in flight
        counters = host.counters()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stopper:
            for addr in addrs:
                stopper.sendto(STOP, addr)
        audio: list[PartyAudio] = got_r.recv()
        receiver.join()
        host.close_calls()
    finally:
        for sock in socks:
            sock.close()
    received, gap_p99, gap_max, late, quietest, silent = summarise_rooms(audio, codec, window)
    elapsed = t1 - t0
    return RoomStep(
        rooms,
        size,
        codec,
        (cpu1 - cpu0) / elapsed,
        (gen1 - gen0) / elapsed,
        sent,
        counters["received"],
        round(seconds * FRAMES_PER_SECOND) * len(socks),
        received,
        gap_p99,
        gap_max,
        late,
        quietest,
        silent,
        late_p99,
        loadavg,
    )


def conference_line(step: RoomStep) -> str:
    """One step in words, for the console and the doc."""
    codec = "G.722" if step.codec == "G722" else step.codec
    heard = (
        "every party heard the others"
        if not step.silent
        else f"{step.silent} of {step.parties} parties heard silence"
    )
    return (
        f"{step.rooms} room{'s' if step.rooms > 1 else ''} of {step.size} {codec} "
        f"({step.parties} parties){'' if step.keeps_up else ' ✗'}: relay CPU "
        f"{100 * step.cpu_s_per_s:.0f} % = {step.cpu_per_party_pct:.2f} % of a core per party; "
        f"loss in {100 * step.loss_in:.3f} %, out {100 * step.loss_out:.3f} %; mix gaps "
        f"p99/max {step.gap_p99_ms:.1f}/{step.gap_max_ms:.0f} ms, "
        f"{100 * step.late_ticks:.2f} % of ticks late (> {LATE_GAP_MS:.0f} ms); {heard} "
        f"(quietest {step.quietest_dbfs:.0f} dBFS); sender late p99 "
        f"{step.sender_late_p99_ms:.1f} ms; load {step.loadavg}"
    )
