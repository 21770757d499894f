"""Reliable provisionals to a caller that requires them (RFC 3262), in the call machine: the
180 goes out through :class:`~pbx_core.signaling.reliable.ReliableProvisionals` (``RSeq``,
``Require: 100rel``, a Contact for the early dialog, re-sent until its PRACK), PRACKs are
answered 200 or 481, and an INVITE whose 180 is never PRACKed within 64·T1 is rejected with
500 (§3). Part of the call machine (:mod:`pbx_core.signaling.callmachine`).
"""

from __future__ import annotations

from pbx_core.signaling._call_actions import CallAction, Reply
from pbx_core.signaling.calls import Call, Leg, LegState
from pbx_core.signaling.message import SipRequest, SipResponse
from pbx_core.signaling.midcall import MidCall
from pbx_core.signaling.reliable import (
    AnswerPrack,
    ArmResend,
    ReliableAction,
    ReliableProvisionals,
    SendProvisional,
)
from pbx_core.signaling.session_timer import option_tags
from pbx_core.signaling.useragent import ServerTransactionHandle
from pbx_core.store import CallReason

__all__ = ["PRACK_TIMER", "Pracks"]

PRACK_TIMER = "prack:"  # + leg id: re-send the caller's reliable provisional
_L = LegState


class Pracks(MidCall):
    """Reliable 180s and their PRACKs, for :class:`CallMachine`."""

    def _step(self, call: Call, leg: Leg, event: str, arg: object = None) -> list[CallAction]:
        raise NotImplementedError

    def _end(self, call: Call, reason: CallReason, ended_by: str | None = None) -> list[CallAction]:
        raise NotImplementedError

    def _arm(self, call: Call, name: str, delay: float) -> list[CallAction]:
        raise NotImplementedError

    @staticmethod
    def reliable_for(request: SipRequest) -> ReliableProvisionals | None:
        """The reliable provisionals of a new INVITE that requires 100rel, else None (one that
        only supports it gets ordinary provisionals, §3)."""
        if "100rel" in option_tags(request, "Require"):
            return ReliableProvisionals(request)
        return None

    def _provisional(self, call: Call, a: Leg, response: SipResponse) -> list[CallAction]:
        if a.reliable is None:
            return super()._provisional(call, a, response)
        response.headers.add("Contact", str(self._contact_of(a)))
        self.registry.index_early(call, a)  # the PRACK comes in the early dialog
        return self._reliable_actions(call, a, a.reliable.send(response), None)

    def _prack(self, call: Call, leg: Leg, tx: ServerTransactionHandle) -> list[CallAction]:
        if leg.reliable is None:
            return self._reply(tx, 481)
        return self._reliable_actions(call, leg, leg.reliable.prack(tx.request), tx)

    def prack_timer(self, call: Call, name: str) -> list[CallAction]:
        """The re-send timer of a reliable provisional fired."""
        call.timers.discard(name)
        a = call.a
        if a.reliable is None or a.server_tx is None or a.server_tx.final_sent:
            return []  # answered or ended meanwhile: nothing more to re-send
        return self._reliable_actions(call, a, a.reliable.fired(), None)

    def _reliable_actions(
        self,
        call: Call,
        leg: Leg,
        actions: list[ReliableAction],
        tx: ServerTransactionHandle | None,
    ) -> list[CallAction]:
        out: list[CallAction] = []
        for action in actions:
            if isinstance(action, SendProvisional):
                if leg.server_tx is not None and not leg.server_tx.final_sent:
                    out.append(Reply(leg.server_tx, action.response))
            elif isinstance(action, ArmResend):
                out += self._arm(call, PRACK_TIMER + leg.leg_id, action.delay)
            elif isinstance(action, AnswerPrack):
                assert tx is not None
                out += self._reply(tx, action.status)
            else:  # NoPrack: §3, reject the INVITE with a 5xx
                out += self._no_prack(call)
        return out

    def _no_prack(self, call: Call) -> list[CallAction]:
        actions: list[CallAction] = []
        for fork in call.forks:
            if fork.state in (_L.TRYING, _L.RINGING):
                actions += self._step(call, fork, "cancel")
        if call.a.state in (_L.TRYING, _L.RINGING):
            actions += self._step(call, call.a, "reject", 500)
        return actions + self._end(call, "no-ack")
