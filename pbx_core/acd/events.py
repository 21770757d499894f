"""Bus events of ACD queues (P9, S6), for the users of the queue only: its members, its
supervisors and the administrators (``readers``, not sent; the API's event hub sends an event
to its :attr:`audience`). ``kind`` is the event's name on the wire."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from pbx_core.acd.model import AgentStatus
from pbx_core.events import NOT_ON_THE_WIRE, Event

__all__ = ["QueueAgentChanged", "QueueChanged", "QueueUpdated"]


@dataclass(frozen=True, slots=True)
class QueueChanged(Event):
    """Queue ``number`` was created, changed or (``removed``) removed by an administrator."""

    kind: ClassVar[str] = "queue.changed"
    number: str
    removed: bool = False
    readers: tuple[str, ...] = field(default=(), metadata=NOT_ON_THE_WIRE)

    @property
    def audience(self) -> frozenset[str]:
        return frozenset(self.readers)


@dataclass(frozen=True, slots=True)
class QueueAgentChanged(Event):
    """``extension`` is now ``status`` in ``queue``; ``reason``: "code" (``*11*``), "app",
    "supervisor", "admin", "missed" (too many unanswered offers), "removed" (no longer a
    member), "demo"."""

    kind: ClassVar[str] = "queue.agent_changed"
    queue: str
    extension: str
    status: AgentStatus
    reason: str
    readers: tuple[str, ...] = field(default=(), metadata=NOT_ON_THE_WIRE)

    @property
    def audience(self) -> frozenset[str]:
        return frozenset(self.readers)


@dataclass(frozen=True, slots=True)
class QueueUpdated(Event):
    """What waits in queue ``number`` or which of its agents are free changed (the queue engine
    publishes it, through :meth:`pbx_core.acd.service.QueueService.publish_updated`): read
    ``GET /api/v1/queues/{number}`` again."""

    kind: ClassVar[str] = "queue.updated"
    number: str
    readers: tuple[str, ...] = field(default=(), metadata=NOT_ON_THE_WIRE)

    @property
    def audience(self) -> frozenset[str]:
        return frozenset(self.readers)
