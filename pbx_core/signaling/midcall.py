"""Re-INVITEs inside answered calls (RFC 3261 §14, RFC 3264 §8): hold, resume, refresh.

A re-INVITE from one phone is answered only after the other phone has been told, with a
re-INVITE of our own, what it will now get: music on hold ("sendonly" from the PBX) or the
other side again ("sendrecv"). Who hears what is then set on the media legs by :func:`rewire`;
whatever the holding phone keeps sending is dropped there, so hold is real even for phones
that go on transmitting while on "sendonly".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from pbx_core.bus import EventBus
from pbx_core.errors import MediaError
from pbx_core.events import CallHeld, CallResumed
from pbx_core.media import MusicOnHold, SessionDescription
from pbx_core.signaling.calls import Call, Leg, LegState
from pbx_core.signaling.endpoint import ServerTransactionHandle, SipEndpoint
from pbx_core.signaling.message import SipResponse, make_response
from pbx_core.signaling.uri import NameAddr

__all__ = ["Callbacks", "MidCall", "offer_holds", "rewire"]

_log = logging.getLogger(__name__)

SDP = "application/sdp"


@dataclass(frozen=True, slots=True)
class Callbacks:
    """What to call with the final response to a request of ours, or on its time-out."""

    on_response: Callable[[SipResponse], None]
    on_timeout: Callable[[], None]


class MidCall:
    """Handles re-INVITEs of answered calls for the B2BUA."""

    def __init__(
        self, endpoint: SipEndpoint, bus: EventBus, contact: Callable[[Leg], NameAddr]
    ) -> None:
        self._endpoint = endpoint
        self._bus = bus
        self._contact = contact

    async def reinvite(self, call: Call, leg: Leg, tx: ServerTransactionHandle) -> None:
        """Hold, resume or a session refresh: pass it across, then answer (RFC 3264 §8)."""
        request = tx.request
        try:
            offer = SessionDescription.parse(request.body) if request.body else None
        except ValueError as exc:
            tx.reply(400, f"Bad Request - SDP: {exc}")
            return
        if offer is None:
            tx.reply(488, "Not Acceptable Here - an SDP offer is required")
            return
        peer = call.peer(leg)
        if leg.reinvite_pending or (peer is not None and peer.reinvite_pending):
            tx.reply(491)
            return
        try:
            answer = leg.media.answer(offer, codecs=[leg.media.codec] if leg.media.codec else None)
        except MediaError:
            tx.reply(488)
            return
        was_holding = leg.holding
        leg.holding = offer_holds(offer)
        if peer is not None and leg.holding != was_holding:
            await self._offer_peer(call, peer)
        tx.respond(
            make_response(
                request,
                200,
                to_tag=leg.local_tag,
                body=bytes(answer),
                content_type=SDP,
                extra_headers=[("Contact", str(self._contact(leg)))],
            )
        )
        rewire(call)
        if leg.holding != was_holding and leg.extension:
            event = CallHeld if leg.holding else CallResumed
            self._bus.publish(event(call.call_id, leg.extension))

    async def _offer_peer(self, call: Call, peer: Leg) -> None:
        """Re-INVITE the other phone: "sendonly" while it hears music on hold, else sendrecv."""
        if peer.dialog is None or peer.state is not LegState.ANSWERED:
            return
        holder = call.peer(peer)
        direction = "sendonly" if holder is not None and holder.holding else "sendrecv"
        if peer.holding:
            direction = "inactive" if direction == "sendonly" else "recvonly"
        sdp = peer.media.offer(
            codecs=[peer.media.codec] if peer.media.codec else None, direction=direction
        )
        request = peer.dialog.create_request("INVITE", body=bytes(sdp), content_type=SDP)
        done: asyncio.Future[SipResponse | None] = asyncio.get_running_loop().create_future()

        def on_response(response: SipResponse) -> None:
            if response.status >= 200 and not done.done():
                done.set_result(response)

        def on_timeout() -> None:
            if not done.done():
                done.set_result(None)

        peer.reinvite_pending = True
        self._endpoint.send_request(
            request, peer.destination, context=Callbacks(on_response, on_timeout)
        )
        try:  # Timer B ends the transaction, so the answer or the time-out always comes
            response = await done
        finally:
            peer.reinvite_pending = False
        if response is None or response.status >= 300:
            _log.warning("call %s: re-INVITE to %s failed", call.call_id, peer.extension)
            return
        self._endpoint.send_stateless(peer.dialog.create_ack(request.cseq.seq), peer.destination)
        try:
            peer.media.accept_answer(SessionDescription.parse(response.body))
        except (ValueError, MediaError) as exc:
            _log.warning("call %s: bad re-INVITE answer: %s", call.call_id, exc)


def rewire(call: Call) -> None:
    """Who hears what: the holder hears nothing, the held phone hears music on hold."""
    a, b = call.a, call.b
    if call.service == "echo":
        a.media.feed(None if a.holding else a.media)
        return
    if b is None:
        return
    for leg, other in ((a, b), (b, a)):
        if leg.holding:
            leg.media.feed(None)
        elif other.holding:
            leg.media.feed(MusicOnHold())
        else:
            leg.media.feed(other.media)


def offer_holds(offer: SessionDescription) -> bool:
    """Whether an offer holds the call: sendonly/inactive or c=0.0.0.0 (RFC 3264 §8.4)."""
    for media in offer.media:
        if media.kind != "audio" or media.port == 0:
            continue
        address = media.connection or offer.connection
        return media.direction in ("sendonly", "inactive") or address == "0.0.0.0"
    return False
