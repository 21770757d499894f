"""Plans of future statuses (S4, P4): what a plan is, its occurrences, and overlaps.

Pure: no clock, no store. A plan's times are wall-clock times in its own time zone, so a weekly
plan at 09:00 stays at 09:00 across a daylight-saving change; each occurrence is turned into UTC
only when it is expanded. Repeats are RFC 5545 RRULEs evaluated by ``dateutil.rrule``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal, TypeGuard, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

from pbx_core.presence import PresenceStatus

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_NOTE_CHARS",
    "MAX_OCCURRENCES",
    "REPEATS",
    "Occurrence",
    "Plan",
    "Repeat",
    "expand",
    "is_repeat",
    "overlapping",
    "rule_of",
    "validate",
    "zone",
]

Repeat = Literal["none", "daily", "weekly", "monthly", "yearly", "custom"]
"""How a plan repeats; ``custom`` takes its own RRULE."""

REPEATS: Final[tuple[Repeat, ...]] = get_args(Repeat)
MAX_NOTE_CHARS: Final = 500
MAX_NAME_CHARS: Final = 200
MAX_OCCURRENCES: Final = 2000
"""At most this many occurrences of one plan in one window (a minutely rule cannot flood)."""
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2999
"""A plan starts and ends within these years: its arithmetic (a window around now less the
plan's length, a year of overlaps after it, time zones) then stays inside the calendar."""

_FREQ: Final[dict[Repeat, str]] = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "yearly": "FREQ=YEARLY",
}


def is_repeat(value: str) -> TypeGuard[Repeat]:
    return value in REPEATS


@dataclass(frozen=True, slots=True)
class Plan:
    """A planned status of one user.

    ``start``/``end`` are naive wall-clock times in ``time_zone``; ``end`` is exclusive (an
    all-day plan on 4 December runs from 4 December 00:00 to 5 December 00:00). ``rrule`` is
    only read when ``repeat`` is ``custom``."""

    id: int
    extension: str
    name: str
    status: PresenceStatus
    start: datetime
    end: datetime
    time_zone: str
    all_day: bool = False
    repeat: Repeat = "none"
    rrule: str | None = None
    note: str | None = None

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One run of a plan, in UTC."""

    plan: Plan
    start: datetime
    end: datetime

    def overlaps(self, other: Occurrence) -> bool:
        return self.start < other.end and other.start < self.end


def zone(name: str) -> ZoneInfo:
    """The time zone ``name``; ValueError when it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def rule_of(plan: Plan) -> str | None:
    """The RRULE text of ``plan`` (without ``RRULE:``), None for a single plan."""
    if plan.repeat == "none":
        return None
    if plan.repeat == "custom":
        text = (plan.rrule or "").strip()
        return text.removeprefix("RRULE:").strip()
    return _FREQ[plan.repeat]


def _rule(plan: Plan) -> rrule | None:
    text = rule_of(plan)
    if text is None:
        return None
    if not text:
        raise ValueError("a custom repeat needs an RRULE")
    if "\n" in text or "DTSTART" in text.upper() or not text.upper().startswith("FREQ="):
        raise ValueError(f"bad RRULE {text!r}: one rule starting with FREQ=, without DTSTART")
    try:
        parsed = rrulestr(text, dtstart=plan.start, forceset=False)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ValueError(f"bad RRULE {text!r}: {exc}") from exc
    if not isinstance(parsed, rrule):  # pragma: no cover - forceset=False, one rule
        raise ValueError(f"bad RRULE {text!r}")
    freq = text.upper().split(";", 1)[0].removeprefix("FREQ=")
    if freq in ("MINUTELY", "SECONDLY"):  # a status that changes every minute is no plan
        raise ValueError(f"bad RRULE {text!r}: repeats more often than hourly")
    return parsed


def validate(plan: Plan) -> None:
    """ValueError with a readable reason when ``plan`` cannot be kept."""
    if not plan.name.strip():
        raise ValueError("a plan needs a name")
    if len(plan.name) > MAX_NAME_CHARS:
        raise ValueError(f"name longer than {MAX_NAME_CHARS} characters")
    if plan.note is not None and len(plan.note) > MAX_NOTE_CHARS:
        raise ValueError(f"note longer than {MAX_NOTE_CHARS} characters")
    if plan.start.tzinfo is not None or plan.end.tzinfo is not None:
        raise ValueError("start and end are wall-clock times in the plan's time zone")
    zone(plan.time_zone)
    if plan.end <= plan.start:
        raise ValueError("end must be after start")
    if plan.start.year < FIRST_YEAR or plan.end.year > LAST_YEAR:
        raise ValueError(f"a plan starts and ends between the years {FIRST_YEAR} and {LAST_YEAR}")
    if plan.all_day and (
        plan.start.time() != datetime.min.time() or plan.end.time() != datetime.min.time()
    ):
        raise ValueError("an all-day plan starts and ends at midnight")
    if not is_repeat(plan.repeat):
        raise ValueError(f"unknown repeat {plan.repeat!r}; use one of {', '.join(REPEATS)}")
    _rule(plan)


def _utc(local: datetime, tz: ZoneInfo) -> datetime:
    return local.replace(tzinfo=tz).astimezone(UTC)


def expand(plan: Plan, window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """The occurrences of ``plan`` that overlap [window_start, window_end) (aware datetimes),
    in order, at most :data:`MAX_OCCURRENCES`."""
    tz = zone(plan.time_zone)
    duration = plan.duration
    rule = _rule(plan)
    if rule is None:
        starts: Iterable[datetime] = [plan.start]
    else:
        # search in wall-clock time; a day of slack either side covers any UTC offset change
        lo = window_start.astimezone(tz).replace(tzinfo=None) - duration - timedelta(days=1)
        hi = window_end.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
        starts = rule.xafter(max(lo, plan.start), count=MAX_OCCURRENCES * 2, inc=True)
        starts = _until(starts, hi)
    found: list[Occurrence] = []
    for local in starts:
        occurrence = Occurrence(plan, _utc(local, tz), _utc(local + duration, tz))
        if occurrence.end > window_start and occurrence.start < window_end:
            found.append(occurrence)
            if len(found) >= MAX_OCCURRENCES:
                break
    return found


def _until(starts: Iterable[datetime], hi: datetime) -> Iterable[datetime]:
    for s in starts:
        if s >= hi:
            return
        yield s


def overlapping(
    plan: Plan, others: Sequence[Plan], window_start: datetime, window_end: datetime
) -> list[int]:
    """Ids of the other plans of the same user that run at the same time as ``plan`` within
    the window, sorted."""
    mine = expand(plan, window_start, window_end)
    if not mine:
        return []
    ids: list[int] = []
    for other in others:
        if other.id == plan.id or other.extension != plan.extension:
            continue
        theirs = expand(other, window_start, window_end)
        if _any_overlap(mine, theirs):
            ids.append(other.id)
    return sorted(ids)


def _any_overlap(a: Sequence[Occurrence], b: Sequence[Occurrence]) -> bool:
    """Both lists sorted by start: a sweep, linear in their lengths."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i].overlaps(b[j]):
            return True
        if a[i].end <= b[j].end:
            i += 1
        else:
            j += 1
    return False
