"""Directory search results, the local copy of the whole directory, and names for numbers.

``index`` is the desktop's copy of every directory entry (:mod:`app.directory_index`), kept by the
DirectoryController from the server's changes feed; search results and caller names come from it.

Whether a colleague has a phone signed in comes from the PBX's registrar: a row's
``registered`` (true while at least one phone is registered), or ``line_state == "offline"``;
a row that says neither is "not known" (None) and shows its presence as before.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from dataclasses import dataclass
from typing import Any, Literal, get_args

from app.bus import ChangeHub, DirectoryChange
from app.directory_index import LocalDirectory
from app.planned_status import PlannedStatus, parse_planned
from app.server_events import parse_until
from app.stores._base import Store

__all__ = ["ENTRY_KINDS", "DirectoryChange", "DirectoryEntry", "DirectoryStore", "EntryKind"]

_log = logging.getLogger(__name__)


EntryKind = Literal["user", "contact", "service", "queue"]
ENTRY_KINDS: tuple[EntryKind, ...] = get_args(EntryKind)


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    kind: EntryKind
    name: str
    extension: str | None
    numbers: tuple[str, ...]
    department: str | None
    company: str | None
    presence: str | None
    line_state: str | None
    registered: bool | None = None
    """False when no phone of this user is registered; None when the server does not say."""
    email: str | None = None
    id: int | None = None
    """The server's id of a user or contact (a contact's key in the directory)."""
    until: dt.datetime | None = None
    """When a user's status ends ("In a meeting until 15:00"); None: until changed."""
    note: str | None = None
    """The shared note a user shows colleagues (C1)."""
    role: str | None = None
    """The role the user's presence is held in: "work" or "private"."""
    forwarding: str | None = None
    """Where a user's calls are forwarded now (C4); None: not forwarded."""
    planned: tuple[PlannedStatus, ...] = ()
    """A user's upcoming planned statuses (the next 24 hours), earliest first."""
    metadata: str | None = None
    """A queue's text for its agents ("via <metadata>"); None: none set, or not a queue."""

    @property
    def signed_out(self) -> bool:
        """A user with no registered phone: calling them cannot ring anywhere."""
        return self.kind == "user" and (self.registered is False or self.line_state == "offline")

    @classmethod
    def from_api(cls, row: dict[str, Any]) -> DirectoryEntry:
        kind = row.get("kind")
        if kind not in ENTRY_KINDS:
            raise ValueError(f"unknown directory entry kind: {kind!r}")
        presence = row.get("presence")
        metadata = row.get("metadata")
        registered = row.get("registered")
        line_state = row.get("line_state")
        return cls(
            kind=kind,
            name=str(row["name"]),
            extension=row.get("extension"),
            numbers=tuple(str(n["number"]) for n in row.get("numbers") or ()),
            department=_shared(row.get("department")),
            company=_shared(row.get("company")),
            presence=_shared(str(presence["status"])) if isinstance(presence, dict) else None,
            line_state=_shared(line_state),
            registered=(
                registered
                if isinstance(registered, bool)
                else (False if line_state == "offline" else None)
            ),
            email=row.get("email"),
            id=row.get("id") if isinstance(row.get("id"), int) else None,
            metadata=metadata if isinstance(metadata, str) and metadata else None,
            **_presence_details(presence),
        )


def _presence_details(presence: object) -> dict[str, Any]:
    """The status end, the shared note and the role of a row's ``presence`` object."""
    if not isinstance(presence, dict):
        return {}
    note, role = presence.get("note"), presence.get("role")
    forwarding = presence.get("forwarding")
    try:
        until = parse_until(presence.get("until"))
    except ValueError:
        until = None
    try:
        planned = parse_planned(presence.get("planned"))
    except ValueError as exc:
        _log.warning("directory row: %s; no upcoming status shown", exc)
        planned = ()  # the rest of the row stays
    return {
        "until": until,
        "note": note if isinstance(note, str) and note else None,
        "role": _shared(role) if isinstance(role, str) else None,
        "forwarding": forwarding if isinstance(forwarding, str) and forwarding else None,
        "planned": planned,
    }


def _shared(value: object) -> Any:
    """One string object for values that many entries repeat (companies, departments, states):
    a directory of 100,000 entries keeps a few hundred of them, not 100,000 copies."""
    return sys.intern(value) if isinstance(value, str) else value


class DirectoryStore(Store):
    """Change names on the hub: ``"results"``; ``"everyone"`` when the local copy changed."""

    name = "directory"

    def _changed(self, what: DirectoryChange, initiator: object | None = None) -> None:
        self._publish((what,), initiator)

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.query = ""
        self.results: list[DirectoryEntry] = []
        self.index = LocalDirectory()

    @property
    def everyone(self) -> list[DirectoryEntry]:
        """Every entry of the local copy (a new list; the index is the one to ask)."""
        return self.index.all()

    def set_results(self, query: str, results: list[DirectoryEntry]) -> None:
        self.query, self.results = query, results
        self._changed("results")

    def set_everyone(self, entries: list[DirectoryEntry]) -> None:
        """Replace the local copy (its version is kept: the next sync brings only changes)."""
        self.index.replace(entries)
        self._changed("everyone")

    def copy_changed(self) -> None:
        """The index took changes from the server: names for numbers may have changed."""
        self._changed("everyone")

    def name_for(self, number: str) -> str | None:
        """The directory's name for an extension or a number (as dialled or E.164)."""
        return self.index.name_for(number)
