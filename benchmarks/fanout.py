"""One presence change fanned out to many WebSocket clients of a real server.

A demo server runs as its own process (``python -m server --demo`` on loopback). The demo's
users sign in once each; ``--clients`` (500) WebSocket event streams are opened with their
tokens, round robin. Per round, Anna (201) changes her shared note with ``PUT
/api/v1/me/presence``; each client's time runs on this process's monotonic clock from just
before the PUT until that client has read the ``presence.updated`` carrying the new note. The
clients are asyncio tasks of this one process, so a receipt includes the wait for this
process's loop (one core, shared with the readers of the other clients): the figures are an
upper bound of what one client on its own would see.

``python benchmarks/fanout.py [--clients 500] [--rounds 30]`` writes the section
"## Presence fan-out (…)" of docs/benchmarks.md (its other sections are kept).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _docs import replace_section  # noqa: E402 - benchmarks/ is the script folder

from pbx_core.demo import DEMO_USERS  # noqa: E402
from tests.support.server_process import start_server  # noqa: E402

HEADING = "## Presence fan-out (benchmarks/fanout.py)"
WAIT_S = 30.0


async def _sign_in(api: httpx.AsyncClient, ext: str) -> str:
    body = {"username": ext, "password": f"Demo-{ext}!"}
    answer = await api.post("/api/v1/auth/login", json=body)
    answer.raise_for_status()
    return str(answer.json()["token"])


async def _until_note(ws: ClientConnection, note: str) -> float:
    """Read until the ``presence.updated`` of 201 with ``note``; the monotonic time then."""
    while True:
        event = json.loads(await asyncio.wait_for(ws.recv(), WAIT_S))
        data = event.get("data", {})
        if (
            event.get("type") == "presence.updated"
            and data.get("extension") == "201"
            and data.get("note") == note
        ):
            return time.monotonic()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(base: str, ws_base: str, clients: int, rounds: int) -> dict[str, list[float]]:
    api = httpx.AsyncClient(base_url=base, timeout=30)
    tokens = [await _sign_in(api, u.extension) for u in DEMO_USERS]
    anna = tokens[[u.extension for u in DEMO_USERS].index("201")]
    api.headers["Authorization"] = f"Bearer {anna}"
    sockets: list[ClientConnection] = []
    out: dict[str, list[float]] = {"put": [], "first": [], "each": [], "last": []}
    try:
        for n in range(clients):
            url = f"{ws_base}/api/v1/events?token={tokens[n % len(tokens)]}"
            sockets.append(await connect(url, max_queue=None))
        for r in range(rounds + 1):  # round 0 warms up and proves every client attached
            note = f"Fan-out round {r}"
            waits = [asyncio.ensure_future(_until_note(ws, note)) for ws in sockets]
            await asyncio.sleep(0)  # every reader waits before the change goes out
            t0 = time.monotonic()
            answer = await api.put(
                "/api/v1/me/presence", json={"status": "available", "note": note}
            )
            t_put = time.monotonic()
            answer.raise_for_status()
            got = [(t - t0) * 1000 for t in await asyncio.gather(*waits)]
            if r == 0:
                continue
            out["put"].append((t_put - t0) * 1000)
            out["each"].extend(got)
            out["first"].append(min(got))
            out["last"].append(max(got))
    finally:
        for ws in sockets:
            await ws.close()
        await api.aclose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fanout-bench-") as tmp:
        server = start_server(Path(tmp), demo=True)
        try:
            figures = asyncio.run(
                measure(server.base_url, server.ws_url, args.clients, args.rounds)
            )
        finally:
            server.stop()
    rows = []
    for name, label in (
        ("put", "PUT answered"),
        ("first", "PUT → first client has it"),
        ("each", "PUT → each client has it (all receipts)"),
        ("last", "PUT → last client has it"),
    ):
        v = figures[name]
        rows.append(
            f"| {label} | {len(v)} | {statistics.median(v):.1f} | {_pct(v, 99):.1f} "
            f"| {max(v):.1f} |"
        )
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    text = "\n".join(
        [
            HEADING,
            "",
            f"One presence change (Anna's note, `PUT /api/v1/me/presence`) fanned out as "
            f"`presence.updated` to {args.clients} WebSocket clients of a demo server on "
            f"loopback (the {len(DEMO_USERS)} demo users' tokens, round robin), {args.rounds} "
            f"rounds after one warm-up. A note change sends each client three events "
            f"(`presence.changed`, `presence.details_changed`, `presence.updated`); the "
            f"clients are tasks of one process, so their receipts include waiting for that "
            f"process to read the others. {os.cpu_count()} cores (shared with "
            f"other work during the run), {platform.system()} {platform.machine()}, "
            f"{platform.python_implementation()} {platform.python_version()}, {when}. "
            f"Milliseconds:",
            "",
            "| | samples | p50 | p99 | max |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    if not args.no_write:
        replace_section(HEADING, text)
    print(text)


if __name__ == "__main__":
    main()
