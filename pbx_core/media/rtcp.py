"""RTCP wire format: SR, RR, SDES, BYE and compound packets (RFC 3550 §6.4-6.6).

Pure: no sockets.  Other packet types (APP, feedback) are kept as ``RtcpUnknownPacket`` so a
compound packet still round-trips.  Each packet is a dataclass with ``parse()`` and ``__bytes__``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

__all__ = [
    "RTCP_BYE",
    "RTCP_RR",
    "RTCP_SDES",
    "RTCP_SR",
    "RtcpByePacket",
    "RtcpPacket",
    "RtcpReceiverInfo",
    "RtcpRrPacket",
    "RtcpSdesPacket",
    "RtcpSenderInfo",
    "RtcpSourceInfo",
    "RtcpSrPacket",
    "RtcpUnknownPacket",
    "parse_rtcp",
    "serialize_rtcp",
]

RTCP_SR = 200
RTCP_RR = 201
RTCP_SDES = 202
RTCP_BYE = 203

SDES_CNAME = 1

_HEADER = struct.Struct("!BBH")
_REPORT = struct.Struct("!LB3sLLLL")
_SENDER = struct.Struct("!QLLL")


def _pack_header(packet_type: int, count: int, payload: bytes) -> bytes:
    if len(payload) % 4:
        raise ValueError("RTCP payload length is not a multiple of 4")
    return _HEADER.pack(0x80 | count, packet_type, len(payload) // 4) + payload


@dataclass(slots=True)
class RtcpReceiverInfo:
    """One report block: how well we receive ``ssrc`` (§6.4.1)."""

    ssrc: int
    fraction_lost: int
    packets_lost: int
    highest_sequence: int
    jitter: int
    lsr: int
    dlsr: int

    @classmethod
    def parse(cls, data: bytes) -> RtcpReceiverInfo:
        if len(data) != 24:
            raise ValueError("RTCP receiver report block length is invalid")
        ssrc, fraction, lost, highest, jitter, lsr, dlsr = _REPORT.unpack(data)
        return cls(
            ssrc, fraction, int.from_bytes(lost, "big", signed=True), highest, jitter, lsr, dlsr
        )

    def __bytes__(self) -> bytes:
        lost = self.packets_lost.to_bytes(3, "big", signed=True)
        return _REPORT.pack(
            self.ssrc,
            self.fraction_lost,
            lost,
            self.highest_sequence,
            self.jitter,
            self.lsr,
            self.dlsr,
        )


@dataclass(slots=True)
class RtcpSenderInfo:
    """What a sender has sent so far, with its NTP/RTP clock pair (§6.4.1)."""

    ntp_timestamp: int
    rtp_timestamp: int
    packet_count: int
    octet_count: int

    @classmethod
    def parse(cls, data: bytes) -> RtcpSenderInfo:
        if len(data) != 20:
            raise ValueError("RTCP sender info length is invalid")
        return cls(*_SENDER.unpack(data))

    def __bytes__(self) -> bytes:
        return _SENDER.pack(
            self.ntp_timestamp, self.rtp_timestamp, self.packet_count, self.octet_count
        )


def _parse_reports(data: bytes, count: int) -> list[RtcpReceiverInfo]:
    if len(data) < 24 * count:
        raise ValueError("RTCP report blocks are truncated")
    return [RtcpReceiverInfo.parse(data[24 * i : 24 * i + 24]) for i in range(count)]


@dataclass(slots=True)
class RtcpSrPacket:
    """Sender report (§6.4.1)."""

    ssrc: int
    sender_info: RtcpSenderInfo
    reports: list[RtcpReceiverInfo] = field(default_factory=list)

    @classmethod
    def parse(cls, data: bytes, count: int) -> RtcpSrPacket:
        if len(data) < 24:
            raise ValueError("RTCP sender report length is invalid")
        (ssrc,) = struct.unpack_from("!L", data)
        info = RtcpSenderInfo.parse(data[4:24])
        return cls(ssrc, info, _parse_reports(data[24:], count))

    def __bytes__(self) -> bytes:
        payload = struct.pack("!L", self.ssrc) + bytes(self.sender_info)
        payload += b"".join(bytes(r) for r in self.reports)
        return _pack_header(RTCP_SR, len(self.reports), payload)


@dataclass(slots=True)
class RtcpRrPacket:
    """Receiver report (§6.4.2)."""

    ssrc: int
    reports: list[RtcpReceiverInfo] = field(default_factory=list)

    @classmethod
    def parse(cls, data: bytes, count: int) -> RtcpRrPacket:
        if len(data) < 4:
            raise ValueError("RTCP receiver report length is invalid")
        (ssrc,) = struct.unpack_from("!L", data)
        return cls(ssrc, _parse_reports(data[4:], count))

    def __bytes__(self) -> bytes:
        payload = struct.pack("!L", self.ssrc) + b"".join(bytes(r) for r in self.reports)
        return _pack_header(RTCP_RR, len(self.reports), payload)


@dataclass(slots=True)
class RtcpSourceInfo:
    """One SDES chunk: items (type, value) about one source, CNAME first by convention."""

    ssrc: int
    items: list[tuple[int, bytes]] = field(default_factory=list)


@dataclass(slots=True)
class RtcpSdesPacket:
    """Source description (§6.5)."""

    chunks: list[RtcpSourceInfo] = field(default_factory=list)

    @classmethod
    def parse(cls, data: bytes, count: int) -> RtcpSdesPacket:
        pos = 0
        chunks = []
        for _ in range(count):
            if len(data) < pos + 4:
                raise ValueError("RTCP SDES source is truncated")
            (ssrc,) = struct.unpack_from("!L", data, pos)
            pos += 4
            items = []
            while pos < len(data) and data[pos] != 0:
                if len(data) < pos + 2:
                    raise ValueError("RTCP SDES item is truncated")
                kind, length = data[pos], data[pos + 1]
                if len(data) < pos + 2 + length:
                    raise ValueError("RTCP SDES item is truncated")
                items.append((kind, bytes(data[pos + 2 : pos + 2 + length])))
                pos += 2 + length
            pos += 4 - pos % 4  # the null item and padding to the next word
            chunks.append(RtcpSourceInfo(ssrc, items))
        return cls(chunks)

    def __bytes__(self) -> bytes:
        payload = b""
        for chunk in self.chunks:
            data = struct.pack("!L", chunk.ssrc)
            for kind, value in chunk.items:
                if len(value) > 255:
                    raise ValueError("RTCP SDES item is longer than 255 bytes")
                data += bytes([kind, len(value)]) + value
            data += bytes(4 - len(data) % 4)
            payload += data
        return _pack_header(RTCP_SDES, len(self.chunks), payload)


@dataclass(slots=True)
class RtcpByePacket:
    """Goodbye (§6.6), with an optional reason."""

    sources: list[int] = field(default_factory=list)
    reason: bytes | None = None

    @classmethod
    def parse(cls, data: bytes, count: int) -> RtcpByePacket:
        if len(data) < 4 * count:
            raise ValueError("RTCP bye length is invalid")
        sources = list(struct.unpack_from(f"!{count}L", data))
        reason = None
        rest = data[4 * count :]
        if rest:
            if len(rest) < 1 + rest[0]:
                raise ValueError("RTCP bye reason is truncated")
            reason = bytes(rest[1 : 1 + rest[0]])
        return cls(sources, reason)

    def __bytes__(self) -> bytes:
        payload = b"".join(struct.pack("!L", s) for s in self.sources)
        if self.reason is not None:
            if len(self.reason) > 255:
                raise ValueError("RTCP bye reason is longer than 255 bytes")
            text = bytes([len(self.reason)]) + self.reason
            payload += text + bytes(-len(text) % 4)
        return _pack_header(RTCP_BYE, len(self.sources), payload)


@dataclass(slots=True)
class RtcpUnknownPacket:
    """A packet type we do not interpret (APP, RTPFB, PSFB, XR...), kept verbatim."""

    packet_type: int
    count: int
    payload: bytes

    def __bytes__(self) -> bytes:
        return _pack_header(self.packet_type, self.count, self.payload)


RtcpPacket = RtcpSrPacket | RtcpRrPacket | RtcpSdesPacket | RtcpByePacket | RtcpUnknownPacket


def parse_rtcp(data: bytes) -> list[RtcpPacket]:
    """Split and parse a compound RTCP packet."""
    packets: list[RtcpPacket] = []
    pos = 0
    while pos < len(data):
        if len(data) < pos + 4:
            raise ValueError("RTCP packet length is less than 4 bytes")
        first, packet_type, words = _HEADER.unpack_from(data, pos)
        if first >> 6 != 2:
            raise ValueError("RTCP packet has invalid version")
        end = pos + 4 + 4 * words
        if end > len(data):
            raise ValueError("RTCP packet is truncated")
        payload = data[pos + 4 : end]
        if first & 0x20:
            if not payload or payload[-1] == 0 or payload[-1] > len(payload):
                raise ValueError("RTCP packet padding length is invalid")
            payload = payload[: -payload[-1]]
        count = first & 0x1F
        packet: RtcpPacket
        if packet_type == RTCP_SR:
            packet = RtcpSrPacket.parse(payload, count)
        elif packet_type == RTCP_RR:
            packet = RtcpRrPacket.parse(payload, count)
        elif packet_type == RTCP_SDES:
            packet = RtcpSdesPacket.parse(payload, count)
        elif packet_type == RTCP_BYE:
            packet = RtcpByePacket.parse(payload, count)
        else:
            packet = RtcpUnknownPacket(packet_type, count, bytes(payload))
        packets.append(packet)
        pos = end
    return packets


def serialize_rtcp(packets: list[RtcpPacket]) -> bytes:
    """Join packets into one compound RTCP packet."""
    return b"".join(bytes(p) for p in packets)
