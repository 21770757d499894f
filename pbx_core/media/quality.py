"""Call quality figures of one leg: loss, jitter, round trip (RFC 3550 §6.4.1) and a MOS.

Pure.  The round trip comes from a report block the peer sent about our stream: the time it
arrived, less the LSR (when we sent the SR it answers) and the DLSR (how long the peer held
it).  The MOS is the simplified E-model (ITU-T G.107, as in G.113 planning): R from the
one-way delay (half the round trip plus the jitter buffer) and the packet loss, then MOS.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LegQuality", "mos_estimate", "ntp_middle", "round_trip_seconds"]

_NTP_EPOCH_OFFSET = 2208988800


@dataclass(frozen=True, slots=True)
class LegQuality:
    """What a leg receives from its phone, and the round trip to it."""

    packets_received: int
    packets_lost: int
    fraction_lost: float
    jitter_ms: float
    round_trip_ms: float | None
    mos: float

    @classmethod
    def of(
        cls, received: int, expected: int, jitter_seconds: float, round_trip: float | None
    ) -> LegQuality:
        """Figures from receive counts (RFC 3550 A.3), jitter and round trip in seconds."""
        lost = max(0, expected - received)
        loss = lost / expected if expected else 0.0
        jitter_ms = jitter_seconds * 1000
        rtt_ms = round_trip * 1000 if round_trip is not None else None
        return cls(received, lost, loss, jitter_ms, rtt_ms, mos_estimate(rtt_ms, jitter_ms, loss))


def ntp_middle(wall: float) -> int:
    """The middle 32 bits of the NTP timestamp of ``wall`` (Unix seconds), as LSR uses."""
    return int((wall + _NTP_EPOCH_OFFSET) * 65536) & 0xFFFFFFFF


def round_trip_seconds(lsr: int, dlsr: int, arrival: int) -> float | None:
    """Round trip from a report block (LSR, DLSR) arriving at NTP-middle ``arrival``; None if
    the peer has not seen an SR of ours yet or the figures make no sense."""
    if lsr == 0:
        return None
    rtt = ((arrival - lsr - dlsr) & 0xFFFFFFFF) / 65536
    return rtt if rtt < 60.0 else None


def mos_estimate(
    round_trip_ms: float | None,
    jitter_ms: float,
    loss: float,
    *,
    ie: float = 0.0,
    bpl: float = 25.1,
) -> float:
    """MOS (1-4.5) from the simplified E-model; ``ie``/``bpl`` are the codec's impairment and
    loss robustness (G.711 with concealment: 0 and 25.1, G.113 Appendix I)."""
    delay = (round_trip_ms or 0.0) / 2 + 2 * jitter_ms + 10.0
    idd = delay / 40 if delay < 160 else (delay - 120) / 10
    ppl = max(0.0, min(1.0, loss)) * 100
    ie_eff = ie + (95 - ie) * ppl / (ppl + bpl)
    r = max(0.0, min(100.0, 93.2 - idd - ie_eff))
    return round(1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r), 2)
