"""What a watcher sees of a colleague: the one presence model of the PBX (X3). Pure.

:func:`compute_view` joins the four things a colleague's presence is made of: whether any of
their phones is registered ("not registered" otherwise), their line (idle, ringing, in a call,
on hold, parked; with the calls themselves for BLF lamps), their status (an activity with an
optional end time and a role, work or private) and their shared note. The API, the WebSocket
event :class:`PresenceUpdated` and the SIP packages ``presence`` and ``dialog`` all show what
this function returns, so they cannot disagree. "In a call" is not a status anyone sets: the
view's ``activity`` becomes ``in_call`` by itself while the line is in a call and the status is
available, and goes back after the call.

The view also lists the user's upcoming planned statuses (``planned``): the occurrences of
their plans (docs/calendar.md) that start within the next :data:`PLANNED_WINDOW`, at most
:data:`MAX_PLANNED`, earliest first; status and times only (a plan's name and note stay in the
calendar, behind ``see_plans``). A plan running now is the current status and is not listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, Final, Literal

from pbx_core.events import Event
from pbx_core.ids import Extension

if TYPE_CHECKING:
    from pbx_core.presence import Presence, PresenceStatus, Role
    from pbx_core.signaling.parking import ParkedCall
    from pbx_core.telephony import ActiveCall

__all__ = [
    "MAX_PLANNED",
    "PLANNED_WINDOW",
    "Activity",
    "LineDialog",
    "LineState",
    "PlannedStatus",
    "PresenceUpdated",
    "PresenceView",
    "compute_view",
    "line_dialogs",
    "slot_view",
]

PLANNED_WINDOW: Final = timedelta(hours=24)
"""How far ahead a view lists planned statuses."""
MAX_PLANNED: Final = 3
"""At most this many planned statuses in a view."""

LineState = Literal["idle", "ringing", "in_call", "on_hold", "parked"]
Activity = Literal[
    "available",
    "meeting",
    "not_present",
    "vacation",
    "lunch",
    "business_trip",
    "dnd",
    "in_call",
]


@dataclass(frozen=True, slots=True)
class LineDialog:
    """One call of the user, as a BLF lamp shows it (RFC 4235 terms)."""

    call_id: str
    direction: Literal["initiator", "recipient"]
    state: Literal["early", "confirmed"]
    peer: str  # the other party's number
    peer_name: str | None
    local_held: bool = False  # the user put the call on hold
    remote_held: bool = False  # the other party did


@dataclass(frozen=True, slots=True)
class PlannedStatus:
    """One upcoming occurrence of a user's plan, as colleagues see it: status and times (UTC)."""

    status: PresenceStatus
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class PresenceView:
    """A user's presence as every watcher sees it."""

    extension: str
    registered: bool
    line: LineState
    status: PresenceStatus
    until: datetime | None
    role: Role
    note: str | None
    activity: Activity
    dialogs: tuple[LineDialog, ...] = ()
    forwarding: str | None = None  # where the user's calls are forwarded (C4), docs/routing.md
    planned: tuple[PlannedStatus, ...] = ()  # upcoming planned statuses, earliest first


@dataclass(frozen=True, slots=True)
class PresenceUpdated(Event):
    """The computed presence of ``extension`` changed (any of its parts)."""

    kind: ClassVar[str] = "presence.updated"
    extension: Extension
    registered: bool
    line: str
    status: str
    until: datetime | None
    role: str
    note: str | None
    activity: str
    forwarding: str | None = None
    planned: tuple[PlannedStatus, ...] = ()

    @classmethod
    def of(cls, view: PresenceView) -> PresenceUpdated:
        return cls(
            Extension(view.extension),
            view.registered,
            view.line,
            view.status,
            view.until,
            view.role,
            view.note,
            view.activity,
            view.forwarding,
            view.planned,
        )


def line_dialogs(extension: str, calls: Iterable[ActiveCall]) -> tuple[LineDialog, ...]:
    """The calls of ``extension`` in progress, one per call."""
    out: list[LineDialog] = []
    for call in calls:
        mine = [p for p in call.parties if p.extension == extension]
        if not mine:
            continue
        others = [p for p in call.parties if p.extension != extension]
        initiator = call.caller == extension
        if initiator:
            confirmed = call.answered and any(p.state == "answered" for p in others)
        else:
            confirmed = any(p.state == "answered" for p in mine)
        peer = others[0] if others else None
        if peer is not None:
            peer_number, peer_name = peer.extension, peer.name
        else:
            peer_number, peer_name = (call.callee if initiator else call.caller), None
        out.append(
            LineDialog(
                call_id=call.call_id,
                direction="initiator" if initiator else "recipient",
                state="confirmed" if confirmed else "early",
                peer=peer_number,
                peer_name=peer_name,
                local_held=any(p.holding for p in mine),
                remote_held=any(p.holding for p in others),
            )
        )
    return tuple(out)


def _line(
    extension: str, dialogs: tuple[LineDialog, ...], parked: Iterable[ParkedCall]
) -> LineState:
    if any(d.state == "confirmed" and not (d.local_held or d.remote_held) for d in dialogs):
        return "in_call"
    if any(d.state == "confirmed" for d in dialogs):
        return "on_hold"
    if any(d.direction == "initiator" for d in dialogs):
        return "in_call"  # dialling out
    if dialogs:
        return "ringing"
    if any(p.parked_by == extension for p in parked):
        return "parked"
    return "idle"


def compute_view(
    extension: str,
    presence: Presence,
    *,
    registered: bool,
    calls: Iterable[ActiveCall],
    parked: Iterable[ParkedCall] = (),
    forwarding: str | None = None,
    planned: Iterable[PlannedStatus] = (),
) -> PresenceView:
    """What every watcher sees of ``extension`` now. ``planned``: the upcoming occurrences of
    the user's plans (:func:`pbx_core.calendar.upcoming.upcoming` picks them)."""
    dialogs = line_dialogs(extension, calls)
    line = _line(extension, dialogs, parked)
    activity: Activity = presence.status
    if presence.status == "available" and line in ("in_call", "on_hold"):
        activity = "in_call"
    return PresenceView(
        extension=extension,
        registered=registered,
        line=line,
        status=presence.status,
        until=presence.until,
        role=presence.role,
        note=presence.note,
        activity=activity,
        dialogs=dialogs,
        forwarding=forwarding,
        planned=tuple(planned),
    )


def slot_view(slot: str, parked: Iterable[ParkedCall]) -> PresenceView:
    """What a BLF key on a park slot (7001-7019) shows: the call waiting there, if any, as a
    confirmed dialog with the parked party; dialling the slot picks it up."""
    found = next((p for p in parked if p.slot == slot), None)
    dialogs: tuple[LineDialog, ...] = ()
    if found is not None:
        dialogs = (
            LineDialog(found.call_id, "recipient", "confirmed", found.caller, found.caller_name),
        )
    return PresenceView(
        extension=slot,
        registered=True,
        line="parked" if found is not None else "idle",
        status="available",
        until=None,
        role="work",
        note=None,
        activity="available",
        dialogs=dialogs,
    )
