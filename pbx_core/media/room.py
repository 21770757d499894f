"""A conference room: members' RTP in, through jitter buffers and the mixer, payloads out.

Pure: the engine's 20 ms ticker calls ``tick`` with each member's current codec and sends the
payloads it returns on the member's leg; a leg in a room hands its received audio packets to
``receive``.  Audio is mixed at 16 kHz whatever the members' codecs (G.711 members are
resampled up and down).  The shared mix that plain listeners hear is encoded once per
stateless codec (G.711); G.722 keeps its adaptive encoder per member.  A short rising tone
plays to the room when someone joins, a falling one when someone leaves (unless that member
joined with ``tones=False``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from pbx_core.media.codecs import (
    PCMA,
    PCMU,
    TELEPHONE_EVENT,
    CodecSpec,
    Decoder,
    Encoder,
    Pcm,
    get_decoder,
    get_encoder,
)
from pbx_core.media.jitter import JitterBuffer
from pbx_core.media.mixer import MemberMode, Mixer
from pbx_core.media.resample import Resampler

__all__ = ["CONFERENCE_CODECS", "ROOM_RATE", "Room", "join_tone", "leave_tone"]

ROOM_RATE = 16000
#: What meet-me rooms answer with: G.711 costs next to nothing per member, so a room of 32 stays
#: well within the 20 ms tick even where libg722 is missing and G.722 falls back to pure Python
#: (2-4 ms a frame per member); members joined with G.722 (merged calls) are mixed all the same.
CONFERENCE_CODECS: tuple[CodecSpec, ...] = (PCMU, PCMA, TELEPHONE_EVENT)
_FRAME = ROOM_RATE // 50
_STATELESS = (PCMU, PCMA)
_Packet = tuple[CodecSpec, bytes]


def _beeps(freqs: tuple[float, ...], rate: int = ROOM_RATE, level_dbfs: float = -18.0) -> Pcm:
    """Short beeps with soft edges and a small gap between them."""
    amp = 32767 * 10 ** (level_dbfs / 20)
    parts = []
    for freq in freqs:
        t = np.arange(int(0.09 * rate)) / rate
        edge = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.01)
        parts.append(amp * edge * np.sin(2 * math.pi * freq * t))
        parts.append(np.zeros(int(0.04 * rate)))
    pcm: Pcm = np.concatenate(parts).astype(np.int16)
    return pcm


def join_tone() -> Pcm:
    return _beeps((660.0, 880.0))


def leave_tone() -> Pcm:
    return _beeps((880.0, 660.0))


class _Output:
    """Resample from the room rate and encode for one codec."""

    def __init__(self, codec: CodecSpec) -> None:
        self.codec = codec
        self._resampler = Resampler(ROOM_RATE, codec.sample_rate)
        self._encoder: Encoder = get_encoder(codec)

    def encode(self, pcm: Pcm) -> bytes:
        return self._encoder.encode(self._resampler.process(pcm))


class _Member:
    """One member's mode, jitter buffer, decoders (to the room rate) and output chain."""

    def __init__(self, mode: MemberMode, tones: bool) -> None:
        self.mode = mode
        self.tones = tones
        self.buffer: JitterBuffer[_Packet] = JitterBuffer(self.decode, _FRAME)
        self.decoders: dict[CodecSpec, tuple[Decoder, Resampler]] = {}
        self.output: _Output | None = None

    def decode(self, packet: _Packet) -> Pcm:
        spec, payload = packet
        chain = self.decoders.get(spec)
        if chain is None:
            chain = self.decoders[spec] = (
                get_decoder(spec),
                Resampler(spec.sample_rate, ROOM_RATE),
            )
        decoder, resampler = chain
        pcm = resampler.process(decoder.decode(payload))
        if len(pcm) != _FRAME:
            pcm = np.resize(pcm, _FRAME) if len(pcm) else np.zeros(_FRAME, dtype=np.int16)
        return pcm


class Room:
    """Members (leg ids) with their modes; one mixed payload per member and tick."""

    def __init__(self, room_id: str) -> None:
        self.room_id = room_id
        self._mixer = Mixer(_FRAME)
        self._members: dict[str, _Member] = {}
        self._shared: dict[CodecSpec, _Output] = {}
        self._announce = np.zeros(0, dtype=np.int16)

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(self._members)

    def mode(self, member: str) -> str:
        return str(self._members[member].mode)

    def join(self, member: str, mode: str = "talk", tones: bool = True) -> None:
        """Add (or re-mode) a member; ValueError for an unknown mode."""
        parsed = MemberMode.parse(mode)
        existing = self._members.get(member)
        if existing is not None:
            existing.mode = parsed
        else:
            self._members[member] = _Member(parsed, tones)
            if tones:
                self._play(join_tone())
        self._mixer.add(member, parsed)

    def leave(self, member: str) -> None:
        entry = self._members.pop(member, None)
        self._mixer.remove(member)
        if entry is not None and entry.tones and self._members:
            self._play(leave_tone())

    def _play(self, pcm: Pcm) -> None:
        self._announce = np.concatenate([self._announce, pcm])

    def receive(
        self,
        member: str,
        spec: CodecSpec,
        seq: int,
        ts: int,
        payload: bytes,
        arrival: float,
        ssrc: int = 0,
    ) -> None:
        """An audio packet a member's phone sent (``spec`` is its codec); a listener's is
        dropped unread, since nobody hears it."""
        entry = self._members.get(member)
        if entry is not None and spec.is_audio and entry.mode.kind != "listen":
            entry.buffer.put(seq, ts, (spec, payload), arrival, ssrc)

    def tick(self, codecs: Mapping[str, CodecSpec | None]) -> dict[str, bytes]:
        """The next 20 ms: a payload for each member whose leg has a codec."""
        inputs = {member: entry.buffer.pull() for member, entry in self._members.items()}
        extra = None
        if len(self._announce):
            extra = np.zeros(_FRAME, dtype=np.int16)
            chunk = self._announce[:_FRAME]
            extra[: len(chunk)] = chunk
            self._announce = self._announce[_FRAME:]
        result = self._mixer.mix(inputs, extra)
        cache: dict[CodecSpec, bytes] = {}
        out: dict[str, bytes] = {}
        for member, entry in self._members.items():
            codec = codecs.get(member)
            if codec is None:
                continue
            pcm = result.frames[member]
            if pcm is result.shared and codec in _STATELESS:
                payload = cache.get(codec)
                if payload is None:
                    shared = self._shared.get(codec)
                    if shared is None:
                        shared = self._shared[codec] = _Output(codec)
                    payload = cache[codec] = shared.encode(pcm)
                out[member] = payload
                continue
            if entry.output is None or entry.output.codec != codec:
                entry.output = _Output(codec)
            out[member] = entry.output.encode(pcm)
        return out
