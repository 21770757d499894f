"""Where an unanswered call goes: the callee's voicemail, sans-IO. Part of the call machine.

A call becomes a voicemail call (``service`` "voicemail", ``service_arg`` the mailbox) when
nobody answers within ``VoicemailRouting.delay_seconds``, when every phone of the callee is
busy or unreachable, when the callee has no registered phone, or when the caller dialled
``*1*<ext>*``; ``9100`` ("voicemail-listen") is the caller's own mailbox. The machine cancels
the forks, answers the caller and publishes :class:`~pbx_core.events.VoicemailAnswered`; the
voicemail service (:mod:`pbx_core.voicemail`) then plays, records and reads digits on the leg
and ends the call with :meth:`VoicemailCalls.hang_up`. Without a ``VoicemailRouting`` (no
voicemail service attached) calls end as before: 480, 486, or ringing until the caller gives up.
The forwarding codes ``*21*<number>*`` / ``#21#*`` are answered the same way for the routing
service (:mod:`pbx_core.routing`), which confirms them and hangs up.

A group inbox number (``VoicemailRouting.groups``) is a voicemail call at once, its mailbox the
number. While the greeting plays the caller may leave voicemail (:meth:`VoicemailCalls.reroute`:
1, personal assistance, or 2, the callee's phones again, whatever their status says): the
caller hears ringback while those phones ring; the first to answer is connected; when nobody
does within the voicemail delay the call comes back to the same mailbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pbx_core.errors import MediaError
from pbx_core.events import VoicemailAnswered
from pbx_core.ids import CallId
from pbx_core.media.connections import ConnectTone, Disconnect
from pbx_core.permissions import Member
from pbx_core.routing.events import ForwardingCodeAnswered
from pbx_core.signaling._call_actions import CallAction, LinesChanged, OpenMedia, Publish, Record
from pbx_core.signaling._forks import Forks
from pbx_core.signaling.calls import Call, Leg, LegState, Route
from pbx_core.store import CallReason

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pbx_core.ids import LegId
    from pbx_core.media import CodecSpec

__all__ = ["VOICEMAIL_SERVICES", "VOICEMAIL_TIMER", "VoicemailCalls", "VoicemailRouting"]

_L = LegState
VOICEMAIL_TIMER = "voicemail"
VOICEMAIL_SERVICES = ("voicemail", "voicemail-listen", "forwarding")
_RECORDED: dict[str, CallReason] = {
    "no-answer": "no-answer",
    "busy": "busy",
    "not-registered": "not-registered",
}


@dataclass(frozen=True, slots=True)
class VoicemailRouting:
    """When calls go to voicemail: after ``delay_seconds`` of ringing, when busy, when the
    callee has no registered phone; never for the users in ``off`` (they turned it off)."""

    delay_seconds: float = 20.0
    on_busy: bool = True
    on_not_registered: bool = True
    off: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()  # the group inbox numbers

    def takes(self, extension: str) -> bool:
        return extension not in self.off


@dataclass(slots=True)
class _Rerouted:
    """A voicemail call that left its mailbox (1 or 2) and rings elsewhere."""

    mailbox: str
    callee: str
    callee_name: str | None
    callee_member: Member | None
    reason: CallReason | None  # why it went to voicemail (the record, if it comes back)
    forks: list[Leg] = field(default_factory=list)


class VoicemailCalls(Forks):
    """The machine's voicemail handlers; ``voicemail`` is None until a service attaches."""

    voicemail: VoicemailRouting | None
    forwarding_codes: bool = False  # a routing service answers *21*<number>* and #21#*
    _vm_reasons: dict[CallId, CallReason]  # why each voicemail call went there
    _country: str
    _vm_ringing: dict[CallId, _Rerouted]  # made on first use (see _vm_rerouted)

    def _leg_id(self) -> LegId:
        raise NotImplementedError

    def _vm_rerouted(self) -> dict[CallId, _Rerouted]:
        """Calls that left voicemail for another number (kept on the machine)."""
        found: dict[CallId, _Rerouted] | None = getattr(self, "_vm_ringing", None)
        if found is None:
            found = {}
            self._vm_ringing = found
        return found

    # the machine's own (earlier in its MRO)
    def _arm(self, call: Call, name: str, delay: float) -> list[CallAction]:
        raise NotImplementedError

    def _disarm(self, call: Call, name: str) -> list[CallAction]:
        raise NotImplementedError

    def _answer_leg(
        self,
        call: Call,
        leg: Leg,
        prefer: Leg | None = None,
        codecs: Sequence[CodecSpec] | None = None,
    ) -> list[CallAction]:
        raise NotImplementedError

    def _refuse(self, call: Call, status: int) -> list[CallAction]:
        raise NotImplementedError

    def _unregistered_to_voicemail(self, route: Route, target: str) -> bool:
        """A call to a user with no registered phone goes to their voicemail (not 480)."""
        routing = self.voicemail
        if routing is not None and target in routing.groups:
            return True  # a group inbox: always voicemail
        return (
            routing is not None
            and routing.on_not_registered
            and route.callee_exists
            and not route.contacts
            and routing.takes(target)
        )

    def _voicemail_service(self, call: Call) -> list[CallAction]:
        """A call to ``*1*<ext>*``, ``9100`` or to an unregistered user has its RTP port."""
        if call.service == "forwarding":
            return self._forwarding_code(call)
        if self.voicemail is None:
            return self._refuse(call, 404)
        return self._voicemail_ready(call, self._vm_reasons.get(call.call_id, "direct"))

    def _forwarding_code(self, call: Call) -> list[CallAction]:
        """``*21*<number>*`` / ``#21#*``: answer; the routing service confirms and hangs up."""
        if not self.forwarding_codes:
            return self._refuse(call, 404)
        try:
            actions = self._answer_leg(call, call.a)
        except MediaError:
            actions = self._step(call, call.a, "reject", 488)
            return actions + self._end(call, "no-common-codec")
        code = ForwardingCodeAnswered(call.call_id, call.a.leg_id, call.caller, call.service_arg)
        return [*actions, Publish(code), LinesChanged(call.extensions())]

    def _arm_voicemail(self, call: Call) -> list[CallAction]:
        """Forks are ringing: voicemail takes the call if nobody answers in time."""
        routing = self.voicemail
        if (
            routing is None
            or call.service is not None
            or call.transfer is not None
            or not routing.takes(call.callee)
        ):
            return []
        return self._arm(call, VOICEMAIL_TIMER, routing.delay_seconds)

    def voicemail_after(self, call_id: CallId, seconds: float | None) -> list[CallAction]:
        """Move a ringing call's voicemail time to ``seconds`` from now, or (None) take
        voicemail off it: a routing rule's own voicemail step."""
        call = self.registry.calls.get(call_id)
        if call is None or VOICEMAIL_TIMER not in call.timers:
            return []
        if seconds is None:
            return self._disarm(call, VOICEMAIL_TIMER)
        return self._arm(call, VOICEMAIL_TIMER, max(0.0, seconds))

    def _answered_forks_failed(self, call: Call) -> list[CallAction]:
        """The phones rung again after "press 2" all refused (busy, declined): back to the
        mailbox at once, not after the no-answer time."""
        if call.call_id in self._vm_rerouted():
            return self._back_to_voicemail(call)
        return []

    def _voicemail_timer(self, call: Call) -> list[CallAction]:
        call.timers.discard(VOICEMAIL_TIMER)
        if call.call_id in self._vm_rerouted():
            return self._back_to_voicemail(call)
        if (
            self.voicemail is None
            or call.b is not None
            or call.transfer is not None
            or call.service is not None
            or call.picked_by is not None  # a colleague is taking it through the API
            or call.a.state not in (_L.TRYING, _L.RINGING)
        ):
            return []
        return self._to_voicemail(call, call.callee, "no-answer")

    def _voicemail_instead(self, call: Call, reason: CallReason) -> bool:
        """Should a call whose forks all failed go to voicemail? When the phones are
        unreachable, or busy because the callee is in another call."""
        routing = self.voicemail
        return (
            routing is not None
            and routing.on_busy
            and routing.takes(call.callee)
            and call.service is None
            and call.transfer is None
            and call.picked_by is None
            and call.a.state in (_L.TRYING, _L.RINGING)
            and (
                reason == "no-answer"  # unreachable phones (408, 480...)
                # busy in another call; a 486 from an idle phone is its user's refusal
                or (reason == "busy" and self.registry.line_state(call.callee) == "busy")
            )
        )

    def _to_voicemail(self, call: Call, mailbox: str, reason: CallReason | str) -> list[CallAction]:
        """Cancel the forks, answer the caller and hand the leg to the voicemail service."""
        actions = self._disarm(call, VOICEMAIL_TIMER)
        for fork in call.forks:
            if fork.state is not _L.ENDED:
                actions += self._step(call, fork, "cancel")
        call.service, call.service_arg = "voicemail", mailbox
        return actions + self._voicemail_ready(call, reason)

    def _voicemail_ready(self, call: Call, reason: CallReason | str) -> list[CallAction]:
        """Answer a voicemail call (deposit or listen) and publish it for the service."""
        listen = call.service == "voicemail-listen"
        mailbox = call.caller if listen else (call.service_arg or call.callee)
        try:
            actions = self._answer_leg(call, call.a)
        except MediaError:
            actions = self._step(call, call.a, "reject", 488)
            return actions + self._end(call, "no-common-codec")
        routing = self.voicemail
        if not listen and routing is not None and mailbox in routing.groups:
            self._vm_reasons.pop(call.call_id, None)  # a call to a group inbox: no one missed it
            reason = "group"
        elif not listen:
            # the callee did not answer: the record says why, not "answered"
            call.answered_at = None
            recorded = _RECORDED.get(reason)
            if recorded is not None:
                self._vm_reasons[call.call_id] = recorded
        answered = VoicemailAnswered(
            call.call_id,
            call.a.leg_id,
            mailbox,
            call.caller,
            call.caller_name,
            "listen" if listen else "deposit",
            reason if not listen else "listen",
        )
        return [*actions, Publish(answered), LinesChanged(call.extensions())]

    def voicemail_reason(self, call: Call, reason: CallReason) -> CallReason:
        """The reason a voicemail call is recorded with (why it went to voicemail)."""
        self._vm_rerouted().pop(call.call_id, None)
        return self._vm_reasons.pop(call.call_id, reason)

    # -- leaving voicemail: 1 (personal assistance) and 2 (bypass) ----------------------

    def reroute(self, call_id: CallId, target: str, route: Route) -> list[CallAction]:
        """The caller pressed 1 or 2: ring ``target``'s phones (``route``, looked up by the
        driver without the callee's call flows) with ringback; nobody, or nobody answering
        within the voicemail delay, brings the call back to its mailbox."""
        call = self.registry.calls.get(call_id)
        routing = self.voicemail
        if (
            routing is None
            or call is None
            or call.ended
            or call.service != "voicemail"
            or call.b is not None
            or call.a.state is not _L.ANSWERED
        ):
            return []
        mailbox = call.service_arg or call.callee
        memo = _Rerouted(
            mailbox,
            call.callee,
            call.callee_name,
            call.callee_member,
            self._vm_reasons.pop(call.call_id, None),
        )
        if not route.callee_exists or not route.contacts:
            self._vm_reasons.pop(call.call_id, None)
            if memo.reason is not None:
                self._vm_reasons[call.call_id] = memo.reason
            return self._again(call, mailbox)
        actions: list[CallAction] = []
        now = self._clock()
        if target != call.callee:  # personal assistance: the callee's part is a missed call
            actions.append(Record(call.record(memo.reason or "no-answer", now)))
            call.new_segment(call.a, None, now)
            call.callee, call.callee_name = target, route.callee_name
            call.callee_member = route.callee_member
        call.service = call.service_arg = None
        forks = [Leg.fork(self._leg_id(), target, c, route.callee_name) for c in route.contacts]
        memo.forks = forks
        self._vm_rerouted()[call.call_id] = memo
        call.forks = [f for f in call.forks if f.state is not _L.ENDED] + forks
        for fork in forks:
            self.registry.move(fork, call)
        actions += [OpenMedia(f.leg_id) for f in forks]
        actions += self._arm(call, VOICEMAIL_TIMER, routing.delay_seconds)
        actions.append(ConnectTone(call.a.leg_id, "ringback", self._country))
        return [*actions, LinesChanged(call.extensions())]

    def _back_to_voicemail(self, call: Call) -> list[CallAction]:
        """Nobody answered after 1 or 2: the caller is back in the same mailbox."""
        memo = self._vm_rerouted().pop(call.call_id)
        if call.b is not None or call.ended or call.a.state is not _L.ANSWERED:
            return []  # answered meanwhile
        actions = self._disarm(call, VOICEMAIL_TIMER)
        for fork in memo.forks:
            if fork.state in (_L.OPENING, _L.TRYING, _L.RINGING):
                actions += self._step(call, fork, "cancel")
        if call.callee != memo.callee:
            call.callee, call.callee_name = memo.callee, memo.callee_name
            call.callee_member = memo.callee_member
        if memo.reason is not None:
            self._vm_reasons[call.call_id] = memo.reason
        return actions + self._again(call, memo.mailbox)

    def _again(self, call: Call, mailbox: str) -> list[CallAction]:
        call.service, call.service_arg = "voicemail", mailbox
        answered = VoicemailAnswered(
            call.call_id, call.a.leg_id, mailbox, call.caller, call.caller_name, "deposit", "again"
        )
        actions: list[CallAction] = [Disconnect(call.a.leg_id), Publish(answered)]
        return [*actions, LinesChanged(call.extensions())]

    def hang_up(self, call_id: CallId) -> list[CallAction]:
        """The PBX ends a call it answered (voicemail is done): BYE, then the record."""
        call = self.registry.calls.get(call_id)
        if call is None or call.ended:
            return []
        actions: list[CallAction] = []
        for leg in call.legs():
            if leg.state is _L.ANSWERED:
                actions += self._step(call, leg, "hangup")
        return actions + self._end(call, "hangup")
