"""One leg's RTP/RTCP endpoint on the PBX: SDP offer/answer, latching, relay and generated audio.

The PBX anchors media (RFC 3264 offer/answer, RFC 3550 RTP): each leg has its own even RTP port
and RTCP on port + 1, its SDP names the PBX only, and ``feed()`` says what the leg transmits:

* ``a.feed(b); b.feed(a)``: a two-party call; packets are relayed with the PT rewritten, or
  transcoded when the legs agreed on different codecs.
* ``leg.feed(leg)``: echo test (extension 9000): the phone hears what it sends.
* ``leg.feed(MusicOnHold())`` or any ``AudioSource``: encoded every 20 ms by the engine's ticker.
* ``leg.feed(None)``: transmit nothing.

Hold: when A holds, the B2BUA calls ``a.feed(None); b.feed(MusicOnHold())``; whatever A keeps
sending (phones on ``sendonly`` often do) goes nowhere because no leg is fed from A.  Resume is
``a.feed(b); b.feed(a)``.  Each leg keeps one SSRC and continuous sequence numbers and
timestamps across such switches, with the marker bit set on the first packet after one.

Symmetric RTP (RFC 4961): a leg sends to the SDP address until the first RTP packet arrives,
then to that packet's source, and ignores other sources until the SDP address changes.
RTCP is received and parsed, never relayed; each leg sends its own SR/RR every ~5 s.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from pbx_core.errors import MediaError
from pbx_core.media.codecs import (
    SUPPORTED,
    TELEPHONE_EVENT,
    CodecSpec,
    Encoder,
    get_encoder,
)
from pbx_core.media.endpoint import Address, open_endpoint
from pbx_core.media.negotiation import (
    Negotiated,
    build_answer,
    build_offer,
    can_receive,
    can_send,
    offered_codecs,
    read_answer,
)
from pbx_core.media.rtcp import RtcpSrPacket, parse_rtcp, serialize_rtcp
from pbx_core.media.rtp import RtpPacket, is_rtcp, peek_header, rewrite_header
from pbx_core.media.sdp import Origin, SessionDescription
from pbx_core.media.stream import OutgoingStream, ReceiveStats, build_report
from pbx_core.media.tones import AudioSource
from pbx_core.media.transcode import Transcoder

__all__ = ["LegHost", "MediaLeg"]

log = logging.getLogger(__name__)


class LegHost(Protocol):
    """What a leg needs from its engine (the engine's 20 ms ticker and port bookkeeping)."""

    def source_changed(self, leg: MediaLeg) -> None: ...

    def leg_closed(self, leg: MediaLeg) -> None: ...


class MediaLeg:
    """One leg's media on the PBX; made by ``MediaEngine.open_leg``."""

    offered_codecs = staticmethod(offered_codecs)

    def __init__(
        self,
        host: LegHost,
        leg_id: str,
        local_host: str,
        local_port: int,
        sockets: tuple[socket.socket, socket.socket],
    ) -> None:
        self.leg_id = leg_id
        self.local_host = local_host
        self.local_port = local_port
        self.codec: CodecSpec | None = None
        self.payload_type: int | None = None
        self.dtmf_payload_type: int | None = None
        self.remote: Address | None = None
        self.remote_rtcp: Address | None = None
        self.direction = "sendrecv"
        self.remote_direction = "sendrecv"
        self.packets_received = 0
        self.packets_sent = 0
        self.packets_dropped = 0
        self.rtcp_received = 0
        self.rtcp_sent = 0
        self._host = host
        self._sockets = sockets
        self._origin = Origin("-", secrets.randbits(62), 0, local_host)
        self._pending_offer: SessionDescription | None = None
        self._receive_map: dict[int, CodecSpec] = {}
        self._sdp_remote: Address | None = None
        self._latched = False
        self._rtcp_latched = False
        self._source: MediaLeg | AudioSource | None = None
        self._sinks: list[MediaLeg] = []
        self._out = OutgoingStream()
        self._stats = ReceiveStats()
        self._encoder: Encoder | None = None
        self._transcoders: dict[tuple[str, CodecSpec, CodecSpec], Transcoder] = {}
        self._cname = f"{secrets.token_hex(8)}@pbx".encode()
        self._reported_packets = 0
        self._rtp: asyncio.DatagramTransport | None = None
        self._rtcp: asyncio.DatagramTransport | None = None
        self._closed = False

    async def _open(self) -> None:
        rtp_sock, rtcp_sock = self._sockets
        self._rtp = await open_endpoint(rtp_sock, self._on_rtp, f"leg {self.leg_id} RTP")
        self._rtcp = await open_endpoint(rtcp_sock, self._on_rtcp, f"leg {self.leg_id} RTCP")

    def __repr__(self) -> str:
        return f"<MediaLeg {self.leg_id} {self.local_host}:{self.local_port} -> {self.remote}>"

    @property
    def ssrc(self) -> int:
        """The one SSRC this leg sends with, whatever its source."""
        return self._out.ssrc

    @property
    def source(self) -> MediaLeg | AudioSource | None:
        return self._source

    @property
    def closed(self) -> bool:
        return self._closed

    # -- offer/answer -------------------------------------------------------------------------

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
        self.direction = ours.direction if ours is not None else "inactive"
        self._apply(negotiated)
        return sdp

    def _apply(self, negotiated: Negotiated | None) -> None:
        if negotiated is None:
            self.codec = self.payload_type = self.dtmf_payload_type = None
            self._encoder = None
            self._receive_map = {}
            self._set_remote(None)
            return
        if negotiated.codec != self.codec:
            self._encoder = get_encoder(negotiated.codec)
            self._out.reset_source()
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

    # -- what this leg transmits ------------------------------------------------------------------

    def feed(self, source: MediaLeg | AudioSource | None) -> None:
        """Transmit from now on: another leg's packets, our own (echo), audio, or nothing."""
        if self._closed and source is not None:
            raise MediaError(f"leg {self.leg_id} is closed")
        old = self._source
        if isinstance(old, MediaLeg) and self in old._sinks:
            old._sinks.remove(self)
        self._source = source
        if isinstance(source, MediaLeg):
            if source._closed:
                raise MediaError(f"leg {source.leg_id} is closed")
            source._sinks.append(self)
        self._out.reset_source()
        self._host.source_changed(self)

    @property
    def generating(self) -> bool:
        """True when the engine's ticker must pull audio for this leg."""
        return self._source is not None and not isinstance(self._source, MediaLeg)

    def _may_send(self) -> bool:
        return (
            self.remote is not None
            and self._rtp is not None
            and can_send(self.direction)
            and can_receive(self.remote_direction)
        )

    def _send(self, packet: bytes, payload_octets: int) -> None:
        assert self._rtp is not None and self.remote is not None
        self._rtp.sendto(packet, self.remote)
        self.packets_sent += 1
        self._out.sent(payload_octets)

    def _tick(self, now: float) -> None:
        """Send the next 20 ms frame of the AudioSource (called by the engine's ticker)."""
        source = self._source
        codec, encoder, pt = self.codec, self._encoder, self.payload_type
        if source is None or isinstance(source, MediaLeg) or not self._may_send():
            return
        if codec is None or encoder is None or pt is None:
            return
        payload = encoder.encode(source.read(codec.sample_rate // 50, codec.sample_rate))
        seq, ts, switched = self._out.generated(id(source), codec.clock_rate // 50, now)
        packet = RtpPacket(pt, switched, seq, ts, self._out.ssrc, payload)
        self._send(bytes(packet), len(payload))

    def _relay(
        self, source: MediaLeg, data: bytes, fields: tuple[int, int, int, int], now: float
    ) -> None:
        """Send a packet received on ``source`` (the fast path touches only the fixed header)."""
        if not self._may_send():
            return
        pt, seq, ts, ssrc = fields
        spec = source._receive_map.get(pt)
        if spec is None:
            return
        if spec == TELEPHONE_EVENT:
            out_pt = self.dtmf_payload_type
        elif spec == self.codec:
            out_pt = self.payload_type
        else:
            self._transcode(source, spec, data, now)
            return
        if out_pt is None:
            return
        out_seq, out_ts, switched = self._out.relayed((source.leg_id, ssrc), seq, ts, now)
        marker = switched or bool(data[1] & 0x80)
        self._send(
            rewrite_header(data, out_pt, marker, out_seq, out_ts, self._out.ssrc), len(data) - 12
        )

    def _transcode(self, source: MediaLeg, spec: CodecSpec, data: bytes, now: float) -> None:
        if self.codec is None or self.payload_type is None:
            return
        try:
            packet = RtpPacket.parse(data)
        except ValueError:
            return
        key = (source.leg_id, spec, self.codec)
        transcoder = self._transcoders.get(key)
        if transcoder is None:
            transcoder = self._transcoders[key] = Transcoder(spec, self.codec)
        payload = transcoder.convert(packet.payload)
        seq, ts, switched = self._out.relayed(
            (source.leg_id, packet.ssrc), packet.sequence_number, packet.timestamp, now
        )
        out = RtpPacket(
            self.payload_type, switched or packet.marker, seq, ts, self._out.ssrc, payload
        )
        self._send(bytes(out), len(payload))

    # -- receiving ---------------------------------------------------------------------------------

    def _on_rtp(self, data: bytes, addr: Address) -> None:
        if self._closed:
            return
        if is_rtcp(data):  # RFC 5761 multiplexing: never relayed
            self._on_rtcp(data, addr)
            return
        fields = peek_header(data)
        if fields is None:
            self.packets_dropped += 1
            return
        if not self._latched:
            self.remote = addr
            self._latched = True
        elif addr != self.remote:
            self.packets_dropped += 1
            return
        if not can_receive(self.direction):
            self.packets_dropped += 1
            return
        self.packets_received += 1
        now = asyncio.get_running_loop().time()
        self._stats.add(fields[3], fields[1], fields[2], now)
        for sink in list(self._sinks):
            sink._relay(self, data, fields, now)

    def _on_rtcp(self, data: bytes, addr: Address) -> None:
        if self._closed:
            return
        try:
            packets = parse_rtcp(data)
        except ValueError:
            self.packets_dropped += 1
            return
        if not self._rtcp_latched:
            self.remote_rtcp = addr
            self._rtcp_latched = True
        self.rtcp_received += 1
        for packet in packets:
            if isinstance(packet, RtcpSrPacket):
                self._stats.last_sr = (packet.sender_info.ntp_timestamp >> 16) & 0xFFFFFFFF
                self._stats.last_sr_time = asyncio.get_running_loop().time()

    def _send_rtcp(self, now: float) -> None:
        """Our periodic report (the engine calls it every ~5 s)."""
        if self._closed or self._rtcp is None or self.remote_rtcp is None:
            return
        sender = self._out.packets != self._reported_packets
        self._reported_packets = self._out.packets
        packets = build_report(self._out, self._stats, self._cname, now, time.time(), sender)
        self._rtcp.sendto(serialize_rtcp(packets), self.remote_rtcp)
        self.rtcp_sent += 1

    async def close(self) -> None:
        """Stop sending and receiving, unhook every leg fed from this one, free the ports."""
        if self._closed:
            return
        for sink in list(self._sinks):
            sink.feed(None)
        self.feed(None)
        self._closed = True
        for transport in (self._rtp, self._rtcp):
            if transport is not None:
                transport.close()
        if self._rtp is None:
            for sock in self._sockets:
                sock.close()
        self._rtp = self._rtcp = None
        await asyncio.sleep(0)  # let the transports finish closing their sockets
        self._host.leg_closed(self)
