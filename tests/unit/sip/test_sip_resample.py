from __future__ import annotations

import numpy as np
import pytest

from sip.audio.loopback import tone_source
from sip.audio.resample import StreamResampler
from tests.unit.sip._fft import dominant_frequency, dropouts


@pytest.mark.parametrize("quality", ["QQ", "LQ"])
@pytest.mark.parametrize(("src", "dst"), [(48000, 16000), (16000, 48000), (44100, 16000)])
def test_1khz_tone_stays_1khz_without_dropouts(src: int, dst: int, quality: str) -> None:
    res = StreamResampler(src, dst, quality)
    make = tone_source(1000.0)
    block = src // 100
    out = np.concatenate([res.process(make(i * block, block, src)) for i in range(100)])
    steady = out[dst // 10 :]
    assert len(out) == pytest.approx(dst, abs=dst * 0.03)
    assert dominant_frequency(steady, dst) == pytest.approx(1000.0, abs=5)
    assert dropouts(steady, dst) == 0
    rms = float(np.sqrt(np.mean(steady**2)))
    assert rms == pytest.approx(0.3 / np.sqrt(2), rel=0.05)


def test_round_trip_48k_16k_48k_keeps_the_tone() -> None:
    down, up = StreamResampler(48000, 16000), StreamResampler(16000, 48000)
    make = tone_source(1000.0)
    out = np.concatenate([up.process(down.process(make(i * 480, 480, 48000))) for i in range(50)])
    assert dominant_frequency(out[4800:], 48000) == pytest.approx(1000.0, abs=5)
    assert dropouts(out[4800:], 48000) == 0


def test_same_rate_is_a_pass_through() -> None:
    res = StreamResampler(16000, 16000)
    chunk = np.arange(10, dtype=np.float32)
    assert res.passthrough
    assert res.process(chunk) is chunk
    assert res.delay_ms() == 0.0


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="sample rates must be positive"):
        StreamResampler(0, 16000)
    with pytest.raises(ValueError, match="quality must be one of QQ, LQ, MQ, HQ, VHQ"):
        StreamResampler(48000, 16000, "best")
