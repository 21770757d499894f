"""The registrar (RFC 3261 §10.3): where each extension's phones can be reached.

Bindings live in memory for routing and are written through to the store, so a restart keeps
them. A binding remembers the address the REGISTER came from (transport, host, port): requests
to the phone go there, which reaches phones behind NAT and reuses their TCP connection.

Everything runs on the event loop and never waits on SQL there: credentials and the stored
bindings come from the store's memory, and a REGISTER's writes go to the store's worker thread
(``store.aio``) in one job; the 200 is sent once they are committed, so an acknowledged binding
survives a crash (a failed write is answered 500). Expiry and clean-up writes are queued
without waiting. Single-node: a scale-out registrar shares bindings through the store, not this
dict.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pbx_core.bus import EventBus
from pbx_core.events import BindingAdded, BindingRemoved
from pbx_core.ids import Extension
from pbx_core.signaling.authenticator import DigestAuthenticator
from pbx_core.signaling.endpoint import ServerTransactionHandle
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import NameAddr
from pbx_core.store import BindingRecord, Store

__all__ = ["Registrar"]

_log = logging.getLogger(__name__)

DEFAULT_EXPIRES = 3600
MIN_EXPIRES = 60
MAX_EXPIRES = 3600


_Write = tuple[Callable[..., None], tuple[object, ...]]


class Registrar:
    """Handles REGISTER and answers "where is extension X" for the B2BUA."""

    def __init__(
        self,
        store: Store,
        authenticator: DigestAuthenticator,
        bus: EventBus,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._auth = authenticator
        self._bus = bus
        self._clock = clock
        self._bindings: dict[str, dict[str, BindingRecord]] = {}

    def load(self) -> None:
        """Take the stored bindings that have not expired yet."""
        now = self._clock()
        for binding in self._store.load_bindings():
            if binding.expires_at > now:
                self._bindings.setdefault(binding.extension, {})[binding.contact] = binding
            else:
                self._store.aio.soon(
                    f"the removal of {binding.contact}",
                    self._store.delete_binding,
                    binding.extension,
                    binding.contact,
                )

    def bindings(self, extension: str) -> list[BindingRecord]:
        """The live bindings of ``extension``, newest first."""
        now = self._clock()
        live = [b for b in self._bindings.get(extension, {}).values() if b.expires_at > now]
        return sorted(live, key=lambda b: b.expires_at, reverse=True)

    def is_registered(self, extension: str) -> bool:
        return bool(self.bindings(extension))

    def expire(self) -> int:
        """Drop expired bindings (called periodically); returns how many went."""
        now = self._clock()
        writes: list[_Write] = []
        for extension, contacts in list(self._bindings.items()):
            for contact, binding in list(contacts.items()):
                if binding.expires_at <= now:
                    self._remove(extension, contact, writes, expired=True)
        if writes:
            self._store.aio.soon("expired bindings", _run_writes, writes)
        return len(writes)

    def _remove(self, extension: str, contact: str, writes: list[_Write], *, expired: bool) -> None:
        self._bindings.get(extension, {}).pop(contact, None)
        if not self._bindings.get(extension):
            self._bindings.pop(extension, None)
        writes.append((self._store.delete_binding, (extension, contact)))
        self._bus.publish(BindingRemoved(Extension(extension), contact, expired))

    def handle(self, tx: ServerTransactionHandle) -> None:
        """Process one REGISTER (§10.3 steps 1-8)."""
        request = tx.request
        outcome = self._auth.check(request)
        if not outcome.ok:
            tx.reply(outcome.status, extra_headers=list(outcome.headers))
            return
        extension = outcome.extension or ""
        if request.to_addr.uri.user != extension:
            _log.info("REGISTER for %s by SIP user %s refused", request.to_addr.uri, extension)
            tx.reply(403, "Forbidden - may only register own extension")
            return
        try:
            header_expires = request.headers.get("Expires")
            default = int(header_expires) if header_expires is not None else DEFAULT_EXPIRES
        except ValueError:
            tx.reply(400, "Bad Request - Expires")
            return
        writes: list[_Write] = []
        if request.contact_is_wildcard:
            if default != 0 or len(request.contacts) > 0:
                tx.reply(400, "Bad Request - wildcard Contact needs Expires 0")
                return
            for key in list(self._bindings.get(extension, {})):
                self._remove(extension, key, writes, expired=False)
            self._commit(tx, extension, writes)
            return
        changes: list[tuple[NameAddr, int]] = []
        for contact in request.contacts:
            try:
                expires = int(contact.params.get("expires") or default)
            except ValueError:
                tx.reply(400, "Bad Request - expires")
                return
            if 0 < expires < MIN_EXPIRES:
                tx.reply(423, extra_headers=[("Min-Expires", str(MIN_EXPIRES))])
                return
            changes.append((contact, min(expires, MAX_EXPIRES)))
        for contact, expires in changes:
            if not self._apply(tx, extension, contact, expires, writes):
                self._commit(None, extension, writes)
                return
        self._commit(tx, extension, writes)

    def _commit(
        self, tx: ServerTransactionHandle | None, extension: str, writes: list[_Write]
    ) -> None:
        """Store ``writes`` on the worker thread in one job; then answer ``tx`` (if any)."""
        if not writes:
            if tx is not None:
                self._ok(tx, extension)
            return
        if tx is None:
            self._store.aio.soon(f"the bindings of {extension}", _run_writes, writes)
            return
        done = self._store.aio.submit(_run_writes, writes)
        done.add_done_callback(lambda f: self._written(tx, extension, f))

    def _written(
        self, tx: ServerTransactionHandle, extension: str, done: asyncio.Future[None]
    ) -> None:
        failure = "the store closed" if done.cancelled() else done.exception()
        if failure is None:
            self._ok(tx, extension)
            return
        _log.error("bindings of %s not stored: %s", extension, failure)
        tx.reply(500, "Server Internal Error - bindings not stored")

    def _apply(
        self,
        tx: ServerTransactionHandle,
        extension: str,
        contact: NameAddr,
        expires: int,
        writes: list[_Write],
    ) -> bool:
        request = tx.request
        key = str(contact.uri)
        existing = self._bindings.get(extension, {}).get(key)
        same_call = existing is not None and existing.call_id == request.call_id
        if same_call and existing is not None and request.cseq.seq <= existing.cseq:
            tx.reply(500, "Server Internal Error - CSeq out of order")
            return False
        if expires == 0:
            if existing is not None:
                self._remove(extension, key, writes, expired=False)
            return True
        binding = BindingRecord(
            extension=extension,
            contact=key,
            expires_at=self._clock() + timedelta(seconds=expires),
            source=str(tx.source),
            call_id=request.call_id,
            cseq=request.cseq.seq,
            user_agent=request.headers.get("User-Agent"),
        )
        self._bindings.setdefault(extension, {})[key] = binding
        writes.append((self._store.save_binding, (binding,)))
        if existing is None:
            self._bus.publish(BindingAdded(Extension(extension), key))
            _log.info("extension %s registered at %s from %s", extension, key, tx.source)
        return True

    def _ok(self, tx: ServerTransactionHandle, extension: str) -> None:
        now = self._clock()
        headers = [
            (
                "Contact",
                f"<{b.contact}>;expires={max(0, int((b.expires_at - now).total_seconds()))}",
            )
            for b in self.bindings(extension)
        ]
        headers.append(("Date", now.strftime("%a, %d %b %Y %H:%M:%S GMT")))
        tx.reply(200, extra_headers=headers)

    @staticmethod
    def destination(binding: BindingRecord) -> Address:
        """Where requests to this binding are sent: the address its REGISTER came from."""
        return Address.parse(binding.source)


def _run_writes(writes: list[_Write]) -> None:
    """On the store's worker thread: each write is its own short transaction, in order."""
    for write, args in writes:
        write(*args)
