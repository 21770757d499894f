"""The recording's file grows chunk by chunk and is a valid WAV when closed."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from pbx_core.recording.wavfile import WavAppender


def test_chunks_make_one_wav_file(tmp_path: Path) -> None:
    path = tmp_path / "recordings" / "202" / "a.wav"
    out = WavAppender(path, 16000)
    out.append(np.arange(16000, dtype=np.int16))
    out.append(np.zeros(0, dtype=np.int16))
    out.append(np.full(8000, -5, dtype=np.int16))
    out.close()
    assert out.samples == 24000 and not out.failed
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    assert len(data) == 24000 and data[15999] == 15999 and data[-1] == -5


def test_a_file_that_cannot_be_written_is_given_up(tmp_path: Path) -> None:
    blocker = tmp_path / "recordings"
    blocker.write_text("not a folder")
    out = WavAppender(blocker / "202" / "a.wav", 16000)
    out.append(np.ones(10, dtype=np.int16))
    out.close()
    assert out.failed and out.samples == 0
