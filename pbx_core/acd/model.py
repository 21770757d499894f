"""A queue's settings, members and agents, pure (seed 004 "ACD-grupper", seed 001 queues).

A queue has a number callers dial (``1500``), a name agents see ("via Support"), members (the
users who may log in as its agents, each with a priority or a skill) and supervisors. Agents log
in and out per queue (``*11*<code>*`` / ``**11*<code>*``, the app, the API) and may pause.
Calls are offered by priority order or by skill (5 first), the longest idle first among equals,
to ``parallel`` agents at once, each ringing ``ring_seconds``. After a queue call an agent gets
``wrap_up_seconds`` before the next one; ``missed_before_logout`` unanswered offers in a row log
the agent out. A full queue, a caller who waited too long, no agents, or too many attempts send
the caller to an overflow number (or busy / hang up when none is set).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import Literal, TypeAlias, get_args

__all__ = [
    "AGENT_STATUSES",
    "OVERFLOW_REASONS",
    "STRATEGIES",
    "AgentLive",
    "AgentState",
    "AgentStatus",
    "OpenHours",
    "OverflowReason",
    "QueueConfig",
    "QueueLive",
    "QueueMember",
    "Strategy",
    "WaitMusic",
    "WaitingCaller",
    "config_from_dict",
    "config_to_dict",
]

Strategy: TypeAlias = Literal["priority", "skill"]
STRATEGIES: tuple[Strategy, ...] = get_args(Strategy)
AgentStatus: TypeAlias = Literal["logged_out", "logged_in", "paused"]
AGENT_STATUSES: tuple[AgentStatus, ...] = get_args(AgentStatus)
OverflowReason: TypeAlias = Literal["full", "timeout", "no_agents", "attempts", "closed"]
OVERFLOW_REASONS: tuple[OverflowReason, ...] = get_args(OverflowReason)
WaitMusic: TypeAlias = Literal["music", "ringing"]

_NUMBER = re.compile(r"[0-9]{2,15}")
_CODE = re.compile(r"[0-9]{1,8}")
_EXTENSION = re.compile(r"[0-9]{2,15}")
MAX_NAME = 80
MAX_METADATA = 120


@dataclass(frozen=True, slots=True)
class QueueMember:
    """A user who may log in to the queue as an agent. ``priority``: the order of the priority
    strategy (lower first); ``skill``: 1 to 5 for the skill strategy (higher first)."""

    extension: str
    priority: int = 0
    skill: int = 3


@dataclass(frozen=True, slots=True)
class OpenHours:
    """The queue is open on ``days`` (0 Monday to 6 Sunday) from ``start`` until ``end``
    ("08:30", "17:00", the organisation's time zone)."""

    days: tuple[int, ...]
    start: str
    end: str

    def covers(self, local: datetime) -> bool:
        if local.weekday() not in self.days:
            return False
        return time.fromisoformat(self.start) <= local.time() < time.fromisoformat(self.end)


@dataclass(frozen=True, slots=True)
class QueueConfig:
    """Everything an administrator sets on a queue. Times in seconds; None: no limit."""

    number: str
    name: str
    code: str = ""  # the feature code's queue id (``*11*<code>*``); empty: the number
    metadata: str = ""  # shown to agents instead of the name ("via <metadata>")
    hidden_from_search: bool = False
    members: tuple[QueueMember, ...] = ()
    supervisors: tuple[str, ...] = ()
    # distribution
    strategy: Strategy = "priority"
    longest_idle: bool = True  # among equals; else the order (priority) or at random (skill)
    parallel: int = 1
    ring_seconds: float = 20.0
    wrap_up_seconds: float = 10.0
    missed_before_logout: int | None = 3
    presence_affects: bool = True  # an agent whose presence is not available gets no calls
    # overflow
    max_waiting: int = 10  # callers waiting at once; one more is "full"
    max_longest_wait_seconds: float | None = None  # "full" while the longest wait is longer
    full_forward: str | None = None  # None: busy (486)
    max_wait_seconds: float | None = 300.0  # a waiting caller goes to ``timeout_forward``
    timeout_forward: str | None = None  # None: the caller hears goodbye and the call ends
    no_agents_forward: str | None = None  # None: callers wait for an agent to log in
    max_attempts: int | None = None  # offers to agents before ``attempts_forward``
    attempts_forward: str | None = None
    # what the caller hears
    welcome: bool = True  # "Thank you for calling …" before the first offer
    wait_music: WaitMusic = "music"
    announce_every_seconds: float = 30.0  # 0: never
    announce_position: bool = True
    announce_wait: bool = False
    # opening hours: empty is always open; closed, callers go to ``closed_forward`` or hear
    # "we are closed" and goodbye
    hours: tuple[OpenHours, ...] = ()
    closed_on_holidays: bool = False
    closed_forward: str | None = None

    def is_open(self, local: datetime, holiday: bool = False) -> bool:
        """Open at ``local`` (the organisation's time), ``holiday``: a public holiday."""
        if holiday and self.closed_on_holidays:
            return False
        return not self.hours or any(h.covers(local) for h in self.hours)

    @property
    def feature_code(self) -> str:
        return self.code or self.number

    @property
    def shown_name(self) -> str:
        """What agents see on a call from the queue ("via <shown_name>")."""
        return self.metadata or self.name

    def member(self, extension: str) -> QueueMember | None:
        return next((m for m in self.members if m.extension == extension), None)

    def forward_for(self, reason: OverflowReason) -> str | None:
        if reason == "full":
            return self.full_forward
        if reason == "timeout":
            return self.timeout_forward
        if reason == "no_agents":
            return self.no_agents_forward
        if reason == "closed":
            return self.closed_forward
        return self.attempts_forward

    def with_members(self, members: tuple[QueueMember, ...]) -> QueueConfig:
        return replace(self, members=members)


_FIELDS = {
    "number", "name", "code", "metadata", "hidden_from_search", "members", "supervisors",
    "strategy", "longest_idle", "parallel", "ring_seconds", "wrap_up_seconds",
    "missed_before_logout", "presence_affects", "max_waiting", "max_longest_wait_seconds",
    "full_forward", "max_wait_seconds", "timeout_forward", "no_agents_forward", "max_attempts",
    "attempts_forward", "welcome", "wait_music", "announce_every_seconds", "announce_position",
    "announce_wait", "hours", "closed_on_holidays", "closed_forward",
}  # fmt: skip


def config_to_dict(config: QueueConfig) -> dict[str, object]:
    """The JSON form (API bodies, the store's row): field names as in :class:`QueueConfig`."""
    body: dict[str, object] = {name: getattr(config, name) for name in sorted(_FIELDS)}
    body["members"] = [
        {"extension": m.extension, "priority": m.priority, "skill": m.skill} for m in config.members
    ]
    body["supervisors"] = list(config.supervisors)
    body["hours"] = [{"days": list(h.days), "start": h.start, "end": h.end} for h in config.hours]
    return body


def _bool(body: dict[str, object], name: str, default: bool) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value


def _int(
    body: dict[str, object], name: str, default: int | None, low: int, high: int
) -> int | None:
    value = body.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return value


def _seconds(
    body: dict[str, object], name: str, default: float | None, low: float, high: float
) -> float | None:
    value = body.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"{name} must be a number of seconds from {low:g} to {high:g}")
    return float(value)


def _number(body: dict[str, object], name: str) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\+?[0-9]{2,20}", value):
        raise ValueError(f"{name} must be a phone number or extension")
    return value


def _text(body: dict[str, object], name: str, limit: int, default: str = "") -> str:
    value = body.get(name, default)
    if not isinstance(value, str) or len(value) > limit or any(ord(c) < 32 for c in value):
        raise ValueError(f"{name} must be a text of at most {limit} characters")
    return value.strip()


def _members(value: object) -> tuple[QueueMember, ...]:
    if not isinstance(value, list):
        raise ValueError("members must be a list")
    members: list[QueueMember] = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError("each member is an object with an extension")
        extension = item.get("extension")
        if not isinstance(extension, str) or not _EXTENSION.fullmatch(extension):
            raise ValueError("each member needs the extension of a user")
        if any(m.extension == extension for m in members):
            raise ValueError(f"member {extension} is listed twice")
        priority = _int(item, "priority", len(members), 0, 999)
        skill = _int(item, "skill", 3, 1, 5)
        assert priority is not None and skill is not None
        members.append(QueueMember(extension, priority, skill))
    return tuple(members)


def _clock_time(value: object, name: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value):
        raise ValueError(f"hours: {name} is a time such as 08:30")
    return value


def _hours(value: object) -> tuple[OpenHours, ...]:
    if not isinstance(value, list) or len(value) > 28:
        raise ValueError("hours must be a list of at most 28 periods")
    hours: list[OpenHours] = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError("each period of hours has days, start and end")
        days = item.get("days")
        if (
            not isinstance(days, list)
            or not days
            or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days)
        ):
            raise ValueError("hours: days is a list of weekdays, 0 (Monday) to 6 (Sunday)")
        start, end = _clock_time(item.get("start"), "start"), _clock_time(item.get("end"), "end")
        if end <= start:
            raise ValueError(f"hours: {start} to {end} ends before it starts")
        hours.append(OpenHours(tuple(sorted(set(days))), start, end))
    return tuple(hours)


def config_from_dict(body: dict[str, object]) -> QueueConfig:
    """A queue from its JSON form; ValueError names the first field that is wrong."""
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]}")
    number = body.get("number")
    if not isinstance(number, str) or not _NUMBER.fullmatch(number):
        raise ValueError("number must be 2 to 15 digits")
    name = _text(body, "name", MAX_NAME)
    if not name:
        raise ValueError("name must not be empty")
    code = _text(body, "code", 8)
    if code and not _CODE.fullmatch(code):
        raise ValueError("code must be 1 to 8 digits")
    supervisors = body.get("supervisors", [])
    if not isinstance(supervisors, list) or not all(
        isinstance(s, str) and _EXTENSION.fullmatch(s) for s in supervisors
    ):
        raise ValueError("supervisors must be a list of extensions")
    strategy = body.get("strategy", "priority")
    if strategy not in STRATEGIES:
        raise ValueError("strategy must be priority or skill")
    music = body.get("wait_music", "music")
    if music not in ("music", "ringing"):
        raise ValueError("wait_music must be music or ringing")
    parallel = _int(body, "parallel", 1, 1, 50)
    max_waiting = _int(body, "max_waiting", 10, 1, 500)
    ring = _seconds(body, "ring_seconds", 20.0, 5, 300)
    wrap_up = _seconds(body, "wrap_up_seconds", 10.0, 0, 3600)
    every = _seconds(body, "announce_every_seconds", 30.0, 0, 3600)
    assert parallel is not None and max_waiting is not None
    assert ring is not None and wrap_up is not None and every is not None
    if 0 < every < 10:
        raise ValueError("announce_every_seconds must be 0 (never) or at least 10")
    return QueueConfig(
        number=number,
        name=name,
        code=code,
        metadata=_text(body, "metadata", MAX_METADATA),
        hidden_from_search=_bool(body, "hidden_from_search", False),
        members=_members(body.get("members", [])),
        supervisors=tuple(dict.fromkeys(supervisors)),
        strategy=strategy,  # checked above
        longest_idle=_bool(body, "longest_idle", True),
        parallel=parallel,
        ring_seconds=ring,
        wrap_up_seconds=wrap_up,
        missed_before_logout=_int(body, "missed_before_logout", 3, 1, 100),
        presence_affects=_bool(body, "presence_affects", True),
        max_waiting=max_waiting,
        max_longest_wait_seconds=_seconds(body, "max_longest_wait_seconds", None, 1, 86400),
        full_forward=_number(body, "full_forward"),
        max_wait_seconds=_seconds(body, "max_wait_seconds", 300.0, 10, 86400),
        timeout_forward=_number(body, "timeout_forward"),
        no_agents_forward=_number(body, "no_agents_forward"),
        max_attempts=_int(body, "max_attempts", None, 1, 100),
        attempts_forward=_number(body, "attempts_forward"),
        welcome=_bool(body, "welcome", True),
        wait_music=music,  # checked above
        announce_every_seconds=every,
        announce_position=_bool(body, "announce_position", True),
        announce_wait=_bool(body, "announce_wait", False),
        hours=_hours(body.get("hours", [])),
        closed_on_holidays=_bool(body, "closed_on_holidays", False),
        closed_forward=_number(body, "closed_forward"),
    )


@dataclass(frozen=True, slots=True)
class AgentState:
    """One agent of one queue as the PBX keeps it (persisted: ``status``)."""

    queue: str
    extension: str
    status: AgentStatus = "logged_out"
    reason: str = ""  # why it last changed: "code", "app", "supervisor", "missed", "removed"


@dataclass(frozen=True, slots=True)
class WaitingCaller:
    """A caller in a queue now (live, never stored)."""

    call_id: str
    caller: str
    caller_name: str | None
    waiting_since: float  # the queue machine's clock (seconds)
    ringing: tuple[str, ...] = ()  # agents whose phones ring for it now


@dataclass(frozen=True, slots=True)
class AgentLive:
    extension: str
    status: AgentStatus
    available: bool  # would be offered the next call now
    busy: bool = False  # in a call (any call)
    wrap_up_until: float | None = None
    missed_in_row: int = 0
    idle_since: float = 0.0


@dataclass(frozen=True, slots=True)
class QueueLive:
    """What a queue looks like now: the waiting callers in order and its agents."""

    number: str
    waiting: tuple[WaitingCaller, ...] = ()
    agents: tuple[AgentLive, ...] = field(default_factory=tuple)
