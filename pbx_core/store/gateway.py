"""The store as the event loop uses it: the same methods as coroutines, run on one worker thread.

SQL takes milliseconds (a call record, a binding, a history page); on the loop that time would be
taken from every call's signaling and media. :class:`StoreGateway` runs each store method on the
store's own thread (``pbx-store``), one at a time and in the order they were asked for, so writes
keep their order and SQLite sees a single writer from this side. The loop awaits the result or,
for writes nobody waits for (``*_soon``), only queues them; their failures are logged.

Users, SIP credentials and bindings are answered from the store's memory
(:mod:`pbx_core.store._cache`) right away, without a thread hop.

Closing drains the queue: a write queued before :meth:`close` is committed before the database
closes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from pbx_core.errors import StoreError
from pbx_core.store.records import (
    BindingRecord,
    CallRecord,
    ContactRecord,
    LoginRecord,
    NewContact,
    NewUser,
    PresenceRecord,
    SipCredentials,
    UserRecord,
)

if TYPE_CHECKING:
    from pbx_core.store.store import Store

__all__ = ["WORKER_THREAD", "StoreGateway"]

WORKER_THREAD = "pbx-store"
"""Name prefix of the store's worker thread."""

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


class StoreGateway:
    """Awaitable store methods for code on the event loop; SQL runs on the worker thread."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._records: list[CallRecord] = []

    # -- running things on the worker thread ----------------------------------------------

    async def call(self, fn: Callable[..., _T], *args: object) -> _T:
        """Run ``fn(*args)`` on the worker thread and wait for its result without blocking."""
        return await asyncio.wrap_future(self._worker().submit(fn, *args))

    def submit(self, fn: Callable[..., _T], *args: object) -> asyncio.Future[_T]:
        """Queue ``fn(*args)`` on the worker thread; the loop's future of its result."""
        return asyncio.wrap_future(self._worker().submit(fn, *args))

    def soon(self, what: str, fn: Callable[..., object], *args: object) -> None:
        """Queue a write nobody waits for; a failure is logged as "could not store ``what``"."""
        future = self._worker().submit(fn, *args)
        future.add_done_callback(lambda f: _log_failure(f, what))

    async def drain(self) -> None:
        """Wait until everything queued so far (also ``*_soon`` writes) is done."""
        await self.call(_nothing)

    def _worker(self) -> concurrent.futures.ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix=WORKER_THREAD
                )
            return self._executor

    def stop_worker(self, *, wait: bool = True) -> None:
        """Let the worker finish what is queued, then end it (``wait``: and join it)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            on_worker = threading.current_thread().name.startswith(WORKER_THREAD)
            executor.shutdown(wait=wait and not on_worker)

    # -- life cycle -----------------------------------------------------------------------

    async def open(self) -> None:
        """Open and migrate the database, and fill the store's memory, on the worker thread."""
        await self.call(self._store.open)

    async def close(self) -> None:
        """Commit what is queued, disconnect (on the worker thread), and end the worker."""
        await self.call(self._store._dispose)
        self.stop_worker(wait=False)

    # -- users: from memory ---------------------------------------------------------------

    async def users(self) -> list[UserRecord]:
        return self._store.users()

    async def user_by_extension(self, ext: str) -> UserRecord | None:
        return self._store.user_by_extension(ext)

    async def user_by_id(self, user_id: int) -> UserRecord | None:
        return self._store.user_by_id(user_id)

    async def sip_credentials(self, username: str) -> SipCredentials | None:
        return self._store.sip_credentials(username)

    async def load_bindings(self) -> list[BindingRecord]:
        return self._store.load_bindings()

    # -- everything else: on the worker thread --------------------------------------------

    async def add_user(self, new: NewUser) -> UserRecord:
        return await self.call(self._store.add_user, new)

    async def user_count(self) -> int:
        return await self.call(self._store.user_count)

    async def login_record(self, login: str) -> LoginRecord | None:
        return await self.call(self._store.login_record, login)

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        await self.call(self._store.set_password_hash, user_id, password_hash)

    async def save_binding(self, b: BindingRecord) -> None:
        await self.call(self._store.save_binding, b)

    async def delete_binding(self, extension: str, contact: str) -> None:
        await self.call(self._store.delete_binding, extension, contact)

    async def delete_expired_bindings(self, now: datetime) -> int:
        return await self.call(self._store.delete_expired_bindings, now)

    async def add_call_record(self, record: CallRecord) -> int:
        return await self.call(self._store.add_call_record, record)

    def add_call_record_soon(self, record: CallRecord) -> None:
        """Queue a finished call's record without waiting (the B2BUA at the end of a call).
        The records queued while the worker is busy are inserted together, in one transaction
        (one at a time if that fails, so one bad record loses only itself)."""
        with self._lock:
            self._records.append(record)
            if len(self._records) > 1:
                return  # a job to write them is queued already
        self.soon("call records", self._write_records)

    def _write_records(self) -> None:
        with self._lock:
            records, self._records = self._records, []
        try:
            self._store.add_call_records(records)
        except StoreError:
            for record in records:
                try:
                    self._store.add_call_records([record])
                except StoreError as exc:
                    _log.error("could not store the record of call %s: %s", record.call_id, exc)

    async def hide_call(self, user_id: int, record_id: int) -> bool:
        return await self.call(self._store.hide_call, user_id, record_id)

    async def call_history(self, extension: str, limit: int = 100) -> list[CallRecord]:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        return await self.call(self._store.call_history, extension, limit)

    async def add_contact(self, new: NewContact) -> ContactRecord:
        return await self.call(self._store.add_contact, new)

    async def contacts(self) -> list[ContactRecord]:
        return await self.call(self._store.contacts)

    async def set_roles(self, extension: str, roles: Iterable[str]) -> UserRecord | None:
        return await self.call(self._store.set_roles, extension, tuple(roles))

    async def contacts_page(
        self,
        after: tuple[str, int] | None = None,
        limit: int = 2000,
        ids: Collection[int] | None = None,
    ) -> list[ContactRecord]:
        return await self.call(self._store.contacts_page, after, limit, ids)

    async def save_presence(self, record: PresenceRecord) -> None:
        await self.call(self._store.save_presence, record)

    async def load_presence(self) -> list[PresenceRecord]:
        return await self.call(self._store.load_presence)


def _nothing() -> None:
    pass


def _log_failure(future: concurrent.futures.Future[object], what: str) -> None:
    if future.cancelled():
        _log.error("could not store %s: the store closed first", what)
        return
    exc = future.exception()
    if isinstance(exc, StoreError):
        _log.error("could not store %s: %s", what, exc)
    elif exc is not None:
        _log.error("could not store %s", what, exc_info=exc)
