"""The queues' API answers (S6, docs/queues.md), parsed once at the edge into frozen records.

Each ``from_api`` reads one JSON object of ``GET /api/v1/queues``, ``GET /api/v1/queues/{number}``
or ``GET /api/v1/queues/{number}/calls``; a bad field raises ``ValueError`` naming it (the
controller logs it and leaves the row out, nothing else is lost).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeGuard

from app.server_events import parse_until

__all__ = [
    "AGENT_STATUSES",
    "CALL_KINDS",
    "HANDLINGS",
    "AgentStatus",
    "CallCounts",
    "CallKind",
    "Handling",
    "QueueAgent",
    "QueueCall",
    "QueueDetail",
    "QueueRole",
    "QueueStats",
    "QueueSummary",
    "WaitingCaller",
]

AgentStatus = Literal["logged_out", "logged_in", "paused"]
QueueRole = Literal["agent", "supervisor"]
CallKind = Literal["missed", "answered", "forwarded"]
Handling = Literal["unhandled", "in_progress", "handled"]
AGENT_STATUSES: tuple[AgentStatus, ...] = ("logged_in", "paused", "logged_out")
CALL_KINDS: tuple[CallKind, ...] = ("missed", "answered", "forwarded")
HANDLINGS: tuple[Handling, ...] = ("unhandled", "in_progress", "handled")


def is_status(value: object) -> TypeGuard[AgentStatus]:
    return value in AGENT_STATUSES


def is_handling(value: object) -> TypeGuard[Handling]:
    return value in HANDLINGS


def is_kind(value: object) -> TypeGuard[CallKind]:
    return value in CALL_KINDS


class _Row:
    """Typed reads of one answer object; a bad field raises with its name."""

    def __init__(self, what: str, row: object) -> None:
        if not isinstance(row, Mapping):
            raise ValueError(f"{what}: not an object")
        self.what, self.row = what, row

    def _bad(self, name: str, kind: str) -> ValueError:
        return ValueError(f"{self.what}: {name} must be {kind}")

    def text(self, name: str) -> str:
        value = self.row.get(name)
        if not isinstance(value, str):
            raise self._bad(name, "a string")
        return value

    def text_or_none(self, name: str) -> str | None:
        value = self.row.get(name)
        if value is not None and not isinstance(value, str):
            raise self._bad(name, "a string or null")
        return value or None

    def whole(self, name: str) -> int:
        value = self.row.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._bad(name, "a whole number")
        return value

    def seconds(self, name: str) -> float | None:
        value = self.row.get(name)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self._bad(name, "a number of seconds or null")
        return float(value)

    def flag(self, name: str) -> bool:
        value = self.row.get(name)
        if not isinstance(value, bool):
            raise self._bad(name, "true or false")
        return value

    def role(self) -> QueueRole:
        value = self.row.get("role")
        if value not in ("agent", "supervisor"):
            raise self._bad("role", '"agent" or "supervisor"')
        return "supervisor" if value == "supervisor" else "agent"

    def status(self, name: str) -> AgentStatus:
        value = self.row.get(name)
        if not is_status(value):
            raise self._bad(name, "logged_out, logged_in or paused")
        return value

    def status_or_none(self, name: str) -> AgentStatus | None:
        return None if self.row.get(name) is None else self.status(name)

    def time(self, name: str) -> dt.datetime | None:
        try:
            return parse_until(self.row.get(name))
        except ValueError:
            raise self._bad(name, "an ISO-8601 time or null") from None

    def list(self, name: str) -> list[object]:
        value = self.row.get(name)
        if not isinstance(value, list):
            raise self._bad(name, "a list")
        return value


@dataclass(frozen=True, slots=True)
class QueueSummary:
    """One of the user's queues in the list: role, own status, counts."""

    number: str
    name: str
    role: QueueRole
    my_status: AgentStatus | None
    """None: the user is not a member (a supervisor only)."""
    waiting: int
    agents_available: int
    agents_logged_in: int

    @property
    def supervised(self) -> bool:
        return self.role == "supervisor"

    @classmethod
    def from_api(cls, row: object) -> QueueSummary:
        r = _Row("queue", row)
        return cls(
            r.text("number"),
            r.text("name"),
            r.role(),
            r.status_or_none("my_status"),
            r.whole("waiting"),
            r.whole("agents_available"),
            r.whole("agents_logged_in"),
        )


@dataclass(frozen=True, slots=True)
class WaitingCaller:
    """A caller waiting now; ``waited_s`` as the server counted at ``read_at`` (the app's
    monotonic clock), so the wait goes on ticking between reads (:meth:`waited_at`)."""

    call_id: str
    caller: str
    caller_name: str | None
    waited_s: float
    read_at: float

    def waited_at(self, now: float) -> float:
        return self.waited_s + max(0.0, now - self.read_at)


@dataclass(frozen=True, slots=True)
class QueueAgent:
    extension: str
    name: str
    status: AgentStatus
    available: bool
    skill: int
    priority: int


@dataclass(frozen=True, slots=True)
class CallCounts:
    total: int
    answered: int
    abandoned: int

    @classmethod
    def from_api(cls, what: str, row: object) -> CallCounts:
        r = _Row(what, row)
        return cls(r.whole("total"), r.whole("answered"), r.whole("abandoned"))


@dataclass(frozen=True, slots=True)
class QueueStats:
    """The tiles of a queue (docs/queues.md "Statistics tiles"); waits in seconds."""

    agents_available: int
    agents_logged_in: int
    waiting: int
    longest_wait_s: float | None
    average_wait_s: float | None
    last_wait_s: float | None
    today: CallCounts
    last_24h: CallCounts

    @classmethod
    def from_api(cls, row: object) -> QueueStats:
        r = _Row("stats", row)
        return cls(
            r.whole("agents_available"),
            r.whole("agents_logged_in"),
            r.whole("waiting"),
            r.seconds("longest_wait_s"),
            r.seconds("average_wait_s"),
            r.seconds("last_wait_s"),
            CallCounts.from_api("stats.today", r.row.get("today")),
            CallCounts.from_api("stats.last_24h", r.row.get("last_24h")),
        )


@dataclass(frozen=True, slots=True)
class QueueDetail:
    """One queue as ``GET /api/v1/queues/{number}`` shows it, read at ``read_at``."""

    number: str
    name: str
    metadata: str
    role: QueueRole
    my_status: AgentStatus | None
    waiting: tuple[WaitingCaller, ...]
    agents: tuple[QueueAgent, ...]
    stats: QueueStats
    read_at: float

    @property
    def supervised(self) -> bool:
        return self.role == "supervisor"

    def agent(self, extension: str) -> QueueAgent | None:
        return next((a for a in self.agents if a.extension == extension), None)

    @classmethod
    def from_api(cls, row: object, read_at: float) -> QueueDetail:
        r = _Row("queue", row)
        waiting = []
        for item in r.list("waiting"):
            w = _Row("waiting caller", item)
            waiting.append(
                WaitingCaller(
                    w.text("call_id"),
                    w.text("caller"),
                    w.text_or_none("caller_name"),
                    w.seconds("waited_s") or 0.0,
                    read_at,
                )
            )
        agents = []
        for item in r.list("agents"):
            a = _Row("agent", item)
            agents.append(
                QueueAgent(
                    a.text("extension"),
                    a.text("name"),
                    a.status("status"),
                    a.flag("available"),
                    a.whole("skill"),
                    a.whole("priority"),
                )
            )
        return cls(
            r.text("number"),
            r.text("name"),
            r.text_or_none("metadata") or "",
            r.role(),
            r.status_or_none("my_status"),
            tuple(waiting),
            tuple(agents),
            QueueStats.from_api(r.row.get("stats")),
            read_at,
        )


@dataclass(frozen=True, slots=True)
class QueueCall:
    """One row of a queue's call log, with its handling."""

    id: int
    call_id: str
    caller: str
    caller_name: str | None
    arrived_at: dt.datetime
    agent: str | None
    outcome: str
    """``answered``, ``abandoned`` or ``overflow``."""
    forwarded_to: str | None
    waited_s: float
    kind: CallKind | None
    handling: Handling
    assigned_to: str | None
    note: str

    @classmethod
    def from_api(cls, row: object) -> QueueCall:
        r = _Row("queue call", row)
        arrived = r.time("arrived_at")
        if arrived is None:
            raise ValueError("queue call: arrived_at must be an ISO-8601 time")
        kind = r.row.get("kind")
        handling = r.row.get("handling")
        if not is_handling(handling):
            raise ValueError("queue call: handling must be unhandled, in_progress or handled")
        return cls(
            r.whole("id"),
            r.text("call_id"),
            r.text("caller"),
            r.text_or_none("caller_name"),
            arrived,
            r.text_or_none("agent"),
            r.text("outcome"),
            r.text_or_none("forwarded_to"),
            r.seconds("waited_s") or 0.0,
            kind if is_kind(kind) else None,
            handling,
            r.text_or_none("assigned_to"),
            r.text_or_none("note") or "",
        )
