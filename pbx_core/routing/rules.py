"""Routing rules (P5, seed 004 "Opkald - routing"): conditions, timed steps and their order.

A rule says *when* (:class:`Conditions`: the callee's status, no phone registered, in another
call, a time-of-day window on some weekdays, the caller a VIP) and *what* (:class:`Step`:
at ``after_s`` seconds ring some of the callee's phones, the mobile, another number, a queue,
or voicemail). Rules come in scopes, tried in this order: ``required`` (the organisation's,
above everything the user sets), the user's ``own``, then ``overridable`` (the organisation's,
which a user's own rule with the same conditions replaces), then the ``fallback`` rows of
:func:`pbx_core.routing.decision.route_call`. Pure: no clock, no store.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Literal, TypeAlias, cast, get_args

__all__ = [
    "DAYS",
    "MAX_RULES",
    "MAX_STEPS",
    "Conditions",
    "Rule",
    "RuleSet",
    "Scope",
    "ScopedRule",
    "Step",
    "Target",
    "TimeWindow",
    "merged",
    "rule_from_dict",
    "rule_to_dict",
]

Scope: TypeAlias = Literal["required", "own", "overridable", "fallback"]
Target: TypeAlias = Literal[
    "all_devices", "softphone", "desk_phone", "mobile", "number", "voicemail", "queue", "refuse"
]
"""Where a step sends the call; ``refuse`` (480/486) is the fallback's own, never a rule's."""

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_RULES = 20
MAX_STEPS = 10
MAX_AFTER_S = 600.0
_RULE_TARGETS = frozenset(get_args(Target)) - {"refuse"}
_NUMBER = re.compile(r"^\+?[0-9]{2,20}$")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """From ``start`` to ``end`` (exclusive) on ``days`` (0 = Monday), in the organisation's
    time zone; an ``end`` at or before ``start`` runs past midnight into the next day."""

    start: time
    end: time
    days: frozenset[int] = frozenset(range(7))

    def contains(self, local: datetime) -> bool:
        now = local.time().replace(tzinfo=None)
        if self.start < self.end:
            return local.weekday() in self.days and self.start <= now < self.end
        if now >= self.start:  # the evening part belongs to today
            return local.weekday() in self.days
        return now < self.end and (local.weekday() - 1) % 7 in self.days


@dataclass(frozen=True, slots=True)
class Conditions:
    """When a rule applies; every field that is set must hold (none set: always)."""

    statuses: frozenset[str] = frozenset()  # the callee's status is one of these
    registered: bool | None = None  # False: no phone of the callee is registered
    busy: bool | None = None  # True: the callee is in another call
    window: TimeWindow | None = None
    caller_vip: bool | None = None  # True: the caller is a VIP contact of the callee

    def matches(
        self, *, status: str, registered: bool, busy: bool, vip: bool, local: datetime | None
    ) -> bool:
        if self.statuses and status not in self.statuses:
            return False
        if self.registered is not None and self.registered != registered:
            return False
        if self.busy is not None and self.busy != busy:
            return False
        if self.caller_vip is not None and self.caller_vip != vip:
            return False
        return self.window is None or (local is not None and self.window.contains(local))


@dataclass(frozen=True, slots=True)
class Step:
    """At ``after_s`` seconds: ring ``target`` too (``keep``) or instead of what rang before;
    ``voicemail`` takes the call. ``number`` is the number of a "number" or "queue" step."""

    after_s: float
    target: Target
    number: str | None = None
    keep: bool = True


@dataclass(frozen=True, slots=True)
class Rule:
    """When ``when`` holds, the call goes through ``steps`` (the first at 0 s)."""

    when: Conditions
    steps: tuple[Step, ...]
    name: str = ""


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules that apply to one user: the organisation's and the user's own."""

    required: tuple[Rule, ...] = ()
    own: tuple[Rule, ...] = ()
    overridable: tuple[Rule, ...] = ()


@dataclass(frozen=True, slots=True)
class ScopedRule:
    """A rule in the merged, ordered list, with where it came from."""

    scope: Scope
    rule: Rule
    replaced: bool = field(default=False)  # an overridable rule a user's own rule replaces


def merged(rules: RuleSet) -> tuple[ScopedRule, ...]:
    """Every rule in the order they are tried: required, own, overridable. An overridable
    rule with the same conditions as one of the user's own is listed as ``replaced``."""
    own_conditions = {rule.when for rule in rules.own}
    return (
        *(ScopedRule("required", r) for r in rules.required),
        *(ScopedRule("own", r) for r in rules.own),
        *(ScopedRule("overridable", r, r.when in own_conditions) for r in rules.overridable),
    )


# -- the stored and API form: plain dicts ---------------------------------------------------


def _clock(text: object, what: str) -> time:
    match = _CLOCK.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{what} is a time of day as HH:MM: {text!r}")
    return time(int(match.group(1)), int(match.group(2)))


def _window(raw: Mapping[str, object]) -> TimeWindow:
    days_raw = raw.get("days")
    days = DAYS if days_raw is None else days_raw
    if not isinstance(days, Sequence) or isinstance(days, str) or not days:
        raise ValueError(f"time.days is a list of {', '.join(DAYS)}")
    unknown = [d for d in days if d not in DAYS]
    if unknown:
        raise ValueError(f"unknown day {unknown[0]!r}; use {', '.join(DAYS)}")
    start, end = _clock(raw.get("start"), "time.start"), _clock(raw.get("end"), "time.end")
    if start == end:
        raise ValueError("time.start and time.end are the same")
    return TimeWindow(start, end, frozenset(DAYS.index(cast(str, d)) for d in days))


def _optional_bool(raw: Mapping[str, object], key: str) -> bool | None:
    value = raw.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"{key} is true, false or null")


def _conditions(raw: Mapping[str, object], statuses: Iterable[str]) -> Conditions:
    known = set(statuses)
    listed = raw.get("statuses") or []
    if not isinstance(listed, Sequence) or isinstance(listed, str):
        raise ValueError("statuses is a list")
    for status in listed:
        if status not in known:
            raise ValueError(f"no such status: {status!r}")
    window = raw.get("time")
    if window is not None and not isinstance(window, Mapping):
        raise ValueError("time is an object with start, end and days")
    return Conditions(
        statuses=frozenset(cast(Sequence[str], listed)),
        registered=_optional_bool(raw, "registered"),
        busy=_optional_bool(raw, "busy"),
        window=_window(window) if window is not None else None,
        caller_vip=_optional_bool(raw, "caller_vip"),
    )


def _step(raw: Mapping[str, object], queues: bool) -> Step:
    target = raw.get("destination")
    if target not in _RULE_TARGETS:
        raise ValueError(f"unknown destination {target!r}")
    if target == "queue" and not queues:
        raise ValueError("this PBX has no queues")
    after = raw.get("after", 0)
    if not isinstance(after, int | float) or isinstance(after, bool):
        raise ValueError("after is a number of seconds")
    if not 0 <= after <= MAX_AFTER_S:
        raise ValueError(f"after is 0 to {MAX_AFTER_S:.0f} seconds: {after}")
    number = raw.get("number")
    if target in ("number", "queue"):
        if not isinstance(number, str) or _NUMBER.match(number) is None:
            raise ValueError(f"a {target} step needs a number (digits, a leading +): {number!r}")
    elif number is not None:
        raise ValueError(f"a {target} step has no number")
    keep = raw.get("keep_ringing", True)
    if not isinstance(keep, bool):
        raise ValueError("keep_ringing is true or false")
    return Step(float(after), cast(Target, target), number, keep)


def rule_from_dict(
    raw: Mapping[str, object], statuses: Iterable[str], *, queues: bool = True
) -> Rule:
    """A rule from its JSON form (docs/routing.md); ValueError with the reason otherwise."""
    when = raw.get("when") or {}
    if not isinstance(when, Mapping):
        raise ValueError("when is an object")
    steps_raw = raw.get("steps")
    if not isinstance(steps_raw, Sequence) or not steps_raw or len(steps_raw) > MAX_STEPS:
        raise ValueError(f"steps is a list of 1 to {MAX_STEPS} steps")
    steps = tuple(_step(s if isinstance(s, Mapping) else {}, queues) for s in steps_raw)
    if steps[0].after_s != 0:
        raise ValueError("the first step is at 0 seconds")
    if any(b.after_s <= a.after_s for a, b in itertools.pairwise(steps)):
        raise ValueError("steps are in order of time, each later than the one before")
    if any(s.target == "voicemail" for s in steps[:-1]):
        raise ValueError("voicemail takes the call: it can only be the last step")
    if any(s.target == "queue" for s in steps[:-1]):
        raise ValueError("a queue takes the call: it can only be the last step")
    name = raw.get("name") or ""
    if not isinstance(name, str) or len(name) > 100:
        raise ValueError("name is a text of up to 100 characters")
    return Rule(_conditions(when, statuses), steps, name)


def rule_to_dict(rule: Rule) -> dict[str, object]:
    """The inverse of :func:`rule_from_dict`."""
    when: dict[str, object] = {
        "statuses": sorted(rule.when.statuses),
        "registered": rule.when.registered,
        "busy": rule.when.busy,
        "time": None,
        "caller_vip": rule.when.caller_vip,
    }
    window = rule.when.window
    if window is not None:
        when["time"] = {
            "start": window.start.strftime("%H:%M"),
            "end": window.end.strftime("%H:%M"),
            "days": [DAYS[d] for d in sorted(window.days)],
        }
    steps = [
        {
            "after": s.after_s,
            "destination": s.target,
            "number": s.number,
            "keep_ringing": s.keep,
        }
        for s in rule.steps
    ]
    return {"name": rule.name, "when": when, "steps": steps}
