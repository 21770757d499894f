"""The B2BUA with call routing: before a new INVITE is routed, the routing service may send it
elsewhere (a forwarding target, the callee's voicemail) by rewriting the dialled number; the
call machine then handles it as if that number had been dialled. When a routing rule decided
(P5), the call starts with the phones of the rule's first step only, and the step runner
(:mod:`pbx_core.routing.runner`) carries out the later steps on the same call."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from pbx_core.routing.schedule import Schedule
from pbx_core.signaling.b2bua import B2bua
from pbx_core.signaling.useragent import ServerTransactionHandle

if TYPE_CHECKING:
    from pbx_core.routing.runner import StepRunner

__all__ = ["Reroute", "Routed", "RoutingB2bua"]

_log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class Routed:
    """Where a new call goes: ``number`` instead of the dialled one (None: as dialled), and
    the schedule of the rule that decided for ``callee`` (None: the built-in rows);
    ``unavailable``: no phone rings and there is no voicemail to take the call (486)."""

    number: str | None = None
    schedule: Schedule | None = None
    callee: str = ""
    unavailable: bool = False


Reroute = Callable[[str, str], Awaitable[Routed]]
"""(caller, dialled) -> where the call goes."""


class RoutingB2bua(B2bua):
    """A :class:`B2bua` whose new calls go where ``reroute`` says."""

    reroute: Reroute | None = None
    runner: StepRunner | None = None

    async def _route(self, tx: ServerTransactionHandle, caller: str, key: tuple[str, str]) -> None:
        reroute = self.reroute
        dialled = tx.request.uri.user or ""
        routed = Routed()
        if reroute is not None and dialled:
            try:
                routed = await reroute(caller, dialled)
            except Exception:  # routing must never lose the call: ring as dialled
                _log.exception("routing of a call from %s to %s failed", caller, dialled)
            instead = routed.number
            if instead is not None and instead != dialled and not tx.final_sent:
                _log.info("call from %s to %s goes to %s", caller, dialled, instead)
                tx.request.uri = dataclasses.replace(tx.request.uri, user=instead)
        if routed.unavailable or (routed.schedule is not None and self.runner is not None):
            await self._route_decided(tx, caller, key, routed)
        else:
            await super()._route(tx, caller, key)

    async def _route_decided(
        self,
        tx: ServerTransactionHandle,
        caller: str,
        key: tuple[str, str],
        routed: Routed,
    ) -> None:
        """As :meth:`B2bua._route`, with the first step's phones as the call's forks, or none
        when the callee is unavailable (the call machine answers 486)."""
        endpoint = self._endpoint
        dialled = tx.request.uri.user or ""
        try:
            route = await endpoint.store.route(caller, dialled)
        except BaseException:
            if not tx.final_sent:
                tx.reply(500, "Server Internal Error - route lookup failed")
            raise
        finally:
            self._starting[key] -= 1
            if self._starting[key] <= 0:
                del self._starting[key]
        if route.callee_exists and self.blocked is not None and self.blocked(dialled, caller):
            _log.info("INVITE from %s to %s refused: blocked by the callee", caller, dialled)
            if not tx.final_sent:
                tx.reply(603, "Decline")
            return
        if routed.unavailable:
            route = dataclasses.replace(route, contacts=(), unavailable=True)
            endpoint.run(endpoint.machine.new_call(tx, caller, route))
            return
        schedule, runner = routed.schedule, self.runner
        assert schedule is not None and runner is not None
        first = runner.phase_rings(routed.callee, caller, schedule.phases[0])
        if first:
            route = dataclasses.replace(route, contacts=tuple(r.contact for r in first))
        endpoint.run(endpoint.machine.new_call(tx, caller, route))
        call = endpoint.machine.registry.by_invite(tx)
        if first and call is not None and not call.ended and call.service is None:
            runner.track(call, caller, schedule, first)
