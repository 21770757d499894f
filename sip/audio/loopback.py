"""Virtual sound devices clocked by their own threads, like PortAudio's callbacks.

Used where there is no sound card: in tests and benchmarks of the bridge, and
as a diagnostic. The microphone plays a signal source; the speaker keeps what
it is given with the time each sample was played. ``unplug``/``replug``
simulate a device that disappears and returns.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from sip.audio.devices import DeviceInfo, InputCallback, OutputCallback
from sip.audio.ringbuffer import Samples
from sip.errors import AudioDeviceError

__all__ = ["MIC", "SPEAKER", "EchoClock", "LoopbackBackend", "Source", "tone_source"]

MIC = "Loopback Microphone"
SPEAKER = "Loopback Speaker"
Source = Callable[[int, int, int], Samples]  # (first sample index, count, rate) -> samples


def tone_source(freq: float, amplitude: float = 0.3) -> Source:
    """A sine that stays continuous across blocks."""

    def make(start: int, count: int, rate: int) -> Samples:
        t = np.arange(start, start + count, dtype=np.float64) / rate
        return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)

    return make


def _silence(start: int, count: int, rate: int) -> Samples:
    return np.zeros(count, dtype=np.float32)


class _ClockedStream:
    """Calls back once per block on its own thread, at the device's pace."""

    def __init__(
        self,
        backend: LoopbackBackend,
        name: str,
        rate: int,
        block: int,
        tick: Callable[[int], None],
    ) -> None:
        self._backend = backend
        self.name = name
        self._rate = rate
        self._block = block
        self._tick = tick
        self._stop = threading.Event()
        self._failed = False
        self.start_time = time.perf_counter()
        self._thread = threading.Thread(target=self._run, name=f"loopback-{name}", daemon=True)
        self._thread.start()

    @property
    def rate(self) -> int:
        return self._rate

    @property
    def failed(self) -> bool:
        return self._failed

    def close(self) -> None:
        self._stop.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(2)

    def _run(self) -> None:
        period = self._block / self._rate
        k = 0
        while not self._stop.is_set():
            if self.name in self._backend.unplugged:
                self._failed = True
                return
            self._tick(k * self._block)
            k += 1
            delay = self.start_time + k * period - time.perf_counter()
            if delay > 0:
                self._stop.wait(delay)


class LoopbackBackend:
    """One virtual microphone and one virtual speaker at a fixed device rate."""

    def __init__(self, rate: int = 48000, source: Source | None = None) -> None:
        self.rate = rate
        self.source: Source = source or _silence
        self.unplugged: set[str] = set()
        self._lock = threading.Lock()
        self._played: list[Samples] = []
        self.speaker_start: float | None = None
        self.mic_start: float | None = None
        self.opened: list[str] = []

    def list_devices(self) -> list[DeviceInfo]:
        devices = [
            DeviceInfo(MIC, "Loopback", 1, 0, self.rate, True, False),
            DeviceInfo(SPEAKER, "Loopback", 0, 1, self.rate, False, True),
        ]
        return [d for d in devices if d.name not in self.unplugged]

    def unplug(self, name: str) -> None:
        self.unplugged.add(name)

    def replug(self, name: str) -> None:
        self.unplugged.discard(name)

    def played(self) -> Samples:
        """Everything the speaker played, in order."""
        with self._lock:
            return np.concatenate(self._played) if self._played else np.zeros(0, np.float32)

    def _check(self, device: str | None, default: str) -> str:
        name = device or default
        if name not in (MIC, SPEAKER) or name in self.unplugged:
            raise AudioDeviceError(f"no such device: {name}")
        self.opened.append(name)
        return name

    def open_input(
        self, device: str | None, rate: int | None, block: int, callback: InputCallback
    ) -> _ClockedStream:
        name = self._check(device, MIC)
        dev_rate = rate or self.rate

        def tick(index: int) -> None:
            callback(self.source(index, block, dev_rate))

        stream = _ClockedStream(self, name, dev_rate, block, tick)
        self.mic_start = stream.start_time
        return stream

    def open_output(
        self, device: str | None, rate: int | None, block: int, callback: OutputCallback
    ) -> _ClockedStream:
        name = self._check(device, SPEAKER)
        dev_rate = rate or self.rate
        with self._lock:
            self._played.clear()

        def tick(index: int) -> None:
            buf = np.zeros(block, dtype=np.float32)
            callback(buf)
            with self._lock:
                self._played.append(buf)

        stream = _ClockedStream(self, name, dev_rate, block, tick)
        self.speaker_start = stream.start_time
        return stream


class EchoClock:
    """Loops the bridge's microphone frames back to its speaker at the frame pace.

    Stands in for pjmedia's clock thread with the bridge port connected to
    itself (``cc 0 0`` in pjsua): an echo test of the devices without a call.
    """

    def __init__(self, bridge: _FrameBridge, frame_ms: int) -> None:
        self._bridge = bridge
        self._period = frame_ms / 1000
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="echo-clock", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)

    def _run(self) -> None:
        start = time.perf_counter()
        k = 0
        while not self._stop.is_set():
            self._bridge.push_frame(self._bridge.pull_frame().copy())
            k += 1
            delay = start + k * self._period - time.perf_counter()
            if delay > 0:
                self._stop.wait(delay)


class _FrameBridge(Protocol):
    def pull_frame(self) -> Samples: ...

    def push_frame(self, frame: Samples) -> None: ...
