"""RTP packet wire format (RFC 3550 §5.1, header extension §5.3.1) and RTP/RTCP demux (RFC 5761 §4).

Pure: no sockets.  The relay fast path in ``leg.py`` does not build these objects; it rewrites the
fixed header in place with the helpers at the bottom of this module.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

__all__ = [
    "RTP_HEADER_LENGTH",
    "RTP_VERSION",
    "RtpPacket",
    "is_rtcp",
    "peek_header",
    "rewrite_header",
]

RTP_VERSION = 2
RTP_HEADER_LENGTH = 12
_FIXED = struct.Struct("!BBHLL")


def is_rtcp(data: bytes) -> bool:
    """Tell RTCP from RTP on a shared port: RTCP packet types 192-223 sit where RTP has M+PT."""
    return len(data) >= 2 and 192 <= data[1] <= 223


@dataclass(slots=True)
class RtpPacket:
    """One RTP packet; ``bytes(RtpPacket.parse(data)) == data`` for every valid packet."""

    payload_type: int = 0
    marker: bool = False
    sequence_number: int = 0
    timestamp: int = 0
    ssrc: int = 0
    payload: bytes = b""
    csrc: list[int] = field(default_factory=list)
    extension_profile: int | None = None
    extension: bytes = b""
    padding_size: int = 0
    version: int = RTP_VERSION

    @property
    def padding(self) -> bool:
        return self.padding_size > 0

    @classmethod
    def parse(cls, data: bytes) -> RtpPacket:
        if len(data) < RTP_HEADER_LENGTH:
            raise ValueError("RTP packet length is less than 12 bytes")
        first, second, sequence_number, timestamp, ssrc = _FIXED.unpack_from(data)
        version = first >> 6
        if version != RTP_VERSION:
            raise ValueError("RTP packet has invalid version")
        cc = first & 0x0F
        pos = RTP_HEADER_LENGTH + 4 * cc
        if len(data) < pos:
            raise ValueError("RTP packet has truncated CSRC")
        csrc = list(struct.unpack_from(f"!{cc}L", data, RTP_HEADER_LENGTH))
        extension_profile: int | None = None
        extension = b""
        if first & 0x10:
            if len(data) < pos + 4:
                raise ValueError("RTP packet has truncated extension header")
            extension_profile, words = struct.unpack_from("!HH", data, pos)
            pos += 4
            if len(data) < pos + 4 * words:
                raise ValueError("RTP packet has truncated extension")
            extension = bytes(data[pos : pos + 4 * words])
            pos += 4 * words
        end = len(data)
        padding_size = 0
        if first & 0x20:
            padding_size = data[-1]
            if padding_size == 0 or padding_size > end - pos:
                raise ValueError("RTP packet padding length is invalid")
            end -= padding_size
        return cls(
            payload_type=second & 0x7F,
            marker=bool(second & 0x80),
            sequence_number=sequence_number,
            timestamp=timestamp,
            ssrc=ssrc,
            payload=bytes(data[pos:end]),
            csrc=csrc,
            extension_profile=extension_profile,
            extension=extension,
            padding_size=padding_size,
            version=version,
        )

    def __bytes__(self) -> bytes:
        if len(self.csrc) > 15:
            raise ValueError("RTP packet has more than 15 CSRC")
        if len(self.extension) % 4:
            raise ValueError("RTP extension length is not a multiple of 4")
        if not 0 <= self.padding_size <= 255:
            raise ValueError("RTP padding length is invalid")
        first = (self.version << 6) | len(self.csrc)
        if self.padding_size:
            first |= 0x20
        if self.extension_profile is not None:
            first |= 0x10
        second = (0x80 if self.marker else 0) | (self.payload_type & 0x7F)
        parts = [
            _FIXED.pack(first, second, self.sequence_number, self.timestamp, self.ssrc),
            struct.pack(f"!{len(self.csrc)}L", *self.csrc),
        ]
        if self.extension_profile is not None:
            parts.append(struct.pack("!HH", self.extension_profile, len(self.extension) // 4))
            parts.append(self.extension)
        parts.append(self.payload)
        if self.padding_size:
            parts.append(bytes(self.padding_size - 1) + bytes([self.padding_size]))
        return b"".join(parts)


def peek_header(data: bytes) -> tuple[int, int, int, int] | None:
    """(payload type, sequence number, timestamp, ssrc) of a plausible RTP packet, else None."""
    if len(data) < RTP_HEADER_LENGTH or data[0] >> 6 != RTP_VERSION:
        return None
    _, second, seq, ts, ssrc = _FIXED.unpack_from(data)
    return second & 0x7F, seq, ts, ssrc


def rewrite_header(
    data: bytes, payload_type: int, marker: bool, seq: int, ts: int, ssrc: int
) -> bytes:
    """Copy of ``data`` with a new PT, marker, sequence number, timestamp and SSRC."""
    out = bytearray(data)
    out[1] = (0x80 if marker else 0) | payload_type
    struct.pack_into("!HLL", out, 2, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
    return bytes(out)
