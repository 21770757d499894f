"""Every live call's state, moved only by the SIP engine's events, and the one focus rule.

Pure: no Qt, no sockets, no clock of its own (``now`` comes in with each event). A call moves
through ``TRANSITIONS`` on triggers taken from the engine's events: the INVITE session states of
RFC 3261 (``calling`` … ``disconnected``) and our side's hold in the SDP (RFC 3264 section 8.4:
``held`` / ``resumed``). Any other move raises :class:`CallModelError` with exact text.

"Held" has one form: the state ``"held"`` (``ActiveCall.held`` reads it). Mute and the remote
side's hold are fields set from the same media event. What the UI shows therefore always comes
from an engine event, never from a command's return.

:func:`focus_call` is the rule for which call the user's actions go to (the dialer's digits,
the headset's mute and hang-up): the connected call, else one being dialled, else a held one.

An incoming call the user answered is ``"answering"`` from our 200 OK (the engine's
``connecting``) until the ACK (``confirmed``): the ringtone stops there (:class:`app.audio.Ringer`
reads the model), while the call window and the headset still treat it as the incoming call
(:attr:`ActiveCall.ringing_in`) until it is connected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal

from app._call_model_control import CallControlModel
from app.call_control import ConsultRole, Quality
from app.call_outcome import outcome_of_sip
from app.call_rows import (
    ActiveCall,
    CallAdded,
    CallChange,
    CallChanged,
    CallDirection,
    CallModelError,
    CallRemoved,
    LiveState,
)
from sip import (
    CallQuality,
    CallStateChanged,
    ConferenceChanged,
    EngineEvent,
    IncomingCall,
    MediaStateChanged,
    TransferProgress,
)

__all__ = [
    "TRANSITIONS",
    "ActiveCall",
    "CallAdded",
    "CallChange",
    "CallChanged",
    "CallDirection",
    "CallModel",
    "CallModelError",
    "CallRemoved",
    "LiveState",
    "Trigger",
    "focus_call",
    "number_of_uri",
    "ringing_call",
]

Trigger = Literal[
    "calling", "ringing", "early", "connecting", "confirmed", "disconnected", "held", "resumed"
]

TRANSITIONS: dict[LiveState, dict[Trigger, LiveState]] = {
    "calling": {
        "calling": "calling",
        "connecting": "calling",
        "ringing": "ringing",
        "early": "ringing",
        "confirmed": "connected",
        "resumed": "calling",
        "disconnected": "ended",
    },
    "ringing": {
        "ringing": "ringing",
        "early": "ringing",
        "connecting": "ringing",
        "confirmed": "connected",
        "resumed": "ringing",
        "disconnected": "ended",
    },
    "incoming": {
        "ringing": "incoming",
        "early": "incoming",
        "connecting": "answering",
        "confirmed": "connected",
        "resumed": "incoming",
        "disconnected": "ended",
    },
    "answering": {
        "ringing": "answering",
        "early": "answering",
        "connecting": "answering",
        "confirmed": "connected",
        "resumed": "answering",
        "disconnected": "ended",
    },
    "connected": {
        "confirmed": "connected",
        "held": "held",
        "resumed": "connected",
        "disconnected": "ended",
    },
    "held": {
        "confirmed": "held",
        "held": "held",
        "resumed": "connected",
        "disconnected": "ended",
    },
    "ended": {},
}
"""Every legal move: ``TRANSITIONS[state][trigger]`` is the next state."""


def number_of_uri(uri: str) -> str:
    """The user part of ``sip:202@host`` (the whole text when there is none)."""
    rest = uri.split(":", 1)[1] if uri.startswith(("sip:", "sips:", "tel:")) else uri
    return rest.split("@", 1)[0].split(";", 1)[0]


def _last(calls: Sequence[ActiveCall], *states: LiveState) -> ActiveCall | None:
    return next((c for c in reversed(calls) if c.state in states), None)


def ringing_call(calls: Sequence[ActiveCall]) -> ActiveCall | None:
    """The incoming call not connected yet (the first one; see :attr:`ActiveCall.ringing_in`)."""
    return next((c for c in calls if c.ringing_in), None)


def focus_call(calls: Sequence[ActiveCall]) -> ActiveCall | None:
    """The call the user's actions go to: connected, else being dialled, else held."""
    return _last(calls, "connected") or _last(calls, "calling", "ringing") or _last(calls, "held")


def _trigger(event: CallStateChanged | MediaStateChanged) -> Trigger:
    if isinstance(event, MediaStateChanged):
        return "held" if event.held_by_us else "resumed"
    return event.state


class CallModel(CallControlModel):
    """The calls in arrival order; :meth:`apply` is the only way their state changes."""

    def __init__(self, name_for: Callable[[str], str | None] = lambda _number: None) -> None:
        self._name_for = name_for
        self.calls: list[ActiveCall] = []
        self._links: dict[str, tuple[ConsultRole, str]] = {}
        self.pending: list[CallChange] = []
        """Further changes of the last :meth:`apply` (a conference change moves several)."""
        self._invites: dict[str, str] = {}

    # -- reading ---------------------------------------------------------------------------
    def get(self, key: str) -> ActiveCall | None:
        return next((c for c in self.calls if c.key == key), None)

    @property
    def idle(self) -> bool:
        """No live call."""
        return not any(c.live for c in self.calls)

    @property
    def live(self) -> list[ActiveCall]:
        return [c for c in self.calls if c.live]

    def focus_call(self) -> ActiveCall | None:
        """See :func:`focus_call`."""
        return focus_call(self.live)

    def ringing_call(self) -> ActiveCall | None:
        return ringing_call(self.live)

    def last_held(self) -> ActiveCall | None:
        return _last(self.calls, "held")

    def ringtone_calls(self) -> list[ActiveCall]:
        """The calls the ringtone is for: incoming and not answered by the user yet."""
        return [c for c in self.calls if c.state == "incoming"]

    def busy(self) -> bool:
        """A live call that is not waiting for the user's answer (answering counts as busy)."""
        return any(c.live and c.state != "incoming" for c in self.calls)

    def to_hold_for(self, key: str | None) -> list[ActiveCall]:
        """The calls that go on hold when ``key`` (None: a new outgoing call) takes the focus.

        Calls in the same conference as ``key`` stay connected with it.
        """
        call = self.get(key) if key is not None else None
        keep = set(call.conference) if call is not None else set()
        return [
            c for c in self.calls if c.key != key and c.key not in keep and c.state == "connected"
        ]

    # -- changing ----------------------------------------------------------------------------
    def apply(self, event: EngineEvent, now: float) -> CallChange | None:
        """Move a call for one engine event; None when the event changes no call."""
        if isinstance(event, IncomingCall):
            if self.get(event.call_id) is not None:
                raise CallModelError(f"call {event.call_id!r} is already listed")
            added = self._add(
                event.call_id, "incoming", event.remote_uri, event.remote_display_name
            )
            referred_by = queue = None
            if event.referred_by:
                by = number_of_uri(event.referred_by)
                referred_by = self._name_for(by) or event.referred_by_name or by
            if event.queue or event.queue_name:
                number = number_of_uri(event.queue) if event.queue else ""
                queue = event.queue_name or self._name_for(number) or number or None
            if referred_by is None and queue is None:
                return added
            self.calls[-1] = replace(added.call, referred_by=referred_by, queue=queue)
            return CallAdded(self.calls[-1])
        if isinstance(event, TransferProgress):
            return self._transfer_progress(event)
        if isinstance(event, ConferenceChanged):
            return self._conference(event)
        if isinstance(event, CallQuality):
            quality = Quality(event.loss_percent, event.jitter_ms, event.rtt_ms, event.mos)
            return self._patch(event.call_id, quality=quality)
        if not isinstance(event, CallStateChanged | MediaStateChanged):
            return None
        call = self.get(event.call_id)
        if call is not None:
            new = self._next(call, event, now)
            if new == call:
                return None
            self.calls[self.calls.index(call)] = new
            return CallChanged(call, new)
        if isinstance(event, MediaStateChanged) or event.incoming:
            return None  # not ours, or the IncomingCall was not seen
        if event.state == "disconnected":
            return None
        # an outgoing call shows up with its first INVITE state
        added = self._add(event.call_id, "outgoing", event.remote_uri, event.remote_display_name)
        new = self._next(added.call, event, now)
        link = self._links.get(new.key)
        if link is not None:
            new = replace(new, consult_role=link[0], consult_with=link[1])
        if new.key in self._invites:
            new = replace(new, invited_into=self._invites[new.key])
        self.calls[-1] = new
        return CallAdded(new)

    def _next(
        self, call: ActiveCall, event: CallStateChanged | MediaStateChanged, now: float
    ) -> ActiveCall:
        trigger = _trigger(event)
        state = TRANSITIONS[call.state].get(trigger)
        if state is None:
            raise CallModelError(
                f"call {call.key!r}: no transition from {call.state!r} on {trigger!r}"
            )
        new = replace(call, state=state)
        if state == "connected" and call.connected_at is None:
            new = replace(new, connected_at=now)
        if isinstance(event, MediaStateChanged):
            new = replace(new, muted=event.muted, remote_held=event.held_by_remote)
        elif state == "ended":
            outcome = outcome_of_sip(
                event.code,
                incoming=call.direction == "incoming",
                answered=call.connected_at is not None,
                rang=call.state == "ringing",
            )
            new = replace(new, end_code=event.code, outcome=outcome)
            if _moving_by_server(call):
                new = replace(new, transfer="transferred")  # the other phone took it
        return new

    def _add(self, key: str, direction: CallDirection, uri: str, display_name: str) -> CallAdded:
        number = number_of_uri(uri)
        name = self._name_for(number) or display_name or None
        state: LiveState = "incoming" if direction == "incoming" else "calling"
        call = ActiveCall(key, direction, number, name, state)
        self.calls.append(call)
        return CallAdded(call)

    def fill_names(self) -> list[CallChange]:
        """Give calls without a name the directory's (a call placed before it loaded)."""
        changes: list[CallChange] = []
        for call in list(self.calls):
            if call.name is None and (name := self._name_for(call.number)):
                new = replace(call, name=name)
                self.calls[self.calls.index(call)] = new
                changes.append(CallChanged(call, new))
        return changes

    def dismiss(self, key: str) -> CallRemoved | None:
        """Drop an ended call (its window was closed, or it lingered long enough)."""
        call = self.get(key)
        if call is None or call.live:
            return None
        self.calls.remove(call)
        self._links.pop(key, None)
        self._invites.pop(key, None)
        return CallRemoved(key)


def _moving_by_server(call: ActiveCall) -> bool:
    """A move to another phone through the server is under way (the PBX ends this leg)."""
    return (
        call.transfer_kind == "move"
        and call.transfer == "transferring"
        and call.move_to is not None
        and call.move_to.device_id is not None
    )
