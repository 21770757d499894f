"""Chat through the real server: send → the other client has it → the sender sees it read.

A demo server runs as its own process; Anna (201) and Bram (202) are two API clients, each with
its WebSocket event stream. Per message, on this process's monotonic clock:

- send → delivered: Anna's POST to Bram's stream carrying the ``chat.message``;
- send → receipt: the same POST to Anna's stream carrying Bram's ``chat.receipt`` (read), Bram
  having posted his read mark as soon as the message arrived;
- the POST itself (stored and committed before the answer).

``python benchmarks/chat_latency.py [--messages 300]`` writes the section "## Chat (…)" of
docs/benchmarks.md (the file's other sections are kept).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _docs import replace_section  # noqa: E402 - benchmarks/ is the script folder
from _events import next_event, pct, sign_in  # noqa: E402

from tests.support.server_process import start_server  # noqa: E402

HEADING = "## Chat (benchmarks/chat_latency.py)"


async def _client(base: str, ext: str) -> tuple[httpx.AsyncClient, str]:
    api = httpx.AsyncClient(base_url=base, timeout=10)
    token = await sign_in(api, ext)
    api.headers["Authorization"] = f"Bearer {token}"
    return api, token


async def measure(base: str, ws_base: str, count: int) -> dict[str, list[float]]:
    anna, anna_token = await _client(base, "201")
    bram, bram_token = await _client(base, "202")
    cid = (await anna.post("/api/v1/chats", json={"kind": "direct", "members": ["202"]})).json()[
        "id"
    ]
    out: dict[str, list[float]] = {"post": [], "delivered": [], "receipt": []}
    async with (
        connect(f"{ws_base}/api/v1/events?token={anna_token}") as anna_ws,
        connect(f"{ws_base}/api/v1/events?token={bram_token}") as bram_ws,
    ):
        for n in range(count + 20):  # the first 20 warm up
            t0 = time.monotonic()
            posted = await anna.post(f"/api/v1/chats/{cid}/messages", json={"text": f"nr {n}"})
            t_post = time.monotonic()
            seq = posted.json()["seq"]
            await next_event(bram_ws, "chat.message", seq=seq)
            t_delivered = time.monotonic()
            await bram.post(f"/api/v1/chats/{cid}/read", json={"seq": seq})
            await next_event(anna_ws, "chat.receipt", extension="202", read_seq=seq)
            t_receipt = time.monotonic()
            if n >= 20:
                out["post"].append((t_post - t0) * 1000)
                out["delivered"].append((t_delivered - t0) * 1000)
                out["receipt"].append((t_receipt - t0) * 1000)
    await anna.aclose()
    await bram.aclose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chat-bench-") as tmp:
        server = start_server(Path(tmp), demo=True)
        try:
            figures = asyncio.run(measure(server.base_url, server.ws_url, args.messages))
        finally:
            server.stop()
    rows = []
    for name, label in (
        ("post", "POST answered (stored)"),
        ("delivered", "send → other client has it"),
        ("receipt", "send → sender sees it read"),
    ):
        v = figures[name]
        rows.append(
            f"| {label} | {statistics.median(v):.1f} | {pct(v, 95):.1f} | {pct(v, 99):.1f} "
            f"| {max(v):.1f} |"
        )
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    text = "\n".join(
        [
            HEADING,
            "",
            f"{args.messages} messages one after the other between two API clients of a demo "
            f"server on loopback (SQLite WAL, every message committed before its answer); "
            f"{os.cpu_count()} cores, {platform.python_implementation()} "
            f"{platform.python_version()}, {when}. Milliseconds:",
            "",
            "| | p50 | p95 | p99 | max |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    replace_section(HEADING, text)
    print(text)


if __name__ == "__main__":
    main()
