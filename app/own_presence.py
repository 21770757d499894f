"""The user's own shared note, role and line as colleagues see them (C1, C3).

:class:`OwnPresence` holds what the PBX computed for the signed-in user (docs/presence.md):
the note, the role, the line and the activity, which is ``in_call`` by itself during a call
and goes back after it. :class:`OwnPresenceController` loads it when the session comes
online, follows ``presence.updated`` for the user's own extension, and edits the note through
``PUT /api/v1/me/presence`` (the status and its end are sent along unchanged: the API needs
them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal

from app.connection import Connection
from app.server_events import PresenceUpdated
from app.stores.presence import PresenceStore
from app.tasks import TaskRunner

__all__ = ["MAX_NOTE_CHARS", "OwnPresence", "OwnPresenceController"]

MAX_NOTE_CHARS = 200
"""The PBX keeps at most this many characters of a note."""


class OwnPresence(QObject):
    """The signed-in user's note, role, line and activity; ``changed`` after each change."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.note: str | None = None
        self.role = "work"
        self.line = "idle"
        self.activity = "available"

    @property
    def in_call(self) -> bool:
        """The automatic "In a call": the line is in a call or on hold."""
        return self.line in ("in_call", "on_hold")

    def update(self, *, note: str | None, role: str, line: str, activity: str) -> None:
        new = (note or None, role, line, activity)
        if new != (self.note, self.role, self.line, self.activity):
            self.note, self.role, self.line, self.activity = new
            self.changed.emit()


class OwnPresenceController:
    """Loads, follows and edits :class:`OwnPresence`."""

    def __init__(
        self,
        store: OwnPresence,
        status: PresenceStore,
        connection: Connection,
        runner: TaskRunner,
    ) -> None:
        self._store = store
        self._status = status
        self._conn = connection
        self._runner = runner

    def load(self) -> None:
        self._runner.spawn(self._load(), "reading your presence")

    async def _load(self) -> None:
        self.apply(await self._conn.require_api().presence())

    def apply(self, body: Mapping[str, object]) -> None:
        """Take the API's presence object (``note``, ``role``, ``line``, ``activity``)."""
        note, role = body.get("note"), body.get("role")
        line, activity = body.get("line"), body.get("activity")
        self._store.update(
            note=note if isinstance(note, str) else None,
            role=role if isinstance(role, str) else "work",
            line=line if isinstance(line, str) else "idle",
            activity=activity if isinstance(activity, str) else "available",
        )

    def on_presence_updated(self, event: PresenceUpdated) -> None:
        """Our own view changed: the note set elsewhere, a call began or ended."""
        if self._conn.extension is None or event.extension != self._conn.extension:
            return
        self._store.update(
            note=event.note, role=event.role, line=event.line, activity=event.activity
        )

    def set_note(self, note: str) -> None:
        """Share ``note`` with colleagues ("" clears it); the status is kept as it is."""
        text = " ".join(note.split())[:MAX_NOTE_CHARS]
        self._runner.spawn(self._put({"note": text}), "changing your note")

    def set_role(self, role: str) -> None:
        """Work or private (seed 004 roles); colleagues see the private one."""
        if role not in ("work", "private"):
            raise ValueError(f"role must be work or private: {role!r}")
        self._runner.spawn(self._put({"role": role}), "changing your role")

    async def _put(self, change: dict[str, object]) -> None:
        until = self._status.until
        if until is not None and until <= dt.datetime.now(dt.UTC):
            until = None
        body: dict[str, object] = {
            "status": self._status.status,
            "until": until.isoformat() if until is not None else None,
            **change,
        }
        answer = await self._conn.require_api().request("PUT", "/api/v1/me/presence", json=body)
        if isinstance(answer, Mapping):
            self.apply(answer)
