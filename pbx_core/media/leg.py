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

A leg in a conference room (``MediaEngine.join_room``) transmits what the engine's ticker gets
from the room's mixer and hands its received audio to the room.  DTMF: ``on_dtmf(leg, digit)``
is called once per digit the phone sends (RFC 4733, or in-band tones when the leg has no
telephone-event); ``send_dtmf`` sends one.  Only legs in a room or with ``on_dtmf`` set parse
and decode what they receive; the relay stays a header rewrite.

Symmetric RTP (RFC 4961): a leg sends to the SDP address until the first RTP packet arrives,
then to that packet's source, and ignores other sources until the SDP address changes.
RTCP is received and parsed, never relayed; each leg sends its own SR/RR every ~5 s.

SRTP (RFC 3711, ``srtp.py``): a leg with keys unprotects what arrives first (a packet failing
authentication is dropped, never latched) and protects what it sends last.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from pbx_core.errors import MediaError
from pbx_core.media.codecs import (
    TELEPHONE_EVENT,
    CodecSpec,
    Encoder,
    get_encoder,
)
from pbx_core.media.endpoint import Address, SocketEndpoint, open_endpoint
from pbx_core.media.leg_dtmf import DtmfIn, DtmfOut, OutEvent, OutTone
from pbx_core.media.leg_sdp import NegotiatedLeg
from pbx_core.media.negotiation import (
    can_receive,
    can_send,
    offered_codecs,
)
from pbx_core.media.quality import LegQuality, ntp_middle, round_trip_seconds
from pbx_core.media.rtcp import RtcpRrPacket, RtcpSrPacket, parse_rtcp, serialize_rtcp
from pbx_core.media.rtp import RtpPacket, is_rtcp, peek_header, rewrite_header
from pbx_core.media.stream import OutgoingStream, ReceiveStats, build_report
from pbx_core.media.tones import AudioSource
from pbx_core.media.transcode import Transcoder

if TYPE_CHECKING:
    from pbx_core.media.room import Room

__all__ = ["LegHost", "MediaLeg"]

log = logging.getLogger(__name__)


class LegHost(Protocol):
    """What a leg needs from its engine (the engine's 20 ms ticker and port bookkeeping)."""

    def source_changed(self, leg: MediaLeg) -> None: ...

    def leg_closed(self, leg: MediaLeg) -> None: ...

    def leave_room(self, leg: MediaLeg) -> None: ...


class MediaLeg(NegotiatedLeg):
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
        super().__init__(local_host, local_port)
        self.leg_id = leg_id
        self.packets_received = 0
        self.packets_sent = 0
        self.packets_dropped = 0
        self.rtcp_received = 0
        self.rtcp_sent = 0
        self._host = host
        self._sockets = sockets
        self._source: MediaLeg | AudioSource | None = None
        self._sinks: list[MediaLeg] = []
        self._out = OutgoingStream()
        self._stats = ReceiveStats()
        self._encoder: Encoder | None = None
        self._transcoders: dict[tuple[str, CodecSpec, CodecSpec], Transcoder] = {}
        self._cname = f"{secrets.token_hex(8)}@pbx".encode()
        self._reported_packets = 0
        self._rtp: SocketEndpoint | None = None
        self._rtcp: SocketEndpoint | None = None
        self._closed = False
        self.on_dtmf: Callable[[MediaLeg, str], None] | None = None
        self._dtmf_in = DtmfIn()
        self._dtmf_out = DtmfOut()
        self._room: Room | None = None
        self._round_trip: float | None = None

    async def _open(self) -> None:
        rtp_sock, rtcp_sock = self._sockets
        self._rtp = await open_endpoint(rtp_sock, self._on_rtp, f"leg {self.leg_id} RTP")
        self._rtcp = await open_endpoint(rtcp_sock, self._on_rtcp, f"leg {self.leg_id} RTCP")

    def _codec_changed(self, codec: CodecSpec | None) -> None:
        self._encoder = get_encoder(codec) if codec is not None else None
        if codec is not None:
            self._out.reset_source()

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

    @property
    def room(self) -> str | None:
        """The id of the conference room this leg is in, if any."""
        return self._room.room_id if self._room is not None else None

    def quality(self) -> LegQuality:
        """Loss and jitter of what the phone sends, the round trip to it and a MOS estimate."""
        stats = self._stats
        return LegQuality.of(stats.received, stats.expected, stats.jitter_seconds, self._round_trip)

    # -- what this leg transmits ------------------------------------------------------------------

    def feed(self, source: MediaLeg | AudioSource | None) -> None:
        """Transmit from now on: another leg's packets, our own (echo), audio, or nothing."""
        if self._closed and source is not None:
            raise MediaError(f"leg {self.leg_id} is closed")
        if source is not None and self._room is not None:
            self._host.leave_room(self)  # a leg is in a room or fed otherwise, never both
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
        if self._dtmf_out:
            return True
        return self._source is not None and not isinstance(self._source, MediaLeg)

    def send_dtmf(self, digit: str) -> None:
        """Send one digit: RFC 4733 when the phone agreed telephone-event, else as a tone."""
        if self._closed:
            raise MediaError(f"leg {self.leg_id} is closed")
        rate = self.codec.sample_rate if self.codec is not None else 8000
        self._dtmf_out.queue(digit, event=self.dtmf_payload_type is not None, sample_rate=rate)
        self._host.source_changed(self)

    def _may_send(self) -> bool:
        return (
            self.remote is not None
            and self._rtp is not None
            and can_send(self.direction)
            and can_receive(self.remote_direction)
        )

    def _send(self, packet: bytes, payload_octets: int) -> None:
        assert self._rtp is not None and self.remote is not None
        if self.srtp_transform is not None:
            packet = self.srtp_transform.protect(packet) or b""
        if packet:
            self._rtp.sendto(packet, self.remote)
        self.packets_sent += 1
        self._out.sent(payload_octets)

    def _send_frame(self, payload: bytes, key: object, now: float) -> None:
        """Send one generated 20 ms frame in our codec, as part of input stream ``key``."""
        if self.codec is None or self.payload_type is None or not self._may_send():
            return
        seq, ts, switched = self._out.generated(key, self.codec.clock_rate // 50, now)
        packet = RtpPacket(self.payload_type, switched, seq, ts, self._out.ssrc, payload)
        self._send(bytes(packet), len(payload))

    def _tick(self, now: float) -> None:
        """Send the next 20 ms frame of the AudioSource or digit (the engine's ticker calls)."""
        if self._dtmf_out:
            self._tick_dtmf(now)
            return
        source, codec, encoder = self._source, self.codec, self._encoder
        if source is None or isinstance(source, MediaLeg) or not self._may_send():
            return
        if codec is not None and encoder is not None:
            pcm = source.read(codec.sample_rate // 50, codec.sample_rate)
            self._send_frame(encoder.encode(pcm), id(source), now)

    def _tick_dtmf(self, now: float) -> None:
        item = self._dtmf_out.pop()
        pt = self.dtmf_payload_type
        if isinstance(item, OutEvent) and pt is not None and self._may_send():
            seq, ts = self._out.event(item.start, now)
            packet = RtpPacket(pt, item.start, seq, ts, self._out.ssrc, item.payload)
            self._send(bytes(packet), len(item.payload))
        elif isinstance(item, OutTone) and self._encoder is not None:
            self._send_frame(self._encoder.encode(item.pcm), ("dtmf", item.key), now)
        if not self._dtmf_out:
            self._out.reset_source()
            self._host.source_changed(self)

    def _send_mixed(self, payload: bytes, room: str, now: float) -> None:
        """Send a room's mix for this leg (the engine's ticker calls)."""
        if not self._dtmf_out:
            self._send_frame(payload, ("room", room), now)

    def _relay(
        self, source: MediaLeg, data: bytes, fields: tuple[int, int, int, int], now: float
    ) -> None:
        """Send a packet received on ``source`` (the fast path touches only the fixed header)."""
        if self._dtmf_out or not self._may_send():
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
        if self.srtp_transform is not None:  # b"" when it fails: dropped below
            data = self.srtp_transform.unprotect(data) or b""
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
        if self._room is not None or self.on_dtmf is not None:
            self._inspect(data, fields[0], now)

    def _inspect(self, data: bytes, pt: int, now: float) -> None:
        """The slow path: audio to the room, digits to ``on_dtmf``."""
        spec = self._receive_map.get(pt)
        if spec is None:
            return
        try:
            packet = RtpPacket.parse(data)
        except ValueError:
            return
        if self._room is not None and spec.is_audio:
            self._room.receive(
                self.leg_id,
                spec,
                packet.sequence_number,
                packet.timestamp,
                packet.payload,
                now,
                packet.ssrc,
            )
        hook = self.on_dtmf
        if hook is None:
            return
        inband = self.dtmf_payload_type is None
        for digit in self._dtmf_in.packet(spec, packet.timestamp, packet.payload, inband):
            try:
                hook(self, digit)
            except Exception:
                log.exception("leg %s: DTMF hook failed", self.leg_id)

    def _on_rtcp(self, data: bytes, addr: Address) -> None:
        if self._closed:
            return
        if self.srtp_transform is not None:
            data = self.srtp_transform.unprotect_rtcp(data) or b""
            if not data:
                self.packets_dropped += 1
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
            if isinstance(packet, RtcpSrPacket | RtcpRrPacket):
                for block in packet.reports:
                    if block.ssrc == self._out.ssrc:
                        rtt = round_trip_seconds(block.lsr, block.dlsr, ntp_middle(time.time()))
                        self._round_trip = rtt if rtt is not None else self._round_trip

    def _send_rtcp(self, now: float) -> None:
        """Our periodic report (the engine calls it every ~5 s)."""
        if self._closed or self._rtcp is None or self.remote_rtcp is None:
            return
        sender = self._out.packets != self._reported_packets
        self._reported_packets = self._out.packets
        packets = build_report(self._out, self._stats, self._cname, now, time.time(), sender)
        data = serialize_rtcp(packets)
        if self.srtp_transform is not None:
            data = self.srtp_transform.protect_rtcp(data) or b""
        if data:
            self._rtcp.sendto(data, self.remote_rtcp)
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
        await asyncio.sleep(0)
        self._host.leg_closed(self)
