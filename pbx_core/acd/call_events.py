"""What the call machine tells the queue driver about queue calls (bus events that stay inside
the PBX: the event stream does not send them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pbx_core.events import Event
from pbx_core.ids import CallId, LegId

__all__ = ["QueueCallAnswered", "QueueCodeAnswered", "QueueOfferFailed", "QueueSays"]


@dataclass(frozen=True, slots=True)
class QueueCallAnswered(Event):
    """``extension``'s phone answered the queue call ``call_id`` of ``queue``."""

    kind: ClassVar[str] = "queue.call_answered"
    on_the_wire: ClassVar[bool] = False
    call_id: CallId
    queue: str
    extension: str


@dataclass(frozen=True, slots=True)
class QueueOfferFailed(Event):
    """Every phone rung for the queue call ``call_id`` refused (busy, declined, gone)."""

    kind: ClassVar[str] = "queue.offer_failed"
    on_the_wire: ClassVar[bool] = False
    call_id: CallId
    queue: str


@dataclass(frozen=True, slots=True)
class QueueSays(Event):
    """The queue answered ``call_id`` only to say ``prompts`` ("we are closed") and hang up."""

    kind: ClassVar[str] = "queue.says"
    on_the_wire: ClassVar[bool] = False
    call_id: CallId
    leg_id: LegId
    prompts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueueCodeAnswered(Event):
    """The PBX answered ``*11*<code>*`` (``login``) or ``**11*<code>*`` from ``caller``; the
    queue driver applies it, confirms it on the leg and hangs up."""

    kind: ClassVar[str] = "queue.code"
    on_the_wire: ClassVar[bool] = False
    call_id: CallId
    leg_id: LegId
    caller: str
    code: str
    login: bool
