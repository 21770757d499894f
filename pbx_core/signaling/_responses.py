"""Responses to the requests the call machine sent, sans-IO: a fork's 1xx/2xx/failure, a
re-INVITE's answer, Timer B/F; and the user-agent layer's CANCEL and missing-ACK events. Part
of the call machine: each becomes one event on the leg's row of the machine's table.
"""

from __future__ import annotations

from pbx_core.signaling._call_actions import CallAction, LegRequest
from pbx_core.signaling._pickups import Pickups
from pbx_core.signaling._ua_actions import (
    AckReceived,
    AckTimedOut,
    InviteCancelled,
    RequestTimedOut,
    ResponseReceived,
    UaEvent,
)
from pbx_core.signaling.message import SipResponse
from pbx_core.signaling.useragent import ServerTransactionHandle

__all__ = ["Responses"]


class Responses(Pickups):
    """Feeds what came back for the machine's own requests into its table."""

    def cancelled(self, tx: ServerTransactionHandle) -> list[CallAction]:
        raise NotImplementedError

    def ack_timed_out(self, tx: ServerTransactionHandle) -> list[CallAction]:
        raise NotImplementedError

    # -- responses to our requests -------------------------------------------------------

    def event(self, event: UaEvent) -> list[CallAction]:
        """An event of the user-agent layer other than a new request: CANCEL, a missing ACK,
        a response to or the time-out of a request the machine sent."""
        if isinstance(event, InviteCancelled):
            return self.cancelled(event.handle)
        if isinstance(event, AckTimedOut):
            return self.ack_timed_out(event.handle)
        if isinstance(event, AckReceived):
            return self.ack_received(event.request)  # may carry the answer to our offer
        if not isinstance(event, ResponseReceived | RequestTimedOut):
            return []
        context = event.handle.context
        if not isinstance(context, LegRequest):
            return []  # the answer to a CANCEL
        if isinstance(event, RequestTimedOut):
            return self.timed_out(context)
        return self.response(context, event.response)

    def response(self, context: LegRequest, response: SipResponse) -> list[CallAction]:
        """A response to a request we sent on a leg."""
        found = self.registry.by_leg(context.leg_id)
        if found is None:
            return []
        call, leg = found
        if context.purpose == "reinvite":
            return self._reinvite_answered(call, leg, response)
        if context.purpose == "refresh":
            return self.refresh_response(call, leg, response)
        if context.purpose != "invite":
            return []
        status = response.status
        if status < 200:
            return self._step(call, leg, "100" if status == 100 else "1xx", response)
        first_final = leg.final_status is None
        leg.final_status = status
        actions = self._step(call, leg, "2xx" if status < 300 else "failure", response)
        if call.ended and first_final:
            self.registry.forget_leg(leg.leg_id)  # it lingered for this final response
        return actions

    def timed_out(self, context: LegRequest) -> list[CallAction]:
        """Timer B or F: no answer to a request we sent on a leg (a 408)."""
        found = self.registry.by_leg(context.leg_id)
        if found is None:
            return []
        call, leg = found
        if context.purpose == "reinvite":
            return self._reinvite_answered(call, leg, None)
        if context.purpose == "refresh":
            return self.refresh_response(call, leg, None)
        if context.purpose != "invite" or leg.final_status is not None:
            return []
        leg.final_status = 408
        actions = self._step(call, leg, "failure")
        if call.ended:
            self.registry.forget_leg(leg.leg_id)
        return actions
