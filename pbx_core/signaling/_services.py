"""Calls to the PBX's own numbers, sans-IO: park slots, conference rooms, pickup, intrusion,
fetch and INVITE with Replaces (seed 004 "Funktionskoder"). Part of the call machine.

Each is a call with only the caller's leg (``a``); once its RTP port is open the PBX answers
and re-wires: the caller's leg moves into the call it picks up, retrieves or takes over (the
emptied service call is dropped), or joins a conference room. Refusals are plain SIP answers:
403 not allowed, 404 nothing there.
"""

from __future__ import annotations

from collections.abc import Sequence

from pbx_core.errors import Conflict, MediaError
from pbx_core.events import (
    CallPickedUp,
    CallUnparked,
    ConferenceJoined,
    ConferenceLeft,
)
from pbx_core.ids import CallId
from pbx_core.media import CONFERENCE_CODECS, CodecSpec
from pbx_core.media.connections import ConnectPrompt
from pbx_core.permissions import Member, Permission, allowed
from pbx_core.signaling._call_actions import CallAction, LinesChanged, Publish
from pbx_core.signaling.callcontrol import PARK_TIMER, Transfers
from pbx_core.signaling.calls import Call, Leg, LegState
from pbx_core.store import CallReason

__all__ = ["Services"]

_L = LegState
_PICK_UP = Permission.PICK_UP
MAX_CONFERENCE = 32  # parties in one room (the mixer's limit)


class Services(Transfers):
    """Answers calls to feature codes, park slots and conference rooms."""

    def _service_ready(self, call: Call) -> list[CallAction]:
        """The caller's RTP port is open: do what the dialled number asks."""
        service = call.service
        if service == "conference":
            return self._join_conference(call)
        if service == "retrieve":
            return self._retrieve(call)
        if service == "pickup":
            return self._pickup(call)
        if service == "intrude":
            return self._intrude(call)
        if service in ("fetch", "replaces"):
            return self._take_over(call)
        if service in ("queue", "queue-login", "queue-logout", "listen", "whisper", "barge"):
            return self._queue_service(call)
        return self._refuse(call, 404)

    def _queue_service(self, call: Call) -> list[CallAction]:
        return self._refuse(call, 404)  # the queues' part of the machine answers these

    def _refuse(self, call: Call, status: int) -> list[CallAction]:
        actions = self._step(call, call.a, "reject", status)
        return actions + self._discard(call)

    def _discard(self, call: Call) -> list[CallAction]:
        raise NotImplementedError

    def _end(self, call: Call, reason: CallReason, ended_by: str | None = None) -> list[CallAction]:
        raise NotImplementedError

    def _answer_leg(
        self,
        call: Call,
        leg: Leg,
        prefer: Leg | None = None,
        codecs: Sequence[CodecSpec] | None = None,
    ) -> list[CallAction]:
        """Answer a caller's INVITE (we are its UAS), with the codec of ``prefer`` (or one of
        ``codecs``) if it can, else any codec both support."""
        assert leg.media is not None
        codec = prefer.media.codec if prefer is not None and prefer.media is not None else None
        wanted = [codec] if codec else codecs
        try:
            answer = self._caller_sdp(leg, wanted)
        except MediaError:
            answer = self._caller_sdp(leg, None)
        return self._step(call, leg, "answer", answer)

    def _adopt(self, service: Call, into: Call) -> Leg:
        """The service call's caller leg moves into ``into``; the service call is dropped."""
        leg = service.a
        self.registry.move(leg, into)
        self.registry.drop(service)
        service.ended = True
        return leg

    def _leave_features(self, call: Call) -> list[CallAction]:
        """An ending call leaves its park slot, its conference room, an intrusion."""
        actions: list[CallAction] = []
        if call.parked is not None:
            self.lot.release(call.parked)
            actions.append(Publish(CallUnparked(call.call_id, call.parked, None)))
            call.parked = None
        if call.service == "conference" and call.room is not None:
            for leg in call.answered_legs():
                if leg.extension:
                    actions.append(Publish(ConferenceLeft(call.room, leg.extension, call.call_id)))
        if call.intrudes is not None:
            actions += self._intrusion_over(call)
        intruder = call.intruder
        if intruder is not None:
            call.intruder = call.intruded = None
            found = self.registry.by_leg(intruder.leg_id)
            if found is not None and not found[0].ended:
                other, leg = found
                other.intrudes = None
                if leg.state is _L.ANSWERED:
                    actions += self._step(other, leg, "hangup")
                actions += self._end(other, "hangup")
        return actions

    # -- conference rooms ----------------------------------------------------------------

    def _join_conference(self, call: Call) -> list[CallAction]:
        try:  # G.711 where the phone has it: mixing G.722 costs far more (docs/pbx.md)
            actions = self._answer_leg(call, call.a, codecs=CONFERENCE_CODECS)
        except MediaError:
            return self._refuse(call, 488)
        assert call.room is not None
        joined = ConferenceJoined(call.room, call.caller, call.call_id)
        return [*actions, *self._wiring(call), Publish(joined)]

    def _left_room(self, call: Call, leg: Leg) -> list[CallAction]:
        """One party hung up in a conference; the call goes on for the others."""
        self.registry.detach(leg)
        actions: list[CallAction] = [LinesChanged(call.extensions() | {leg.extension or ""})]
        if call.room is not None and leg.extension:
            actions.append(Publish(ConferenceLeft(call.room, leg.extension, call.call_id)))
        return actions

    def merge(
        self, call_id: CallId, other_call_id: CallId, extension: str
    ) -> tuple[list[CallAction], str]:
        """Merge two of ``extension``'s calls into one conference (the API's "merge", and
        "add a party" after calling them): everyone hears everyone else; ``extension`` keeps
        its leg in the first call and leaves the second. Returns the actions and the room;
        Conflict when the calls cannot be merged."""
        call, leg = self._own_leg(call_id, extension)
        other_call, other_leg = self._own_leg(other_call_id, extension)
        for one, mine in ((call, leg), (other_call, other_leg)):
            if (
                one.transfer is not None
                or one.intruder is not None
                or one.service not in (None, "conference")
                or (one.peer(mine) is None and one.service is None)
            ):
                raise Conflict("these calls cannot be merged now")
        if call is other_call:
            raise Conflict("these calls cannot be merged now")
        room = call.room or other_call.room or f"conf-{call.call_id}"
        members = len(call.answered_legs()) + len(other_call.answered_legs()) - 1
        if members > MAX_CONFERENCE:
            raise Conflict(f"a conference has at most {MAX_CONFERENCE} parties")
        actions: list[CallAction] = []
        if other_call.service == "conference":
            actions += self._step(other_call, other_leg, "hangup") + self._left_room(
                other_call, other_leg
            )
        else:
            actions += self._release(other_call, other_leg)
        for one in (call, other_call):
            newcomer = one.service is None
            one.service, one.room = "conference", room
            for party in one.answered_legs():
                actions += self._refresh(one, party)
                if newcomer and party.extension:
                    actions.append(Publish(ConferenceJoined(room, party.extension, one.call_id)))
            actions += self._wiring(one)
            actions.append(LinesChanged(one.extensions()))
        return actions, room

    # -- park slots ----------------------------------------------------------------------

    def _retrieve(self, call: Call) -> list[CallAction]:
        slot = call.service_arg or ""
        parked = self.lot.at(slot)
        target = self.registry.calls.get(parked.call_id) if parked is not None else None
        if target is None or target.ended or target.parked != slot:
            return self._refuse(call, 404)
        assert parked is not None
        if not self._may(call, Permission.PICK_UP_PARKED, parked.parked_by, None):
            return self._refuse(call, 403)
        self.lot.release(slot)
        target.parked = None
        leg = self._adopt(call, target)
        actions = self._disarm(target, PARK_TIMER)
        actions += self._answer_leg(target, leg, prefer=target.a)
        target.new_segment(target.a, leg, self._clock())
        actions += self._refresh(target, target.a)
        actions.append(Publish(CallUnparked(target.call_id, slot, leg.extension)))
        return [*actions, *self._wiring(target), LinesChanged(target.extensions())]

    # -- pickup --------------------------------------------------------------------------

    @staticmethod
    def _may(call: Call, permission: Permission, extension: str, target: Member | None) -> bool:
        """May the caller of ``call`` pick up or intrude on ``extension`` (``target``: its
        department and user groups, None for no such user)?"""
        actor = call.caller_member
        return actor is not None and allowed(actor, permission, target or Member(extension))

    def _pickup(self, call: Call) -> list[CallAction]:
        extension = call.service_arg
        ringing = [
            other
            for other in self.registry.calls.values()
            if not other.ended
            and other is not call
            and other.service is None
            and other.b is None
            and other.transfer is None
            and other.a.state in (_L.TRYING, _L.RINGING)
            and any(f.state is _L.RINGING for f in other.forks)
            and other.callee != call.caller
            and (other.callee == extension if extension else True)
        ]
        if extension is None:
            ringing = [o for o in ringing if self._may(call, _PICK_UP, o.callee, o.callee_member)]
        if not ringing:
            return self._refuse(call, 404)
        target = min(ringing, key=lambda c: c.started_at)
        if not self._may(call, _PICK_UP, target.callee, target.callee_member):
            return self._refuse(call, 403)
        rang_at = target.callee
        leg = self._adopt(call, target)
        actions: list[CallAction] = []
        for fork in target.forks:
            if fork.state is not _L.ENDED:
                actions += self._step(target, fork, "cancel")
        target.b = leg
        target.callee, target.callee_name = leg.extension or "", leg.name
        actions += self._answer_leg(target, leg)
        try:
            actions += self._answer_leg(target, target.a, prefer=leg)
        except MediaError:
            actions += self._step(target, leg, "hangup") + self._step(
                target, target.a, "reject", 488
            )
            return actions + self._end(target, "no-common-codec")
        event = CallPickedUp(target.call_id, leg.extension or "", rang_at)
        return [*actions, *self._wiring(target), Publish(event), LinesChanged(target.extensions())]

    # -- intrusion -----------------------------------------------------------------------

    def _intrude(self, call: Call) -> list[CallAction]:
        extension = call.service_arg
        found = next(
            (
                (other, leg)
                for other in self.registry.calls.values()
                if not other.ended
                and other.b is not None
                and other.intruder is None
                and other.service is None
                for leg in other.answered_legs()
                if leg.extension == extension and other.peer(leg) is not None
            ),
            None,
        )
        if found is None:
            return self._refuse(call, 404)
        target, intruded = found
        if not self._may(call, Permission.INTRUDE, extension or "", call.callee_member):
            return self._refuse(call, 403)
        actions = self._answer_leg(call, call.a, prefer=intruded)
        target.intruder, target.intruded = call.a, intruded
        call.intrudes = target.call_id
        other = target.peer(intruded)
        assert other is not None
        language = self.options.language
        actions.append(ConnectPrompt(other.leg_id, ("intrusion",), language, "music"))
        return [*actions, *self._wiring(target), LinesChanged(call.extensions())]

    def _intrusion_over(self, call: Call) -> list[CallAction]:
        """The intruder hung up: reconnect the two parties of the call it broke into."""
        target = self.registry.calls.get(call.intrudes) if call.intrudes else None
        call.intrudes = None
        if target is None or target.ended:
            return []
        target.intruder = target.intruded = target.supervision = None
        return self._wiring(target)

    # -- fetch (*7*) and INVITE with Replaces ----------------------------------------------

    def _take_over(self, call: Call) -> list[CallAction]:
        """The caller's new leg replaces one of its own answered legs in another call."""
        found = self._to_replace(call)
        if found is None:
            return self._refuse(call, 404 if call.service == "fetch" else 481)
        target, old = found
        leg = self._adopt(call, target)
        actions = self._answer_leg(target, leg, prefer=old)
        if old is target.a:
            target.a = leg
        else:
            target.b = leg
        actions += self._step(target, old, "hangup") + self._abandon_reinvite(old)
        self.registry.detach(old)
        return [*actions, *self._wiring(target), LinesChanged(target.extensions())]

    def _to_replace(self, call: Call) -> tuple[Call, Leg] | None:
        if call.service == "replaces":
            replaces = call.replaces
            if replaces is None:
                return None
            found = self.registry.by_dialog(replaces.call_id, replaces.to_tag)
            if found is None or found[1].state is not _L.ANSWERED:
                return None
            return found
        for other in self.registry.calls.values():
            if other.ended or other is call or other.b is None or other.service is not None:
                continue
            for leg in (other.a, other.b):
                if leg.extension == call.caller and leg.state is _L.ANSWERED:
                    return other, leg
        return None
