"""A colleague's presence in words: "In a meeting until 15:00", "In a call", "Not signed in".

Pure functions over the directory's typed entry; the clock and the time zone are arguments, so
tests pin them. Words are translated with the app's ``tr`` (context ``app``): English and Dutch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate, QLocale, QTime

from app.stores._base import tr
from app.stores.directory import DirectoryEntry

__all__ = [
    "PresenceLine",
    "line_text",
    "presence_line",
    "status_phrase",
    "status_with_end",
    "until_text",
]


def status_phrase(status: str) -> str:
    """The status as a phrase a colleague reads ("In a meeting")."""
    texts = {
        "available": tr("Available"),
        "meeting": tr("In a meeting"),
        "not_present": tr("Not present"),
        "vacation": tr("On vacation"),
        "lunch": tr("At lunch"),
        "business_trip": tr("On a business trip"),
        "dnd": tr("Do not disturb"),
    }
    return texts.get(status, status)


def line_text(line: str | None) -> str:
    """The line in words ("In a call", "Ringing", "On hold"); empty when idle or unknown."""
    texts = {
        "in_call": tr("In a call"),
        "busy": tr("In a call"),
        "ringing": tr("Ringing"),
        "on_hold": tr("On hold"),
    }
    return texts.get(line or "", "")


def until_text(until: dt.datetime, now: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """When a status ends, as short as is clear: "15:00" today, "tomorrow 09:00", else with
    the day ("Fri 4 Dec 17:00"; Dutch "vr 4 dec 17:00"). The time is the locale's short time,
    as everywhere else in the app (English "3:00 PM", Dutch "15:00")."""
    end = until.astimezone(tz)
    today = now.astimezone(tz).date()
    time = QLocale().toString(QTime(end.hour, end.minute), QLocale.FormatType.ShortFormat)
    if end.date() == today:
        return time
    if end.date() == today + dt.timedelta(days=1):
        return tr("tomorrow {time}").format(time=time)
    day = QDate(end.year, end.month, end.day)
    pattern = "ddd d MMM" if end.year == today.year else "ddd d MMM yyyy"
    date = QLocale().toString(day, pattern).replace(".", "")
    return tr("{date} {time}").format(date=date, time=time)


def status_with_end(
    status: str, until: dt.datetime | None, now: dt.datetime, tz: dt.tzinfo | None = None
) -> str:
    """The status with its end ("In a meeting until 15:00"); without an end (or ended
    already) only the phrase."""
    phrase = status_phrase(status)
    if until is None or until <= now or status == "available":
        return phrase
    return tr("{status} until {end}").format(status=phrase, end=until_text(until, now, tz))


@dataclass(frozen=True, slots=True)
class PresenceLine:
    """What a search result or a card shows under the name: the state in words, the shared
    note, and whether the colleague can be reached at all (False: "Not signed in")."""

    text: str
    note: str | None
    signed_in: bool
    private: bool


def presence_line(
    entry: DirectoryEntry, now: dt.datetime, tz: dt.tzinfo | None = None
) -> PresenceLine | None:
    """The presence line of a colleague (None for contacts and services)."""
    if entry.kind != "user":
        return None
    private = entry.role == "private"
    parts = []
    line = tr("Not signed in") if entry.signed_out else line_text(entry.line_state)
    if line:
        parts.append(line)
    status = entry.presence or "available"
    if status != "available" or not parts:
        parts.append(status_with_end(status, entry.until, now, tz))
    if entry.forwarding:
        parts.append(tr("Calls forwarded to {number}").format(number=entry.forwarding))
    return PresenceLine(" · ".join(parts), entry.note, not entry.signed_out, private)
