"""The offer/answer half of a media leg: codecs, payload types, directions and the peer's address.

RFC 3264: ``offer``/``accept_answer`` when the PBX offers, ``answer`` when the phone does;
re-offers raise the o= version (§8).  A new SDP address unlatches the leg (symmetric RTP,
RFC 4961) so it sends there until the first packet arrives.  ``leg.py`` adds the packets.
SRTP (``srtp.py``): ``self.srtp`` adds the profile and ``a=crypto`` lines to offers and answers
and ``srtp_transform`` holds the agreed keys for the leg's socket edge.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace

from pbx_core.errors import MediaError
from pbx_core.media.codecs import SUPPORTED, CodecSpec
from pbx_core.media.endpoint import Address
from pbx_core.media.negotiation import Negotiated, build_answer, build_offer, read_answer
from pbx_core.media.sdp import MediaDescription, Origin, SessionDescription
from pbx_core.media.srtp import SrtpNegotiation, SrtpTransform

__all__ = ["NegotiatedLeg"]


class NegotiatedLeg:
    """SDP state of one leg; subclasses react to a codec change in ``_codec_changed``."""

    def __init__(self, local_host: str, local_port: int) -> None:
        self.local_host = local_host
        self.local_port = local_port
        self.codec: CodecSpec | None = None
        self.payload_type: int | None = None
        self.dtmf_payload_type: int | None = None
        self.remote: Address | None = None
        self.remote_rtcp: Address | None = None
        self.direction = "sendrecv"
        self.remote_direction = "sendrecv"
        address_type = "IP6" if ":" in local_host else "IP4"
        self._origin = Origin("-", secrets.randbits(62), 0, local_host, "IN", address_type)
        self._pending_offer: SessionDescription | None = None
        self._receive_map: dict[int, CodecSpec] = {}
        self._sdp_remote: Address | None = None
        self._latched = False
        self._rtcp_latched = False
        self.srtp = SrtpNegotiation()
        self.srtp_transform: SrtpTransform | None = None

    def _srtp_agreed(self) -> None:
        keys = self.srtp.keys
        if keys is None:
            self.srtp_transform = None
        elif self.srtp_transform is None:
            self.srtp_transform = SrtpTransform(keys)
        else:
            self.srtp_transform.update(keys)

    def _codec_changed(self, codec: CodecSpec | None) -> None:
        """Hook: the agreed codec is about to change to ``codec``."""

    def _next_origin(self) -> Origin:
        return replace(self._origin, session_version=self._origin.session_version + 1)

    def offer(
        self,
        *,
        codecs: Sequence[CodecSpec] | None = None,
        direction: str = "sendrecv",
        dtmf: bool = True,
    ) -> SessionDescription:
        """Our offer on this leg; re-offers raise the o= version (§8); ``dtmf`` adds RFC 4733."""
        origin = self._next_origin()
        sdp = build_offer(
            origin=origin,
            host=self.local_host,
            port=self.local_port,
            codecs=SUPPORTED if codecs is None else codecs,
            direction=direction,
            dtmf=dtmf,
        )
        proto, cryptos = self.srtp.offer()
        for media in sdp.media:
            media.proto = proto
            media.attributes += [("crypto", str(c)) for c in cryptos]
        self._origin = origin
        self._pending_offer = sdp
        return sdp

    def accept_answer(self, answer: SessionDescription) -> None:
        """Apply the peer's answer to our last offer; MediaError if it agreed on no codec."""
        offer = self._pending_offer
        if offer is None:
            raise MediaError("no offer outstanding")
        self._pending_offer = None
        negotiated = read_answer(offer, answer)
        theirs = _audio(answer)
        assert theirs is not None  # read_answer found it
        self.srtp.read_answer(theirs.proto, theirs.attributes)
        self._srtp_agreed()
        self.direction = offer.media[0].direction
        self._apply(negotiated)

    def answer(
        self,
        offer: SessionDescription,
        *,
        codecs: Sequence[CodecSpec] | None = None,
        direction: str | None = None,
        dtmf: bool = True,
    ) -> SessionDescription:
        """Answer the peer's offer (RFC 3264 §6); MediaError("no common codec") means 488."""
        offered = _audio(offer)
        proto, crypto = ("RTP/AVP", None)
        if offered is not None and offered.port != 0:
            proto, crypto = self.srtp.answer(offered.proto, offered.attributes)
        origin = self._next_origin()
        sdp, negotiated = build_answer(
            offer,
            origin=origin,
            host=self.local_host,
            port=self.local_port,
            codecs=SUPPORTED if codecs is None else codecs,
            direction=direction,
            dtmf=dtmf,
        )
        self._origin = origin
        self._pending_offer = None
        ours = next((m for m in sdp.media if m.port != 0), None)
        if ours is not None:
            ours.proto = proto
            if crypto is not None:
                ours.attributes.append(("crypto", str(crypto)))
            self._srtp_agreed()
        self.direction = ours.direction if ours is not None else "inactive"
        self._apply(negotiated)
        return sdp

    def _apply(self, negotiated: Negotiated | None) -> None:
        if negotiated is None:
            self.codec = self.payload_type = self.dtmf_payload_type = None
            self._codec_changed(None)
            self._receive_map = {}
            self._set_remote(None)
            return
        if negotiated.codec != self.codec:
            self._codec_changed(negotiated.codec)
        self.codec = negotiated.codec
        self.payload_type = negotiated.payload_type
        self.dtmf_payload_type = negotiated.dtmf_payload_type
        self.remote_direction = negotiated.remote_direction
        self._receive_map = negotiated.receive_map
        self._set_remote(negotiated.remote)

    def _set_remote(self, remote: Address | None) -> None:
        """A new SDP address: send there and latch again; the same address keeps the latch."""
        if remote == self._sdp_remote and (remote is not None or self.remote is None):
            return
        self._sdp_remote = remote
        self.remote = remote
        self._latched = False
        self.remote_rtcp = (remote[0], remote[1] + 1) if remote is not None else None
        self._rtcp_latched = False


def _audio(session: SessionDescription) -> MediaDescription | None:
    return next((m for m in session.media if m.kind == "audio" and "RTP" in m.proto), None)
