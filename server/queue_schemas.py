"""The bodies of the queue routes (server/routes_queues.py, docs/queues.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from pbx_core.acd.analytics import Period, QueueAnalytics
from pbx_core.acd.calls import MAX_NOTE, CallKind, Handling, QueueCall
from pbx_core.acd.model import AgentStatus
from pbx_core.acd.stats import CallCounts, QueueStats

__all__ = [
    "AgentOut",
    "AgentStateOut",
    "AgentStatusIn",
    "CallCountsOut",
    "QueueCallIn",
    "QueueCallOut",
    "QueueOut",
    "QueueRole",
    "QueueSummaryOut",
    "StatsOut",
    "WaitingOut",
]

QueueRole = Literal["agent", "supervisor"]


class QueueSummaryOut(BaseModel):
    number: str
    name: str
    role: QueueRole = Field(description="supervisor: also for an administrator")
    my_status: AgentStatus | None = Field(description="null: the user is not a member")
    waiting: int
    agents_available: int
    agents_logged_in: int


class WaitingOut(BaseModel):
    call_id: str
    caller: str
    caller_name: str | None
    waited_s: float


class AgentOut(BaseModel):
    extension: str
    name: str
    status: AgentStatus
    available: bool = Field(description="would be offered the next call now")
    skill: int
    priority: int


class CallCountsOut(BaseModel):
    total: int
    answered: int
    abandoned: int

    @classmethod
    def of(cls, counts: CallCounts) -> CallCountsOut:
        return cls(total=counts.total, answered=counts.answered, abandoned=counts.abandoned)


class StatsOut(BaseModel):
    """The tiles; waits in seconds (null: nothing to measure)."""

    agents_available: int
    agents_logged_in: int
    waiting: int
    longest_wait_s: float | None
    average_wait_s: float | None = Field(description="of today's answered calls")
    last_wait_s: float | None = Field(description="of the answered call that left the queue last")
    today: CallCountsOut = Field(description="the period: since midnight")
    last_24h: CallCountsOut

    @classmethod
    def of(cls, s: QueueStats) -> StatsOut:
        return cls(
            agents_available=s.agents_available, agents_logged_in=s.agents_logged_in,
            waiting=s.waiting, longest_wait_s=s.longest_wait_s, average_wait_s=s.average_wait_s,
            last_wait_s=s.last_wait_s, today=CallCountsOut.of(s.today),
            last_24h=CallCountsOut.of(s.last_24h),
        )  # fmt: skip


class QueueOut(BaseModel):
    number: str
    name: str
    metadata: str
    role: QueueRole
    my_status: AgentStatus | None
    waiting: list[WaitingOut]
    agents: list[AgentOut]
    stats: StatsOut


class AgentStatusIn(BaseModel):
    status: AgentStatus


class AgentStateOut(BaseModel):
    queue: str
    extension: str
    status: AgentStatus
    reason: str


class QueueCallOut(BaseModel):
    id: int
    call_id: str
    caller: str
    caller_name: str | None
    arrived_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    agent: str | None
    outcome: Literal["answered", "abandoned", "overflow"]
    overflow_reason: str | None
    forwarded_to: str | None
    waited_s: float
    kind: CallKind
    handling: Handling
    assigned_to: str | None
    note: str

    @classmethod
    def of(cls, c: QueueCall) -> QueueCallOut:
        return cls(
            id=c.id, call_id=c.call_id, caller=c.caller, caller_name=c.caller_name,
            arrived_at=c.arrived_at, answered_at=c.answered_at, ended_at=c.ended_at,
            agent=c.agent, outcome=c.outcome, overflow_reason=c.overflow_reason,
            forwarded_to=c.forwarded_to, waited_s=c.waited_s, kind=c.kind, handling=c.handling,
            assigned_to=c.assigned_to, note=c.note,
        )  # fmt: skip


class QueueCallIn(BaseModel):
    assigned_to: str | None = Field(description="a member's extension; null: nobody")
    handling: Handling
    note: str = Field(default="", max_length=MAX_NOTE)


class AgentFiguresOut(BaseModel):
    extension: str
    name: str
    answered: int
    average_wait_s: float


class AnalyticsOut(BaseModel):
    """A queue's figures over a period (S7); waits in seconds, null where nothing to measure."""

    number: str
    period: Period
    start: datetime
    end: datetime
    total: int
    answered: int
    abandoned: int
    forwarded: int
    average_wait_s: float | None = Field(description="of the answered calls")
    longest_wait_s: float | None
    service_level: float | None = Field(
        description="share (0 to 1) of answered or given-up calls answered within 20 s"
    )
    busiest_hour: int | None = Field(description="the hour of the day most calls arrived in")
    agents: list[AgentFiguresOut] = Field(description="most answered first")

    @classmethod
    def of(cls, number: str, a: QueueAnalytics, names: dict[str, str]) -> AnalyticsOut:
        return cls(
            number=number, period=a.period, start=a.start, end=a.end, total=a.total,
            answered=a.answered, abandoned=a.abandoned, forwarded=a.forwarded,
            average_wait_s=a.average_wait_s, longest_wait_s=a.longest_wait_s,
            service_level=a.service_level, busiest_hour=a.busiest_hour,
            agents=[
                AgentFiguresOut(
                    extension=f.extension, name=names.get(f.extension, f.extension),
                    answered=f.answered, average_wait_s=f.average_wait_s,
                )
                for f in a.agents
            ],
        )  # fmt: skip
