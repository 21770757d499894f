"""The B2BUA's call machine, sans-IO: calls over legs and media connections (RFC 3261 §6).

The caller's INVITE ends here (we are its UAS); each registered phone of the callee gets an
INVITE of our own (we are their UAC, one fork per binding); the first 2xx wins and the other
forks are cancelled. SDP never crosses: each leg gets an offer or answer naming the PBX's own
RTP port, built from the codecs both phones share (RFC 3264). The handlers of the forks live
in :mod:`pbx_core.signaling._forks`, replies to the caller and re-INVITEs (hold, resume) in
:mod:`pbx_core.signaling.midcall`, in-dialog requests, UPDATE, late-offer answers, session
timers and the 491 back-off in :mod:`pbx_core.signaling._refreshes`, reliable provisionals in
:mod:`pbx_core.signaling._pracks`; this class extends them and holds the table.

The machine is fed what happened (a routed INVITE, an opened RTP port, a response, a CANCEL,
an in-dialog request, a time-out) and returns actions (:mod:`pbx_core.signaling._call_actions`)
for one asyncio driver (:class:`pbx_core.signaling.b2bua.B2bua`). Every leg moves by one row of
``TABLE``: ``(state, event) -> (next state, handler)``; anything else raises
``CallStateError("leg <id>: <event> not allowed in <STATE>")``. The media engine's legs are
used only for offer/answer, which is pure; who hears what goes out as ``Connect``,
``ConnectMusic`` and ``Disconnect``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from pbx_core.errors import MediaError
from pbx_core.events import CallEnded, CallRinging
from pbx_core.ids import CallId, LegId
from pbx_core.media import MediaLeg, SessionDescription, offered_codecs
from pbx_core.media.codecs import SUPPORTED
from pbx_core.permissions import Member
from pbx_core.signaling._call_actions import (
    CallAction,
    CloseMedia,
    LegRequest,
    LinesChanged,
    OpenMedia,
    Publish,
    Record,
    SendRequest,
)
from pbx_core.signaling._forks import Forks
from pbx_core.signaling._pracks import PRACK_TIMER
from pbx_core.signaling._queues import QueueCalls
from pbx_core.signaling._refreshes import RETRY_TIMER, SESSION_TIMER
from pbx_core.signaling._responses import Responses
from pbx_core.signaling._voicemail import (
    VOICEMAIL_SERVICES,
    VOICEMAIL_TIMER,
    VoicemailCalls,
    VoicemailRouting,
)
from pbx_core.signaling.callcontrol import CallOptions
from pbx_core.signaling.calls import Call, Leg, LegState, Route
from pbx_core.signaling.features import (
    ECHO_EXTENSION,
    Park,
    parse_target,
    service_of,
)
from pbx_core.signaling.message import new_call_id, new_tag
from pbx_core.signaling.midcall import ALLOW, CallStateError, MidCall
from pbx_core.signaling.parking import ParkingLot
from pbx_core.signaling.refer import replaces_of
from pbx_core.signaling.uri import SipUri
from pbx_core.signaling.useragent import ServerTransactionHandle
from pbx_core.store import CallReason, CallRecord

__all__ = [
    "ALLOW",
    "ECHO_EXTENSION",
    "CallMachine",
    "CallOptions",
    "CallStateError",
    "VoicemailRouting",
]

_L = LegState
_Arg = object
_Handler = Callable[..., list[CallAction]]


class CallMachine(QueueCalls, Responses, VoicemailCalls):
    """Every call of the PBX: set-up, answer, hold/resume, transfer, park, pickup, conference
    rooms, intrusion, voicemail, hang-up, and their records."""

    def __init__(
        self,
        *,
        host: str,
        contact: Callable[[str], SipUri],
        clock: Callable[[], datetime],
        options: CallOptions | None = None,
    ) -> None:
        super().__init__(contact, clock)
        self._host = host
        self._next_leg = 0
        self.options = options or CallOptions()
        self._country = self.options.country
        self.lot = ParkingLot()
        self.voicemail: VoicemailRouting | None = None  # set when a voicemail service attaches
        # (caller, number) -> the number type the caller may not call (allowed destinations)
        self.destinations: Callable[[Member | None, str], str | None] | None = None
        self._vm_reasons = {}

    # -- new calls -----------------------------------------------------------------------

    def new_call(self, tx: ServerTransactionHandle, caller: str, route: Route) -> list[CallAction]:
        """An authenticated INVITE outside any dialog, with what the store knows about it."""
        if tx.final_sent:  # cancelled while the route was looked up
            return []
        request = tx.request
        dialled = request.uri.user or ""
        try:  # no body: a late offer, our offer goes in the 2xx (§13.2.1)
            offer = SessionDescription.parse(request.body) if request.body else None
        except ValueError as exc:
            return self._reply(tx, 400, f"Bad Request - SDP: {exc}")
        refused = self._negotiate(tx, None)
        if refused:
            return refused  # a session interval below our Min-SE (RFC 4028 §8.1)
        replaces = replaces_of(request.headers.get("Replaces"))
        feature = parse_target(dialled)
        if replaces is None and (feature is None or isinstance(feature, Park)):
            return self._reply(tx, 404, "Not Found - no such number or feature code")
        codecs = list(SUPPORTED) if offer is None else offered_codecs(offer)
        if not codecs:
            return self._reply(tx, 488)
        service, argument, target = service_of(feature, replaces is not None, dialled)
        queue_name = self.queue_of(target) if service is None else None
        if queue_name is not None:
            service, argument = "queue", target
            route = dataclasses.replace(route, callee_name=queue_name)
        now = self._clock()
        unregistered = service is None and self._unregistered_to_voicemail(route, target)
        if unregistered:
            service, argument = "voicemail", target  # nobody to ring: straight to voicemail
        if service is None and route.callee_exists and route.unavailable:
            return self._refuse_new(tx, caller, target, route, 486, "unavailable")
        if service is None and not route.callee_exists and self.destinations is not None:
            barred = self.destinations(route.caller_member, target)
            if barred is not None:
                why = f"Forbidden - {barred} numbers are not allowed for {caller}"
                return self._refuse_new(tx, caller, target, route, 403, "not-allowed", why)
        if service is None and (not route.callee_exists or not route.contacts):
            if not route.callee_exists:
                return self._refuse_new(tx, caller, target, route, 404, "not-found")
            return self._refuse_new(tx, caller, target, route, 480, "not-registered")
        a = Leg(
            self._leg_id(),
            caller,
            tx.source,
            name=route.caller_name,
            server_tx=tx,
            offer=offer,
            local_tag=new_tag(),
            allows_update=self.allows_update(request),
            reliable=self.reliable_for(request),
        )
        self._negotiate(tx, a)
        call = Call(
            CallId(new_call_id()),
            caller,
            target,
            route.caller_name,
            "Echo test" if service == "echo" else route.callee_name,
            a,
            started_at=now,
            service=service,
            codecs=codecs,
            caller_member=route.caller_member,
            callee_member=route.callee_member,
            room=argument if service == "conference" else None,
            service_arg=argument,
            replaces=replaces,
        )
        if call.service is None:
            for contact in route.contacts:
                fork = Leg.fork(self._leg_id(), target, contact, route.callee_name)
                call.forks.append(fork)
        if unregistered:
            self._vm_reasons[call.call_id] = "not-registered"
        self.registry.add(call)
        return [OpenMedia(leg.leg_id) for leg in call.legs()]

    def _refuse_new(
        self,
        tx: ServerTransactionHandle,
        caller: str,
        target: str,
        route: Route,
        status: int,
        reason: CallReason,
        phrase: str | None = None,
    ) -> list[CallAction]:
        """A new call nobody's phone rings for, answered ``status`` and kept in the history."""
        now = self._clock()
        record = CallRecord(
            call_id=new_call_id(),
            caller=caller,
            callee=target,
            caller_name=route.caller_name,
            callee_name=route.callee_name,
            started_at=now,
            answered_at=None,
            ended_at=now,
            reason=reason,
            sip_status=status,
        )
        return [*self._reply(tx, status, phrase), Record(record)]

    def media_opened(self, leg_id: LegId, media: MediaLeg) -> list[CallAction]:
        """The RTP port of ``leg_id`` is open; once every leg has one, the call goes on."""
        found = self.registry.by_leg(leg_id)
        if found is None:
            return [CloseMedia(leg_id)]  # the call ended meanwhile
        call, leg = found
        leg.media = media
        if leg.state is not _L.OPENING or call.ended:
            return [CloseMedia(leg_id)]
        if call.a.state is not _L.OPENING:  # a fork of a transfer, a recall or a pickup
            return self._step(call, leg, "dial")
        if any(other.media is None for other in call.legs()):
            return []
        actions: list[CallAction] = []
        for other in call.legs():
            actions += self._step(call, other, "opened" if other is call.a else "dial")
        if call.service == "echo":
            return actions + self._echo(call)
        if call.service in VOICEMAIL_SERVICES:
            return actions + self._voicemail_service(call)
        if call.service is not None:
            return actions + self._service_ready(call)
        first = call.forks[0].leg_id
        ringing = CallRinging(call.call_id, first, call.caller, call.callee, call.caller_name)
        actions.append(Publish(ringing))
        actions += self._arm_voicemail(call)
        return [*actions, LinesChanged(call.extensions())]

    def media_failed(self, leg_id: LegId) -> list[CallAction]:
        """No RTP port could be opened for ``leg_id`` (the range is used up)."""
        found = self.registry.by_leg(leg_id)
        if found is None:
            return []
        call, _ = found
        actions = self._step(call, call.a, "reject", 503) if call.a.state is not _L.ENDED else []
        return actions + self._end(call, "no-media")

    def _leg_id(self) -> LegId:
        self._next_leg += 1
        return LegId(f"leg-{self._next_leg}")

    def _echo(self, call: Call) -> list[CallAction]:
        a = call.a
        try:
            answer = self._caller_sdp(a, None)
        except MediaError:
            actions = self._step(call, a, "reject", 488)
            return actions + self._discard(call)
        return self._step(call, a, "answer", answer) + self._wiring(call)

    # -- requests from the phones --------------------------------------------------------

    def cancelled(self, tx: ServerTransactionHandle) -> list[CallAction]:
        """The caller cancelled its INVITE (§9.2): 487, CANCEL to every fork."""
        call = self.registry.by_invite(tx)
        if call is None or call.ended:
            return self._reply(tx, 487, to_tag=new_tag())
        actions = self._step(call, call.a, "cancelled")
        for fork in call.forks:
            if fork.state is not _L.ENDED:
                actions += self._step(call, fork, "cancel")
        return actions + self._end(call, "cancelled", ended_by=call.caller)

    def ack_timed_out(self, tx: ServerTransactionHandle) -> list[CallAction]:
        """Our 2xx to the caller was never acknowledged: BYE to everyone (§13.3.1.4)."""
        call = self.registry.by_invite(tx)
        if call is None or call.ended:
            return []
        actions: list[CallAction] = []
        for leg in call.legs():
            if leg.state is _L.ANSWERED:
                actions += self._step(call, leg, "hangup")
        return actions + self._end(call, "no-ack")

    def shutdown(self) -> list[CallAction]:
        """End every call: BYE answered legs, CANCEL ringing ones, 503 to waiting callers."""
        actions: list[CallAction] = []
        for call in list(self.registry.calls.values()):
            for leg in call.legs():
                if leg is call.a and leg.state in (_L.OPENING, _L.TRYING, _L.RINGING):
                    actions += self._step(call, leg, "reject", 503)
                elif leg.state in (_L.TRYING, _L.RINGING):
                    actions += self._step(call, leg, "cancel")
                elif leg.state is _L.ANSWERED:
                    actions += self._step(call, leg, "hangup")
            actions += self._end(call, "shutdown")
        return actions

    # -- ending --------------------------------------------------------------------------

    def _hangup(self, call: Call, leg: Leg, arg: _Arg) -> list[CallAction]:
        if leg.dialog is None:
            return []
        bye = leg.dialog.create_request("BYE")
        return [SendRequest(bye, leg.destination, LegRequest(call.call_id, leg.leg_id, "bye"))]

    def timer_fired(self, call_id: CallId, name: str) -> list[CallAction]:
        """A timer armed with ``StartTimer`` fired."""
        call = self.registry.calls.get(call_id)
        if call is None or call.ended:
            return []
        if name == VOICEMAIL_TIMER:
            return self._voicemail_timer(call)
        if name.startswith((SESSION_TIMER, RETRY_TIMER)):
            return self.upkeep_timer(call, name)
        if name.startswith(PRACK_TIMER):
            return self.prack_timer(call, name)
        return self.transfer_timer(call, name)

    def _end(self, call: Call, reason: CallReason, ended_by: str | None = None) -> list[CallAction]:
        if call.ended:
            return []
        call.ended = True
        reason = self.voicemail_reason(call, reason)
        actions: list[CallAction] = self._disarm_all(call) + self._leave_features(call)
        for leg in call.legs():
            if leg.state is not _L.ENDED:
                actions += self._step(call, leg, "drop")
            actions += self._abandon_reinvite(leg)
        self.registry.remove(call)
        event = CallEnded(call.call_id, call.caller, call.callee, call.answered, reason, ended_by)
        actions += [Publish(event), LinesChanged(call.extensions())]
        return [*actions, Record(call.record(reason, self._clock(), ended_by))]

    def _discard(self, call: Call) -> list[CallAction]:
        """Forget a call that never started (it leaves no record): the echo test without a
        usable codec, a feature code refused."""
        call.ended = True
        actions: list[CallAction] = []
        for leg in call.legs():
            if leg.state is not _L.ENDED:
                actions += self._step(call, leg, "drop")
        self.registry.remove(call)
        return actions

    # -- the table -----------------------------------------------------------------------

    def _step(self, call: Call, leg: Leg, event: str, arg: _Arg = None) -> list[CallAction]:
        row = self.TABLE.get((leg.state, event))
        if row is None:
            raise CallStateError(f"leg {leg.leg_id}: {event} not allowed in {leg.state.name}")
        before = leg.state
        leg.state, handler = row
        actions = handler(self, call, leg, arg)
        if leg.state is _L.ENDED and before is not _L.ENDED and leg.media is not None:
            actions = [*actions, CloseMedia(leg.leg_id)]
        return actions

    def _nothing(self, call: Call, leg: Leg, arg: _Arg) -> list[CallAction]:
        return []

    TABLE: ClassVar[dict[tuple[LegState, str], tuple[LegState, _Handler]]] = {
        # both sides
        (_L.OPENING, "drop"): (_L.ENDED, _nothing),
        (_L.TRYING, "drop"): (_L.ENDED, _nothing),
        (_L.RINGING, "drop"): (_L.ENDED, _nothing),
        (_L.ANSWERED, "drop"): (_L.ENDED, _nothing),
        (_L.ANSWERED, "bye"): (_L.ENDED, MidCall._ok_bye),
        (_L.ANSWERED, "hangup"): (_L.ENDED, _hangup),
        (_L.ANSWERED, "reinvite"): (_L.ANSWERED, MidCall._reinvite),
        # the caller's leg (we are its UAS)
        (_L.OPENING, "opened"): (_L.TRYING, _nothing),
        (_L.OPENING, "reject"): (_L.ENDED, MidCall._reject),
        (_L.OPENING, "cancelled"): (_L.ENDED, MidCall._cancelled),
        (_L.TRYING, "cancelled"): (_L.ENDED, MidCall._cancelled),
        (_L.RINGING, "cancelled"): (_L.ENDED, MidCall._cancelled),
        (_L.TRYING, "ring"): (_L.RINGING, MidCall._ringing),
        (_L.TRYING, "answer"): (_L.ANSWERED, MidCall._answer),
        (_L.RINGING, "answer"): (_L.ANSWERED, MidCall._answer),
        (_L.TRYING, "reject"): (_L.ENDED, MidCall._reject),
        (_L.RINGING, "reject"): (_L.ENDED, MidCall._reject),
        # the forks (we are their UAC); "cancel" is ours, "failure" a non-2xx or Timer B
        (_L.OPENING, "dial"): (_L.TRYING, Forks._send_invite),
        (_L.OPENING, "cancel"): (_L.ENDED, _nothing),
        (_L.TRYING, "100"): (_L.TRYING, _nothing),
        (_L.TRYING, "1xx"): (_L.RINGING, Forks._fork_ringing),
        (_L.TRYING, "2xx"): (_L.ANSWERED, Forks._fork_2xx),
        (_L.TRYING, "failure"): (_L.ENDED, Forks._fork_failed),
        (_L.RINGING, "100"): (_L.RINGING, _nothing),
        (_L.RINGING, "1xx"): (_L.RINGING, _nothing),
        (_L.RINGING, "2xx"): (_L.ANSWERED, Forks._fork_2xx),
        (_L.RINGING, "failure"): (_L.ENDED, Forks._fork_failed),
        (_L.ANSWERED, "2xx"): (_L.ANSWERED, Forks._fork_2xx),
        (_L.ANSWERED, "100"): (_L.ANSWERED, _nothing),
        (_L.ANSWERED, "1xx"): (_L.ANSWERED, _nothing),
        (_L.TRYING, "cancel"): (_L.ENDED, Forks._cancel_fork),
        (_L.RINGING, "cancel"): (_L.ENDED, Forks._cancel_fork),
        (_L.ENDED, "100"): (_L.ENDED, _nothing),
        (_L.ENDED, "1xx"): (_L.ENDED, _nothing),
        (_L.ENDED, "2xx"): (_L.ENDED, Forks._fork_2xx),  # CANCEL and 200 crossed: ACK, then BYE
        (_L.ENDED, "failure"): (_L.ENDED, _nothing),  # the 487 after our CANCEL
        (_L.ENDED, "hangup"): (_L.ENDED, _hangup),  # after a late 2xx
    }
