"""Playing one voicemail message on the chosen speaker, with pause and seek.

:class:`Clip` is pure: a WAV's samples, a cursor in seconds, and the block the audio thread asks
for next (resampled once per device rate). :class:`VoicemailPlayer` is the thin driver: it opens
the speaker the user chose in Settings (the output device of :class:`app.audio.AudioDevices`,
the same device calls use) through the app's audio layer, like the ringtone and the test tone.
"""

from __future__ import annotations

import io
import logging
import wave
from typing import Literal

import numpy as np
import soxr

from app.audio import AudioDevices
from sip import AudioDeviceError
from sip.audio import TonePlayer
from sip.audio.devices import AudioStream
from sip.audio.ringbuffer import Samples

__all__ = [
    "GREETING_MAX_S",
    "Clip",
    "GreetingRecorder",
    "PlayerState",
    "VoicemailPlayer",
    "wav_bytes",
]

_log = logging.getLogger(__name__)

PlayerState = Literal["stopped", "playing", "paused"]

GREETING_MAX_S = 60.0
"""The PBX keeps a greeting of 0.2 to 60 s (docs/voicemail.md)."""
_GREETING_RATE = 16000
_BLOCK = 480


def wav_bytes(samples: Samples, rate: int) -> bytes:
    """Mono float samples as a 16-bit PCM WAV file."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return out.getvalue()


class Clip:
    """A mono clip and where playback is; :meth:`block` is the audio thread's source."""

    def __init__(self, samples: Samples, rate: int) -> None:
        if rate <= 0:
            raise ValueError("the clip's rate must be positive")
        self.rate = rate
        self._by_rate: dict[int, Samples] = {rate: samples.astype(np.float32)}
        self.duration_s = len(samples) / rate
        self.position_s = 0.0

    @classmethod
    def from_wav(cls, data: bytes) -> Clip:
        """A 16-bit PCM WAV file (mono or stereo); ``ValueError`` for anything else."""
        try:
            with wave.open(io.BytesIO(data), "rb") as wav:
                if wav.getsampwidth() != 2:
                    raise ValueError("the voicemail is not 16-bit PCM")
                rate, channels = wav.getframerate(), wav.getnchannels()
                pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        except (wave.Error, EOFError) as exc:
            raise ValueError(f"the voicemail is not a WAV file: {exc}") from exc
        mono = pcm.reshape(-1, channels).mean(axis=1).astype(np.float32) / 32768.0
        return cls(mono, rate)

    @property
    def at_end(self) -> bool:
        return self.position_s >= self.duration_s

    def seek(self, seconds: float) -> None:
        self.position_s = min(max(0.0, seconds), self.duration_s)

    def block(self, _start: int, count: int, rate: int) -> Samples:
        """The next ``count`` samples at ``rate`` from the cursor (silence past the end)."""
        samples = self._by_rate.get(rate)
        if samples is None:
            samples = soxr.resample(self._by_rate[self.rate], self.rate, rate).astype(np.float32)
            self._by_rate[rate] = samples
        first = round(self.position_s * rate)
        chunk = samples[first : first + count]
        out = np.zeros(count, dtype=np.float32)
        out[: len(chunk)] = chunk
        self.position_s = min(self.duration_s, (first + count) / rate)
        return out


class VoicemailPlayer:
    """One message at a time on the Settings speaker; :meth:`poll` notices the end."""

    def __init__(self, devices: AudioDevices) -> None:
        self.devices = devices
        self.clip: Clip | None = None
        self._stream: TonePlayer | None = None

    @property
    def state(self) -> PlayerState:
        if self.clip is None:
            return "stopped"
        return "playing" if self._stream is not None else "paused"

    def load(self, data: bytes) -> None:
        """Take a new message (stopping the one before), paused at its start."""
        self.stop()
        self.clip = Clip.from_wav(data)

    def play(self) -> None:
        """Play from the cursor (from the start once it reached the end); AudioDeviceError."""
        if self.clip is None or self._stream is not None:
            return
        if self.clip.at_end:
            self.clip.seek(0)
        device = self.devices.selection[1]
        stream = TonePlayer(self.devices.backend, device, self.clip.block)
        stream.start()
        self._stream = stream

    def pause(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.stop()

    def seek(self, seconds: float) -> None:
        if self.clip is not None:
            self.clip.seek(seconds)

    def stop(self) -> None:
        self.pause()
        self.clip = None

    def poll(self) -> bool:
        """Close the speaker once the clip played to its end; True when that happened now."""
        if self._stream is not None and self.clip is not None and self.clip.at_end:
            self.pause()
            return True
        return False

    @staticmethod
    def safely_play(player: VoicemailPlayer) -> str | None:
        """Play; the device's error in words, or None."""
        try:
            player.play()
        except AudioDeviceError as exc:
            _log.warning("voicemail playback failed: %s", exc)
            return str(exc)
        return None


class GreetingRecorder:
    """Records the microphone chosen in Settings for a greeting, up to :data:`GREETING_MAX_S`."""

    def __init__(self, devices: AudioDevices) -> None:
        self._devices = devices
        self._stream: AudioStream | None = None
        self._blocks: list[Samples] = []
        self._taken = 0
        self._rate = 48000

    @property
    def recording(self) -> bool:
        return self._stream is not None

    @property
    def seconds(self) -> float:
        return self._taken / self._rate

    def start(self) -> None:
        """Open the microphone (AudioDeviceError when it cannot be)."""
        if self._stream is not None:
            return
        self._blocks, self._taken = [], 0
        device = self._devices.selection[0]
        stream = self._devices.backend.open_input(device, None, _BLOCK, self._take)
        self._rate = stream.rate
        self._stream = stream

    def _take(self, block: Samples) -> None:  # the audio thread
        if self._taken < GREETING_MAX_S * self._rate:
            self._blocks.append(np.array(block, dtype=np.float32))
            self._taken += len(block)

    def stop(self) -> bytes:
        """Close the microphone; what was recorded, as a 16 kHz WAV file."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()
        samples = np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)
        if self._rate != _GREETING_RATE and len(samples):
            samples = soxr.resample(samples, self._rate, _GREETING_RATE).astype(np.float32)
        return wav_bytes(samples, _GREETING_RATE)
