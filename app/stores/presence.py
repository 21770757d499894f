"""The user's presence status with its end time, and the suggested end per status.

The suggestion follows the client manual ("Status bekijken en wijzigen"): the end used most
among the last five uses of that status, one hour when there is none.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from app.bus import ChangeHub, PresenceChange
from app.presence_status import STATUSES, PresenceStatus
from app.stores._base import Store

__all__ = [
    "DEFAULT_END",
    "STATUSES",
    "PresenceChange",
    "PresenceStore",
    "minutes_of",
    "suggest_end",
]


DEFAULT_END = dt.timedelta(hours=1)
_LAST_USES = 5
_GRAIN_MIN = 15


def minutes_of(length: dt.timedelta) -> int:
    """A status length in whole minutes, rounded to 15 so custom choices can recur."""
    minutes = round(length.total_seconds() / 60 / _GRAIN_MIN) * _GRAIN_MIN
    return max(_GRAIN_MIN, minutes)


def suggest_end(uses: Sequence[tuple[str, int]], status: str) -> dt.timedelta:
    """Most used length among the last 5 uses of ``status``; ties go to the most recent."""
    recent = [minutes for used, minutes in uses if used == status][-_LAST_USES:]
    if not recent:
        return DEFAULT_END
    counts = Counter(recent)
    best = max(counts, key=lambda m: (counts[m], max(i for i, x in enumerate(recent) if x == m)))
    return dt.timedelta(minutes=best)


class PresenceStore(Store):
    """Change names on the hub: ``"status"`` (status and until) and ``"uses"``.

    ``known`` is False until a status arrived (from the server or the start-up cache): until
    then ``status`` is only the default and the UI shows a quiet loading state, not "Available".
    """

    name = "presence"

    def _changed(self, what: PresenceChange, initiator: object | None = None) -> None:
        self._publish((what,), initiator)

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.status: PresenceStatus = "available"
        self.until: dt.datetime | None = None
        self.known = False
        self.uses: list[tuple[str, int]] = []

    def set_presence(self, status: PresenceStatus, until: dt.datetime | None) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown presence status: {status!r}")
        if not self.known or (status, until) != (self.status, self.until):
            self.status, self.until, self.known = status, until, True
            self._changed("status")

    def set_uses(self, uses: list[tuple[str, int]]) -> None:
        self.uses = list(uses)
        self._changed("uses")

    def suggested_end(self, status: str) -> dt.timedelta:
        return suggest_end(self.uses, status)
