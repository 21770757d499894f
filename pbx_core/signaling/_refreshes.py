"""Requests inside a call's dialog and what keeps a dialog alive, sans-IO: BYE, re-INVITE and
UPDATE (RFC 3311), INFO, OPTIONS; the answer in the ACK to an offer we made in a 2xx (late
offer, RFC 3261 §13.2.1 and §14.2); session timers (RFC 4028: 422 below our ``Min-SE``,
``Session-Expires`` in the 2xx, BYE to both phones when the session is not refreshed in time,
the PBX's own refresh by UPDATE or re-INVITE when it is the refresher); and our re-INVITE
refused with 491, sent again after the random back-off of §14.1. Part of the call machine
(:mod:`pbx_core.signaling.callmachine`), whose table and timers drive it.
"""

from __future__ import annotations

import logging

from pbx_core.errors import MediaError
from pbx_core.media import SessionDescription
from pbx_core.signaling._call_actions import CallAction, Dtmf, LegRequest, SendRequest
from pbx_core.signaling._pracks import Pracks
from pbx_core.signaling.calls import Call, Leg, LegState
from pbx_core.signaling.dtmf_info import digit_of_info
from pbx_core.signaling.message import SipRequest, SipResponse
from pbx_core.signaling.midcall import ALLOW
from pbx_core.signaling.session_timer import (
    ArmSessionCheck,
    SendRefresh,
    SessionAction,
    SessionState,
    SessionTimer,
    TooBrief,
    negotiate,
    terms_of_answer,
)
from pbx_core.signaling.useragent import ServerTransactionHandle
from pbx_core.store import CallReason

__all__ = ["RETRY_TIMER", "SESSION_TIMER", "Refreshes"]

_log = logging.getLogger(__name__)

_L = LegState
SESSION_TIMER = "session:"  # + leg id: the session timer of that leg's dialog
RETRY_TIMER = "retry:"  # + leg id: our re-INVITE refused with 491, to send again
_MAX_RETRIES = 3


class Refreshes(Pracks):
    """In-dialog requests, late-offer answers, session timers and 491 back-off."""

    def _step(self, call: Call, leg: Leg, event: str, arg: object = None) -> list[CallAction]:
        raise NotImplementedError

    def _end(self, call: Call, reason: CallReason, ended_by: str | None = None) -> list[CallAction]:
        raise NotImplementedError

    def _arm(self, call: Call, name: str, delay: float) -> list[CallAction]:
        raise NotImplementedError

    def _disarm(self, call: Call, name: str) -> list[CallAction]:
        raise NotImplementedError

    def _refer(self, call: Call, leg: Leg, tx: ServerTransactionHandle) -> list[CallAction]:
        raise NotImplementedError

    def _left_room(self, call: Call, leg: Leg) -> list[CallAction]:
        raise NotImplementedError

    # -- requests inside a dialog --------------------------------------------------------

    def in_dialog(self, tx: ServerTransactionHandle) -> list[CallAction]:
        """A request inside one of our dialogs: BYE, re-INVITE, UPDATE, INFO, OPTIONS..."""
        request = tx.request
        found = self.registry.by_dialog(request.call_id, request.to_addr.tag)
        if found is None:
            return self._reply(tx, 481)
        call, leg = found
        method = request.method
        if leg.dialog is None:  # the caller's early dialog (a reliable 180, RFC 3262)
            if method == "PRACK":
                return self._prack(call, leg, tx)
            if method == "UPDATE" and request.body:
                return self._reply(tx, 488, "Not Acceptable Here - no new offer before the answer")
            return self._reply(tx, 200 if method in ("UPDATE", "OPTIONS", "INFO") else 481)
        if not leg.dialog.accept_request(request):
            return self._reply(tx, 500, "Server Internal Error - CSeq out of order")
        if method == "PRACK":
            return self._prack(call, leg, tx)
        if method == "BYE":
            return self._bye(call, leg, tx)
        if method in ("INVITE", "UPDATE") and leg.state is _L.ANSWERED:
            refused = self._negotiate(tx, leg)
            return refused or self._step(call, leg, "reinvite", tx)
        if method == "REFER":
            return self._refer(call, leg, tx)
        if method == "INFO":
            digit = digit_of_info(request.content_type, request.body)
            dtmf: list[CallAction] = [Dtmf(leg.leg_id, digit)] if digit is not None else []
            return [*self._reply(tx, 200), *dtmf]
        if method in ("OPTIONS", "NOTIFY", "UPDATE"):
            return self._reply(tx, 200)  # an UPDATE before the answer changes nothing here
        return self._reply(tx, 501)

    def _bye(self, call: Call, leg: Leg, tx: ServerTransactionHandle) -> list[CallAction]:
        if leg.state is not _L.ANSWERED:
            return self._reply(tx, 200)
        actions = self._step(call, leg, "bye", tx)
        if call.service == "conference":
            actions += self._left_room(call, leg)
            if call.answered_legs():
                return actions  # the others stay in the room
        for other in call.legs():
            if other is leg:
                continue
            if other.state is _L.ANSWERED:
                actions += self._step(call, other, "hangup")
            elif other.state in (_L.TRYING, _L.RINGING) and other is not call.a:
                actions += self._step(call, other, "cancel")  # a transfer target rang
        return actions + self._end(call, "hangup", ended_by=leg.extension)

    def _negotiate(self, tx: ServerTransactionHandle, leg: Leg | None) -> list[CallAction]:
        """Read the session timer a request asks for (RFC 4028 §9) into ``leg``; the refusal
        when it cannot be had: 422 with our ``Min-SE``, 400 on a header that is no number."""
        try:
            outcome = negotiate(tx.request)
        except ValueError as exc:
            return self._reply(tx, 400, f"Bad Request - {exc}")
        if isinstance(outcome, TooBrief):
            return self._reply(tx, 422, extra_headers=[("Min-SE", str(outcome.min_se))])
        if leg is not None:
            leg.session_terms = outcome
        return []

    def ack_received(self, request: SipRequest) -> list[CallAction]:
        """The ACK for a 2xx: when that 2xx carried our offer, the ACK carries the answer."""
        found = self.registry.by_dialog(request.call_id, request.to_addr.tag)
        if found is None:
            return []
        call, leg = found
        if not leg.awaiting_answer or leg.media is None:
            return []
        leg.awaiting_answer = False
        try:
            leg.media.accept_answer(SessionDescription.parse(request.body))
        except (ValueError, MediaError) as exc:
            _log.warning("call %s: no usable answer in the ACK of %s: %s", call.call_id, leg, exc)
            actions: list[CallAction] = []
            for other in call.legs():
                if other.state is _L.ANSWERED:
                    actions += self._step(call, other, "hangup")
            return actions + self._end(call, "no-common-codec")
        return []

    # -- session timers (RFC 4028) -------------------------------------------------------

    def _now(self) -> float:
        return self._clock().timestamp()

    def _session_headers(self, leg: Leg) -> list[tuple[str, str]]:
        terms = leg.session_terms
        return terms.response_headers() if terms is not None else []

    def _session_start(self, call: Call, leg: Leg) -> list[CallAction]:
        terms = leg.session_terms
        if terms is None:
            return []
        leg.session = SessionTimer(terms, pbx_is_uas=True, now=self._now())
        return self._session_actions(call, leg, leg.session.start())

    def _session_refreshed(self, call: Call, leg: Leg) -> list[CallAction]:
        """A re-INVITE or UPDATE from ``leg`` was answered 2xx: it refreshed the session or
        started one (the PBX is the UAS of that request, so its terms start afresh), or, asking
        for none, ended the timer (§9)."""
        if leg.session_terms is None:
            leg.session = None
            return self._disarm(call, SESSION_TIMER + leg.leg_id)
        return self._session_start(call, leg)

    def _fork_session(self, call: Call, fork: Leg, answer: SipResponse) -> list[CallAction]:
        """The 2xx of a phone we called: the session timer it took on (RFC 4028 §7.2; our
        INVITE offered one), and whether it allows UPDATE for our refreshes."""
        fork.allows_update = self.allows_update(answer)
        terms = terms_of_answer(answer)
        if terms is None:
            return []
        fork.session = SessionTimer(terms, pbx_is_uas=False, now=self._now())
        return self._session_actions(call, fork, fork.session.start())

    def _session_actions(
        self, call: Call, leg: Leg, actions: list[SessionAction]
    ) -> list[CallAction]:
        out: list[CallAction] = []
        for action in actions:
            if isinstance(action, ArmSessionCheck):
                out += self._arm(call, SESSION_TIMER + leg.leg_id, action.delay)
            elif isinstance(action, SendRefresh):
                out += self._send_refresh(call, leg)
            else:
                _log.info("call %s: session of %s not refreshed, ending", call.call_id, leg)
                out += self._session_expired(call)
        return out

    def _session_expired(self, call: Call) -> list[CallAction]:
        actions: list[CallAction] = []
        for leg in call.legs():
            if leg.state is _L.ANSWERED:
                actions += self._step(call, leg, "hangup")
            elif leg.state in (_L.TRYING, _L.RINGING) and leg is not call.a:
                actions += self._step(call, leg, "cancel")
        return actions + self._end(call, "session-expired")

    def _send_refresh(self, call: Call, leg: Leg) -> list[CallAction]:
        """The PBX refreshes ``leg``'s session: UPDATE without SDP when the phone allows it,
        else a re-INVITE offering what it has (§7.4); we stay the refresher."""
        busy = leg.reinvite_out is not None or leg.reinvite_in is not None or leg.awaiting_answer
        if leg.dialog is None or busy:
            return []  # an offer under way: its answer refreshes the session too
        session = leg.session
        assert session is not None
        headers = [
            ("Session-Expires", f"{session.terms.interval};refresher=uac"),
            ("Supported", "timer"),
        ]
        if leg.allows_update:
            request = leg.dialog.create_request("UPDATE")
            for name, value in [*headers, ("Allow", ALLOW)]:
                request.headers.add(name, value)
            context = LegRequest(call.call_id, leg.leg_id, "refresh")
            return [SendRequest(request, leg.destination, context)]
        actions = self._offer_peer(call, leg)
        if leg.reinvite_out is not None:
            for name, value in headers:
                leg.reinvite_out.headers.add(name, value)
        return actions

    def _refresh_answered(
        self, call: Call, leg: Leg, response: SipResponse | None
    ) -> list[CallAction]:
        """The final answer to our refresh (None: no answer at all): 2xx refreshed it; 408 or
        481 end the session (§10); a phone refusing UPDATE gets a re-INVITE instead."""
        session = leg.session
        if session is None or session.state is not SessionState.REFRESHING or call.ended:
            return []
        if response is None or response.status in (408, 481):
            return self._session_actions(call, leg, session.refresh_failed(self._now()))
        if response.status < 300:
            return self._session_actions(call, leg, session.refreshed(session.terms, self._now()))
        if response.status in (405, 501) and leg.allows_update:
            leg.allows_update = False
            return self._send_refresh(call, leg)
        if response.status == 491:  # the phone has an offer of its own pending: back off
            return self._reinvite_refused(call, leg, response) or []
        return []  # refused otherwise: the deadline decides

    def refresh_response(
        self, call: Call, leg: Leg, response: SipResponse | None
    ) -> list[CallAction]:
        """A response (None: Timer F) to our UPDATE that refreshes ``leg``'s session."""
        if response is not None and response.status < 200:
            return []
        return self._refresh_answered(call, leg, response)

    # -- 491: our re-INVITE met one of the phone's (§14.1) -------------------------------

    def _reinvite_refused(
        self, call: Call, peer: Leg, response: SipResponse
    ) -> list[CallAction] | None:
        if response.status != 491:
            peer.reinvite_retries = 0
            return None
        if call.ended or peer.reinvite_retries >= _MAX_RETRIES:
            return None
        peer.reinvite_retries += 1
        # §14.1: 2.1-4 s when we chose the dialog's Call-ID (the phones we call), else 0-2 s
        low, high = (0.0, 2.0) if peer is call.a else (2.1, 4.0)
        delay = round(self.random.uniform(low, high), 2)
        return self._arm(call, RETRY_TIMER + peer.leg_id, delay)

    def upkeep_timer(self, call: Call, name: str) -> list[CallAction]:
        """A session timer or a 491 back-off fired."""
        prefix, _, leg_id = name.partition(":")
        call.timers.discard(name)
        leg = next((x for x in call.legs() if x.leg_id == leg_id), None)
        if leg is None or leg.state is not _L.ANSWERED:
            return []
        if prefix + ":" == SESSION_TIMER:
            if leg.session is None:
                return []
            return self._session_actions(call, leg, leg.session.fired(self._now()))
        if leg.reinvite_out is not None:
            return []
        return self._offer_peer(call, leg)

    @staticmethod
    def allows_update(request: SipRequest | SipResponse) -> bool:
        """Whether a phone's INVITE or 2xx lists UPDATE in ``Allow``."""
        return any(
            "UPDATE" in (m.strip().upper() for m in line.split(","))
            for line in request.headers.get_lines("Allow")
        )
