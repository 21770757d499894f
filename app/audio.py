"""The app's sound devices: the call bridge, ringtone, call-waiting beep, test tone, mic level.

:class:`AudioDevices` owns one :class:`sip.audio.AudioBackend` (PortAudio through
``sounddevice``; the virtual loopback devices when ``ACME_AUDIO_BACKEND=loopback``, for
benchmarks and tests on machines without a sound card) and the :class:`sip.audio.AudioBridge`
the SIP engine uses for calls. Control methods run on the GUI thread (the device rescan may
run on a worker thread); stream callbacks run on the audio threads and never touch Qt.

:class:`Ringer` reads the call model (the one owner of call state) after each call change: the
ringtone plays while an incoming call waits for an answer and no other call is live; an
incoming call during a call gives a short beep in the speaker instead.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import wave
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import soxr

from app.bus import Changes
from app.call_model import CallAdded, CallModel
from app.paths import resource
from sip import AudioDeviceError, CallId
from sip.audio import (
    AudioBackend,
    AudioBridge,
    DeviceInfo,
    LoopbackBackend,
    MicLevelMeter,
    SoundDeviceBackend,
    TonePlayer,
    ring_source,
    tone_source,
)
from sip.audio.loopback import Source
from sip.audio.ringbuffer import Samples

__all__ = [
    "BACKEND_ENV",
    "BEEP_HZ",
    "RINGTONE",
    "TEST_TONE_HZ",
    "AudioDevices",
    "Ringer",
    "beep_source",
    "make_backend",
    "wav_source",
]


BACKEND_ENV = "ACME_AUDIO_BACKEND"
RINGTONE = resource("sounds", "ringtone.wav")
TEST_TONE_HZ = 440.0
BEEP_HZ = 440.0
_TEST_TONE_S = 1.5
_BEEP_S = 0.2
_BEEP_GAP_S = 0.2
_BEEPS = 2
_log = logging.getLogger(__name__)


def make_backend(env: Mapping[str, str] | None = None) -> AudioBackend:
    """PortAudio's devices, or the loopback devices when ``ACME_AUDIO_BACKEND=loopback``."""
    name = (os.environ if env is None else env).get(BACKEND_ENV, "")
    if name == "loopback":
        return LoopbackBackend()
    if name not in ("", "sounddevice"):
        raise ValueError(f"unknown audio backend: {name!r}")
    return SoundDeviceBackend()


def wav_source(path: Path) -> Source:
    """Loop a mono or stereo 16-bit WAV file, resampled once per device rate."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"the WAV file must be 16-bit PCM: {path}")
        rate, channels = wav.getframerate(), wav.getnchannels()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    if not len(pcm):
        raise ValueError(f"the WAV file is empty: {path}")
    mono = pcm.reshape(-1, channels).mean(axis=1).astype(np.float32) / 32768.0
    by_rate: dict[int, Samples] = {rate: mono}

    def make(start: int, count: int, dev_rate: int) -> Samples:
        samples = by_rate.get(dev_rate)
        if samples is None:
            samples = soxr.resample(mono, rate, dev_rate).astype(np.float32)
            by_rate[dev_rate] = samples
        index = np.arange(start, start + count) % len(samples)
        return samples[index]

    return make


def beep_source(freq: float = BEEP_HZ, beeps: int = _BEEPS) -> Source:
    """``beeps`` short tones with gaps, then silence (the call-waiting signal)."""
    tone = tone_source(freq, 0.25)

    def make(start: int, count: int, rate: int) -> Samples:
        index = np.arange(start, start + count)
        period = int((_BEEP_S + _BEEP_GAP_S) * rate)
        on = ((index % period) < int(_BEEP_S * rate)) & (index < beeps * period)
        return np.where(on, tone(start, count, rate), 0.0).astype(np.float32)

    return make


class AudioDevices:
    """The backend, the call bridge and the short-lived streams of ringing and testing."""

    def __init__(
        self,
        backend: AudioBackend,
        loop: asyncio.AbstractEventLoop,
        *,
        clock_rate: int = 16000,
        frame_ms: int = 10,
        ringtone: Path | None = RINGTONE,
    ) -> None:
        self.backend = backend
        self.loop = loop
        self.bridge = AudioBridge(backend, clock_rate=clock_rate, frame_ms=frame_ms)
        self._ringtone_path = ringtone
        self._ringtone: Source | None = None
        self._lock = threading.Lock()  # PortAudio restarts never overlap our own opens
        self._ringer_device: str | None = None
        self._output_device: str | None = None
        self._input_device: str | None = None
        self._ring: TonePlayer | None = None
        self._tones: list[TonePlayer] = []
        self._meter: MicLevelMeter | None = None

    # -- devices -------------------------------------------------------------------------
    def list_devices(self) -> list[DeviceInfo]:
        return self.backend.list_devices()

    def scan(self) -> list[DeviceInfo]:
        """Rescan for plugged devices when no stream is open (safe on a worker thread)."""
        rescan = getattr(self.backend, "rescan", None)
        with self._lock:
            busy = self.bridge.in_use or self._ring or self._tones or self._meter
            if rescan is not None and not busy:
                try:
                    rescan()
                except AudioDeviceError as exc:
                    _log.debug("no rescan: %s", exc)
            return self.backend.list_devices()

    def select(self, input_: str | None, output: str | None, ringer: str | None) -> None:
        """Devices by name (None: system default); open call streams move without a break."""
        if (input_, output) != (self._input_device, self._output_device):
            self._input_device, self._output_device = input_, output
            self.bridge.select_devices(input_, output)
        self._ringer_device = ringer

    @property
    def selection(self) -> tuple[str | None, str | None, str | None]:
        return self._input_device, self._output_device, self._ringer_device

    # -- ringtone, beep, test tone ----------------------------------------------------------
    @property
    def ringing(self) -> bool:
        return self._ring is not None

    def start_ringtone(self) -> None:
        """Loop the ringtone on the ringer device until :meth:`stop_ringtone`."""
        if self._ring is not None:
            return
        player = TonePlayer(self.backend, self._ringer_device, self._ringtone_source())
        self._start(player)
        self._ring = player

    def stop_ringtone(self) -> None:
        player, self._ring = self._ring, None
        if player is not None:
            self._stop(player)

    def beep(self) -> None:
        """The call-waiting beep in the speaker (the ringer would ring over the call)."""
        seconds = _BEEPS * (_BEEP_S + _BEEP_GAP_S)
        self._play_for(TonePlayer(self.backend, self._output_device, beep_source()), seconds)

    def play_test(self, device: str | None) -> None:
        """A 440 Hz test tone for 1.5 s on ``device``; raises AudioDeviceError."""
        source = tone_source(TEST_TONE_HZ, 0.3)
        self._play_for(TonePlayer(self.backend, device, source), _TEST_TONE_S)

    @property
    def playing_tones(self) -> int:
        """How many beeps or test tones are playing now."""
        return len(self._tones)

    def _play_for(self, player: TonePlayer, seconds: float) -> None:
        self._start(player)
        self._tones.append(player)
        self.loop.call_later(seconds, self._finish, player)

    def _finish(self, player: TonePlayer) -> None:
        if player in self._tones:
            self._tones.remove(player)
            self._stop(player)

    def _ringtone_source(self) -> Source:
        if self._ringtone is None:
            try:
                if self._ringtone_path is None:
                    raise ValueError("no ringtone file")
                self._ringtone = wav_source(self._ringtone_path)
            except (OSError, ValueError, wave.Error) as exc:
                _log.warning("ringtone file unusable (%s); using a synthesised ring", exc)
                self._ringtone = ring_source()
        return self._ringtone

    # -- microphone level ---------------------------------------------------------------------
    def start_meter(self, device: str | None, on_level: Callable[[float], None]) -> None:
        """Call ``on_level(dBFS)`` on the audio thread per block; raises AudioDeviceError."""
        self.stop_meter()
        meter = MicLevelMeter(self.backend, device, on_level)
        with self._lock:
            meter.start()
        self._meter = meter

    def stop_meter(self) -> None:
        meter, self._meter = self._meter, None
        if meter is not None:
            with self._lock:
                meter.stop()

    @property
    def metering(self) -> bool:
        return self._meter is not None

    def close(self) -> None:
        """Stop every stream of ours (the engine closes the bridge's)."""
        self.stop_ringtone()
        self.stop_meter()
        for player in list(self._tones):
            self._finish(player)

    def _start(self, player: TonePlayer) -> None:
        with self._lock:
            player.start()

    def _stop(self, player: TonePlayer) -> None:
        with self._lock:
            player.stop()


class Ringer:
    """Ringtone and call-waiting beep, read from the :class:`app.call_model.CallModel`.

    Subscribed to the change hub (:meth:`on_changes`): after every call change it rings while
    a call is ``"incoming"`` and no other call is live (a call the user answered is
    ``"answering"`` and silences it at once), and beeps once when a call comes in during
    another one.
    """

    def __init__(self, devices: AudioDevices, model: CallModel) -> None:
        self._devices = devices
        self._model = model

    @property
    def ringing_calls(self) -> frozenset[CallId]:
        return frozenset(CallId(c.key) for c in self._model.ringtone_calls())

    def on_changes(self, changes: Changes) -> None:
        if not changes.touches("calls"):
            return
        busy = self._model.busy()
        for change in changes.calls:
            if isinstance(change, CallAdded) and change.call.state == "incoming" and busy:
                self._safely(self._devices.beep)
        if self._model.ringtone_calls() and not busy:
            self._safely(self._devices.start_ringtone)
        else:
            self._devices.stop_ringtone()

    @staticmethod
    def _safely(action: Callable[[], None]) -> None:
        try:
            action()
        except AudioDeviceError as exc:
            _log.warning("no ringing sound: %s", exc)
