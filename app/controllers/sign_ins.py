"""The user's sign-ins: listed at sign-in and when Settings opens, one ended on request (its
token stops working on the server; its event sockets close)."""

from __future__ import annotations

import logging

from app.connection import Connection
from app.sign_ins import SignIn
from app.stores.sign_ins import SignInsStore
from app.tasks import TaskRunner

__all__ = ["SignInsController"]

_log = logging.getLogger(__name__)


class SignInsController:
    def __init__(self, store: SignInsStore, connection: Connection, runner: TaskRunner) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner

    def load(self) -> None:
        if self._conn.api is not None:
            self._runner.spawn(self._load(), "listing where you are signed in")

    async def _load(self) -> None:
        rows = await self._conn.require_api().request("GET", "/api/v1/me/sessions")
        found = []
        for row in rows if isinstance(rows, list) else []:
            try:
                found.append(SignIn.from_api(row))
            except ValueError as exc:
                _log.warning("skipping a sign-in: %s", exc)
        self._store.set_sign_ins(found)

    def end(self, sign_in_id: str) -> None:
        """Sign that session out (not this app's own: signing out does that)."""
        self._runner.spawn(self._end(sign_in_id), "signing that session out")

    async def _end(self, sign_in_id: str) -> None:
        await self._conn.require_api().request("DELETE", f"/api/v1/me/sessions/{sign_in_id}")
        await self._load()
