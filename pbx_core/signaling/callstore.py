"""The store as the call core sees it: who is calling whom, and the records calls leave.

The one place where the call core touches the store (users, call records) and the registrar's
bindings; the driver awaits it, so making the store awaitable changes this module only.
"""

from __future__ import annotations

from pbx_core.permissions import member_of
from pbx_core.signaling.calls import Contact, Route
from pbx_core.signaling.features import Dial, Intrude, Pickup, Supervise, parse_target
from pbx_core.signaling.registrar import Registrar
from pbx_core.store import CallRecord, Store

__all__ = ["CallStore"]


class CallStore:
    """The store as the call core sees it: who is calling whom, and the records calls leave."""

    def __init__(self, store: Store, registrar: Registrar) -> None:
        self._store = store
        self._registrar = registrar

    async def route(self, caller: str, target: str) -> Route:
        """Names of both sides and the callee's registered phones (the store's memory: no SQL).
        For a feature code the callee is the extension it names (``*9*202*``: 202)."""
        caller_user = self._store.user_by_extension(caller) if caller else None
        caller_name = caller_user.display_name if caller_user else None
        member = member_of(caller_user) if caller_user else None
        feature = parse_target(target)
        extension = (
            feature.extension
            if isinstance(feature, Dial | Intrude | Pickup | Supervise) and feature.extension
            else None
        )
        if extension is None:  # the PBX's own numbers: the call machine decides
            return Route(caller_name, None, True, (), member)
        callee = self._store.user_by_extension(extension)
        if callee is None:
            return Route(caller_name, None, False, (), member)
        contacts = tuple(
            Contact(b.contact, b.destination, b.path) for b in self._registrar.bindings(extension)
        )
        return Route(caller_name, callee.display_name, True, contacts, member, member_of(callee))

    async def record(self, record: CallRecord) -> None:
        """Queued for the store's worker thread (with the records of other calls that end
        meanwhile): the loop never waits on SQL; a failure is logged there."""
        self._store.aio.add_call_record_soon(record)
