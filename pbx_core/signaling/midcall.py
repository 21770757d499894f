"""The answering half of the call machine: replies to the phones, and re-INVITEs (RFC 3261
§14, RFC 3264 §8) and UPDATEs (RFC 3311) for hold, resume and refresh. Sans-IO, returns actions.

An INVITE without SDP (late offer, §13.2.1; a re-INVITE too) gets our offer in the 2xx and its
answer comes in the ACK (:mod:`pbx_core.signaling._refreshes`, which also keeps the session
timers, RFC 4028, and retries a re-INVITE of ours refused with 491).

A re-INVITE from one phone is answered only after the other phone has been told, with a
re-INVITE of our own, what it will now get: music on hold ("sendonly" from the PBX) or the
other side again ("sendrecv"). A re-INVITE while another is pending on either leg is glare:
491 (§14.1). Timer B ends a re-INVITE that gets no answer, so nothing waits longer. Who hears
what is then set by connections (:mod:`pbx_core.media.connections`): the holder hears nothing
(whatever it keeps sending is dropped), the held phone is connected to the music source.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from datetime import datetime

from pbx_core.errors import MediaError
from pbx_core.events import CallAnswered, CallHeld, CallResumed
from pbx_core.media import CodecSpec, SessionDescription
from pbx_core.media.codecs import SUPPORTED as SUPPORTED_CODECS
from pbx_core.media.connections import Connect, ConnectMusic, ConnectTone, Disconnect, JoinRoom
from pbx_core.signaling._call_actions import (
    CallAction,
    LegRequest,
    LinesChanged,
    Publish,
    Reply,
    SendAck,
    SendRequest,
)
from pbx_core.signaling.admission import RETRY_AFTER_SECONDS
from pbx_core.signaling.calls import Call, CallRegistry, Leg, LegState
from pbx_core.signaling.dialog import Dialog
from pbx_core.signaling.message import SipResponse, make_response
from pbx_core.signaling.uri import NameAddr, SipUri
from pbx_core.signaling.useragent import ServerTransactionHandle

__all__ = ["ALLOW", "SDP", "SUPPORTED", "CallStateError", "MidCall", "offer_holds"]

_log = logging.getLogger(__name__)

SDP = "application/sdp"
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, REFER, NOTIFY, SUBSCRIBE, UPDATE"
SUPPORTED = "replaces, timer, 100rel"  # option tags we support (RFC 3891, 4028, 3262)


class CallStateError(ValueError):
    """A leg was asked to do something its current state does not allow."""


class MidCall:
    """Replies to the caller, BYE answers and re-INVITEs, for :class:`CallMachine`."""

    def __init__(self, contact: Callable[[str], SipUri], clock: Callable[[], datetime]) -> None:
        self.registry = CallRegistry()
        self._contact = contact
        self._clock = clock
        self._country = "NL"  # of call-progress tones
        self.random = random.Random()  # the back-off after a 491 (§14.1); tests seed it

    def _contact_of(self, leg: Leg) -> NameAddr:
        return NameAddr(self._contact(leg.destination.transport))

    # -- hooks of :class:`pbx_core.signaling._refreshes.Refreshes` -----------------------

    def _session_headers(self, leg: Leg) -> list[tuple[str, str]]:
        return []

    def _provisional(self, call: Call, a: Leg, response: SipResponse) -> list[CallAction]:
        assert a.server_tx is not None
        return [Reply(a.server_tx, response)]

    def _session_start(self, call: Call, leg: Leg) -> list[CallAction]:
        return []

    def _session_refreshed(self, call: Call, leg: Leg) -> list[CallAction]:
        return []

    def _reinvite_refused(
        self, call: Call, peer: Leg, response: SipResponse
    ) -> list[CallAction] | None:
        return None

    def _refresh_answered(
        self, call: Call, leg: Leg, response: SipResponse | None
    ) -> list[CallAction]:
        return []

    def _caller_sdp(self, leg: Leg, codecs: Sequence[CodecSpec] | None) -> SessionDescription:
        """What the 2xx to a caller's INVITE carries: the answer to its offer or, for an
        INVITE without SDP (late offer, §13.2.1), our offer, answered in the ACK: ``codecs``
        first, then every other codec we have (the engine transcodes if the phone picks one).
        The answer raises ``MediaError`` when no codec is shared."""
        assert leg.media is not None
        if leg.offer is None:
            leg.awaiting_answer = True
            wanted = list(codecs or ())
            return leg.media.offer(
                codecs=[*wanted, *(c for c in SUPPORTED_CODECS if c not in wanted)]
            )
        return leg.media.answer(leg.offer, codecs=codecs)

    def _reply(
        self,
        tx: ServerTransactionHandle,
        status: int,
        reason: str | None = None,
        **kwargs: object,
    ) -> list[CallAction]:
        response = make_response(tx.request, status, reason, **kwargs)  # type: ignore[arg-type]
        return [Reply(tx, response)]

    # -- the caller's INVITE ------------------------------------------------------------

    def _ringing(self, call: Call, a: Leg, arg: object) -> list[CallAction]:
        assert a.server_tx is not None
        ringing = make_response(a.server_tx.request, 180, to_tag=a.local_tag)
        return self._provisional(call, a, ringing)  # reliably when the caller requires it

    def _reject(self, call: Call, a: Leg, arg: object) -> list[CallAction]:
        assert a.server_tx is not None and isinstance(arg, int)
        a.final_status = arg
        # 503: out of RTP ports or shutting down; a phone may try again a little later
        extra = [("Retry-After", str(RETRY_AFTER_SECONDS))] if arg == 503 else None
        return self._reply(a.server_tx, arg, to_tag=a.local_tag, extra_headers=extra)

    def _cancelled(self, call: Call, a: Leg, arg: object) -> list[CallAction]:
        assert a.server_tx is not None
        a.final_status = 487
        return self._reply(a.server_tx, 487, to_tag=a.local_tag)

    def _answer(self, call: Call, a: Leg, arg: object) -> list[CallAction]:
        assert a.server_tx is not None and isinstance(arg, SessionDescription)
        contact = self._contact_of(a)
        response = make_response(
            a.server_tx.request,
            200,
            to_tag=a.local_tag,
            body=bytes(arg),
            content_type=SDP,
            extra_headers=[
                ("Contact", str(contact)),
                ("Allow", ALLOW),
                ("Supported", SUPPORTED),
                *self._session_headers(a),
            ],
        )
        a.dialog = Dialog.as_uas(
            a.server_tx.request, response, source=a.destination, contact=contact
        )
        call.answered_at = self._clock()
        a.final_status = 200
        self.registry.index_dialog(call, a)
        answered = Publish(CallAnswered(call.call_id, call.caller, call.callee))
        actions: list[CallAction] = [
            Reply(a.server_tx, response),
            answered,
            LinesChanged(call.extensions()),
        ]
        return actions + self._session_start(call, a)

    def _ok_bye(self, call: Call, leg: Leg, arg: object) -> list[CallAction]:
        assert isinstance(arg, ServerTransactionHandle)
        return self._reply(arg, 200)

    # -- re-INVITEs ----------------------------------------------------------------------

    def _reinvite(self, call: Call, leg: Leg, arg: object) -> list[CallAction]:
        """Hold, resume or a session refresh by re-INVITE or UPDATE: pass it across, then
        answer (RFC 3264 §8, RFC 3311 §5.2); 491 while an offer is pending (§14.1)."""
        assert isinstance(arg, ServerTransactionHandle) and leg.media is not None
        tx = arg
        try:
            offer = SessionDescription.parse(tx.request.body) if tx.request.body else None
        except ValueError as exc:
            return self._reply(tx, 400, f"Bad Request - SDP: {exc}")
        peer = call.peer(leg)
        busy = [leg] if peer is None else [leg, peer]
        if any(
            x.reinvite_out is not None or x.reinvite_in is not None or x.awaiting_answer
            for x in busy
        ):
            return self._reply(tx, 491)
        if offer is None:
            return self._offer_in_2xx(call, leg, tx)
        codec = leg.media.codec
        try:
            answer = leg.media.answer(offer, codecs=[codec] if codec else None)
        except MediaError:
            return self._reply(tx, 488)
        leg.was_holding = leg.holding
        leg.holding = offer_holds(offer)
        leg.reinvite_in, leg.reinvite_answer = tx, answer
        if peer is not None and leg.holding != leg.was_holding:
            offer_out = self._offer_peer(call, peer)
            if offer_out:
                return offer_out
        return self._finish_reinvite(call, leg)

    def _direction_for(self, call: Call, peer: Leg) -> str:
        """What the PBX offers ``peer``: "sendonly" while it hears music on hold, else sendrecv
        (and the mirror of the phone's own hold)."""
        if call.service == "conference":
            return "recvonly" if peer.holding else "sendrecv"
        holder = call.peer(peer)
        direction = "sendonly" if holder is not None and holder.holding else "sendrecv"
        if peer.holding:
            direction = "inactive" if direction == "sendonly" else "recvonly"
        return direction

    def _refresh(self, call: Call, leg: Leg) -> list[CallAction]:
        """After a transfer or pickup: re-INVITE ``leg`` if what we last offered it (music on
        hold: "sendonly") no longer fits the party it is now connected to."""
        if leg.media is None or leg.reinvite_out is not None or leg.reinvite_in is not None:
            return []
        if leg.media.direction == self._direction_for(call, leg):
            return []
        return self._offer_peer(call, leg)

    def _offer_peer(self, call: Call, peer: Leg) -> list[CallAction]:
        """Re-INVITE the other phone with :meth:`_direction_for`."""
        if peer.dialog is None or peer.state is not LegState.ANSWERED or peer.media is None:
            return []
        direction = self._direction_for(call, peer)
        codec = peer.media.codec
        sdp = peer.media.offer(codecs=[codec] if codec else None, direction=direction)
        request = peer.dialog.create_request("INVITE", body=bytes(sdp), content_type=SDP)
        peer.reinvite_out = request
        context = LegRequest(call.call_id, peer.leg_id, "reinvite")
        return [SendRequest(request, peer.destination, context)]

    def _reinvite_answered(
        self, call: Call, peer: Leg, response: SipResponse | None
    ) -> list[CallAction]:
        """The answer to our re-INVITE on ``peer`` (None: Timer B); then answer the holder."""
        request = peer.reinvite_out
        if request is None or (response is not None and response.status < 200):
            return []
        peer.reinvite_out = None
        retry = self._reinvite_refused(call, peer, response) if response is not None else None
        if retry is not None:
            return retry  # glare: tried again after the back-off (§14.1)
        actions: list[CallAction] = self._refresh_answered(call, peer, response)
        if response is None or response.status >= 300:
            _log.warning("call %s: re-INVITE to %s failed", call.call_id, peer.extension)
        elif peer.dialog is not None and peer.media is not None:
            ack = peer.dialog.create_ack(request.cseq.seq)
            actions.append(SendAck(ack, peer.destination))
            try:
                peer.media.accept_answer(SessionDescription.parse(response.body))
            except (ValueError, MediaError) as exc:
                _log.warning("call %s: bad re-INVITE answer: %s", call.call_id, exc)
        holder = call.peer(peer)
        if holder is not None and holder.reinvite_in is not None and not call.ended:
            actions += self._finish_reinvite(call, holder)
        return actions

    def _offer_in_2xx(self, call: Call, leg: Leg, tx: ServerTransactionHandle) -> list[CallAction]:
        """A re-INVITE without SDP gets our offer (what the leg has now) in the 2xx, answered
        in the ACK (§14.2); an UPDATE without SDP is a session refresh: 200, no body."""
        assert leg.media is not None
        body, content_type = b"", None
        if tx.request.method == "INVITE":
            codec = leg.media.codec
            sdp = leg.media.offer(
                codecs=[codec] if codec else None, direction=self._direction_for(call, leg)
            )
            body, content_type = bytes(sdp), SDP
            leg.awaiting_answer = True
        response = make_response(
            tx.request,
            200,
            to_tag=leg.local_tag or None,
            body=body,
            content_type=content_type,
            extra_headers=[("Contact", str(self._contact_of(leg))), *self._session_headers(leg)],
        )
        return [Reply(tx, response), *self._session_refreshed(call, leg)]

    def _finish_reinvite(self, call: Call, leg: Leg) -> list[CallAction]:
        tx, answer = leg.reinvite_in, leg.reinvite_answer
        assert tx is not None and answer is not None
        leg.reinvite_in = leg.reinvite_answer = None
        response = make_response(
            tx.request,
            200,
            to_tag=leg.local_tag or None,
            body=bytes(answer),
            content_type=SDP,
            extra_headers=[("Contact", str(self._contact_of(leg))), *self._session_headers(leg)],
        )
        actions: list[CallAction] = [Reply(tx, response), *self._wiring(call)]
        actions += self._session_refreshed(call, leg)
        if leg.holding != leg.was_holding and leg.extension:
            event = CallHeld if leg.holding else CallResumed
            actions.append(Publish(event(call.call_id, leg.extension)))
        return actions

    def _abandon_reinvite(self, leg: Leg) -> list[CallAction]:
        """The call ended while a re-INVITE of ``leg`` waited on the peer."""
        tx = leg.reinvite_in
        leg.reinvite_in = leg.reinvite_answer = None
        leg.reinvite_out = None
        return self._reply(tx, 481) if tx is not None and not tx.final_sent else []

    # -- who hears what ------------------------------------------------------------------

    def _wiring(self, call: Call) -> list[CallAction]:
        """Connections for the call's legs now: A ⇄ B, music to the held, silence to the holder;
        the echo test, a conference room, a parked call, ringback while a transfer rings, and
        an intruder talking to one party while the other waits."""
        a, b = call.a, call.b
        if call.service == "echo":
            return [Disconnect(a.leg_id) if a.holding else Connect(a.leg_id, a.leg_id)]
        if call.service == "conference" and call.room is not None:
            return [
                Disconnect(x.leg_id) if x.holding else JoinRoom(x.leg_id, call.room)
                for x in call.answered_legs()
            ]
        if b is None:
            if a.state is not LegState.ANSWERED or call.service is not None:
                return []
            if a.holding:
                return [Disconnect(a.leg_id)]
            if call.transfer is not None:
                return [ConnectTone(a.leg_id, "ringback", self._country)]
            return [ConnectMusic(a.leg_id)]  # parked
        if call.intruder is not None and call.intruded is not None and call.supervision:
            return self._supervised(call, call.intruder, call.intruded)
        if call.intruder is not None and call.intruded is not None:
            # the other party keeps what it was given (the prompt, then music)
            return [Connect(call.intruder.leg_id, call.intruded.leg_id)]
        if not a.holding and not b.holding:
            return [Connect(a.leg_id, b.leg_id)]
        return [Disconnect(x.leg_id) if x.holding else ConnectMusic(x.leg_id) for x in (a, b)]

    def _supervised(self, call: Call, supervisor: Leg, agent: Leg) -> list[CallAction]:
        """A queue call with its supervisor: all three in a room of their own, the supervisor
        listening, whispering to the agent, or talking to both (P15)."""
        room = f"supervised-{call.call_id}"
        mode = {"listen": "listen", "whisper": f"whisper:{agent.leg_id}"}.get(
            call.supervision or "", "talk"
        )
        legs = [x for x in (call.a, call.b) if x is not None]
        joins: list[CallAction] = [JoinRoom(x.leg_id, room, "talk", tones=False) for x in legs]
        return [*joins, JoinRoom(supervisor.leg_id, room, mode, tones=False)]


def offer_holds(offer: SessionDescription) -> bool:
    """Whether an offer holds the call: sendonly/inactive or c=0.0.0.0 (RFC 3264 §8.4)."""
    for media in offer.media:
        if media.kind != "audio" or media.port == 0:
            continue
        address = media.connection or offer.connection
        return media.direction in ("sendonly", "inactive") or address == "0.0.0.0"
    return False
