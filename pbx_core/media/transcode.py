"""Transcoding of one relayed stream between two codecs (decode, convert rate, encode).

The relay fast path never comes here; only legs that agreed on different codecs do.  State
(G.722 predictors, resampler tails) belongs to one input stream, so a leg keeps one
``Transcoder`` per source leg and codec pair.
"""

from __future__ import annotations

from pbx_core.media.codecs import CodecSpec, Decoder, Encoder, get_decoder, get_encoder
from pbx_core.media.resample import Resampler

__all__ = ["Transcoder"]


class Transcoder:
    """Converts payloads of ``source`` into payloads of ``target``."""

    def __init__(self, source: CodecSpec, target: CodecSpec) -> None:
        self.source = source
        self.target = target
        self._decoder: Decoder = get_decoder(source)
        self._resampler = Resampler(source.sample_rate, target.sample_rate)
        self._encoder: Encoder = get_encoder(target)

    def convert(self, payload: bytes) -> bytes:
        return self._encoder.encode(self._resampler.process(self._decoder.decode(payload)))
