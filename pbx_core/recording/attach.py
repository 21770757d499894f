"""Wiring the recording service into a running PBX: how a user's call and its legs are found.
Called once per PBX (``server/app.py`` through ``server/routes_recordings.py``)."""

from __future__ import annotations

from pbx_core.errors import Conflict, NotFound
from pbx_core.ids import CallId
from pbx_core.pbx import Pbx
from pbx_core.recording.service import CallParties, RecordingOptions, RecordingService
from pbx_core.signaling.calls import Call, LegState
from pbx_core.telephony import Telephony

__all__ = ["attach", "parties_of"]


def parties_of(call: Call | None, call_id: str, extension: str) -> CallParties:
    """``extension``'s leg of ``call`` and the other party's: NotFound when the call is not a
    live call of theirs, Conflict when it is not a two-party answered call."""
    if call is None or call.ended or extension not in call.extensions():
        raise NotFound(f"no call {call_id} of {extension} in progress")
    own = next(
        (
            leg
            for leg in (call.a, call.b)
            if leg is not None and leg.extension == extension and leg.state is LegState.ANSWERED
        ),
        None,
    )
    other = call.peer(own) if own is not None else None
    if own is None or other is None or other.state is not LegState.ANSWERED:
        raise Conflict(f"call {call_id} is not answered")
    if call.room is not None or own.media is None or other.media is None:
        raise Conflict(f"call {call_id} cannot be recorded (a conference or a service)")
    number = other.extension or (call.callee if other is call.b else call.caller)
    return CallParties(own.media, other.media, number, other.name)


def attach(pbx: Pbx, options: RecordingOptions | None = None) -> RecordingService | None:
    """The recording service of ``pbx`` (None when its telephony is not the SIP one)."""
    telephony = pbx.telephony
    if not isinstance(telephony, Telephony):
        return None
    registry = telephony.b2bua.registry

    def find(call_id: str, extension: str) -> CallParties:
        return parties_of(registry.calls.get(CallId(call_id)), call_id, extension)

    service = RecordingService(pbx.store, pbx.bus, pbx.config.data_dir, find, options)
    pbx.before_stop.append(service.stop_all)  # recordings under way are kept, not lost
    return service
