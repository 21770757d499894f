"""Audio codecs of the media engine behind one factory: PCMU, PCMA (G.711) and G.722."""

from __future__ import annotations

from pbx_core.errors import MediaError
from pbx_core.media.codecs.base import (
    G722,
    PCMA,
    PCMU,
    SUPPORTED,
    TELEPHONE_EVENT,
    CodecSpec,
    Decoder,
    Encoder,
    Pcm,
)
from pbx_core.media.codecs.g711 import AlawDecoder, AlawEncoder, UlawDecoder, UlawEncoder
from pbx_core.media.codecs.g722 import G722Decoder, G722Encoder
from pbx_core.media.codecs.g722_native import NativeG722Decoder, NativeG722Encoder, available

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
    "find_codec",
    "get_decoder",
    "get_encoder",
]

_ENCODERS: dict[str, type[Encoder]] = {
    "pcmu": UlawEncoder,
    "pcma": AlawEncoder,
    "g722": NativeG722Encoder if available() else G722Encoder,
}
_DECODERS: dict[str, type[Decoder]] = {
    "pcmu": UlawDecoder,
    "pcma": AlawDecoder,
    "g722": NativeG722Decoder if available() else G722Decoder,
}


def get_encoder(spec: CodecSpec) -> Encoder:
    """A fresh encoder for ``spec``; MediaError if the engine cannot encode it."""
    try:
        return _ENCODERS[spec.name.lower()]()
    except KeyError:
        raise MediaError(f"no encoder for {spec.name}/{spec.clock_rate}") from None


def get_decoder(spec: CodecSpec) -> Decoder:
    """A fresh decoder for ``spec``; MediaError if the engine cannot decode it."""
    try:
        return _DECODERS[spec.name.lower()]()
    except KeyError:
        raise MediaError(f"no decoder for {spec.name}/{spec.clock_rate}") from None


def find_codec(name: str, clock_rate: int, channels: int = 1) -> CodecSpec | None:
    """The supported codec an rtpmap entry names, or None."""
    for spec in SUPPORTED:
        if spec.matches(name, clock_rate, channels):
            return spec
    return None
