"""The registrar's asyncio driver (RFC 3261 §10.3): where each extension's phones can be reached.

The decisions are :class:`pbx_core.signaling.registration.RegistrarMachine`'s; this module only
performs its actions: store writes through the store's gateway, events on the bus, answers on
the server transaction, and one ``call_later`` timer for the next expiry.

Bindings live in memory, typed, for routing and are written through to the store, so a restart
keeps them. A binding remembers the address the REGISTER came from (transport, host, port):
requests to the phone go there, which reaches phones behind NAT and reuses their TCP connection.

Everything runs on the event loop and never waits on SQL there: credentials and the stored
bindings come from the store's memory, and a REGISTER's writes go to the store's worker thread
(``store.aio``), committed together with those of the REGISTERs that arrived meanwhile
(:mod:`pbx_core.signaling._binding_writes`); the 200 is sent once they are committed, so an
acknowledged binding survives a crash (a failed write is answered 500). Expiry and clean-up
writes are queued without waiting. Single node unless :meth:`Registrar.follow` runs: a cluster
node (two or more PBX nodes on one PostgreSQL behind Kamailio, docs/scale-out.md) then re-reads
the store every few seconds and takes the other nodes' bindings (and users) from it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial

from pbx_core.bus import EventBus
from pbx_core.errors import StoreError
from pbx_core.signaling._binding_writes import BindingWriter, Failure
from pbx_core.signaling.authenticator import DigestAuthenticator
from pbx_core.signaling.bindings import Binding, BindingKey
from pbx_core.signaling.endpoint import ServerTransactionHandle
from pbx_core.signaling.registration import (
    ArmExpiry,
    DeleteBindings,
    Publish,
    RegistrarAction,
    RegistrarMachine,
    Reply,
    SaveBindings,
)
from pbx_core.store import Store
from pbx_core.store._binding_sql import BindingWrite

__all__ = ["Registrar"]

_log = logging.getLogger(__name__)


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
        self._bus = bus
        self._clock = clock
        self._machine = RegistrarMachine(authenticator.check)
        self._timer: asyncio.TimerHandle | None = None
        self._follower: asyncio.Task[None] | None = None
        self._writer = BindingWriter(store)

    @property
    def max_bindings(self) -> int:
        """Phones one extension may register at once; the oldest binding goes beyond it."""
        return self._machine.max_bindings

    @max_bindings.setter
    def max_bindings(self, value: int) -> None:
        self._machine.max_bindings = value

    def load(self) -> None:
        """Take the stored bindings that have not expired yet (parsed once, here)."""
        stored: list[Binding] = []
        for record in self._store.load_bindings():
            try:
                stored.append(Binding.from_record(record))
            except ValueError as exc:
                _log.warning(
                    "stored binding %s of %s dropped: %s", record.contact, record.extension, exc
                )
                self._store.aio.soon(
                    f"the removal of {record.contact}",
                    self._store.delete_binding,
                    record.extension,
                    record.contact,
                )
        self._perform(self._machine.load(stored, self._clock()))

    def follow(self, interval_s: float) -> None:
        """Cluster: every ``interval_s`` take the shared database's bindings (other nodes')."""
        if interval_s > 0 and self._follower is None:
            self._follower = asyncio.get_running_loop().create_task(self._follow(interval_s))

    def stop(self) -> None:
        """Stop the expiry timer (and the cluster sync)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._follower is not None:
            self._follower.cancel()
            self._follower = None

    async def sync(self) -> None:
        """Read the store again and follow it (one round of :meth:`follow`)."""
        generation = self._machine.generation  # every write of ours so far is queued before
        records = await self._store.aio.call(self._store.reload)
        stored: list[Binding] = []
        for record in records:
            try:
                stored.append(Binding.from_record(record))
            except ValueError as exc:
                _log.warning("stored binding %s skipped: %s", record.contact, exc)
        self._perform(self._machine.sync(stored, generation, self._clock()))

    async def _follow(self, interval_s: float) -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self.sync()
            except StoreError as exc:
                _log.warning("cluster sync of bindings failed: %s", exc)
            except Exception:
                _log.exception("cluster sync of bindings failed")

    def bindings(self, extension: str) -> list[Binding]:
        """The live bindings of ``extension``, newest first."""
        return self._machine.bindings(extension, self._clock())

    def is_registered(self, extension: str) -> bool:
        return bool(self.bindings(extension))

    def all_bindings(self) -> list[Binding]:
        """Every live binding (the keep-alive pings the UDP ones)."""
        return self._machine.all_bindings(self._clock())

    def unreachable(self, key: BindingKey) -> None:
        """Remove the binding of a phone that stopped answering its keep-alive."""
        self._perform(self._machine.unreachable(key))

    def handle(self, tx: ServerTransactionHandle) -> None:
        """Process one REGISTER."""
        self._perform(self._machine.receive(tx.request, tx.source, self._clock()), tx)

    def expire(self) -> None:
        """The expiry timer fired (also callable directly)."""
        self._timer = None
        self._perform(self._machine.timer_fired(self._clock()))

    # -- performing actions -----------------------------------------------------------------

    def _perform(
        self, actions: Sequence[RegistrarAction], tx: ServerTransactionHandle | None = None
    ) -> None:
        writes: list[BindingWrite] = []
        for action in actions:
            if isinstance(action, SaveBindings):
                writes += [b.record() for b in action.bindings]
            elif isinstance(action, DeleteBindings):
                writes += action.keys
            elif isinstance(action, Publish):
                self._bus.publish(action.event)
            elif isinstance(action, ArmExpiry):
                self._arm(action.at)
            elif isinstance(action, Reply):
                assert tx is not None, "a reply without a REGISTER"
                self._reply_after(writes, tx, action)
                writes = []
        if writes:
            self._writer.soon(writes)

    def _reply_after(
        self, writes: list[BindingWrite], tx: ServerTransactionHandle, reply: Reply
    ) -> None:
        """Store ``writes`` (committed with those of other REGISTERs waiting); then send
        ``reply``."""
        if not writes:
            tx.reply(reply.status, reply.reason, extra_headers=list(reply.headers))
            return
        self._writer.submit(writes, partial(self._written, tx, reply))

    def _written(self, tx: ServerTransactionHandle, reply: Reply, failure: Failure) -> None:
        if failure is None:
            tx.reply(reply.status, reply.reason, extra_headers=list(reply.headers))
            return
        _log.error("bindings of %s not stored: %s", tx.request.to_addr.uri, failure)
        tx.reply(500, "Server Internal Error - bindings not stored")

    def _arm(self, at: datetime | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if at is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        delay = max(0.0, (at - self._clock()).total_seconds())
        self._timer = loop.call_later(delay, self._fire)

    def _fire(self) -> None:
        try:
            self.expire()
        except Exception:
            _log.exception("binding expiry failed")
