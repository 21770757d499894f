"""What the event-stream benchmarks share: signing in a demo user, waiting for an event on a
WebSocket, and percentiles."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection


async def sign_in(api: httpx.AsyncClient, ext: str) -> str:
    """Sign in demo user ``ext`` (password ``Demo-<ext>!``); its token."""
    body = {"username": ext, "password": f"Demo-{ext}!"}
    answer = await api.post("/api/v1/auth/login", json=body)
    answer.raise_for_status()
    return str(answer.json()["token"])


async def next_event(
    ws: ClientConnection, kind: str, within_s: float = 10.0, **match: Any
) -> dict[str, Any]:
    """Read until an event of ``kind`` whose data has every ``match`` field; that event."""
    while True:
        event: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), within_s))
        data = event.get("data", {})
        if event.get("type") == kind and all(data.get(k) == v for k, v in match.items()):
            return event


def pct(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
