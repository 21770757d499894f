"""The user's sign-ins: listed at sign-in and when Settings opens, one ended on request (its
token stops working on the server; its event sockets close); and a change of the user's own
password, which ends the other sign-ins and updates the password the keyring remembers."""

from __future__ import annotations

import asyncio
import logging

from app.connection import Connection
from app.errors import AppError
from app.password_change import PasswordOutcome, outcome_of
from app.settings import Settings
from app.sign_ins import SignIn
from app.stores.sign_ins import SignInsStore
from app.tasks import TaskRunner

__all__ = ["SignInsController"]

_log = logging.getLogger(__name__)


class SignInsController:
    def __init__(
        self,
        store: SignInsStore,
        connection: Connection,
        runner: TaskRunner,
        settings: Settings | None = None,
    ) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._settings = settings

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

    def change_password(self, current: str, new: str) -> asyncio.Task[PasswordOutcome]:
        """Change the user's password; the task's result says how it went, in plain words."""
        return self._runner.spawn(self._change(current, new), "changing your password")

    async def _change(self, current: str, new: str) -> PasswordOutcome:
        body = {"current": current, "new": new}
        try:
            await self._conn.require_api().request("PUT", "/api/v1/me/password", json=body)
        except AppError as exc:
            _log.info("the password was not changed: %s", exc)
            return outcome_of(exc)
        settings = self._settings
        if settings is not None and settings.password() is not None:
            settings.store_password(new)  # the next start signs in with the new one
        _log.info("password changed; other sign-ins ended")
        await self._load()
        return outcome_of(None)
