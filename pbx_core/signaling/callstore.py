"""The store as the call core sees it: who is calling whom, and the records calls leave.

The one place where the call core touches the store (users, call records) and the registrar's
bindings; the driver awaits it, so making the store awaitable changes this module only.
"""

from __future__ import annotations

import logging

from pbx_core.errors import StoreError
from pbx_core.signaling.callmachine import ECHO_EXTENSION
from pbx_core.signaling.calls import Contact, Route
from pbx_core.signaling.registrar import Registrar
from pbx_core.store import CallRecord, Store

__all__ = ["CallStore"]

_log = logging.getLogger(__name__)


class CallStore:
    """The store as the call core sees it: who is calling whom, and the records calls leave."""

    def __init__(self, store: Store, registrar: Registrar) -> None:
        self._store = store
        self._registrar = registrar

    async def route(self, caller: str, target: str) -> Route:
        """Names of both sides and the callee's registered phones (the store's memory: no SQL)."""
        caller_user = self._store.user_by_extension(caller)
        caller_name = caller_user.display_name if caller_user else None
        if target == ECHO_EXTENSION:
            return Route(caller_name, None, True)
        callee = self._store.user_by_extension(target)
        if callee is None:
            return Route(caller_name, None, False)
        contacts = tuple(
            Contact(b.contact, b.destination) for b in self._registrar.bindings(target)
        )
        return Route(caller_name, callee.display_name, True, contacts)

    async def record(self, record: CallRecord) -> None:
        """Written on the store's worker thread: the loop never waits on SQL."""
        try:
            await self._store.aio.add_call_record(record)
        except StoreError:
            _log.exception("could not store the record of call %s", record.call_id)
