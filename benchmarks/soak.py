"""Soak of the PBX: thousands of sequential calls, its memory, file descriptors and threads.

``.venv/bin/python benchmarks/soak.py [--calls 2000] [--batch 100] [--idle 30] [--heap] [--trim]
[--write]``

A fresh ``python -m server --demo`` on loopback; two independent SIPp agents (a UAS registered as
202, a UAC calling as 201 with digest auth: INVITE, 180, 200, ACK, 200 ms, BYE), at most one
call at a time, in batches. After each batch and during an idle period at the end, the server's
RSS, open file descriptors and threads are read from ``/proc``. The report gives the growth per
call over the first calls and after them (where a leak would show as a steady slope) and what
the idle period gives back. ``--heap`` runs the server with its heap probe (tracemalloc,
server/heap_probe.py): a snapshot after each batch, the traced Python heap beside RSS, and the
allocation sites that grew between the warm point and the last batch (tracing slows the
server, so its RSS figures are not comparable with a run without it). ``--trim`` asks the server to
give its free heap back after the idle period (``malloc_trim``, glibc) and samples once more:
what RSS loses then was freed memory the allocator kept, not live data. ``--write`` replaces the
"PBX soak" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _docs import replace_section  # benchmarks/ is the script folder
from _heap import ENV_FOLDER, HeapProbe, compare, tracebacks
from sip_load import (
    CALLEE,
    CALLER,
    Server,
    finish,
    free_port,
    password,
    pbx_server,
    register_callee,
    sipp,
)

HEADING = "## PBX soak (benchmarks/soak.py)"
WARM_CALLS = 50  # the first calls fill caches and pools; growth is judged after them


@dataclass(frozen=True, slots=True)
class Sample:
    calls: int
    seconds: float
    rss_kib: int
    fds: int
    threads: int
    heap_kib: int | None = None  # traced Python heap (--heap)
    sqlite_kib: int | None = None  # SQLite's own allocator (--heap)
    snapshot: Path | None = None


def sample(server: Server, calls: int, t0: float, probe: HeapProbe | None = None) -> Sample:
    seconds = time.monotonic() - t0
    snapshot, heap, sqlite = probe.snapshot() if probe else (None, None, None)
    return Sample(
        calls,
        seconds,
        server.status_kb("VmRSS"),
        len(os.listdir(f"/proc/{server.pid}/fd")),
        len(os.listdir(f"/proc/{server.pid}/task")),
        None if heap is None else heap // 1024,
        None if sqlite is None else sqlite // 1024,
        snapshot,
    )


def batch(server: Server, workdir: Path, uas_port: int, n: int, count: int, rate: int) -> int:
    """``count`` sequential calls (at most one at a time); returns how many failed."""
    uas_dir, uac_dir = workdir / f"b{n}-uas", workdir / f"b{n}-uac"
    timeout = count / rate + 60
    uas = sipp("uas_ring_answer", uas_dir, port=uas_port, count=count, timeout_s=timeout)
    time.sleep(0.3)
    uac = sipp(
        "uac_call_auth",
        uac_dir,
        port=free_port(),
        remote=server.port,
        users=[(CALLER, password(CALLER), CALLEE)],
        rate=rate,
        count=count,
        limit=1,
        timeout_s=timeout,
    )
    uac_run = finish(uac, uac_dir, timeout + 30)
    uas_run = finish(uas, uas_dir, 15 if uac_run.ok else 1)
    return uac_run.counter("FailedCall(C)") + uas_run.counter("FailedCall(C)")


def slope_kib(a: Sample, b: Sample) -> float:
    return (b.rss_kib - a.rss_kib) / max(1, b.calls - a.calls)


def report(
    samples: list[Sample],
    idle: list[Sample],
    failed: int,
    rate: int,
    load: tuple[float, ...],
    trimmed: Sample | None = None,
) -> str:
    first = samples[0]
    heap = first.heap_kib is not None
    warm = next((s for s in samples if s.calls >= WARM_CALLS), samples[-1])
    last = samples[-1]
    half = next((s for s in samples if s.calls >= last.calls // 2), last)
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    lines = [
        HEADING,
        "",
        f"{dt.date.today().isoformat()}, {cpu}, {os.cpu_count()} cores (shared; load average "
        f"{' '.join(f'{x:.2f}' for x in load)} at the start), Python "
        f"{platform.python_version()}. {last.calls:,} sequential calls 201 → 202 through a fresh "
        f"demo PBX (SIPp agents, digest auth, 200 ms each, at most {rate}/s), {failed} failed.",
        "",
        "| after calls | seconds | RSS MiB | fds | threads |"
        + (" Python heap MiB | SQLite MiB |" if heap else ""),
        "|---|---|---|---|---|" + ("---|---|" if heap else ""),
    ]
    shown = [first, warm, *[s for s in samples if s.calls % 500 == 0 and s.calls], last]
    for s in dict.fromkeys(shown):
        lines.append(f"| {s.calls:,} | {s.seconds:.0f} | {_columns(s, heap)}")
    for s in idle:
        lines.append(
            f"| idle +{s.seconds - last.seconds:.0f} s | {s.seconds:.0f} | {_columns(s, heap)}"
        )
    if trimmed is not None:
        lines.append(f"| then `malloc_trim` | {trimmed.seconds:.0f} | {_columns(trimmed, heap)}")
    lines += [
        "",
        f"RSS growth per call: {slope_kib(first, warm):.1f} KiB over the first {warm.calls} "
        f"calls, {slope_kib(warm, half):.2f} KiB from {warm.calls} to {half.calls}, "
        f"{slope_kib(half, last):.2f} KiB from {half.calls} to {last.calls}.",
    ]
    if heap:
        lines += ["", *_heap_growth(warm, half), "", *_heap_growth(half, last)]
    return "\n".join(lines) + "\n"


def _columns(s: Sample, heap: bool) -> str:
    text = f"{s.rss_kib / 1024:.1f} | {s.fds} | {s.threads} |"
    if not heap:
        return text
    return text + "".join(
        " - |" if kib is None else f" {kib / 1024:.1f} |" for kib in (s.heap_kib, s.sqlite_kib)
    )


def _heap_growth(a: Sample, b: Sample) -> list[str]:
    if a.snapshot is None or b.snapshot is None or a.calls == b.calls:
        return []
    return [
        f"From call {a.calls:,} to {b.calls:,}:",
        "",
        *compare(a.snapshot, b.snapshot, b.calls - a.calls),
    ]


def _kept(calls: int, batch: int) -> set[int]:
    """The batch ends whose heap snapshots the report compares: warm, half way, last."""
    ends = [min(calls, n) for n in range(batch, calls + batch, batch)]
    return {
        next((n for n in ends if n >= WARM_CALLS), calls),
        next(n for n in ends if n >= calls // 2),
        calls,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rate", type=int, default=4, help="calls per second, one at a time")
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--heap", action="store_true", help="trace the server's Python heap")
    parser.add_argument(
        "--trim", action="store_true", help="after the idle period, malloc_trim in the server"
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    kept = _kept(args.calls, args.batch)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.heap or args.trim:
            os.environ[ENV_FOLDER] = str(workdir / "heap")
            os.environ.setdefault("ACME_PBX_HEAP_FRAMES", "8" if args.heap else "0")
        # no keep-alive OPTIONS to the callee: the SIPp UAS would count one as a call and stop
        # a call early, and the next batch's UAS would get that batch's last INVITE
        with pbx_server(workdir / "pbx") as server:
            probe = HeapProbe(workdir / "heap", server.pid) if args.heap or args.trim else None
            if not args.heap:
                probe, trimmer = None, probe
            else:
                trimmer = probe
            uas_port = free_port()
            register_callee(server, workdir, uas_port)
            t0 = time.monotonic()
            samples = [sample(server, 0, t0, probe)]
            failed = done = 0
            n = 0
            while done < args.calls:
                count = min(args.batch, args.calls - done)
                failed += batch(server, workdir, uas_port, n, count, args.rate)
                done += count
                n += 1
                samples.append(s := sample(server, done, t0, probe))
                if s.snapshot and done not in kept:
                    s.snapshot.unlink()
                    samples[-1] = s = dataclasses.replace(s, snapshot=None)
                heap = ""
                if s.heap_kib is not None:
                    heap = f", heap {s.heap_kib / 1024:.1f} MiB, SQLite {s.sqlite_kib} KiB"
                print(f"{done} calls: RSS {s.rss_kib / 1024:.1f} MiB{heap}, {s.fds} fds, "
                      f"{s.threads} threads, {failed} failed", flush=True)  # fmt: skip
            idle = []
            for i in range(3):
                time.sleep(args.idle / 3)
                idle.append(sample(server, done, t0, probe if i == 2 else None))
            trimmed = None
            if trimmer is not None and args.trim:
                trimmer.trim()
                time.sleep(1.0)
                trimmed = sample(server, done, t0)
        text = report(samples, idle, failed, args.rate, load, trimmed)
        if args.heap:
            half = next(s for s in samples if s.calls >= samples[-1].calls // 2)
            print("\n".join(tracebacks(half.snapshot, samples[-1].snapshot)))  # type: ignore[arg-type]
    print(text)
    if args.write:
        replace_section(HEADING, text)


if __name__ == "__main__":
    main()
