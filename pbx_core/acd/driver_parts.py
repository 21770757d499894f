"""What the queue driver (:mod:`pbx_core.acd.driver`) works with: where queues are kept, the PBX
parts it drives, and the prompts of an announcement."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from pbx_core.acd.model import AgentState, QueueConfig
from pbx_core.acd.queue_events import Announce
from pbx_core.signaling._call_actions import CallAction
from pbx_core.signaling.bindings import Binding
from pbx_core.signaling.callmachine import CallMachine

__all__ = ["Parts", "QueueSource", "announcement_prompts"]


class QueueSource(Protocol):
    """Where the queues' settings and agents' statuses are kept (the queue service)."""

    def queues(self) -> tuple[QueueConfig, ...]: ...

    def agents(self, number: str) -> Mapping[str, AgentState]: ...


@dataclass(frozen=True, slots=True)
class Parts:
    """The PBX parts the driver works with (``run``: the endpoint's, performs call actions)."""

    machine: CallMachine
    run: Callable[[list[CallAction]], None]
    bindings: Callable[[str], list[Binding]]
    name_of: Callable[[str], str | None]
    is_available: Callable[[str], bool]  # presence "available"
    line_busy: Callable[[str], bool]  # in a call or ringing
    local_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # the organisation's time
    holiday: Callable[[date], bool] = lambda day: False  # a public holiday there


def announcement_prompts(announce: Announce) -> tuple[str, ...]:
    """What a waiting caller hears: "You are caller number 3. Your expected waiting time is
    about 4 minutes." (the numbers prompts go up to 59)."""
    prompts: tuple[str, ...] = ()
    if announce.position is not None:
        prompts += ("queue-position", f"number-{min(announce.position, 59)}")
    if announce.wait_minutes is not None:
        minutes = min(announce.wait_minutes, 59)
        prompts += (
            "queue-wait",
            f"number-{minutes}",
            "queue-minute" if minutes == 1 else "queue-minutes",
        )
    return prompts
