"""The audio bridge between pjsua2's conference bridge and the sound devices.

::

    microphone ──PortAudio thread──► resample dev→clock ──► mic ring ──┐
                                                                      │ pjmedia clock thread
    speaker ◄──PortAudio thread──── speaker ring ◄── resample clock→dev ◄┘ (BridgePort)

Two threads meet at each ring: the device thread and pjmedia's clock thread.
Neither blocks, allocates a lock or touches Qt. Each ring has a priming level:
a reader waits (silence) until that much is buffered, so the two unsynchronised
clocks drift without clicks; a ring that fills past its ceiling is trimmed to
keep the latency bounded. Device failures (unplugged headset) are noticed by a
supervisor thread that reopens the device with back-off; calls go on meanwhile.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sip.audio.devices import AudioBackend, AudioStream
from sip.audio.resample import StreamResampler
from sip.audio.ringbuffer import RingBuffer, Samples
from sip.errors import AudioDeviceError

__all__ = ["AudioBridge", "BridgeStats"]

_log = logging.getLogger(__name__)
_BACKOFF_S = (0.25, 0.5, 1.0, 2.0, 4.0)
_WINDOW_READS = 50
_MARGIN_MS = 2
_MAX_EXTRA_MS = 20  # most cushion a side may grow to after starving
_CALM_S = 2  # seconds without starving before the cushion shrinks by 1 ms
_SWITCH_INTERVAL_S = 0.001  # the GIL hand-over while audio runs (Python's default: 5 ms)
DeviceEvent = Callable[[str, bool, str], None]  # (role, available, reason)
_switch_lock = threading.Lock()
_switch_users = [0]  # bridges with open streams
_switch_saved = [0.005]  # the interval to restore when the last one closes


@dataclass(frozen=True, slots=True)
class BridgeStats:
    """Counters since the streams opened; latency is the bridge's own buffering."""

    mic_underruns: int
    mic_overruns: int
    speaker_underruns: int
    speaker_overruns: int
    mic_rate: int
    speaker_rate: int
    latency_ms: float


class _Side:
    """One direction: a ring, its resampler and the device stream feeding or draining it."""

    def __init__(self, role: str, device: str | None) -> None:
        self.role = role
        self.device = device
        self.stream: AudioStream | None = None
        self.ring = RingBuffer(1)
        self.resampler: StreamResampler | None = None
        self.prime = 0
        self.ceiling = 0
        self.base_prime = 0
        self.room = 0
        self.base_margin = 0
        self.step = 0
        self.extra = 0
        self.max_extra = 0
        self.calm = 0
        self.windows = 0
        self.starved = 0
        self.priming = True
        self.fill_sum = 0.0
        self.fill_count = 0
        self.trims = 0
        self.rate = 0  # the device's
        self.ring_rate = 0
        self.margin = 0
        self.low = 1 << 30
        self.reads = 0
        self.retry = 0
        self.next_try = 0.0
        self.lost = False

    def consume(self, want: int) -> int:
        """Book-keeping before a read: trim spare latency, return what is available.

        The lowest spare fill seen over a window of reads is what the clocks'
        jitter did not need; all but a small margin of it is dropped.
        """
        ring = self.ring
        available = ring.available()
        if available > self.ceiling:
            ring.skip(available - self.prime)
            self.trims += 1
            available = self.prime
        spare = available - want
        self.low = min(self.low, spare)
        self.reads += 1
        if self.reads >= _WINDOW_READS:
            if self.low > self.margin:
                available -= ring.skip(self.low - self.margin)
            self.low = 1 << 30
            self.reads = 0
            self.windows += 1
        self.calm += want
        if self.calm >= _CALM_S * self.ring_rate:
            self.calm = 0
            if self.extra > 0:
                self._set_extra(self.extra - self.ring_rate // 1000)
        self.fill_sum += available - want / 2  # a read takes its samples from the front
        self.fill_count += 1
        return available

    def setup(self, rate: int, prime: int, ceiling: int, block: int) -> None:
        """Levels (in samples at the ring's ``rate``) for a freshly opened stream."""
        self.ring_rate = rate
        self.base_prime, self.room = prime, ceiling - prime
        self.base_margin = rate * _MARGIN_MS // 1000
        self.step = block
        self.max_extra = rate * _MAX_EXTRA_MS // 1000
        self.ring = RingBuffer(4 * ceiling + 2 * self.max_extra)
        self.starved = 0
        self.windows = 0
        self._set_extra(0)
        self.priming = True

    def starve(self) -> None:
        """A read came up short: prime again, with a block more of cushion.

        The callbacks are Python and wait for the GIL: when another thread holds
        it (a busy GUI), they come late and in bursts. The cushion grows by a
        block on each shortfall and shrinks by 1 ms after each calm stretch, so
        latency follows what the machine needs now.
        """
        self.priming = True
        self.starved += 1
        self.calm = 0
        if self.windows > 0:  # the start, before the clocks settle, teaches nothing
            self._set_extra(self.extra + self.step)

    def _set_extra(self, extra: int) -> None:
        self.extra = max(0, min(extra, self.max_extra))
        self.prime = self.base_prime + self.extra
        self.ceiling = self.prime + self.room + self.extra
        self.margin = self.base_margin + self.extra


class AudioBridge:
    """Moves audio frames between pjmedia's clock and two device streams.

    ``block_ms`` is the device callback period. 5 ms blocks keep the added
    mouth-to-ear latency near 25 ms; 10 ms blocks cost about 10 ms more (one
    block of buffering on each side), see docs/benchmarks.md. While the streams
    are open the interpreter's GIL switch interval is 1 ms instead of 5 ms: a
    callback that waits for the GIL behind a busy thread would otherwise miss a
    whole 5 ms block.
    """

    def __init__(
        self,
        backend: AudioBackend,
        clock_rate: int = 16000,
        frame_ms: int = 10,
        block_ms: int = 5,
        device_rate: int | None = None,
        quality: str = "QQ",
        on_device_event: DeviceEvent | None = None,
    ) -> None:
        self._backend = backend
        self.clock_rate = clock_rate
        self.frame = clock_rate * frame_ms // 1000
        self._block_ms = block_ms
        self._device_rate = device_rate
        self._quality = quality
        self._on_device_event = on_device_event
        self._mic = _Side("microphone", None)
        self._spk = _Side("speaker", None)
        self._lock = threading.Lock()  # guards open/close only; never taken by audio threads
        self._in_use = False
        self._wake = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._mic_frame = np.zeros(self.frame, dtype=np.float32)

    # -- control (any thread but the audio ones) -------------------------------
    def select_devices(self, microphone: str | None, speaker: str | None) -> None:
        """Choose devices by name (None: the system default); reopens open streams."""
        with self._lock:
            self._mic.device = microphone
            self._spk.device = speaker
            if self._in_use:
                for side in (self._mic, self._spk):
                    self._close(side)
                    self._open(side)

    def set_in_use(self, in_use: bool) -> None:
        """Open the devices while calls have audio; close them when idle (no CPU use)."""
        with self._lock:
            if in_use == self._in_use:
                return
            self._in_use = in_use
            self._set_switch_interval(in_use)
            if in_use:
                for side in (self._mic, self._spk):
                    side.retry = 0
                    side.lost = False
                    self._open(side)
                self._supervisor = threading.Thread(
                    target=self._supervise, name="audio-supervisor", daemon=True
                )
                self._supervisor.start()
            else:
                for side in (self._mic, self._spk):
                    self._close(side)
                self._wake.set()
        if not in_use and self._supervisor is not None:
            self._supervisor.join(2)
            self._supervisor = None
            self._wake.clear()

    @staticmethod
    def _set_switch_interval(in_use: bool) -> None:
        """Shorten the GIL hand-over while any bridge in the process has open streams."""
        with _switch_lock:
            _switch_users[0] += 1 if in_use else -1
            if in_use and _switch_users[0] == 1:
                _switch_saved[0] = sys.getswitchinterval()
                sys.setswitchinterval(min(_switch_saved[0], _SWITCH_INTERVAL_S))
            elif not in_use and _switch_users[0] == 0:
                sys.setswitchinterval(_switch_saved[0])

    def set_device_listener(self, listener: DeviceEvent | None) -> None:
        """Who hears about devices lost and found (called on the supervisor thread)."""
        self._on_device_event = listener

    def devices_available(self) -> bool:
        """True when the backend lists at least one input or output device."""
        return any(d.is_input or d.is_output for d in self._backend.list_devices())

    @property
    def in_use(self) -> bool:
        return self._in_use

    def stats(self) -> BridgeStats:
        mic, spk = self._mic, self._spk
        latency = 0.0
        for side, rate in ((mic, self.clock_rate), (spk, self._rate_of(spk))):
            if side.fill_count:
                latency += side.fill_sum / side.fill_count / rate * 1000.0
            if side.resampler is not None:
                latency += side.resampler.delay_ms()
        latency += 2 * self._block_ms
        return BridgeStats(
            mic.ring.underruns,
            mic.ring.overruns + mic.trims,
            spk.ring.underruns,
            spk.ring.overruns + spk.trims,
            self._rate_of(mic),
            self._rate_of(spk),
            latency,
        )

    def _rate_of(self, side: _Side) -> int:
        return side.rate or self.clock_rate

    def _open(self, side: _Side) -> None:
        rate = self._device_rate
        block = max(1, (rate or 48000) * self._block_ms // 1000)
        try:
            if side is self._mic:
                stream = self._backend.open_input(side.device, rate, block, self._on_mic)
            else:
                stream = self._backend.open_output(side.device, rate, block, self._on_speaker)
        except AudioDeviceError as exc:
            # Only the text: a log record holding the exception would keep the engine thread's
            # frames (and pjsua2 Call objects in them) alive past libDestroy.
            reason = str(exc)
            _log.warning("%s unavailable: %s", side.role, reason)
            side.stream = None
            self._lost(side, reason)
            return
        self._configure(side, stream)
        if side.lost:
            side.lost = False
            side.retry = 0
            self._notify(side.role, True, "")

    def _configure(self, side: _Side, stream: AudioStream) -> None:
        dev_rate = stream.rate
        block = max(1, dev_rate * self._block_ms // 1000)
        if side is self._mic:
            side.resampler = StreamResampler(dev_rate, self.clock_rate, self._quality)
            clock_block = self.clock_rate * self._block_ms // 1000
            prime = self.frame + clock_block // 2
            side.setup(self.clock_rate, prime, prime + 2 * clock_block, clock_block)
        else:
            side.resampler = StreamResampler(self.clock_rate, dev_rate, self._quality)
            dev_frame = self.frame * dev_rate // self.clock_rate
            prime = dev_frame + block // 2
            side.setup(dev_rate, prime, prime + dev_frame + block, block)
        side.rate = dev_rate
        side.stream = stream

    def _close(self, side: _Side) -> None:
        stream, side.stream = side.stream, None
        if stream is not None:
            stream.close()

    def _lost(self, side: _Side, reason: str) -> None:
        if not side.lost:
            side.lost = True
            self._notify(side.role, False, reason)

    def _notify(self, role: str, available: bool, reason: str) -> None:
        if self._on_device_event is not None:
            try:
                self._on_device_event(role, available, reason)
            except Exception:
                _log.exception("device event handler failed")

    def _supervise(self) -> None:
        """Reopen failed or missing devices with back-off while in use."""
        while self._in_use:
            self._wake.wait(0.25)
            now = time.monotonic()
            with self._lock:
                if not self._in_use:
                    return
                for side in (self._mic, self._spk):
                    if side.stream is not None and side.stream.failed:
                        _log.warning("%s stream failed; reopening", side.role)
                        self._close(side)
                        self._lost(side, "the device stopped")
                        side.next_try = now
                    if side.stream is None and now >= side.next_try:
                        self._open(side)
                        if side.stream is None:
                            delay = _BACKOFF_S[min(side.retry, len(_BACKOFF_S) - 1)]
                            side.retry += 1
                            side.next_try = now + delay

    # -- device threads ------------------------------------------------------------
    def _on_mic(self, block: Samples) -> None:
        side = self._mic
        res = side.resampler
        if res is None:
            return
        side.ring.write(res.process(block))

    def _on_speaker(self, out: Samples) -> None:
        side = self._spk
        ring = side.ring
        if side.priming:
            if ring.available() < side.prime:
                out[:] = 0.0
                return
            side.priming = False
        side.consume(len(out))
        if ring.read_into(out) < len(out):
            side.starve()

    # -- pjmedia clock thread --------------------------------------------------------
    def pull_frame(self) -> Samples:
        """The next microphone frame at the clock rate (silence while priming)."""
        side = self._mic
        out = self._mic_frame
        ring = side.ring
        if side.stream is None or (side.priming and ring.available() < side.prime):
            out[:] = 0.0
            return out
        side.priming = False
        side.consume(len(out))
        if ring.read_into(out) < len(out):
            side.starve()
        return out

    def push_frame(self, frame: Samples) -> None:
        """A frame from the conference bridge for the speaker."""
        side = self._spk
        res = side.resampler
        if side.stream is None or res is None:
            return
        side.ring.write(res.process(frame))
