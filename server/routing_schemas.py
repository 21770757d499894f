"""Bodies of the routing-rule routes (P5, docs/routing.md "Routing rules"). The shape is checked
here (422 ``invalid_request``); what a rule means (steps in time order, a number where one is
needed, voicemail last) is checked by the PBX core (422 ``bad_routing_rule``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pbx_core.presence import PresenceStatus
from pbx_core.routing.rulebook import DEFAULT_TIME_ZONE, MAX_CALL_FLOW_DELAY_S

__all__ = [
    "ConditionsBody",
    "EffectiveRoutingOut",
    "EffectiveRuleOut",
    "MyRoutingRulesBody",
    "OrgRoutingRulesBody",
    "RuleBody",
    "StepBody",
    "TimeWindowBody",
]

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Destination = Literal[
    "all_devices", "softphone", "desk_phone", "mobile", "number", "voicemail", "queue"
]
_ALL_DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class TimeWindowBody(BaseModel):
    """From ``start`` to ``end`` (HH:MM, the organisation's time zone) on ``days``; an end at
    or before the start runs past midnight."""

    model_config = ConfigDict(extra="forbid")
    start: str = Field(pattern=_CLOCK, examples=["08:00"])
    end: str = Field(pattern=_CLOCK, examples=["17:00"])
    days: list[Day] = Field(default_factory=lambda: list(_ALL_DAYS), min_length=1)


class ConditionsBody(BaseModel):
    """When the rule applies; every condition that is set must hold (none: always)."""

    model_config = ConfigDict(extra="forbid")
    statuses: list[PresenceStatus] = Field(default_factory=list, description="any of these")
    registered: bool | None = Field(default=None, description="false: no phone registered")
    busy: bool | None = Field(default=None, description="true: in another call")
    time: TimeWindowBody | None = None
    caller_vip: bool | None = Field(default=None, description="true: the caller is a VIP")


class StepBody(BaseModel):
    """At ``after`` seconds ring ``destination`` too (``keep_ringing``) or instead."""

    model_config = ConfigDict(extra="forbid")
    after: float = Field(default=0, ge=0, le=600)
    destination: Destination
    number: str | None = Field(default=None, description='for "number" and "queue"')
    keep_ringing: bool = True


class RuleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="", max_length=100)
    when: ConditionsBody = Field(default_factory=ConditionsBody)
    steps: list[StepBody] = Field(min_length=1, max_length=10)


class MyRoutingRulesBody(BaseModel):
    """Your own rules, in the order they are tried, and your mobile number."""

    model_config = ConfigDict(extra="forbid")
    mobile: str | None = Field(default=None, examples=["+31612345678"])
    rules: list[RuleBody] = Field(default_factory=list, max_length=20)


class OrgRoutingRulesBody(BaseModel):
    """The organisation's rules: ``required`` before every user's own, ``overridable`` after
    them (a user's rule with the same conditions replaces one)."""

    model_config = ConfigDict(extra="forbid")
    time_zone: str = Field(default=DEFAULT_TIME_ZONE, max_length=64, description="IANA name")
    call_flow_delay_s: int = Field(
        default=0,
        ge=0,
        le=MAX_CALL_FLOW_DELAY_S,
        description="seconds a user's phones ring before the call flow of their status applies",
    )
    required: list[RuleBody] = Field(default_factory=list, max_length=20)
    overridable: list[RuleBody] = Field(default_factory=list, max_length=20)


class EffectiveStepOut(BaseModel):
    after: float
    destination: Literal[Destination, "refuse"]
    number: str | None
    keep_ringing: bool


class EffectiveRuleOut(BaseModel):
    scope: Literal["required", "own", "overridable", "fallback"]
    name: str
    when: ConditionsBody
    steps: list[EffectiveStepOut]
    replaced: bool = Field(description="an overridable rule one of your own rules replaces")
    built_in: bool = Field(description="forwarding, a call flow or a fallback row")


class EffectiveRoutingOut(BaseModel):
    """Every row that may decide a call to you, first to last."""

    time_zone: str
    mobile: str | None
    rules: list[EffectiveRuleOut]
