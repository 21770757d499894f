"""The mix of both sides of a call: each party placed by arrival time and timestamps, summed."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pbx_core.media.call_mix import MIX_RATE, CallMix
from pbx_core.media.codecs import G722, PCMU, TELEPHONE_EVENT, CodecSpec, get_encoder


def _sine(freq: float, samples: int, rate: int, start: int = 0) -> npt.NDArray[np.int16]:
    t = (start + np.arange(samples)) / rate
    return np.rint(3000.0 * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def _share(pcm: npt.NDArray[np.int16], freq: float) -> float:
    """The share of the signal's power within 20 Hz of ``freq``."""
    power = np.abs(np.fft.rfft(pcm.astype(np.float64) * np.hanning(len(pcm)))) ** 2
    freqs = np.fft.rfftfreq(len(pcm), 1 / MIX_RATE)
    return float(power[np.abs(freqs - freq) < 20].sum() / (power.sum() + 1e-9))


def _feed(
    mix: CallMix,
    party: int,
    spec: CodecSpec,
    freq: float,
    frames: int,
    *,
    first_arrival: float,
    ssrc: int = 1,
    ts0: int = 5000,
) -> None:
    encoder = get_encoder(spec)
    per = spec.sample_rate // 50
    for n in range(frames):
        payload = encoder.encode(_sine(freq, per, spec.sample_rate, n * per))
        ts = ts0 + n * (spec.clock_rate // 50)
        mix.add(party, spec, ssrc, ts, payload, first_arrival + n * 0.02)


def test_both_parties_are_in_the_one_track_in_any_codec() -> None:
    mix = CallMix(started=100.0, max_seconds=10)
    _feed(mix, 0, PCMU, 700.0, 50, first_arrival=100.0)
    _feed(mix, 1, G722, 1300.0, 50, first_arrival=100.0, ssrc=9, ts0=123456)
    pcm = mix.samples()
    assert abs(mix.seconds - 1.0) < 0.01
    assert _share(pcm, 700.0) > 0.3 and _share(pcm, 1300.0) > 0.3


def test_a_party_who_starts_later_is_placed_at_its_arrival_time() -> None:
    mix = CallMix(started=0.0, max_seconds=10)
    _feed(mix, 0, PCMU, 700.0, 100, first_arrival=0.0)
    _feed(mix, 1, PCMU, 1300.0, 50, first_arrival=1.0)
    pcm = mix.samples()
    first, second = pcm[: MIX_RATE - 400], pcm[MIX_RATE + 400 :]
    assert _share(first, 1300.0) < 0.01 and _share(second, 1300.0) > 0.3
    assert _share(first, 700.0) > 0.9 and _share(second, 700.0) > 0.3


def test_a_new_stream_or_a_jump_is_anchored_on_arrival_not_on_the_timestamp() -> None:
    mix = CallMix(started=0.0, max_seconds=10)
    _feed(mix, 0, PCMU, 700.0, 25, first_arrival=0.0)
    _feed(mix, 0, PCMU, 700.0, 25, first_arrival=0.5, ssrc=2, ts0=9_000_000)
    _feed(mix, 0, PCMU, 700.0, 25, first_arrival=1.0, ssrc=2, ts0=9_000_000 + 8000 * 60)
    assert abs(mix.seconds - 1.5) < 0.01


def test_the_sum_saturates_and_non_audio_is_ignored() -> None:
    mix = CallMix(started=0.0, max_seconds=10)
    loud = get_encoder(PCMU).encode(np.full(160, 30000, dtype=np.int16))
    mix.add(0, PCMU, 1, 0, loud, 0.0)
    mix.add(1, PCMU, 2, 0, loud, 0.0)
    mix.add(1, TELEPHONE_EVENT, 2, 160, b"\x01\x0a\x00\xa0", 0.02)
    pcm = mix.samples()
    assert len(pcm) == 320
    assert pcm[100:200].min() == 32767


def test_the_maximum_length_ends_the_mix() -> None:
    mix = CallMix(started=0.0, max_seconds=0.5)
    encoder = get_encoder(PCMU)
    results = [
        mix.add(0, PCMU, 1, n * 160, encoder.encode(_sine(400, 160, 8000, n * 160)), n * 0.02)
        for n in range(40)
    ]
    assert results.index(True) == 24
    assert mix.full and len(mix.samples()) == MIX_RATE // 2


def test_settled_chunks_and_the_rest_make_the_whole_mix() -> None:
    whole = CallMix(started=0.0, max_seconds=60)
    streamed = CallMix(started=0.0, max_seconds=60)
    chunks: list[npt.NDArray[np.int16]] = []
    encoder = get_encoder(PCMU)
    for n in range(600):  # 12 s of both parties
        for party, freq, ssrc in ((0, 700.0, 1), (1, 1300.0, 2)):
            payload = encoder.encode(_sine(freq, 160, 8000, n * 160))
            for mix in (whole, streamed):
                mix.add(party, PCMU, ssrc, n * 160, payload, n * 0.02)
        chunk = streamed.settled()
        if len(chunk):
            chunks.append(chunk)
    assert [len(c) for c in chunks] == [5 * MIX_RATE, 5 * MIX_RATE]  # 1 s kept back for late
    rest = streamed.samples()
    assert np.array_equal(np.concatenate([*chunks, rest]), whole.samples())
    assert abs(streamed.seconds - 12.0) < 0.01
    late = encoder.encode(_sine(700.0, 160, 8000))
    streamed.add(0, PCMU, 1, 160, late, 0.02)  # for a part already written: dropped
    assert len(streamed.samples()) == 0
