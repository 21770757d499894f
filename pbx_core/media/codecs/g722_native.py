"""G.722 through libg722 (the ``G722`` package: C, public domain, bit-exact to the ITU tests).

About a hundred times faster than the pure-Python coder in :mod:`g722` (20 µs against ~2.7 ms
per 20 ms frame, docs/benchmarks.md "Media relay"), which makes transcoded calls and G.722
conference members affordable. The codecs factory uses it when the package imports and falls
back to the pure-Python coder otherwise.
"""

from __future__ import annotations

import numpy as np

from pbx_core.media.codecs.base import Decoder, Encoder, Pcm

__all__ = ["NativeG722Decoder", "NativeG722Encoder", "available"]

try:
    import G722 as _lib  # noqa: N811 - the package's module is named like a constant
except ImportError:  # pragma: no cover - the package is a dependency; kept for odd platforms
    _lib = None

_RATE = 16000
_BITRATE = 64000


def available() -> bool:
    return _lib is not None


class NativeG722Encoder(Encoder):
    """64 kbit/s encoder with its own state: two 16 kHz samples in, one byte out."""

    def __init__(self) -> None:
        assert _lib is not None
        self._codec = _lib.G722(_RATE, _BITRATE, use_numpy=False)

    def encode(self, pcm: Pcm) -> bytes:
        samples = np.ascontiguousarray(pcm, dtype=np.int16)
        if len(samples) % 2:  # an odd frame is padded, as the pure-Python coder does
            samples = np.append(samples, np.int16(0))
        return bytes(self._codec.encode(samples))


class NativeG722Decoder(Decoder):
    """64 kbit/s decoder with its own state: one byte in, two 16 kHz samples out."""

    def __init__(self) -> None:
        assert _lib is not None
        self._codec = _lib.G722(_RATE, _BITRATE, use_numpy=False)

    def decode(self, payload: bytes) -> Pcm:
        out: Pcm = np.frombuffer(self._codec.decode(payload), dtype=np.int16).copy()
        return out
