"""Helpers of the Queues section's tests: the real app signed in as a chosen demo user, and the
same server's API as another user (to read and change the server's queue state)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.ui._app_harness import RealApp

__all__ = ["WAIT_S", "agent_status", "api_as", "queue_state", "signed_in_as", "wait"]

WAIT_S = 40.0  # a guard against a hang, not a measured time


@contextlib.contextmanager
def signed_in_as(data_dir: Path, extension: str) -> Iterator[RealApp]:
    """The real app with its embedded demo PBX, signed in as ``extension``, registered, the
    directory loaded; quit and cleaned up afterwards."""
    app = RealApp(data_dir, demo=True)
    try:
        app.ctx.settings.mode = "embedded"
        app.ctx.settings.username = extension
        app.start_session()
        app.run(
            app.until(
                lambda: app.online() and bool(app.ctx.directory.everyone),
                90,
                f"signed in as {extension}, registered, directory loaded",
            )
        )
        yield app
    finally:
        app.close()


def wait(app: RealApp, predicate: Callable[[], object], what: str) -> None:
    app.run(app.until(predicate, WAIT_S, what))


async def api_as(app: RealApp, extension: str) -> httpx.AsyncClient:
    """A client of the app's embedded server signed in as the demo user ``extension``."""
    embedded = app.ctx.session_ctl.embedded
    assert embedded is not None and embedded.info is not None
    verify = embedded.info.tls_context() or True  # the embedded PBX's pinned certificate
    client = httpx.AsyncClient(base_url=embedded.info.base_url, timeout=10, verify=verify)
    answer = await client.post(
        "/api/v1/auth/login", json={"username": extension, "password": f"Demo-{extension}!"}
    )
    assert answer.status_code == 200, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


async def queue_state(app: RealApp, number: str, as_user: str = "203") -> dict[str, Any]:
    """``GET /api/v1/queues/{number}`` as the queues' supervisor (Chris, 203)."""
    client = await api_as(app, as_user)
    try:
        answer = await client.get(f"/api/v1/queues/{number}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found
    finally:
        await client.aclose()


def agent_status(state: dict[str, Any], extension: str) -> str | None:
    return next((a["status"] for a in state["agents"] if a["extension"] == extension), None)
