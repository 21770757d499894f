"""A leg's DTMF: digits out of received packets and the queue of digits it still has to send.

Pure, used by ``leg.py``.  Received digits come from RFC 4733 packets (once per event), or,
when the leg agreed no telephone-event, from a Goertzel detector on the decoded audio; the leg
only asks when someone listens (``on_dtmf``), so the relay fast path decodes nothing.  Sent
digits are RFC 4733 payloads (one per 20 ms, end packet three times) or an in-band tone of
100 ms and a 60 ms pause, one frame per tick of the engine.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from pbx_core.media.codecs import TELEPHONE_EVENT, CodecSpec, Decoder, Pcm, get_decoder
from pbx_core.media.dtmf import DIGITS, EventReceiver, ToneDetector, dtmf_tone, event_payloads

__all__ = ["DtmfIn", "DtmfOut", "OutEvent", "OutTone"]

TONE_SECONDS = 0.1
PAUSE_SECONDS = 0.06


class DtmfIn:
    """Turns a leg's received packets into digits."""

    def __init__(self) -> None:
        self._events = EventReceiver()
        self._inband: dict[CodecSpec, tuple[Decoder, ToneDetector]] = {}

    def packet(self, spec: CodecSpec, timestamp: int, payload: bytes, inband: bool) -> list[str]:
        """Digits a packet of ``spec`` starts; audio is only decoded when ``inband``."""
        if spec == TELEPHONE_EVENT:
            digit = self._events.receive(timestamp, payload)
            return [digit] if digit is not None else []
        if not inband or not spec.is_audio:
            return []
        chain = self._inband.get(spec)
        if chain is None:
            chain = self._inband[spec] = (get_decoder(spec), ToneDetector(spec.sample_rate))
        decoder, detector = chain
        return detector.process(decoder.decode(payload))


@dataclass(frozen=True, slots=True)
class OutEvent:
    """One RFC 4733 packet; ``start`` opens a new event (new timestamp, marker bit)."""

    payload: bytes
    start: bool


@dataclass(frozen=True, slots=True)
class OutTone:
    """One 20 ms frame of an in-band digit at the codec's sample rate."""

    pcm: Pcm
    key: int


class DtmfOut:
    """What a leg still has to send for the digits asked of it, one item per tick."""

    def __init__(self) -> None:
        self._items: deque[OutEvent | OutTone] = deque()
        self._serial = 0

    def __bool__(self) -> bool:
        return bool(self._items)

    def queue(self, digit: str, *, event: bool, sample_rate: int = 8000) -> None:
        """Queue ``digit`` as RFC 4733 packets (``event``) or as an in-band tone."""
        if len(digit) != 1 or digit.upper() not in DIGITS:
            raise ValueError(f"not a DTMF digit: {digit!r}")
        self._serial += 1
        if event:
            payloads = event_payloads(digit, duration=TONE_SECONDS)
            self._items.extend(OutEvent(p, n == 0) for n, p in enumerate(payloads))
            return
        frame = sample_rate // 50
        tone_frames = round(TONE_SECONDS * 50)
        for n in range(tone_frames):
            pcm = dtmf_tone(digit, frame, sample_rate, start=n * frame)
            self._items.append(OutTone(pcm, self._serial))
        silence = np.zeros(frame, dtype=np.int16)
        self._items.extend(OutTone(silence, self._serial) for _ in range(round(PAUSE_SECONDS * 50)))

    def pop(self) -> OutEvent | OutTone | None:
        return self._items.popleft() if self._items else None
