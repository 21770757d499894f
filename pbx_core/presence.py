"""Presence: each user's status with an optional end time, published on the bus.

A status with an end time ("in a meeting until 11:00") falls back to "available" when that time
passes: one timer on the event loop is armed for the earliest end time, and reads check the clock
too, so a late timer never shows a stale status. Statuses persist in the store, so they survive a
restart; one that ended while the PBX was down is cleared when it loads. Everything here runs
on the event loop; the store is reached through its gateway (``store.aio``), so the loop never
waits on SQL. Single node only: with several nodes the expiry must move to one place (a
database job).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import ClassVar, Final, Literal, TypeGuard, get_args

from pbx_core.bus import EventBus
from pbx_core.errors import NotFound
from pbx_core.events import Event, PresenceChanged
from pbx_core.ids import Extension
from pbx_core.store import PresenceRecord, Store

__all__ = [
    "AVAILABLE",
    "MAX_NOTE_CHARS",
    "ROLES",
    "STATUSES",
    "Presence",
    "PresenceDetailsChanged",
    "PresenceService",
    "PresenceStatus",
    "Role",
    "is_status",
]

PresenceStatus = Literal[
    "available", "meeting", "not_present", "vacation", "lunch", "business_trip", "dnd"
]
"""The presence statuses, as the API, the store, the bus and the phones write them.

The one list of the PBX: the API's schema, the bus event and the store's records take it
from here."""

STATUSES: Final[tuple[PresenceStatus, ...]] = get_args(PresenceStatus)
AVAILABLE: Final[PresenceStatus] = "available"

Role = Literal["work", "private"]
"""The role a presence is held in (seed 004 "Tilstande"); the client keeps it on work."""

ROLES: Final[tuple[Role, ...]] = get_args(Role)
MAX_NOTE_CHARS: Final = 200


def is_status(value: str) -> TypeGuard[PresenceStatus]:
    """True when ``value`` is one of :data:`STATUSES`."""
    return value in STATUSES


_log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Presence:
    """A user's status and when it ends (``None``: until changed), its role and the shared
    note colleagues see (C1)."""

    status: PresenceStatus
    until: datetime | None = None
    role: Role = "work"
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PresenceDetailsChanged(Event):
    """A user's role or shared note changed (their status did not). It feeds the presence
    board; clients learn it from the ``presence.updated`` the board publishes then."""

    kind: ClassVar[str] = "presence.details_changed"
    on_the_wire: ClassVar[bool] = False
    extension: Extension
    role: Role
    note: str | None


_DEFAULT = Presence(AVAILABLE)


def _record(extension: str, presence: Presence) -> PresenceRecord:
    return PresenceRecord(extension, presence.status, presence.until, presence.role, presence.note)


class PresenceService:
    """Reads and sets presence; publishes :class:`PresenceChanged` on every change."""

    def __init__(
        self, store: Store, bus: EventBus, *, clock: Callable[[], datetime] = _utcnow
    ) -> None:
        self._store = store
        self._bus = bus
        self._clock = clock
        self._current: dict[str, Presence] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at: datetime | None = None

    async def load(self) -> None:
        """Read the stored statuses (store open); ends those whose time has passed."""
        records = await self._store.aio.load_presence()
        self._current = {}
        for r in records:
            if is_status(r.status):
                role: Role = "private" if r.role == "private" else "work"
                self._current[r.extension] = Presence(r.status, r.until, role, r.note)
            else:
                _log.warning("stored presence of %s ignored: %r", r.extension, r.status)
        self.expire_due()
        for ext, p in sorted(self._current.items()):  # followers of the bus learn them here
            if p.status != AVAILABLE:
                self._bus.publish(PresenceChanged(Extension(ext), p.status, p.until))
            if (p.role, p.note) != (_DEFAULT.role, _DEFAULT.note):
                self._bus.publish(PresenceDetailsChanged(Extension(ext), p.role, p.note))

    @property
    def next_expiry(self) -> datetime | None:
        """The end time the expiry timer is armed for; None when no timer runs."""
        return self._timer_at if self._timer is not None else None

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def get(self, extension: str) -> Presence:
        presence = self._current.get(extension, _DEFAULT)
        if presence.until is not None and presence.until <= self._clock():
            self.expire_due()
            return self._current.get(extension, _DEFAULT)
        return presence

    async def set(self, extension: str, status: str, until: datetime | None = None) -> Presence:
        """Set a user's status; ``until`` must be timezone-aware and in the future.

        Runs on the loop (it arms the expiry timer and publishes on the bus)."""
        if not is_status(status):
            raise ValueError(
                f"unknown presence status {status!r}; use one of {', '.join(STATUSES)}"
            )
        if until is not None:
            if until.tzinfo is None or until.utcoffset() is None:
                raise ValueError("until must include a time zone")
            try:
                until = until.astimezone(UTC)
            except OverflowError:  # e.g. 9999-12-31T23:59:59-23:59 is past year 9999 in UTC
                raise ValueError("until is out of range") from None
            if until <= self._clock():
                raise ValueError("until must be in the future")
        if status == AVAILABLE:
            until = None
        if self._store.user_by_extension(extension) is None:
            raise NotFound(f"no user with extension {extension}")
        current = self._current.get(extension, _DEFAULT)
        presence = replace(current, status=status, until=until)
        if presence == current:  # the same again (say, with a new note): nothing to tell anyone
            return current
        await self._store.aio.save_presence(_record(extension, presence))
        self._current[extension] = presence
        self._rearm()
        self._bus.publish(PresenceChanged(Extension(extension), status, until))
        return presence

    async def set_details(
        self, extension: str, *, role: str | None = None, note: str | None = None
    ) -> Presence:
        """Change the role and/or the shared note (``""`` clears it); stored before it is told
        (an answered change survives a crash, as :meth:`set`).

        ValueError for an unknown role or a note longer than :data:`MAX_NOTE_CHARS`."""
        if self._store.user_by_extension(extension) is None:
            raise NotFound(f"no user with extension {extension}")
        current = self.get(extension)
        new_role: Role = current.role
        if role is not None:
            if role not in ROLES:
                raise ValueError(f"unknown role {role!r}; use work or private")
            new_role = "work" if role == "work" else "private"
        new_note = current.note
        if note is not None:
            note = " ".join(note.split())
            if len(note) > MAX_NOTE_CHARS:
                raise ValueError(f"note longer than {MAX_NOTE_CHARS} characters")
            new_note = note or None
        presence = replace(current, role=new_role, note=new_note)
        if presence != current:
            await self._store.aio.save_presence(_record(extension, presence))
            self._current[extension] = presence
            self._bus.publish(PresenceDetailsChanged(Extension(extension), new_role, new_note))
        return presence

    def expire_due(self) -> list[str]:
        """Return every status whose end time has passed to "available"; the extensions."""
        now = self._clock()
        due = [
            ext
            for ext, p in self._current.items()
            if p.until is not None and p.until <= now and p.status != AVAILABLE
        ]
        for ext in sorted(due):
            self._current[ext] = replace(self._current[ext], status=AVAILABLE, until=None)
            self._store.aio.soon(
                f"the presence of {ext}",
                self._store.save_presence,
                _record(ext, self._current[ext]),
            )
            _log.info("presence of %s ended, back to available", ext)
            self._bus.publish(PresenceChanged(Extension(ext), AVAILABLE, None))
        self._rearm()
        return due

    def _rearm(self) -> None:
        """Point the single timer at the earliest end time (only with a running loop)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        ends = [p.until for p in self._current.values() if p.until is not None]
        if not ends:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer_at = min(ends)
        delay = max(0.0, (self._timer_at - self._clock()).total_seconds())
        self._timer = loop.call_later(delay, self._fire)

    def _fire(self) -> None:
        self._timer = None
        try:
            self.expire_due()
        except Exception:
            _log.exception("presence expiry failed")
