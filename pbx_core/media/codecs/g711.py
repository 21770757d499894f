"""G.711 µ-law (PCMU) and A-law (PCMA) by lookup tables (ITU-T G.711, RFC 3551 §4.5.14).

Stateless, so one table lookup per frame in numpy; the tables are built once at import.
"""

from __future__ import annotations

import numpy as np

from pbx_core.media.codecs.base import Decoder, Encoder, Pcm

__all__ = ["AlawDecoder", "AlawEncoder", "UlawDecoder", "UlawEncoder"]

_ULAW_BIAS = 0x84
_ULAW_CLIP = 32635
_ALAW_SEGMENT_ENDS = (0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)


def _ulaw_encode_sample(sample: int) -> int:
    sign = 0x80 if sample < 0 else 0
    magnitude = min(-sample if sample < 0 else sample, _ULAW_CLIP) + _ULAW_BIAS
    exponent = max(magnitude.bit_length() - 8, 0)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def _ulaw_decode_byte(code: int) -> int:
    code = ~code & 0xFF
    magnitude = (((code & 0x0F) << 3) + _ULAW_BIAS) << ((code & 0x70) >> 4)
    return _ULAW_BIAS - magnitude if code & 0x80 else magnitude - _ULAW_BIAS


def _alaw_encode_sample(sample: int) -> int:
    value = sample >> 3
    if value >= 0:
        mask = 0xD5
    else:
        mask = 0x55
        value = -value - 1
    segment = next((i for i, end in enumerate(_ALAW_SEGMENT_ENDS) if value <= end), 8)
    if segment >= 8:
        return 0x7F ^ mask
    code = segment << 4
    code |= (value >> 1) & 0x0F if segment < 2 else (value >> segment) & 0x0F
    return code ^ mask


def _alaw_decode_byte(code: int) -> int:
    code ^= 0x55
    magnitude = (code & 0x0F) << 4
    segment = (code & 0x70) >> 4
    if segment == 0:
        magnitude += 8
    else:
        magnitude = (magnitude + 0x108) << (segment - 1)
    return magnitude if code & 0x80 else -magnitude


_ALL_SAMPLES = range(-32768, 32768)
# Indexed by the sample as uint16 (two's complement), so ``table[pcm.view(np.uint16)]`` works.
_ULAW_ENCODE = np.roll(np.array([_ulaw_encode_sample(s) for s in _ALL_SAMPLES], np.uint8), 32768)
_ALAW_ENCODE = np.roll(np.array([_alaw_encode_sample(s) for s in _ALL_SAMPLES], np.uint8), 32768)
_ULAW_DECODE = np.array([_ulaw_decode_byte(c) for c in range(256)], np.int16)
_ALAW_DECODE = np.array([_alaw_decode_byte(c) for c in range(256)], np.int16)


def _lookup_encode(table: np.ndarray, pcm: Pcm) -> bytes:
    samples = np.ascontiguousarray(pcm, dtype=np.int16)
    return bytes(table[samples.view(np.uint16)].tobytes())


def _lookup_decode(table: Pcm, payload: bytes) -> Pcm:
    decoded: Pcm = table[np.frombuffer(payload, dtype=np.uint8)]
    return decoded


class UlawEncoder(Encoder):
    """PCMU encoder."""

    def encode(self, pcm: Pcm) -> bytes:
        return _lookup_encode(_ULAW_ENCODE, pcm)


class UlawDecoder(Decoder):
    """PCMU decoder."""

    def decode(self, payload: bytes) -> Pcm:
        return _lookup_decode(_ULAW_DECODE, payload)


class AlawEncoder(Encoder):
    """PCMA encoder."""

    def encode(self, pcm: Pcm) -> bytes:
        return _lookup_encode(_ALAW_ENCODE, pcm)


class AlawDecoder(Decoder):
    """PCMA decoder."""

    def decode(self, payload: bytes) -> Pcm:
        return _lookup_decode(_ALAW_DECODE, payload)
