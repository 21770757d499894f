"""One presence change fanned out to many WebSocket clients of a real server.

A demo server runs as its own process (``python -m server --demo`` on loopback). The demo's
users sign in once each; ``--clients`` (500) WebSocket event streams are opened with their
tokens, round robin, spread over ``--procs`` (4) client processes so that reading them is not
one loop's queue. Per round, Anna (201) changes her shared note with ``PUT
/api/v1/me/presence``; each client's time runs on the machine's monotonic clock (shared by the
processes) from just before the PUT until that client has read the ``presence.updated``
carrying the new note. The server, the client processes and this one share the machine's
cores, so a receipt includes waiting for a client process to be scheduled.

``python benchmarks/fanout.py [--clients 500] [--rounds 30] [--procs 4]`` writes the section
"## Presence fan-out (…)" of docs/benchmarks.md (its other sections are kept).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _conference import cpu_seconds  # noqa: E402
from _docs import replace_section  # noqa: E402 - benchmarks/ is the script folder
from _events import next_event, pct, sign_in  # noqa: E402
from _ws_lean import LeanStreams  # noqa: E402

from pbx_core.demo import DEMO_USERS  # noqa: E402
from tests.support.server_process import start_server  # noqa: E402

HEADING = "## Presence fan-out (benchmarks/fanout.py)"
NOTES = (
    "The target is a p99 under 50 ms for 500 clients. The receipts include waiting for a client "
    "process to be scheduled on the cores the server uses: with the websockets library a "
    "client process spends more CPU per event (a task wake-up and a JSON parse per stream) "
    "than the server spends per client (about 20 µs: our pump, the ASGI send and the framing), "
    "so the lean readers show the server's own fan-out more closely. An earlier run of the "
    "same server on 2026-12-04, with more other work on the machine, measured p99 74 ms with "
    "the websockets clients; before the event stream sent what is waiting at "
    "each wake-up without a task per event and stopped compressing each message per client, "
    "it was 506 ms."
)
CLIENT_KINDS = {
    "lean": "`--client lean`: each process reads its streams' raw frames in one selectors loop, "
    "benchmarks/_ws_lean.py",
    "websockets": "`--client websockets`: the websockets library on uvloop, a task per stream, "
    "each event parsed as JSON",
}
WAIT_S = 30.0


async def _until_note(ws: ClientConnection, note: str) -> float:
    """Read until the ``presence.updated`` of 201 with ``note``; the monotonic time then."""
    await next_event(ws, "presence.updated", WAIT_S, extension="201", note=note)
    return time.monotonic()


async def _clients(pipe: Connection, ws_base: str, tokens: list[str]) -> None:
    """One client process: open a stream per token, then per round (a note on the pipe) arm
    every reader, say so, and send back the receipt times."""
    sockets = [await connect(f"{ws_base}/api/v1/events?token={t}", max_queue=None) for t in tokens]
    pipe.send(len(sockets))
    loop = asyncio.get_running_loop()
    try:
        while (note := await loop.run_in_executor(None, pipe.recv)) is not None:
            waits = [asyncio.ensure_future(_until_note(ws, note)) for ws in sockets]
            await asyncio.sleep(0)  # every reader waits before the change goes out
            pipe.send("armed")
            pipe.send(await asyncio.gather(*waits))
    finally:
        for ws in sockets:
            await ws.close()


def _lean_clients(pipe: Connection, ws_base: str, tokens: list[str]) -> None:
    """One client process of lean readers (benchmarks/_ws_lean.py): one selectors loop."""
    address = urlsplit(ws_base)
    streams = LeanStreams(address.hostname or "127.0.0.1", address.port or 80, tokens)
    pipe.send(len(streams))
    try:
        while (note := pipe.recv()) is not None:
            pipe.send("armed")
            pipe.send(streams.until_each_has(f'"{note}"'.encode(), WAIT_S))
    finally:
        streams.close()


def _client_process(pipe: Connection, ws_base: str, tokens: list[str], lean: bool) -> None:
    if lean:
        _lean_clients(pipe, ws_base, tokens)
        return
    try:  # the clients stand for other computers: read as fast as this one can
        import uvloop
    except ImportError:
        asyncio.run(_clients(pipe, ws_base, tokens))
    else:
        uvloop.run(_clients(pipe, ws_base, tokens))


async def _tokens(base: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as api:
        return {u.extension: await sign_in(api, u.extension) for u in DEMO_USERS}


def measure(
    base: str, ws_base: str, clients: int, rounds: int, procs: int, server_pid: int, lean: bool
) -> dict[str, list[float]]:
    tokens = asyncio.run(_tokens(base))
    ring = list(tokens.values())
    per_client = [ring[n % len(ring)] for n in range(clients)]
    context = multiprocessing.get_context("spawn")
    pipes: list[Connection] = []
    workers = []
    for p in range(procs):
        ours, theirs = context.Pipe()
        share = per_client[p::procs]
        worker = context.Process(target=_client_process, args=(theirs, ws_base, share, lean))
        worker.start()
        pipes.append(ours)
        workers.append(worker)
    try:
        opened = sum(pipe.recv() for pipe in pipes)
        assert opened == clients, f"{opened} of {clients} streams opened"
        return asyncio.run(_rounds(base, tokens["201"], pipes, rounds, server_pid))
    finally:
        for pipe in pipes:
            pipe.send(None)
        for worker in workers:
            worker.join(30)


async def _rounds(
    base: str, anna: str, pipes: list[Connection], rounds: int, server_pid: int
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"put": [], "first": [], "each": [], "last": [], "cpu": []}
    headers = {"Authorization": f"Bearer {anna}"}
    async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as api:
        for r in range(rounds + 1):  # round 0 warms up and proves every client attached
            note = f"Fan-out round {r}"
            for pipe in pipes:
                pipe.send(note)
            for pipe in pipes:
                assert pipe.recv() == "armed"
            cpu0 = cpu_seconds(server_pid)
            t0 = time.monotonic()
            answer = await api.put(
                "/api/v1/me/presence", json={"status": "available", "note": note}
            )
            t_put = time.monotonic()
            answer.raise_for_status()
            got = [(t - t0) * 1000 for pipe in pipes for t in pipe.recv()]
            cpu = (cpu_seconds(server_pid) - cpu0) * 1000
            if r == 0:
                continue
            out["cpu"].append(cpu)
            out["put"].append((t_put - t0) * 1000)
            out["each"].extend(got)
            out["first"].append(min(got))
            out["last"].append(max(got))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument(
        "--client",
        choices=("lean", "websockets", "both"),
        default="both",
        help="lean: raw frames read in one selectors loop per process, so that the clients cost "
        "this machine little; websockets: the websockets library on uvloop; both (the default): "
        "one run each, side by side",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    kinds = ("lean", "websockets") if args.client == "both" else (args.client,)
    tables: list[str] = []
    for kind in kinds:
        figures = _one_run(args, kind == "lean")
        tables += ["", f"Clients: {CLIENT_KINDS[kind]}. Milliseconds:", "", *_table(figures)]
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    text = "\n".join(
        [
            HEADING,
            "",
            f"One presence change (Anna's note, `PUT /api/v1/me/presence`) fanned out as "
            f"`presence.updated` to {args.clients} WebSocket clients of a demo server on "
            f"loopback (the {len(DEMO_USERS)} demo users' tokens, round robin), {args.rounds} "
            f"rounds after one warm-up. A note change sends each client one event "
            f"(`presence.updated`; the status is unchanged). The clients are spread over "
            f"{args.procs} processes; the server, they and the coordinator share "
            f"{os.cpu_count()} cores (load average {load} at the start), "
            f"{platform.system()} {platform.machine()}, "
            f"{platform.python_implementation()} {platform.python_version()}, {when}.",
            *tables,
            "",
            NOTES,
        ]
    )
    if not args.no_write:
        replace_section(HEADING, text)
    print(text)


def _one_run(args: argparse.Namespace, lean: bool) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="fanout-bench-") as tmp:
        server = start_server(Path(tmp), demo=True)
        try:
            return measure(
                server.base_url,
                server.ws_url,
                args.clients,
                args.rounds,
                args.procs,
                server.process.pid,
                lean,
            )
        finally:
            server.stop()


def _table(figures: dict[str, list[float]]) -> list[str]:
    rows = ["| | samples | p50 | p99 | max |", "|---|---|---|---|---|"]
    for name, label in (
        ("put", "PUT answered"),
        ("first", "PUT → first client has it"),
        ("each", "PUT → each client has it (all receipts)"),
        ("last", "PUT → last client has it"),
        ("cpu", "server CPU per change (PUT and the whole fan-out; /proc, 10 ms ticks)"),
    ):
        v = figures[name]
        rows.append(
            f"| {label} | {len(v)} | {statistics.median(v):.1f} | {pct(v, 99):.1f} | {max(v):.1f} |"
        )
    return rows


if __name__ == "__main__":
    main()
