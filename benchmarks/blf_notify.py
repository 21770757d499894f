"""BLF NOTIFY load: 200 dialog subscriptions (RFC 4235) on the two parties of SIPp calls.

Against a freshly started ``python -m server --demo``: caller 201 calls 202 (the SIPp scenarios
of sip_load.py: 401-challenged INVITE, 180, 200, ACK, 200 ms, BYE) at a few rates, first without
watchers, then with 200 BLF subscriptions (100 on 201, 100 on 202, from 203, 204 and 205 with
digest auth) held by a UDP watcher in this process that answers every NOTIFY 200. Figures per
rate: calls/s achieved, NOTIFYs per second received, the most NOTIFYs one subscription got in
any second (the PBX paces each subscription to one change NOTIFY per second), server CPU per
call with and without the watchers, and whether every lamp shows idle once the calls are over.

    python benchmarks/blf_notify.py [--seconds 8] [--rates 10,25,50] [--no-docs] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from _docs import replace_section  # benchmarks/ is the script folder
from sip_load import (
    CALLEE,
    CALLER,
    Machine,
    Server,
    Step,
    call_step,
    free_port,
    password,
    pbx_server,
    register_callee,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pbx_core.signaling.auth import build_authorization, parse_challenge  # noqa: E402
from pbx_core.signaling.message import SipRequest, SipResponse, parse_message  # noqa: E402

SECTION = "## BLF NOTIFY load (benchmarks/blf_notify.py)"
WATCHERS = ("203", "204", "205")
SUBSCRIPTIONS = 200


@dataclass(slots=True)
class _Sub:
    target: str
    watcher: str
    call_id: str
    tag: str
    idle: bool = True
    notifies: int = 0


class Watcher(asyncio.DatagramProtocol):
    """Many BLF subscriptions on one UDP socket; answers every NOTIFY 200 and counts them."""

    def __init__(self, server_port: int) -> None:
        self.server = ("127.0.0.1", server_port)
        self.transport: asyncio.DatagramTransport | None = None
        self.port = 0
        self.subs: dict[str, _Sub] = {}
        self.stamps: dict[str, list[float]] = defaultdict(list)
        self.responses: dict[str, asyncio.Future[SipResponse]] = {}
        self.seen: set[tuple[str, int]] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.port = transport.get_extra_info("sockname")[1]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            message = parse_message(data)
        except ValueError:
            return
        if isinstance(message, SipResponse):
            waiting = self.responses.pop(message.call_id, None)
            if message.status >= 200 and waiting is not None and not waiting.done():
                waiting.set_result(message)
            return
        assert isinstance(message, SipRequest)
        if message.method != "NOTIFY":
            return
        sub = self.subs.get(message.call_id)
        key = (message.call_id, message.cseq.seq)
        if sub is not None and key not in self.seen:  # not a retransmission
            self.seen.add(key)
            sub.notifies += 1
            sub.idle = (
                b"<state>early" not in message.body and b"<state>confirmed" not in message.body
            )
            self.stamps[message.call_id].append(time.monotonic())
        lines = ["SIP/2.0 200 OK", *(f"Via: {v}" for v in message.headers.get_lines("Via"))]
        lines += [f"{n}: {message.headers.get(n)}" for n in ("From", "To", "Call-ID", "CSeq")]
        self._send("\r\n".join([*lines, "Content-Length: 0", "", ""]))

    def _send(self, text: str) -> None:
        assert self.transport is not None
        self.transport.sendto(text.encode(), self.server)

    def _subscribe_text(self, sub: _Sub, cseq: int, expires: int, auth: str = "") -> str:
        host = f"127.0.0.1:{self.server[1]}"
        lines = [
            f"SUBSCRIBE sip:{sub.target}@{host} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{secrets.token_hex(8)};rport",
            "Max-Forwards: 70",
            f"From: <sip:{sub.watcher}@{host}>;tag={sub.tag}",
            f"To: <sip:{sub.target}@{host}>",
            f"Call-ID: {sub.call_id}",
            f"CSeq: {cseq} SUBSCRIBE",
            f"Contact: <sip:{sub.watcher}@127.0.0.1:{self.port}>",
            "Event: dialog",
            f"Expires: {expires}",
        ]
        if auth:
            lines.append(f"Authorization: {auth}")
        return "\r\n".join([*lines, "Content-Length: 0", "", ""])

    async def _request(self, sub: _Sub, text: str) -> SipResponse:
        future: asyncio.Future[SipResponse] = asyncio.get_running_loop().create_future()
        self.responses[sub.call_id] = future
        self._send(text)
        return await asyncio.wait_for(future, 10)

    async def subscribe(self, target: str, watcher: str) -> None:
        sub = _Sub(target, watcher, secrets.token_hex(10), secrets.token_hex(4))
        self.subs[sub.call_id] = sub
        challenge = await self._request(sub, self._subscribe_text(sub, 1, 3600))
        auth = build_authorization(
            parse_challenge(challenge.headers.get_lines("WWW-Authenticate")[0]),
            "SUBSCRIBE",
            f"sip:{target}@127.0.0.1:{self.server[1]}",
            watcher,
            password(watcher),
            cnonce=secrets.token_hex(4),
        )
        answer = await self._request(sub, self._subscribe_text(sub, 2, 3600, auth))
        if answer.status != 200:
            raise RuntimeError(f"SUBSCRIBE {watcher}->{target} answered {answer.status}")

    def reset(self) -> None:
        self.stamps.clear()
        for sub in self.subs.values():
            sub.notifies = 0


class WatcherThread:
    """The watcher's event loop on a thread of its own (SIPp runs in the foreground)."""

    def __init__(self, server_port: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.watcher = self.run(self._open(server_port))

    async def _open(self, server_port: int) -> Watcher:
        _, protocol = await asyncio.get_running_loop().create_datagram_endpoint(
            lambda: Watcher(server_port), local_addr=("127.0.0.1", 0)
        )
        sock = protocol.transport.get_extra_info("socket") if protocol.transport else None
        if isinstance(sock, socket.socket):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        return protocol

    def run(self, coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(120)

    def subscribe_all(self, count: int) -> None:
        async def go() -> None:
            for i in range(count):
                target = (CALLER, CALLEE)[i % 2]
                await self.watcher.subscribe(target, WATCHERS[i % len(WATCHERS)])

        self.run(go())

    def close(self) -> None:
        if self.watcher.transport is not None:
            self.loop.call_soon_threadsafe(self.watcher.transport.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@dataclass(slots=True)
class Row:
    rate: int
    calls: int
    achieved: float
    ok: bool
    cpu_ms_plain: float
    cpu_ms_watched: float
    notifies: int = 0
    notify_rate: float = 0.0
    max_per_sub_s: int = 0
    mean_per_sub_s: float = 0.0
    all_idle: bool = False
    failed_plain: int = 0
    failed: int = 0


def _max_in_a_second(stamps: Sequence[float]) -> int:
    best, start = 0, 0
    for end in range(len(stamps)):
        while stamps[end] - stamps[start] > 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def _calls(
    server: Server, workdir: Path, uas_port: int, rate: int, count: int
) -> tuple[Step, float]:
    cpu = server.cpu_s()
    step = call_step(server, workdir, uas_port, rate, count)
    used = server.cpu_s() - cpu
    return step, 1000 * used / max(1, step.successful)


def run(args: argparse.Namespace, workdir: Path) -> list[Row]:
    rows: list[Row] = []
    with pbx_server(workdir / "server") as server:
        uas_port = free_port()
        register_callee(server, workdir, uas_port)
        plain: dict[int, tuple[Step, float]] = {}
        for rate in args.rates:
            count = max(20, int(rate * args.seconds))
            plain[rate] = _calls(server, workdir / f"plain-{rate}", uas_port, rate, count)
            step = plain[rate][0]
            print(
                f"  {rate:4} calls/s, no watchers -> {step.achieved:6.1f}/s "
                f"{step.failed} failed {step.note}",
                flush=True,
            )
            time.sleep(1.0)
        watching = WatcherThread(server.port)
        try:
            watching.subscribe_all(SUBSCRIPTIONS)
            time.sleep(1.0)
            for rate in args.rates:
                count = max(20, int(rate * args.seconds))
                watching.loop.call_soon_threadsafe(watching.watcher.reset)
                time.sleep(0.2)
                began = time.monotonic()
                step, cpu_ms = _calls(server, workdir / f"watched-{rate}", uas_port, rate, count)
                achieved, ok = step.achieved, step.ok
                span = time.monotonic() - began
                time.sleep(3.0)  # the last NOTIFYs (paced) arrive
                stamps = dict(watching.watcher.stamps)
                subs = list(watching.watcher.subs.values())
                total = sum(len(s) for s in stamps.values())
                before, cpu_plain = plain[rate]
                row = Row(rate, count, achieved, ok, cpu_plain, cpu_ms)
                row.failed_plain, row.failed = before.failed, step.failed
                row.notifies = total
                row.notify_rate = total / span if span > 0 else 0.0
                row.max_per_sub_s = max((_max_in_a_second(s) for s in stamps.values()), default=0)
                row.mean_per_sub_s = total / len(subs) / span if subs and span > 0 else 0.0
                row.all_idle = all(s.idle for s in subs)
                rows.append(row)
                print(
                    f"  {rate:4} calls/s -> {achieved:6.1f}/s {'ok' if ok else 'FAIL'}  "
                    f"{total:6} NOTIFY ({row.notify_rate:6.0f}/s)  max {row.max_per_sub_s}/s "
                    f"per subscription  CPU {cpu_plain:.1f} -> {cpu_ms:.1f} ms per call  "
                    f"idle at the end: {row.all_idle}  {step.failed} failed {step.note}",
                    flush=True,
                )
        finally:
            watching.close()
    return rows


def report(machine: Machine, rows: Sequence[Row], args: argparse.Namespace) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {machine.date} on {machine.arch}, {machine.cpu}, {machine.cores} cores, "
        f"Python {machine.python} (load average before: {machine.load}); "
        f"`python benchmarks/blf_notify.py --seconds {args.seconds:g}`.",
        "",
        f"{SUBSCRIPTIONS} BLF subscriptions (`Event: dialog`), half on the caller 201 and half on "
        "the callee 202, while SIPp calls 201 → 202 (ring, answer, 200 ms, BYE). CPU is the "
        "server's, per call, without and with the watchers.",
        "",
        "| calls/s | achieved | failed calls, no watchers → 200 watchers | NOTIFY received "
        "| NOTIFY/s | per subscription per s: mean, most in 1 s "
        "| CPU ms per call, no watchers → 200 watchers | lamps idle at the end |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.rate} | {r.achieved:.1f} | {r.failed_plain} → {r.failed} | {r.notifies} "
            f"| {r.notify_rate:.0f} | {r.mean_per_sub_s:.2f}, {r.max_per_sub_s} "
            f"| {r.cpu_ms_plain:.1f} → {r.cpu_ms_watched:.1f} | {'yes' if r.all_idle else 'no'} |"
        )
    lines += [
        "",
        "Each subscription gets at most one change NOTIFY per second (server side): while calls "
        "overlap, a lamp's NOTIFYs coalesce and carry the state of the moment they leave, so the "
        'NOTIFY rate is bounded by the number of subscriptions, not by the call rate. "Most in '
        '1 s" counts NOTIFYs (retransmissions left out) by when the watcher read them: the '
        "watcher, a Python thread beside SIPp on the same cores as the server, reads them in "
        "bursts, so it can exceed the server's pace of 2 in any second. \"Lamps idle at the "
        'end": the last NOTIFY of every subscription, 3 s after the last call, shows no call. '
        "The mean counts the NOTIFYs of those 3 s too, over the calls' time only.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rates", default="10,25,50")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    parser.add_argument("--keep", type=Path, help="keep SIPp and server logs in this folder")
    args = parser.parse_args(argv)
    args.rates = [int(r) for r in re.split(r"[, ]+", args.rates) if r]
    if shutil.which("sipp") is None:
        print("SIPp is not installed (apt-get install sip-tester)", file=sys.stderr)
        return 2
    machine = Machine.here()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="blf-notify-"))
    try:
        rows = run(args, workdir)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    text = report(machine, rows, args)
    print(text)
    if not args.no_docs:
        replace_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
