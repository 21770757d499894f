"""Pickup asked through the API, sans-IO: the PBX rings the user's phones itself. Part of the
call machine.

A phone picks up by dialling (``7001``, ``*9*<ext>*``, ``*8*``: :mod:`._services`). A client of
the API has no call to dial from, so the PBX calls the user's registered phones instead, with
the waiting party's number as the caller:

- a parked call: taken out of its slot, and the user's phones ring as they would on a park
  recall; whoever answers talks to the parked party. Nobody answers: back into the lot.
- a ringing call: the user's phones are added as forks of that call, so the first phone to
  answer (the colleague's or the user's) wins, exactly as when the call was first forked.
"""

from __future__ import annotations

from pbx_core.errors import Conflict, Forbidden, NotFound
from pbx_core.events import CallPickedUp, CallUnparked
from pbx_core.ids import CallId
from pbx_core.permissions import Member, Permission, allowed
from pbx_core.signaling._call_actions import CallAction, FindRoute, LinesChanged, OpenMedia, Publish
from pbx_core.signaling._services import Services
from pbx_core.signaling.callcontrol import PARK_TIMER
from pbx_core.signaling.calls import Call, Leg, LegState, Route, Transfer

__all__ = ["Pickups"]

_L = LegState


class Pickups(Services):
    """Parked and ringing calls picked up on behalf of an API client."""

    def ringing_calls(self, picker: str, extension: str | None) -> list[Call]:
        """Calls ringing at ``extension`` (any extension: None), oldest first, that
        ``picker`` did not make itself."""
        found = [
            call
            for call in self.registry.calls.values()
            if not call.ended
            and call.service is None
            and call.b is None
            and call.transfer is None
            and call.a.state in (_L.TRYING, _L.RINGING)
            and any(f.state is _L.RINGING for f in call.forks)
            and call.callee != picker
            and call.caller != picker
            and (extension is None or call.callee == extension)
        ]
        return sorted(found, key=lambda c: c.started_at)

    def pick_up_ringing(
        self, member: Member, extension: str | None
    ) -> tuple[CallId, list[CallAction]]:
        """Ring the phones of ``member`` (the picker) for the call ringing at ``extension``
        (directed) or at anyone whose calls they may pick up (group: their department);
        NotFound, Forbidden or Conflict."""
        picker = member.extension
        ringing = self.ringing_calls(picker, extension)
        permitted = [
            c
            for c in ringing
            if allowed(member, Permission.PICK_UP, c.callee_member or Member(c.callee))
        ]
        if not ringing or (extension is None and not permitted):  # others' calls stay unseen
            where = f"at {extension}" if extension else "in your group"
            raise NotFound(f"no call is ringing {where}")
        if not permitted:
            raise Forbidden(f"you may not pick up calls for {extension}")
        call = permitted[0]
        if any(f.extension == call.picked_by and f.state is not _L.ENDED for f in call.forks):
            raise Conflict(f"{call.picked_by} is already picking up this call")
        call.picked_by = picker
        return call.call_id, [FindRoute(call.call_id, picker)]

    def pick_up_parked(self, slot: str, picker: str) -> tuple[CallId, list[CallAction]]:
        """Ring ``picker``'s phones for the call parked in ``slot``; NotFound or Conflict."""
        parked = self.lot.at(slot)
        call = self.registry.calls.get(parked.call_id) if parked is not None else None
        if parked is None or call is None or call.ended or call.parked != slot:
            raise NotFound(f"no call is parked in {slot}")
        if call.transfer is not None:
            raise Conflict(f"the call in {slot} is already being picked up")
        self.lot.release(slot)
        call.parked = None
        actions = self._disarm(call, PARK_TIMER)
        call.transfer = Transfer(
            parked.parked_by or None,
            parked.parked_by_name,
            picker,
            phase="recall",  # rings like a recall; unanswered, it goes back into the lot
            parked_slot=slot,
        )
        actions.append(Publish(CallUnparked(call.call_id, slot, picker)))
        return call.call_id, [*actions, FindRoute(call.call_id, picker)]

    # -- the machine's hooks ---------------------------------------------------------------

    def routed(self, call_id: CallId, target: str, route: Route) -> list[CallAction]:
        call = self.registry.calls.get(call_id)
        if call is not None and call.transfer is None and call.picked_by == target:
            return self._ring_picker(call, route)
        return super().routed(call_id, target, route)

    def _ring_picker(self, call: Call, route: Route) -> list[CallAction]:
        """Add the picker's phones to the forks of a call that still rings."""
        picker = call.picked_by
        assert picker is not None
        if call.ended or call.b is not None or not route.contacts:
            call.picked_by = None
            return []
        forks = [Leg.fork(self._leg_id(), picker, c, route.callee_name) for c in route.contacts]
        call.forks += forks
        for fork in forks:
            self.registry.move(fork, call)
        return [*(OpenMedia(f.leg_id) for f in forks), LinesChanged(call.extensions())]

    def _connect(self, call: Call, fork: Leg) -> list[CallAction]:
        picked = call.a.state is not _L.ANSWERED and fork.extension == call.picked_by
        rang_at = call.callee
        actions = super()._connect(call, fork)
        if picked and call.b is fork:
            call.picked_by = None
            call.callee, call.callee_name = fork.extension or "", fork.name
            event = CallPickedUp(call.call_id, fork.extension or "", rang_at)
            actions += [Publish(event), LinesChanged(call.extensions())]
        return actions
