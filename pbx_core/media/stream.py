"""Outgoing stream continuity and receive statistics of one leg (RFC 3550 §5.1, §6.4, A.1-A.8).

Pure: no sockets, time is passed in.  ``OutgoingStream`` gives a leg one SSRC and one sequence
and timestamp space whatever it transmits (relayed packets from several legs, generated tones)
so a phone sees a single continuous stream, with the marker bit set at each switch.
``ReceiveStats`` keeps what a receiver report needs about the peer's stream.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from pbx_core.media.rtcp import (
    SDES_CNAME,
    RtcpPacket,
    RtcpReceiverInfo,
    RtcpRrPacket,
    RtcpSdesPacket,
    RtcpSenderInfo,
    RtcpSourceInfo,
    RtcpSrPacket,
)

__all__ = ["OutgoingStream", "ReceiveStats", "build_report"]

_SEQ_MOD = 1 << 16
_NTP_EPOCH_OFFSET = 2208988800  # seconds from 1900 to 1970
_TS_MOD = 1 << 32


@dataclass(slots=True)
class _Mapping:
    key: object
    seq_offset: int
    ts_offset: int


class OutgoingStream:
    """Rewrites sequence numbers and timestamps of whatever a leg sends onto one stream."""

    def __init__(self, clock_rate: int = 8000, ssrc: int | None = None) -> None:
        self.clock_rate = clock_rate
        self.ssrc = ssrc if ssrc is not None else secrets.randbits(32)
        self.packets = 0
        self.octets = 0
        self.last_seq = secrets.randbits(16)
        self.last_ts = secrets.randbits(32)
        self._last_time: float | None = None
        self._mapping: _Mapping | None = None

    def _gap(self, now: float) -> int:
        """Timestamp advance at a switch: the time since the last packet, at least one frame."""
        if self._last_time is None:
            return 0
        return max(self.clock_rate // 50, round((now - self._last_time) * self.clock_rate))

    def _advance(self, seq: int, ts: int, now: float) -> None:
        self.last_seq, self.last_ts, self._last_time = seq, ts, now

    def relayed(self, key: object, in_seq: int, in_ts: int, now: float) -> tuple[int, int, bool]:
        """(seq, ts, switched) for a packet of input stream ``key``; switched wants a marker."""
        mapping = self._mapping
        switched = mapping is None or mapping.key != key
        if mapping is None or switched:
            mapping = self._mapping = _Mapping(
                key,
                (self.last_seq + 1 - in_seq) % _SEQ_MOD,
                (self.last_ts + self._gap(now) - in_ts) % _TS_MOD,
            )
        seq = (in_seq + mapping.seq_offset) % _SEQ_MOD
        ts = (in_ts + mapping.ts_offset) % _TS_MOD
        self._advance(seq, ts, now)
        return seq, ts, switched

    def generated(self, key: object, duration: int, now: float) -> tuple[int, int, bool]:
        """(seq, ts, switched) for the next generated frame of ``duration`` clock ticks."""
        switched = self._mapping is None or self._mapping.key != key
        if switched:
            self._mapping = _Mapping(key, 0, 0)
            ts = (self.last_ts + self._gap(now)) % _TS_MOD
        else:
            ts = (self.last_ts + duration) % _TS_MOD
        seq = (self.last_seq + 1) % _SEQ_MOD
        self._advance(seq, ts, now)
        return seq, ts, switched

    def event(self, start: bool, now: float) -> tuple[int, int]:
        """(seq, ts) for an RFC 4733 packet: a ``start`` takes the next timestamp, the packets
        that follow keep it (§2.5.1.2); the next audio frame afterwards counts as a switch."""
        if start:
            gap = self._gap(now) if self._mapping is not None or self._last_time else 0
            ts = (self.last_ts + gap) % _TS_MOD
        else:
            ts = self.last_ts
        self._mapping = None
        seq = (self.last_seq + 1) % _SEQ_MOD
        self._advance(seq, ts, now)
        return seq, ts

    def reset_source(self) -> None:
        """Forget the current input so the next packet is treated as a switch."""
        self._mapping = None

    def sent(self, octets: int) -> None:
        """Count a sent packet's payload octets for the sender report."""
        self.packets += 1
        self.octets += octets


class ReceiveStats:
    """Sequence, loss and interarrival jitter of the peer's stream (RFC 3550 A.1, A.3, A.8)."""

    def __init__(self, clock_rate: int = 8000) -> None:
        self.clock_rate = clock_rate
        self.ssrc: int | None = None
        self.received = 0
        self._base_seq = 0
        self._max_seq = 0
        self._cycles = 0
        self._expected_prior = 0
        self._received_prior = 0
        self._transit: int | None = None
        self._jitter = 0.0
        self.last_sr: int = 0  # middle 32 bits of the last SR's NTP timestamp
        self.last_sr_time: float | None = None

    def add(self, ssrc: int, seq: int, ts: int, now: float) -> None:
        if ssrc != self.ssrc:
            self.ssrc, self.received, self._cycles = ssrc, 0, 0
            self._base_seq = self._max_seq = seq
            self._expected_prior = self._received_prior = 0
            self._transit, self._jitter = None, 0.0
        elif 0 < (seq - self._max_seq) % _SEQ_MOD < 3000:
            if seq < self._max_seq:
                self._cycles += _SEQ_MOD
            self._max_seq = seq
        self.received += 1
        transit = int(now * self.clock_rate) - ts
        if self._transit is not None:
            delta = abs(transit - self._transit)
            self._jitter += (delta - self._jitter) / 16
        self._transit = transit

    @property
    def expected(self) -> int:
        """Packets the peer sent since its first (§A.3)."""
        return 0 if self.ssrc is None else self._cycles + self._max_seq - self._base_seq + 1

    @property
    def lost(self) -> int:
        return max(0, self.expected - self.received)

    @property
    def jitter_seconds(self) -> float:
        return self._jitter / self.clock_rate

    def report(self, now: float) -> RtcpReceiverInfo | None:
        """A report block for the next SR/RR, or None before the first packet."""
        if self.ssrc is None:
            return None
        extended = self._cycles + self._max_seq
        expected = extended - self._base_seq + 1
        lost = expected - self.received
        expected_interval = expected - self._expected_prior
        received_interval = self.received - self._received_prior
        self._expected_prior, self._received_prior = expected, self.received
        lost_interval = expected_interval - received_interval
        fraction = 0
        if expected_interval > 0 and lost_interval > 0:
            fraction = min(255, (lost_interval << 8) // expected_interval)
        dlsr = 0
        if self.last_sr_time is not None:
            dlsr = int((now - self.last_sr_time) * 65536)
        return RtcpReceiverInfo(
            ssrc=self.ssrc,
            fraction_lost=fraction,
            packets_lost=max(-0x800000, min(0x7FFFFF, lost)),
            highest_sequence=extended & 0xFFFFFFFF,
            jitter=int(self._jitter),
            lsr=self.last_sr,
            dlsr=dlsr & 0xFFFFFFFF,
        )


def build_report(
    out: OutgoingStream, stats: ReceiveStats, cname: bytes, now: float, wall: float, sender: bool
) -> list[RtcpPacket]:
    """A compound report (§6.1): SR when we sent since the last one, else RR; then SDES CNAME."""
    block = stats.report(now)
    reports = [block] if block is not None else []
    first: RtcpPacket
    if sender:
        ntp = int((wall + _NTP_EPOCH_OFFSET) * (1 << 32)) & 0xFFFFFFFFFFFFFFFF
        info = RtcpSenderInfo(ntp, out.last_ts, out.packets & 0xFFFFFFFF, out.octets & 0xFFFFFFFF)
        first = RtcpSrPacket(out.ssrc, info, reports)
    else:
        first = RtcpRrPacket(out.ssrc, reports)
    return [first, RtcpSdesPacket([RtcpSourceInfo(out.ssrc, [(SDES_CNAME, cname)])])]
