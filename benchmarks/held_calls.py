"""Calls held at once by the PBX: 2,000 concurrent B2BUA calls (signalling, media anchored),
with the server's RSS, CPU and descriptors per call, driven by SIPp on loopback.

Caller 201 calls 202 (a SIPp UAS registered from its own port) at ``--rate`` calls/s with a
401-challenged INVITE, 180, 200, ACK; each call is held ``--hold-s`` seconds, then BYE. Once
every call has been set up and before the first one ends, the server holds ``--calls`` calls:
its RSS and descriptors are read then, and its CPU over a quiet ``--window-s`` (what a held
call costs while nothing happens). The PBX runs with a 10,000-port RTP range (each call
anchors two legs of RTP and RTCP). Not a test: ``make test`` never runs it.

    python benchmarks/held_calls.py [--calls 2000] [--rate 50] [--hold-s 60] [--no-docs]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import sip_load as load  # benchmarks/ is the script folder
from _docs import replace_section

SECTION = "## Calls held at once (benchmarks/held_calls.py)"


def udp_sockets(pid: int) -> int:
    """The process's open sockets (SIP, RTP and RTCP: two of each per anchored leg)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd).startswith("socket:"):
                count += 1
        except OSError:
            continue
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=50, help="calls set up per second")
    parser.add_argument("--hold-s", type=float, default=60.0)
    parser.add_argument("--window-s", type=float, default=10.0)
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args(argv)
    setup_s = args.calls / args.rate
    if args.hold_s < setup_s + args.window_s + 5:
        parser.error("--hold-s must outlast the set-up of every call and the quiet window")
    machine = load.Machine.here()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with load.pbx_server(work / "pbx", ["--rtp-ports", "20000-29999"]) as server:
            uas_port = load.free_port()
            load.register_callee(server, work, uas_port)
            rss0, sockets0, cpu0 = (
                server.status_kb("VmRSS"),
                udp_sockets(server.pid),
                server.cpu_s(),
            )
            timeout = setup_s + args.hold_s + 60
            hold_ms = int(args.hold_s * 1000)
            uas = load.sipp("uas_ring_answer", work / "uas", port=uas_port, count=args.calls,
                            timeout_s=timeout, hold_ms=hold_ms)  # fmt: skip
            time.sleep(0.3)
            started = time.monotonic()
            uac = load.sipp(
                "uac_call_auth", work / "uac", port=load.free_port(), remote=server.port,
                users=[(load.CALLER, load.password(load.CALLER), load.CALLEE)], rate=args.rate,
                count=args.calls, limit=args.calls + 50, timeout_s=timeout, hold_ms=hold_ms,
            )  # fmt: skip
            time.sleep(max(0.0, started + setup_s + 3 - time.monotonic()))
            cpu_set_up = server.cpu_s() - cpu0
            rss1, sockets1 = server.status_kb("VmRSS"), udp_sockets(server.pid)
            cpu1 = server.cpu_s()
            time.sleep(args.window_s)
            cpu_window = server.cpu_s() - cpu1
            held = (sockets1 - sockets0) // 4
            uac_run = load.finish(uac, work / "uac", timeout + 30)
            uas_run = load.finish(uas, work / "uas", 30)
            hwm = server.status_kb("VmHWM")
    ok = uac_run.ok and uas_run.ok
    made = int(uac_run.counter("SuccessfulCall(C)"))
    failed = int(uac_run.counter("FailedCall(C)")) + int(uas_run.counter("FailedCall(C)"))
    per_call_kib = (rss1 - rss0) / max(1, held)
    per_held_us = 1e6 * cpu_window / args.window_s / max(1, held)
    rows = [
        ("calls held at once (sockets opened ÷ 4)",
         f"{held:,} of {args.calls:,} ({'all' if held >= args.calls else 'not all'} set up)"),
        ("calls completed / failed (SIPp, both sides)",
         f"{made:,} / {failed} ({'ok' if ok else 'FAILED'})"),
        ("server RSS idle → holding them",
         f"{rss0 / 1024:.0f} → {rss1 / 1024:.0f} MiB ({per_call_kib:.1f} KiB per held call); "
         f"peak {hwm / 1024:.0f} MiB"),
        ("server CPU to set them up",
         f"{cpu_set_up:.1f} s ({1000 * cpu_set_up / max(1, held):.2f} ms per call)"),
        (f"server CPU while holding them, {args.window_s:g} s",
         f"{cpu_window:.2f} s ({100 * cpu_window / args.window_s:.1f} % of a core; "
         f"{per_held_us:.1f} µs per held call per second)"),
        ("server sockets idle → holding", f"{sockets0} → {sockets1}"),
    ]  # fmt: skip
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    text = (
        f"{SECTION}\n\n"
        f"{machine.date}, {machine.cpu}, {machine.cores} cores, Python {machine.python}, load "
        f"average {machine.load} at the start. `python benchmarks/held_calls.py --calls "
        f"{args.calls} --rate {args.rate} --hold-s {args.hold_s:g}`: caller 201 calls 202 (SIPp "
        f"on both sides, digest on the INVITE), {args.rate} calls/s, each held "
        f"{args.hold_s:g} s; RTP anchored on the PBX (RTP and RTCP sockets for both legs of "
        "each call).\n\n| figure | value |\n|---|---|\n" + table + "\n"
    )
    print(text)
    if not args.no_docs:
        replace_section(SECTION, text)
    return 0 if ok and held >= args.calls else 1


if __name__ == "__main__":
    sys.exit(main())
