"""Transfers and park, sans-IO: REFER (RFC 3515), Replaces (RFC 3891), transfer recall, the park
lot. Part of the call machine (:mod:`pbx_core.signaling.callmachine`), whose table and
``_step``/``_end`` drive these handlers.

Every feature here is a re-wiring of legs that already exist: the transferor's leg leaves the
call (NOTIFY 200, then BYE), the remaining party ("transferee") becomes the call's ``a`` and
hears ringback while new forks ring the target; the first to answer becomes ``b``. A target that
is busy, absent or silent for ``transfer_ring_seconds`` makes the PBX ring the transferor again
("transfer recall"). Park is a transfer to ``7000``: the transferee hears the "parked" prompt
and music until someone dials the slot or the recall time rings the one who parked it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pbx_core.errors import Conflict
from pbx_core.events import CallParked, CallTransferred, CallUnparked
from pbx_core.ids import CallId, LegId
from pbx_core.media.connections import ConnectPrompt
from pbx_core.signaling._call_actions import (
    CallAction,
    FindRoute,
    LegRequest,
    LinesChanged,
    OpenMedia,
    Publish,
    Record,
    SendRequest,
    StartTimer,
    StopTimer,
)
from pbx_core.signaling._forks import Forks
from pbx_core.signaling.calls import Call, Leg, LegState, Route, Transfer
from pbx_core.signaling.features import Conference, Dial, Park, parse_target
from pbx_core.signaling.parking import ParkedCall, ParkingLot
from pbx_core.signaling.refer import parse_refer_to, sipfrag_notify
from pbx_core.signaling.useragent import ServerTransactionHandle

__all__ = ["CallOptions", "Transfers"]

_log = logging.getLogger(__name__)
_L = LegState
RING_TIMER = "transfer-ring"
PARK_TIMER = "park-recall"


@dataclass(frozen=True, slots=True)
class CallOptions:
    """How long a transfer target rings before the recall, how long a call stays parked, and
    the language and country of prompts and tones."""

    transfer_ring_seconds: float = 30.0
    park_recall_seconds: float = 180.0
    language: str = "en"
    country: str = "NL"


class Transfers(Forks):
    """REFER handling, transfer forks and recall, park and its recall."""

    options: CallOptions
    lot: ParkingLot

    def _leg_id(self) -> LegId:
        raise NotImplementedError

    # -- REFER ---------------------------------------------------------------------------

    def _refer(self, call: Call, leg: Leg, tx: ServerTransactionHandle) -> list[CallAction]:
        """A REFER inside ``leg``'s dialog: transfer the other party (§2.4.2: 202, NOTIFYs)."""
        problem = self._cannot_transfer(call, leg)
        if problem is not None:
            return self._reply(tx, 491 if call.transfer is not None else 403, problem)
        try:
            refer_to = parse_refer_to(tx.request)
        except ValueError as exc:
            return self._reply(tx, 400, f"Bad Request - {exc}")
        leg.referring = True
        actions = [*self._reply(tx, 202), *self._notify(call, leg, 100, final=False)]
        if refer_to.replaces is None:
            return actions + self._transfer_to(call, leg, refer_to.target)
        replaces = refer_to.replaces
        found = self.registry.by_dialog(replaces.call_id, replaces.to_tag)
        if found is None or self._cannot_join(call, *found) is not None:
            return actions + self._notify(call, leg, 481, final=True)
        return actions + self._attended(call, leg, *found)

    def _cannot_transfer(self, call: Call, leg: Leg) -> str | None:
        """Why ``leg`` cannot hand its call on now (None: it can)."""
        peer = call.peer(leg)
        if (
            leg.state is not _L.ANSWERED
            or peer is None
            or peer.state is not _L.ANSWERED
            or call.service is not None
            or call.intruder is not None
        ):
            return "Forbidden - nothing to transfer in this call"
        if call.transfer is not None:
            return "Request Pending - a transfer is already under way"
        return None

    def _cannot_join(self, call: Call, other_call: Call, other_leg: Leg) -> str | None:
        """Why an attended transfer cannot join ``call`` with ``other_call`` (None: it can)."""
        other_peer = other_call.peer(other_leg)
        if (
            other_call is call
            or other_peer is None
            or other_peer.state is not _L.ANSWERED
            or other_call.transfer is not None
            or other_call.service is not None
            or other_call.intruder is not None
        ):
            return "the other call cannot be joined"
        return None

    def _transfer_to(self, call: Call, leg: Leg, dialled: str) -> list[CallAction]:
        """Hand the other party on to ``dialled``: a colleague, park (7000) or a room."""
        peer = call.peer(leg)
        assert peer is not None
        target = parse_target(dialled)
        if isinstance(target, Park):
            return self._park(call, leg, peer)
        if isinstance(target, Conference):
            actions = self._notify(call, leg, 200, final=True) + self._release(call, leg)
            call.service, call.room = "conference", target.room
            return actions + self._wiring(call) + [LinesChanged(call.extensions())]
        if not isinstance(target, Dial):
            return self._notify(call, leg, 403, final=True)
        call.transfer = Transfer(leg.extension, leg.name, target.extension, leg.leg_id)
        return [FindRoute(call.call_id, target.extension)]

    # -- the same for the API ---------------------------------------------------------------

    def transfer(
        self, call_id: CallId, extension: str, target: str, device: str | None = None
    ) -> list[CallAction]:
        """Blind transfer (or park with 7000) of ``extension``'s call, asked through the API;
        ``device`` (a Contact URI of ``target``) rings that phone only: moving a call to
        another of one's own phones. Conflict with the reason when it cannot be done."""
        call, leg = self._own_leg(call_id, extension)
        problem = self._cannot_transfer(call, leg)
        if problem is not None:
            raise Conflict(problem.split(" - ")[-1])
        if parse_target(target) is None:
            raise Conflict(f"{target} is not a number to transfer to")
        actions = self._transfer_to(call, leg, target)
        if call.transfer is not None:
            call.transfer.device = device
        return actions

    def attended_transfer(
        self, call_id: CallId, other_call_id: CallId, extension: str
    ) -> list[CallAction]:
        """Connect the other parties of two of ``extension``'s calls and leave both."""
        call, leg = self._own_leg(call_id, extension)
        other_call, other_leg = self._own_leg(other_call_id, extension)
        problem = self._cannot_transfer(call, leg) or self._cannot_join(call, other_call, other_leg)
        if problem is not None:
            raise Conflict(problem.split(" - ")[-1])
        return self._attended(call, leg, other_call, other_leg)

    def _own_leg(self, call_id: CallId, extension: str) -> tuple[Call, Leg]:
        call = self.registry.calls.get(call_id)
        legs = [] if call is None or call.ended else call.answered_legs()
        leg = next((x for x in legs if x.extension == extension), None)
        if call is None or leg is None:
            raise Conflict(f"no answered call {call_id} of {extension}")
        return call, leg

    def _notify(self, call: Call, leg: Leg, status: int, *, final: bool) -> list[CallAction]:
        if leg.dialog is None or leg.state is not _L.ANSWERED or not leg.referring:
            return []  # a transfer asked through the API has no subscription to report to
        request = sipfrag_notify(leg.dialog, status, final=final)
        return [
            SendRequest(request, leg.destination, LegRequest(call.call_id, leg.leg_id, "notify"))
        ]

    def _release(self, call: Call, leg: Leg) -> list[CallAction]:
        """The transferor leaves: BYE, its part of the call recorded; the other party stays."""
        peer = call.peer(leg)
        actions = self._step(call, leg, "hangup")
        actions += self._abandon_reinvite(leg)
        if call.answered_at is not None:
            actions.append(Record(call.record("transferred", self._clock(), leg.extension)))
        self.registry.detach(leg)
        call.forks = [f for f in call.forks if f is not leg]  # the call is no longer theirs
        if leg.extension:
            actions.append(LinesChanged(frozenset({leg.extension})))
        assert peer is not None
        call.new_segment(peer, None, self._clock())
        return actions

    # -- blind transfer and recall -------------------------------------------------------

    def routed(self, call_id: CallId, target: str, route: Route) -> list[CallAction]:
        """What the store knows about a transfer target (or the transferor, on recall)."""
        call = self.registry.calls.get(call_id)
        transfer = call.transfer if call is not None else None
        if call is None or call.ended or transfer is None or transfer.target != target:
            return []
        if transfer.phase == "routing" and transfer.device is not None:
            transfer.phase = "ringing"  # a move: the first phone stays until the other answers
            actions = []
        elif transfer.phase == "routing":
            transferor = self._transferor(call)
            if not route.callee_exists:
                call.transfer = None
                return self._notify(call, transferor, 404, final=True)
            actions = self._notify(call, transferor, 200, final=True)
            actions += self._release(call, transferor)
            transfer.phase = "ringing"
            actions.append(Publish(CallTransferred(call.call_id, transfer.transferor, target)))
        else:
            actions = []
        call.callee, call.callee_name = target, route.callee_name
        call.callee_member = route.callee_member
        contacts = [
            c
            for c in route.contacts
            if transfer.device is None
            or transfer.phase != "ringing"
            or str(c.uri) == transfer.device
        ]
        if not contacts:
            return actions + self._transfer_failed(call)
        forks = [Leg.fork(self._leg_id(), target, c, route.callee_name) for c in contacts]
        call.forks = [f for f in call.forks if f.state is not _L.ENDED] + forks
        for fork in forks:
            self.registry.move(fork, call)
        actions += [OpenMedia(f.leg_id) for f in forks]
        actions += self._arm(call, RING_TIMER, self.options.transfer_ring_seconds)
        return [*actions, *self._wiring(call), LinesChanged(call.extensions())]

    def _transferor(self, call: Call) -> Leg:
        """The leg of the one who asked for the transfer, while it is still in the call."""
        transfer = call.transfer
        assert transfer is not None
        return call.b if call.b is not None and call.b.leg_id == transfer.leg else call.a

    def moving(self, call: Call) -> bool:
        """A move to another phone of the user rings while the first phone still talks."""
        transfer = call.transfer
        return transfer is not None and transfer.device is not None and call.b is not None

    def _transfer_answered(self, call: Call, fork: Leg) -> list[CallAction]:
        """The target (or the transferor, on recall) answered: connect the waiting party; a
        moved call leaves the first phone only now."""
        actions: list[CallAction] = []
        if self.moving(call):
            transfer = call.transfer
            assert transfer is not None
            actions += self._release(call, self._transferor(call))
            actions.append(
                Publish(CallTransferred(call.call_id, transfer.transferor, transfer.target))
            )
        call.b = fork
        call.transfer = None
        actions += self._disarm(call, RING_TIMER)
        for other in call.forks:
            if other is not fork and other.state in (_L.OPENING, _L.TRYING, _L.RINGING):
                actions += self._step(call, other, "cancel")
        call.answered_at = self._clock()
        actions += self._refresh(call, call.a)
        return [*actions, *self._wiring(call), LinesChanged(call.extensions())]

    def _transfer_failed(self, call: Call) -> list[CallAction]:
        """Nobody took the transfer: ring the transferor again, or put the call back in the
        lot; when the recall fails too, the call ends."""
        transfer = call.transfer
        assert transfer is not None
        actions = self._disarm(call, RING_TIMER)
        for fork in call.forks:
            if fork.state in (_L.TRYING, _L.RINGING):
                actions += self._step(call, fork, "cancel")
        if self.moving(call):  # the other phone did not take it: the call stays where it was
            call.transfer = None
            return [*actions, LinesChanged(call.extensions())]
        if transfer.phase == "ringing" and transfer.transferor:
            transfer.phase = "recall"
            transfer.target = transfer.transferor
            event = CallTransferred(call.call_id, None, transfer.transferor)
            return [*actions, Publish(event), FindRoute(call.call_id, transfer.transferor)]
        call.transfer = None
        if transfer.parked_slot is not None and self.lot.free_slot() is not None:
            return actions + self._into_lot(call, transfer.transferor, transfer.transferor_name)
        actions += self._step(call, call.a, "hangup")
        return actions + self._end(call, "no-answer")

    def transfer_timer(self, call: Call, name: str) -> list[CallAction]:
        """A call timer fired: the target rang too long, or a parked call waited too long."""
        call.timers.discard(name)
        if name == RING_TIMER and call.transfer is not None and call.b is None:
            return self._transfer_failed(call)
        if name == PARK_TIMER and call.parked is not None:
            parked = self.lot.release(call.parked)
            call.parked = None
            if parked is None or parked.parked_by is None:
                return []
            call.transfer = Transfer(
                parked.parked_by,
                parked.parked_by_name,
                parked.parked_by,
                phase="recall",
                parked_slot=parked.slot,
            )
            unparked = Publish(CallUnparked(call.call_id, parked.slot, None))
            return [unparked, FindRoute(call.call_id, parked.parked_by)]
        return []

    # -- park ----------------------------------------------------------------------------

    def _park(self, call: Call, leg: Leg, peer: Leg) -> list[CallAction]:
        if self.lot.free_slot() is None:
            return self._notify(call, leg, 503, final=True)
        actions = self._notify(call, leg, 200, final=True) + self._release(call, leg)
        return actions + self._into_lot(call, leg.extension, leg.name)

    def _into_lot(self, call: Call, by: str | None, by_name: str | None) -> list[CallAction]:
        slot = self.lot.free_slot()
        assert slot is not None
        a = call.a
        self.lot.park(
            ParkedCall(
                slot, call.call_id, a.extension or "", a.name, by or "", by_name, self._clock()
            )
        )
        call.parked = slot
        prompt = ConnectPrompt(a.leg_id, ("parked",), self.options.language, "music")
        actions: list[CallAction] = [prompt]
        actions += self._arm(call, PARK_TIMER, self.options.park_recall_seconds)
        event = CallParked(call.call_id, slot, by, a.extension or "", a.name)
        return [*actions, Publish(event), LinesChanged(call.extensions())]

    # -- attended transfer ---------------------------------------------------------------

    def _attended(self, call: Call, leg: Leg, other_call: Call, other_leg: Leg) -> list[CallAction]:
        """Attended transfer: the transferor's two calls become one between the others."""
        other_peer = other_call.peer(other_leg)
        assert other_peer is not None
        actions = self._notify(call, leg, 200, final=True)
        actions += self._release(call, leg) + self._release(other_call, other_leg)
        actions += self._disarm_all(other_call)
        self.registry.move(other_peer, call)
        self.registry.drop(other_call)
        call.new_segment(call.a, other_peer, self._clock())
        actions += self._refresh(call, call.a)
        actions += self._refresh(call, other_peer)
        event = CallTransferred(call.call_id, leg.extension, other_peer.extension or "")
        return [*actions, *self._wiring(call), Publish(event), LinesChanged(call.extensions())]

    # -- timers --------------------------------------------------------------------------

    def _arm(self, call: Call, name: str, delay: float) -> list[CallAction]:
        call.timers.add(name)
        return [StartTimer(call.call_id, name, delay)]

    def _disarm(self, call: Call, name: str) -> list[CallAction]:
        if name not in call.timers:
            return []
        call.timers.discard(name)
        return [StopTimer(call.call_id, name)]

    def _disarm_all(self, call: Call) -> list[CallAction]:
        actions: list[CallAction] = [StopTimer(call.call_id, n) for n in sorted(call.timers)]
        call.timers.clear()
        return actions
