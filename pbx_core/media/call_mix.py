"""Recording both sides of a call, mixed: what each of two legs receives, summed to one track.

:class:`CallMix` is pure: audio packets of two parties in (codec, SSRC, timestamp, arrival
time), one 16 kHz mono track out. Each party's stream is placed by its RTP timestamps, anchored
to its arrival time relative to the start, so the two voices line up as they were spoken; a new
SSRC, a jump or a drift of more than ``_MAX_DRIFT`` re-anchors on the arrival time. Lost packets
stay silent, the sum saturates to int16 (as in the conference :mod:`~pbx_core.media.mixer`).

:class:`CallTap` hooks a :class:`CallMix` onto two :class:`~pbx_core.media.leg.MediaLeg` the way
:class:`~pbx_core.media.recorder.LegRecorder` does for voicemail: one of the legs fed from each,
so the relay between the phones is left exactly as it was (no decode, no change of SSRC,
sequence or timestamp for either phone). It survives hold and re-wiring (a leg's feeds change,
not what it receives) and reports when either leg closes (hang-up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import numpy as np

from pbx_core.media.codecs import CodecSpec, Decoder, Pcm, get_decoder
from pbx_core.media.resample import Resampler
from pbx_core.media.rtp import RtpPacket

if TYPE_CHECKING:
    from pbx_core.media.leg import MediaLeg

__all__ = ["MIX_RATE", "CallMix", "CallTap"]

MIX_RATE = 16000
_MAX_DRIFT = int(0.3 * MIX_RATE)  # placement this far from the arrival time: re-anchor
_GROW = 10 * MIX_RATE
_SETTLE = MIX_RATE  # a packet later than this behind the newest one is not waited for
_CHUNK = 5 * MIX_RATE


class _Track:
    """One party's audio at ``MIX_RATE`` from absolute sample ``origin`` on, growing as
    packets come (positions are absolute: samples since the start)."""

    def __init__(self) -> None:
        self.pcm = np.zeros(_GROW, dtype=np.int16)
        self.end = 0
        self.base: tuple[int, int, int] | None = None  # (ssrc, timestamp, sample offset)
        self.chains: dict[CodecSpec, tuple[Decoder, Resampler | None]] = {}

    def decode(self, spec: CodecSpec, payload: bytes) -> Pcm:
        chain = self.chains.get(spec)
        if chain is None:
            rate = spec.sample_rate
            resampler = Resampler(rate, MIX_RATE) if rate != MIX_RATE else None
            chain = self.chains[spec] = (get_decoder(spec), resampler)
        decoder, resampler = chain
        pcm = decoder.decode(payload)
        return resampler.process(pcm) if resampler is not None else pcm

    def place(self, at: int, pcm: Pcm, origin: int, limit: int) -> None:
        """Put ``pcm`` at ``at``; what falls before ``origin`` (already taken) is dropped."""
        start, stop = max(at, origin), min(at + len(pcm), limit)
        if stop <= start:
            return
        if stop - origin > len(self.pcm):
            grown = np.zeros(max(stop - origin, len(self.pcm) * 2), dtype=np.int16)
            grown[: len(self.pcm)] = self.pcm
            self.pcm = grown
        self.pcm[start - origin : stop - origin] = pcm[start - at : stop - at]
        self.end = max(self.end, stop)

    def drop(self, count: int) -> None:
        """The first ``count`` samples were taken: shift the rest to the front."""
        kept = len(self.pcm) - count
        self.pcm[:kept] = self.pcm[count:]
        self.pcm[kept:] = 0


class CallMix:
    """Two parties' audio, started at loop time ``started``, at most ``max_seconds`` long.

    :meth:`settled` hands out the mix of what no late packet can change any more (older than
    ``_SETTLE`` behind the newest arrival) in chunks of at least ``_CHUNK``, so a long call is
    written as it goes and only the last seconds stay in memory; :meth:`samples` the rest.
    """

    def __init__(self, started: float, max_seconds: float) -> None:
        self.started = started
        self.limit = max(1, int(max_seconds * MIX_RATE))
        self._tracks = (_Track(), _Track())
        self.origin = 0  # samples taken so far
        self._newest = 0

    @property
    def full(self) -> bool:
        return any(track.end >= self.limit for track in self._tracks)

    @property
    def seconds(self) -> float:
        return max(self.origin, *(track.end for track in self._tracks)) / MIX_RATE

    def add(
        self, party: int, spec: CodecSpec, ssrc: int, timestamp: int, payload: bytes, now: float
    ) -> bool:
        """An audio packet of ``party`` (0 or 1) that arrived at ``now``; True once full."""
        if not spec.is_audio or self.full:
            return self.full
        track = self._tracks[party]
        pcm = track.decode(spec, payload)
        arrived = max(0, round((now - self.started) * MIX_RATE))
        self._newest = max(self._newest, arrived)
        if track.base is None or track.base[0] != ssrc:
            track.base = (ssrc, timestamp, arrived)
        _, ts0, offset0 = track.base
        delta = (timestamp - ts0) & 0xFFFFFFFF
        if delta >= 0x80000000:
            delta -= 0x100000000
        at = offset0 + round(delta * MIX_RATE / spec.clock_rate)
        if at < 0 or abs(at - arrived) > _MAX_DRIFT:
            track.base = (ssrc, timestamp, arrived)  # a new stream or a drifting clock
            at = arrived
        track.place(at, pcm, self.origin, self.limit)
        return self.full

    def settled(self) -> Pcm:
        """The next settled chunk of the mix (empty until there is one), taken out."""
        upto = self._newest - _SETTLE
        if upto - self.origin < _CHUNK:
            return np.zeros(0, dtype=np.int16)
        return self._take(upto)

    def samples(self) -> Pcm:
        """The rest of the mix: both parties summed, saturated to int16, taken out."""
        return self._take(max(self.origin, *(track.end for track in self._tracks)))

    def _take(self, upto: int) -> Pcm:
        count = upto - self.origin
        total = np.zeros(count, dtype=np.int32)
        for track in self._tracks:
            have = min(count, max(0, track.end - self.origin))
            total[:have] += track.pcm[:have]
            track.drop(min(count, len(track.pcm)))
        self.origin = upto
        mixed: Pcm = np.clip(total, -32768, 32767).astype(np.int16)
        return mixed


class CallTap:
    """Feeds what ``legs[0]`` and ``legs[1]`` receive into ``mix`` until :meth:`detach`;
    ``on_audio(chunk)`` gets each settled chunk of the mix as it comes, ``on_end(reason)``
    once when a leg closes (``"hangup"``) or the mix is full (``"max-length"``)."""

    def __init__(
        self,
        legs: tuple[MediaLeg, MediaLeg],
        mix: CallMix,
        on_end: Callable[[str], None],
        on_audio: Callable[[Pcm], None] | None = None,
    ) -> None:
        self.mix = mix
        self._on_end = on_end
        self._on_audio = on_audio
        self._ended = False
        self._parts = tuple(_PartyTap(self, leg, party) for party, leg in enumerate(legs))

    def attach(self) -> None:
        for part in self._parts:
            part.attach()

    def detach(self) -> None:
        """Stop listening (idempotent); the mix keeps what it has."""
        self._ended = True
        for part in self._parts:
            part.detach()

    def _packet(self, party: int, spec: CodecSpec, data: bytes, now: float) -> None:
        if self._ended:
            return
        try:
            packet = RtpPacket.parse(data)
        except ValueError:
            return
        full = self.mix.add(party, spec, packet.ssrc, packet.timestamp, packet.payload, now)
        if self._on_audio is not None:
            chunk = self.mix.settled()
            if len(chunk):
                self._on_audio(chunk)
        if full:
            self._end("max-length")

    def _end(self, reason: str) -> None:
        if self._ended:
            return
        self.detach()
        self._on_end(reason)


class _PartyTap:
    """The part of a leg's sink the leg calls (``_relay``, ``feed``), for one party."""

    def __init__(self, owner: CallTap, leg: MediaLeg, party: int) -> None:
        self.owner = owner
        self.leg = leg
        self.party = party
        self.leg_id = f"{leg.leg_id}-call-recorder"

    def attach(self) -> None:
        if self.leg.closed:
            self.owner._end("hangup")
            return
        self.leg._sinks.append(cast("MediaLeg", self))

    def detach(self) -> None:
        me = cast("MediaLeg", self)
        if me in self.leg._sinks:
            self.leg._sinks.remove(me)

    def _relay(
        self, source: MediaLeg, data: bytes, fields: tuple[int, int, int, int], now: float
    ) -> None:
        spec = source._receive_map.get(fields[0])
        if spec is not None and spec.is_audio:
            self.owner._packet(self.party, spec, data, now)

    def feed(self, source: object) -> None:
        """The leg closed (it un-feeds everything fed from it)."""
        if source is None:
            self.owner._end("hangup")
