"""Media relay figures of the PBX (RFC 3550 RTP, anchored media), with rtpengine as reference.

The PBX's media engine runs alone in its own process (``_pbx_relay.py``: ``MediaEngine``, SDP
offer/answer per leg, ``Connect`` through a ``Patchbay``, what the B2BUA does for a call), and
rtpengine runs in userspace on loopback, driven over its ng protocol (``_rtpengine.py``). The
load (``_rtp_load.py``) runs in forked processes: paced senders, 50 packets a second per
direction per call, and one receiver per phone socket reading the kernel's receive timestamps.

* Relayed G.711 calls: the number of calls steps up (50, 100, 200, 300, 400, ...); a step
  passes with loss under 0.1 % and added one-way jitter p99 (each packet's relay delay minus
  the lowest delay of its stream) under 2 ms. A failed step is run once more (the machine is
  shared); the ladder ends at a step that fails twice. CPU per call is the relay process's
  user+system time from /proc over the measured seconds, divided by the calls.
* Transcoded calls (PCMU one side, G.722 the other) at a fixed count: CPU per call and loss.
* Conference rooms (``_conference.py``): 1, 4, 8 and 16 rooms of 8 PCMU parties at once, and one
  room of 8 G.722 parties; each party a leg of the engine in a room and a phone sending a tone
  at 50 packets a second: CPU per party, loss in and out, mix ticks late, every party heard.
* The same G.711 ladder through rtpengine (``--no-rtpengine`` leaves it out).

The PBX process runs as the shipped server does: on uvloop when it imports (``--loop asyncio``
for the standard loop), G.722 coded by libg722.

    python benchmarks/media_relay.py [--quick] [--seconds 8] [--counts 50,100] [--no-rtpengine]
                                     [--no-docs] [--loop asyncio] [--variant engine]
                                     [--processes 1] [--transcoded 30] [--rooms 1,4,8,16]
                                     [--no-conference] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from _conference import RoomStep, conference_line, cpu_seconds, run_rooms
from _docs import replace_section  # benchmarks/ is the script folder
from _pbx_relay import default_loop
from _relay_report import FRAMES_PER_SECOND, SECTION, Results, Step, describe, report
from _rtp_load import (
    STOP,
    ReceiverResult,
    SenderResult,
    Stream,
    phone_socket,
    receive,
    send,
    summarise,
)
from _rtpengine import Rtpengine, at_nice, rtpengine

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
LADDER = (50, 100, 200, 300, 400, 500, 600, 800, 1000, 1200)
QUICK_LADDER = (50, 200)
MAX_RUNS = 3
STREAMS_PER_SENDER = 800


def machine_line() -> tuple[str, str]:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    info = dict(
        (k.strip(), v.strip()) for k, _, v in (ln.partition(":") for ln in lscpu.splitlines())
    )
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"{platform.machine()}, {cpu}, `nproc` {nproc}; lscpu: {info.get('CPU(s)', '?')} CPUs, "
        f"{info.get('Thread(s) per core', '?')} thread per core, "
        f"{info.get('Hypervisor vendor', 'no')} hypervisor; Python {platform.python_version()}"
    )
    return date, text


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Subject(Protocol):
    """A relay under test: anchors calls between the two phone sockets."""

    name: str
    pids: list[int]

    def open_calls(
        self, calls: int, a: tuple[str, int], b: tuple[str, int], transcode: bool
    ) -> list[tuple[int, int]]: ...

    def close_calls(self) -> None: ...


class PbxSubject:
    """``_pbx_relay.py`` in child processes (one unless ``processes``), commands on stdin.

    With several processes each gets a share of the port range and of the calls: the
    design "one media engine per core" (see _relay_experiments.py).
    """

    def __init__(
        self, loop: str, variant: str, ports: tuple[int, int], processes: int = 1, nice: int = 0
    ) -> None:
        name = "PBX" if variant == "engine" else f"PBX {variant}"
        name = name if nice == 0 else f"{name} at nice {nice}"
        name = name if loop == default_loop() else f"{name} on {loop}"
        self.name = name if processes == 1 else f"{name}, {processes} processes"
        venv = ROOT / ".venv" / "bin" / "python"
        python = str(venv) if venv.is_file() else sys.executable
        share = (ports[1] - ports[0] + 1) // processes // 2 * 2
        self.processes: list[subprocess.Popen[str]] = []
        self.pids: list[int] = []
        for k in range(processes):
            low = ports[0] + k * share
            args = [python, str(HERE / "_pbx_relay.py"), "--ports", f"{low}-{low + share - 1}"]
            args += ["--loop", loop, "--variant", variant]
            proc = subprocess.Popen(
                args,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                preexec_fn=at_nice(nice),
            )
            self.processes.append(proc)
            self.pids.append(int(str(self._reply(proc)["pid"])))

    @staticmethod
    def _reply(proc: subprocess.Popen[str]) -> dict[str, object]:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the PBX relay process ended")
        reply: dict[str, object] = json.loads(line)
        return reply

    def _command(self, **command: object) -> list[dict[str, object]]:
        for proc, part in zip(self.processes, self._split(command), strict=True):
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(part) + "\n")
            proc.stdin.flush()
        return [self._reply(proc) for proc in self.processes]

    def _split(self, command: dict[str, object]) -> list[dict[str, object]]:
        count = len(self.processes)
        if command.get("op") != "open":
            return [command] * count
        calls = int(str(command["calls"]))
        return [dict(command, calls=calls // count + (k < calls % count)) for k in range(count)]

    def open_calls(
        self, calls: int, a: tuple[str, int], b: tuple[str, int], transcode: bool
    ) -> list[tuple[int, int]]:
        replies = self._command(op="open", calls=calls, a=list(a), b=list(b), transcode=transcode)
        ports: list[tuple[int, int]] = []
        for reply in replies:
            got = reply["ports"]
            assert isinstance(got, list)
            ports += [(int(pa), int(pb)) for pa, pb in got]
        return ports

    def open_room(self, room: str, codec: str, parties: list[tuple[str, int]]) -> list[int]:
        assert len(self.processes) == 1, "rooms are opened in one relay process"
        got = self._command(op="room", room=room, codec=codec, parties=parties)[0]["ports"]
        assert isinstance(got, list)
        return [int(port) for port in got]

    def counters(self) -> dict[str, int]:
        replies = self._command(op="counters")
        return {k: sum(int(str(r[k])) for r in replies) for k in ("received", "sent", "dropped")}

    def close_calls(self) -> None:
        self._command(op="close")

    def stop(self) -> None:
        for proc in self.processes:
            if proc.stdin is not None:
                proc.stdin.close()
        for proc in self.processes:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


class RtpengineSubject:
    """rtpengine, each call an ng ``offer`` and ``answer``."""

    def __init__(self, engine: Rtpengine) -> None:
        self.name = f"rtpengine {engine.version}"
        self.engine = engine
        self.pids = [engine.pid]
        self._calls: list[str] = []

    def open_calls(
        self, calls: int, a: tuple[str, int], b: tuple[str, int], transcode: bool
    ) -> list[tuple[int, int]]:
        assert not transcode
        ports = []
        for _ in range(calls):
            call_id = f"bench-{os.getpid()}-{len(self._calls)}-{time.monotonic_ns()}"
            ports.append(self.engine.call(call_id, sdp("caller", a), sdp("callee", b)))
            self._calls.append(call_id)
        return ports

    def close_calls(self) -> None:
        for call_id in self._calls:
            self.engine.delete(call_id)
        self._calls.clear()


def sdp(user: str, addr: tuple[str, int]) -> str:
    return (
        f"v=0\r\no={user} 1 1 IN IP4 {addr[0]}\r\ns=call\r\nc=IN IP4 {addr[0]}\r\nt=0 0\r\n"
        f"m=audio {addr[1]} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n"
    )


def drain(sock: socket.socket) -> None:
    while True:
        try:
            sock.recvmsg(2048, 64, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return


def run_step(
    subject: Subject,
    phones: Sequence[socket.socket],
    calls: int,
    warm_s: float,
    seconds: float,
    transcode: bool = False,
) -> Step:
    """Anchor ``calls`` calls, send for ``warm_s + seconds``, measure the last ``seconds``."""
    addrs = [(HOST, int(p.getsockname()[1])) for p in phones]
    for phone in phones:
        drain(phone)
    ports = subject.open_calls(calls, addrs[0], addrs[1], transcode)
    streams = []
    for i, (port_a, port_b) in enumerate(ports):
        streams.append(Stream(2 * i, 0, (HOST, port_a), 0))
        streams.append(Stream(2 * i + 1, 1, (HOST, port_b), 9 if transcode else 0))
    warm_frames = round(warm_s * FRAMES_PER_SECOND)
    window_frames = round(seconds * FRAMES_PER_SECOND)
    ctx = multiprocessing.get_context("fork")
    receivers = []
    for phone in phones:
        mine, theirs = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=receive, args=(phone, warm_frames, theirs), daemon=True)
        proc.start()
        receivers.append((proc, mine))
    senders = []
    count = math.ceil(len(streams) / STREAMS_PER_SENDER)
    start_ns = time.monotonic_ns() + 300_000_000
    for k in range(count):
        mine, theirs = ctx.Pipe(duplex=False)
        share = streams[k::count]
        args = (phones, share, start_ns, warm_frames + window_frames, theirs)
        proc = ctx.Process(target=send, args=args, daemon=True)
        proc.start()
        senders.append((proc, mine))
    generators = [p.pid for p, _ in receivers + senders if p.pid is not None]

    def sample() -> tuple[float, float, float]:
        return (
            time.monotonic(),
            sum(cpu_seconds(pid) for pid in subject.pids),
            sum(cpu_seconds(pid) for pid in generators),
        )

    time.sleep(max(0.0, (start_ns - time.monotonic_ns()) / 1e9 + warm_s))
    t0, cpu0, gen0 = sample()
    loadavg = load_average()
    time.sleep(max(0.0, (start_ns - time.monotonic_ns()) / 1e9 + warm_s + seconds))
    t1, cpu1, gen1 = sample()
    sent: list[SenderResult] = []
    for proc, conn in senders:
        sent.append(conn.recv())
        conn.close()
        proc.join()
    time.sleep(0.5)  # packets still in flight through the relay
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stopper:
        for addr in addrs:
            stopper.sendto(STOP, addr)
    got: list[ReceiverResult] = []
    for proc, conn in receivers:
        got.append(conn.recv())
        conn.close()
        proc.join()
    subject.close_calls()
    if not transcode:  # streams beyond this step's calls would be stale packets
        got = [_only(r, len(streams)) for r in got]
    load = summarise(got, sent, len(streams), window_frames, counted_only=transcode)
    elapsed = t1 - t0
    return Step(calls, load, (cpu1 - cpu0) / elapsed, (gen1 - gen0) / elapsed, loadavg)


def _only(result: ReceiverResult, streams: int) -> ReceiverResult:
    keep = result.streams < streams
    return ReceiverResult(
        result.streams[keep], result.delays_ns[keep], result.counters[keep], result.other
    )


def ladder(
    subject: Subject,
    phones: Sequence[socket.socket],
    counts: Sequence[int],
    warm_s: float,
    seconds: float,
    repeat: bool = True,
) -> list[Step]:
    """Step up; a step that misses the target runs again, up to ``MAX_RUNS`` times while the
    senders were disturbed; the ladder stops at a count where every run lost packets."""
    steps: list[Step] = []
    for calls in counts:
        runs: list[Step] = []
        while len(runs) < (MAX_RUNS if repeat else 1):
            step = run_step(subject, phones, calls, warm_s, seconds)
            runs.append(step)
            again = " (repeat)" if len(runs) > 1 else ""
            print(f"  {subject.name}: {describe(step)}{again}", flush=True)
            if step.passed or (len(runs) >= 2 and not any(r.disturbed for r in runs)):
                break
        steps += runs
        if not any(r.holds for r in runs) or not any(r.offered for r in runs):
            break  # the relay lost packets, or the senders could not offer this load
    return steps


@contextmanager
def phone_sockets() -> Iterator[list[socket.socket]]:
    socks = [phone_socket(HOST), phone_socket(HOST)]
    try:
        yield socks
    finally:
        for sock in socks:
            sock.close()


def free_range(size: int) -> tuple[int, int]:
    """``size`` consecutive ports from 20000 up (even start) that were free a moment ago; when
    none is, a range with a few busy ports (both relays skip a port they cannot bind)."""
    start = 20000
    while start + size < 65000:
        socks = []
        try:
            for port in range(start, start + size):
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(sock)
                sock.bind((HOST, port))
            return start, start + size - 1
        except OSError:
            start = (start + len(socks) + 1) // 2 * 2  # past the busy port
        finally:
            for sock in socks:
                sock.close()
    return 20000, 20000 + size - 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="short smoke run (under a minute), prints only"
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per step")
    parser.add_argument("--warm", type=float, default=2.0, help="warm-up seconds per step")
    parser.add_argument("--counts", help="comma-separated call counts instead of the ladder")
    parser.add_argument("--transcoded", type=int, default=30, help="calls for the CPU figure")
    parser.add_argument("--no-rtpengine", action="store_true")
    parser.add_argument("--no-transcode", action="store_true")
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default=default_loop())
    parser.add_argument("--variant", default="engine", help="see _relay_experiments.py")
    parser.add_argument("--processes", type=int, default=1, help="PBX relay processes")
    parser.add_argument("--rooms", default="1,4,8,16", help="PCMU room counts (8 parties each)")
    parser.add_argument("--room-size", type=int, default=8)
    parser.add_argument("--no-conference", action="store_true")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    parser.add_argument("--keep", type=Path, help="keep rtpengine's config and log here")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run both relays at this nice value (-10: as the server's --priority high)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.warm, args.transcoded, args.rooms = 2.0, 1.0, 1, "1"
    counts = (
        tuple(int(c) for c in args.counts.split(","))
        if args.counts
        else (QUICK_LADDER if args.quick else LADDER)
    )
    date, machine = machine_line()
    results = Results(date, machine, load_average(), [], None, [], [], "rtpengine", "", args)
    print(f"{date}; {machine}; load {results.load_start}", flush=True)
    ports = free_range(10 * max(*counts, args.transcoded) + 16)
    with phone_sockets() as phones:
        pbx = PbxSubject(args.loop, args.variant, ports, args.processes, args.nice)
        try:
            results.pbx = ladder(pbx, phones, counts, args.warm, args.seconds, not args.quick)
            if not args.no_transcode:
                step = run_step(pbx, phones, args.transcoded, args.warm, args.seconds, True)
                results.transcoded = step
                print(f"  {pbx.name} transcoded: {describe(step)}", flush=True)
            if not args.no_conference and args.processes == 1:
                results.rooms = conference(pbx, args)
        finally:
            pbx.stop()
        if not args.no_rtpengine:
            results.reference_note = reference(args, phones, counts, ports, results)
    text = report(results)
    print(text)
    default = (args.variant, args.loop, args.processes, args.nice) == (
        "engine",
        default_loop(),
        1,
        0,
    )
    if not (args.no_docs or args.quick) and default:
        replace_section(SECTION, text)
    return 0


def conference(pbx: PbxSubject, args: argparse.Namespace) -> list[RoomStep]:
    """PCMU rooms at each count of ``--rooms``, then one room of G.722 parties."""
    plan = [(int(n), "PCMU") for n in args.rooms.split(",")] + [(1, "G722")]
    steps = []
    for rooms, codec in plan:
        step = run_rooms(pbx, rooms, args.room_size, codec, args.warm, args.seconds, load_average())
        print(f"  {pbx.name} conference: {conference_line(step)}", flush=True)
        steps.append(step)
    return steps


def reference(
    args: argparse.Namespace,
    phones: Sequence[socket.socket],
    counts: Sequence[int],
    ports: tuple[int, int],
    results: Results,
) -> str:
    """Run the ladder through rtpengine; a sentence for the doc when it cannot run."""
    if shutil.which("rtpengine") is None:
        return "rtpengine is not installed (`apt-get install rtpengine-daemon`): no reference."
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="media-relay-"))
    try:
        with rtpengine(workdir / "rtpengine", ports, nice=args.nice) as engine:
            subject = RtpengineSubject(engine)
            results.reference_name = subject.name
            results.reference = ladder(
                subject, phones, counts, args.warm, args.seconds, not args.quick
            )
    except RuntimeError as exc:
        return f"rtpengine could not run here: {exc}"
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return ""


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
