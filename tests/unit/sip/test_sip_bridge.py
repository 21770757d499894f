"""The audio bridge with clocked loopback devices: rings and resampling run for real."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pytest

from sip.audio.bridge import AudioBridge
from sip.audio.loopback import MIC, SPEAKER, EchoClock, LoopbackBackend, tone_source
from tests.unit.sip._fft import dominant_frequency


class _Events:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.items: list[tuple[str, bool, str]] = []

    def __call__(self, role: str, available: bool, reason: str) -> None:
        with self.cond:
            self.items.append((role, available, reason))
            self.cond.notify_all()

    def wait(self, pred: Callable[[tuple[str, bool, str]], bool]) -> None:
        with self.cond:
            assert self.cond.wait_for(lambda: any(pred(i) for i in self.items), 10), self.items


def _wait_played(backend: LoopbackBackend, samples: int) -> np.ndarray:
    done = threading.Event()
    while not done.wait(0.05):
        played = backend.played()
        if len(played) >= samples:
            return played
    raise AssertionError("unreachable")


@pytest.mark.parametrize("device_rate", [48000, 16000])
def test_microphone_tone_reaches_the_speaker_through_the_bridge(device_rate: int) -> None:
    backend = LoopbackBackend(device_rate, tone_source(1000.0))
    bridge = AudioBridge(backend, clock_rate=16000, frame_ms=10)
    clock = EchoClock(bridge, 10)
    bridge.set_in_use(True)
    clock.start()
    try:
        played = _wait_played(backend, device_rate // 2)
    finally:
        clock.stop()
        bridge.set_in_use(False)
    sound = played[np.flatnonzero(np.abs(played) > 0.01)[0] :]
    assert len(sound) > device_rate // 5
    assert dominant_frequency(sound, device_rate) == pytest.approx(1000.0, abs=10)
    stats = bridge.stats()
    assert stats.mic_rate == device_rate and stats.speaker_rate == device_rate
    assert stats.latency_ms > 0


def test_unplugged_speaker_is_reopened_when_it_returns() -> None:
    backend = LoopbackBackend(48000, tone_source(1000.0))
    events = _Events()
    bridge = AudioBridge(backend, on_device_event=events)
    clock = EchoClock(bridge, 10)
    bridge.set_in_use(True)
    clock.start()
    try:
        _wait_played(backend, 4800)
        backend.unplug(SPEAKER)
        events.wait(lambda e: e[0] == "speaker" and not e[1])
        backend.replug(SPEAKER)
        events.wait(lambda e: e[0] == "speaker" and e[1])
        played = _wait_played(backend, 9600)
    finally:
        clock.stop()
        bridge.set_in_use(False)
    assert backend.opened.count(SPEAKER) >= 2
    assert dominant_frequency(played[-4800:], 48000) == pytest.approx(1000.0, abs=10)


def test_missing_microphone_gives_silence_and_says_so() -> None:
    backend = LoopbackBackend(48000, tone_source(1000.0))
    backend.unplug(MIC)
    events = _Events()
    bridge = AudioBridge(backend, on_device_event=events)
    bridge.set_in_use(True)
    try:
        events.wait(lambda e: e[0] == "microphone" and not e[1])
        assert not np.any(bridge.pull_frame())
    finally:
        bridge.set_in_use(False)
    assert [d.name for d in backend.list_devices()] == [SPEAKER]
    assert bridge.devices_available()
