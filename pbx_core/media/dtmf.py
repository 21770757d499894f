"""DTMF: RFC 4733 telephone-event payloads and an in-band Goertzel detector (ITU-T Q.24).

Pure: no sockets, no clock.  :class:`TelephoneEvent` is the 4-byte payload (§2.3);
:func:`event_payloads` is what a sender transmits for one digit (growing durations, then the
end packet three times, §2.5.1.4); :class:`EventReceiver` reports each event once whatever the
redundancy.  :class:`ToneDetector` finds digits in decoded audio for phones that do not
offer telephone-event: row and column energies by Goertzel, a twist and an energy-share check
(speech and music spread their energy, a DTMF pair does not), and two blocks of debounce.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pbx_core.media.codecs import Pcm

__all__ = [
    "DIGITS",
    "EventReceiver",
    "TelephoneEvent",
    "ToneDetector",
    "dtmf_tone",
    "event_payloads",
]

DIGITS = "0123456789*#ABCD"
ROWS = (697.0, 770.0, 852.0, 941.0)
COLUMNS = (1209.0, 1336.0, 1477.0, 1633.0)
_KEYPAD = ("123A", "456B", "789C", "*0#D")
_EVENT = struct.Struct("!BBH")


def _frequencies(digit: str) -> tuple[float, float]:
    for row, keys in enumerate(_KEYPAD):
        col = keys.find(digit)
        if col >= 0:
            return ROWS[row], COLUMNS[col]
    raise ValueError(f"not a DTMF digit: {digit!r}")


@dataclass(frozen=True, slots=True)
class TelephoneEvent:
    """One telephone-event payload (RFC 4733 §2.3): event code, end bit, volume, duration."""

    event: int
    end: bool = False
    volume: int = 10
    duration: int = 0

    @property
    def digit(self) -> str | None:
        """The DTMF digit of events 0-15, else None (other events are not digits)."""
        return DIGITS[self.event] if self.event < len(DIGITS) else None

    @classmethod
    def parse(cls, data: bytes) -> TelephoneEvent:
        if len(data) < 4:
            raise ValueError("telephone-event payload length is invalid")
        event, flags, duration = _EVENT.unpack_from(data)
        return cls(event, bool(flags & 0x80), flags & 0x3F, duration)

    def __bytes__(self) -> bytes:
        return _EVENT.pack(
            self.event, (0x80 if self.end else 0) | (self.volume & 0x3F), self.duration
        )


def event_payloads(
    digit: str, *, duration: float = 0.1, clock_rate: int = 8000, volume: int = 10
) -> list[bytes]:
    """Payloads of one event, one per 20 ms: growing durations, then the end packet 3 times."""
    code = DIGITS.find(digit.upper())
    if len(digit) != 1 or code < 0:
        raise ValueError(f"not a DTMF digit: {digit!r}")
    step = clock_rate // 50
    total = max(step, round(duration * clock_rate) // step * step)
    growing = [bytes(TelephoneEvent(code, False, volume, d)) for d in range(step, total, step)]
    end = bytes(TelephoneEvent(code, True, volume, total))
    return [*growing, end, end, end]


class EventReceiver:
    """Reports each received event once: the first packet of a new RTP timestamp (§2.5.2)."""

    def __init__(self) -> None:
        self._last_ts: int | None = None

    def receive(self, timestamp: int, payload: bytes) -> str | None:
        """The digit a packet starts, or None (a repeat, an end copy, not a digit, bad data)."""
        try:
            event = TelephoneEvent.parse(payload)
        except ValueError:
            return None
        if timestamp == self._last_ts:
            return None
        self._last_ts = timestamp
        return event.digit


def dtmf_tone(digit: str, samples: int, rate: int, start: int = 0, level_dbfs: float = -8.0) -> Pcm:
    """``samples`` of the digit's two sines (each at ``level_dbfs``), from sample ``start``."""
    low, high = _frequencies(digit.upper())
    t = (start + np.arange(samples)) / rate
    amp = 32767 * 10 ** (level_dbfs / 20)
    wave = amp * (np.sin(2 * math.pi * low * t) + np.sin(2 * math.pi * high * t))
    pcm: Pcm = np.clip(np.rint(wave), -32768, 32767).astype(np.int16)
    return pcm


def _probes(freqs: npt.NDArray[np.float64], samples: int, rate: int) -> npt.NDArray[np.complex128]:
    """One row of complex phasors per frequency: a block's product with them is its Goertzel
    result at exactly those frequencies (not the nearest FFT bins)."""
    n = np.arange(samples)
    return np.asarray(np.exp(-2j * math.pi * np.outer(freqs, n) / rate), dtype=np.complex128)


class ToneDetector:
    """In-band DTMF detection on decoded audio of any rate; feed frames, get digits once each."""

    BLOCK_SECONDS = 0.0256  # 205 samples at 8 kHz: rows and columns fall in separate bins
    MIN_LEVEL_DBFS = -36.0  # each tone of a pair; quieter audio is never a digit
    MAX_TWIST_DB = 8.0  # column vs row level, either way (Q.24 allows 4-8 dB)
    MIN_SHARE = 0.7  # of the block's energy the pair must carry
    MIN_PEAK_RATIO_DB = 6.0  # the strongest row/column over the runner-up

    def __init__(self, rate: int = 8000) -> None:
        self.rate = rate
        self._block = round(rate * self.BLOCK_SECONDS)
        self._pending = np.zeros(0, dtype=np.float64)
        self._probes = _probes(np.array(ROWS + COLUMNS), self._block, rate)
        self._candidate: str | None = None
        self._reported: str | None = None

    def process(self, pcm: Pcm) -> list[str]:
        """Digits that started within the audio seen so far (each reported once)."""
        found: list[str] = []
        self._pending = np.concatenate([self._pending, pcm.astype(np.float64)])
        while len(self._pending) >= self._block:
            block, self._pending = self._pending[: self._block], self._pending[self._block :]
            digit = self._classify(block)
            if digit is not None and digit == self._candidate and digit != self._reported:
                found.append(digit)
                self._reported = digit
            if digit is None and self._candidate is None:
                self._reported = None  # two quiet blocks end a digit: the same key may follow
            self._candidate = digit
        return found

    def _classify(self, block: npt.NDArray[np.float64]) -> str | None:
        n = len(block)
        energy = float(block @ block)
        if energy <= 0.0:
            return None
        # A sine of amplitude A gives |X| = A·N/2; its energy is A²·N/2.
        amplitude = np.abs(self._probes @ block) * 2 / n
        rows, cols = amplitude[:4], amplitude[4:]
        r, c = int(np.argmax(rows)), int(np.argmax(cols))
        floor = 32767 * 10 ** (self.MIN_LEVEL_DBFS / 20)
        if rows[r] < floor or cols[c] < floor:
            return None
        twist = 20 * math.log10(cols[c] / rows[r])
        if abs(twist) > self.MAX_TWIST_DB:
            return None
        ratio = 10 ** (self.MIN_PEAK_RATIO_DB / 20)
        if np.sort(rows)[-2] * ratio > rows[r] or np.sort(cols)[-2] * ratio > cols[c]:
            return None
        pair_energy = (rows[r] ** 2 + cols[c] ** 2) * n / 2
        if pair_energy < self.MIN_SHARE * energy:
            return None
        return _KEYPAD[r][c]
