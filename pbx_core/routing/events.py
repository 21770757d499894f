"""Bus events of call routing (names on the WebSocket: ``kind``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pbx_core.events import Event
from pbx_core.ids import CallId, LegId

__all__ = ["ForwardingChanged", "ForwardingCodeAnswered"]


@dataclass(frozen=True, slots=True)
class ForwardingChanged(Event):
    """``extension`` switched forwarding on (to ``number``) or off."""

    kind: ClassVar[str] = "forwarding.changed"
    extension: str
    enabled: bool
    number: str | None


@dataclass(frozen=True, slots=True)
class ForwardingCodeAnswered(Event):
    """The PBX answered ``*21*<number>*`` (``number`` set) or ``#21#*`` (None) from ``caller``;
    the routing service applies it, confirms it on the leg and hangs up."""

    kind: ClassVar[str] = "forwarding.code"
    call_id: CallId
    leg_id: LegId
    caller: str
    number: str | None
