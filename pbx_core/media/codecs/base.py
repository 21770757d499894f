"""Codec descriptions and the small encoder/decoder interface every codec implements.

Audio in and out is mono 16-bit PCM as a numpy ``int16`` array at the codec's sampling rate
(``CodecSpec.sample_rate``), which for G.722 differs from its RTP clock rate (RFC 3551 §4.5.2).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "G722",
    "PCMA",
    "PCMU",
    "SUPPORTED",
    "TELEPHONE_EVENT",
    "CodecSpec",
    "Decoder",
    "Encoder",
    "Pcm",
]

Pcm = npt.NDArray[np.int16]


@dataclass(frozen=True, slots=True)
class CodecSpec:
    """A codec as SDP names it (rtpmap encoding name, clock rate, channels) and its static PT."""

    name: str
    clock_rate: int
    channels: int = 1
    static_pt: int | None = None

    @property
    def sample_rate(self) -> int:
        """Audio sampling rate; G.722 samples at 16 kHz but keeps an 8000 RTP clock."""
        return 16000 if self.name.upper() == "G722" else self.clock_rate

    @property
    def is_audio(self) -> bool:
        """False for telephone-event, which carries DTMF and never audio."""
        return self.name.lower() != "telephone-event"

    def matches(self, name: str, clock_rate: int, channels: int = 1) -> bool:
        """True when an rtpmap entry names this codec (names are case-insensitive, RFC 4855)."""
        return (
            self.name.lower() == name.lower()
            and self.clock_rate == clock_rate
            and self.channels == channels
        )


PCMU = CodecSpec("PCMU", 8000, static_pt=0)
PCMA = CodecSpec("PCMA", 8000, static_pt=8)
G722 = CodecSpec("G722", 8000, static_pt=9)
TELEPHONE_EVENT = CodecSpec("telephone-event", 8000)

#: Codecs the engine handles, in the order we offer them; answers follow the offerer's order.
SUPPORTED: tuple[CodecSpec, ...] = (G722, PCMU, PCMA, TELEPHONE_EVENT)


class Encoder(abc.ABC):
    """Turns PCM frames into RTP payloads; may keep state between frames (G.722 does)."""

    @abc.abstractmethod
    def encode(self, pcm: Pcm) -> bytes:
        """Encode one frame of int16 samples at the codec's sample rate."""


class Decoder(abc.ABC):
    """Turns RTP payloads back into PCM frames."""

    @abc.abstractmethod
    def decode(self, payload: bytes) -> Pcm:
        """Decode one payload into int16 samples at the codec's sample rate."""
