"""Typed reads of the fields of one server event's ``data`` (:mod:`app.server_events`), and the
API's time stamps: a bad field raises ``ValueError`` naming it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.planned_status import PlannedStatus, parse_planned
from app.presence_status import PresenceStatus, is_status

__all__ = ["EventData", "parse_until"]


def parse_until(value: object) -> dt.datetime | None:
    """The API's ``until`` (ISO-8601 with zone, or null) as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


class EventData:
    """Typed reads of one event's ``data`` object; a bad field raises with its name."""

    def __init__(self, kind: str, data: Mapping[str, object]) -> None:
        self.kind = kind
        self.data = data

    def _bad(self, name: str, what: str) -> ValueError:
        return ValueError(f"{self.kind} event: {name} must be {what}")

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if not isinstance(value, str):
            raise self._bad(name, "a string")
        return value

    def text_or_none(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is not None and not isinstance(value, str):
            raise self._bad(name, "a string or null")
        return value

    def slot(self, name: str) -> str:
        """A park slot or extension: digits, sent as a string or a number."""
        value = self.data.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.isdigit():
            raise self._bad(name, "digits")
        return value

    def number(self, name: str) -> int:
        value = self.data.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._bad(name, "a whole number")
        return value

    def flag(self, name: str) -> bool:
        value = self.data.get(name)
        if not isinstance(value, bool):
            raise self._bad(name, "true or false")
        return value

    def status(self, name: str) -> PresenceStatus:
        value = self.data.get(name)
        if not is_status(value):
            raise self._bad(name, "a presence status")
        return value

    def planned(self, name: str) -> tuple[PlannedStatus, ...]:
        try:
            return parse_planned(self.data.get(name))
        except ValueError:
            raise self._bad(name, "a list of planned statuses") from None

    def until(self, name: str) -> dt.datetime | None:
        try:
            return parse_until(self.data.get(name))
        except ValueError:
            raise self._bad(name, "an ISO-8601 time or null") from None
