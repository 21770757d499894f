"""Idle and timing parts: the worker's wake-up, the waker, the bridge clock, the ring cushion."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from sip._clock import ConferenceClock
from sip._waker import Waker
from sip._worker import Worker
from sip.audio.bridge import AudioBridge, _Side
from sip.audio.loopback import LoopbackBackend, tone_source


def _square(n: int) -> Callable[[], int]:
    return lambda: n * n


def test_a_queued_command_wakes_a_pump_that_would_never_time_out() -> None:
    woken = threading.Event()
    pumps: list[int] = []

    def pump(timeout: int) -> int:
        pumps.append(timeout)
        woken.wait()  # no timeout: only the worker's wake-up ends this wait
        woken.clear()
        return 0

    worker = Worker("test-worker", busy_ms=10, idle_ms=1000, wake=woken.set)
    worker.start(lambda: pump, lambda: None).result(5)
    try:
        results = [worker.submit(_square(n)).result(5) for n in range(20)]
    finally:
        worker.stop(5)
    assert results == [n * n for n in range(20)]
    assert not worker.thread.is_alive()


def test_the_waker_sends_a_keepalive_too_short_for_pjsip_to_parse() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sink:
        sink.bind(("127.0.0.1", 0))
        sink.settimeout(5)
        port = sink.getsockname()[1]
        for bound in ("127.0.0.1", "0.0.0.0"):
            waker = Waker(bound, port)
            waker.wake()
            waker.close()
            data, _ = sink.recvfrom(100)
            assert data == b"\r\n\r\n"  # pjsip's UDP transport ignores datagrams <= 32 bytes
            assert waker.sent == 1
    waker.wake()  # after close: ignored, never raised
    assert waker.sent == 1


class _FakeDevices:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def setNullDev(self) -> None:  # noqa: N802 - pjsua2 name
        self.calls.append("null")

    def setNoDev(self) -> None:  # noqa: N802 - pjsua2 name
        self.calls.append("none")


class _FakeEp:
    def __init__(self) -> None:
        self.devices = _FakeDevices()

    def audDevManager(self) -> Any:  # noqa: N802 - pjsua2 name
        return self.devices


def test_the_clock_starts_with_media_and_stops_after_the_linger_unless_held() -> None:
    ep = _FakeEp()
    clock = ConferenceClock(ep, linger_s=0.0)
    clock.want(False)
    clock.tick(hold=False)
    assert ep.devices.calls == [] and not clock.running
    clock.want(True)
    clock.want(True)
    assert ep.devices.calls == ["null"] and clock.running
    assert clock.timeout_ms(1000) == 1000
    clock.want(False)
    assert clock.timeout_ms(1000) == 1  # wake when the linger ends
    clock.tick(hold=True)  # e.g. a recording still closing: it needs ticks
    assert clock.running
    clock.want(True)  # media again before the stop: nothing to do
    clock.tick(hold=False)
    assert ep.devices.calls == ["null"] and clock.running
    clock.want(False)
    clock.tick(hold=False)
    assert ep.devices.calls == ["null", "none"] and not clock.running
    assert clock.starts == 1
    clock.want(True)
    assert ep.devices.calls == ["null", "none", "null"] and clock.starts == 2


def test_a_long_linger_keeps_the_clock_until_it_ends() -> None:
    ep = _FakeEp()
    clock = ConferenceClock(ep, linger_s=60.0)
    clock.want(True)
    clock.want(False)
    clock.tick(hold=False)
    assert clock.running and ep.devices.calls == ["null"]
    assert 1000 >= clock.timeout_ms(1000) > 1


def test_a_starved_ring_primes_with_more_cushion_and_gives_it_back_when_calm() -> None:
    side = _Side("speaker", None)
    side.setup(48000, prime=720, ceiling=1440, block=240)  # 10 ms frame, 5 ms blocks
    base = (side.prime, side.ceiling, side.margin)
    assert base == (720, 1440, 96)
    side.ring.write(np.ones(side.prime, dtype=np.float32))
    side.consume(240)
    side.starve()  # during the first window: the clocks are still settling
    assert (side.prime, side.ceiling, side.margin) == base and side.priming
    for _ in range(50):  # one window of reads, nothing short
        side.ring.write(np.ones(240, dtype=np.float32))
        side.consume(240)
        side.ring.read_into(np.zeros(240, dtype=np.float32))
    side.starve()
    side.starve()
    assert side.prime == 720 + 480 and side.margin == 96 + 480 and side.ceiling == 1440 + 960
    assert side.starved == 3
    for _ in range(20):  # far beyond the most cushion allowed
        side.starve()
    assert side.extra == 48000 * 20 // 1000
    before = side.extra
    reads = 2 * 48000 // 240  # two calm seconds of 5 ms reads
    for _ in range(reads):
        side.ring.write(np.ones(240, dtype=np.float32))
        side.consume(240)
        side.ring.read_into(np.zeros(240, dtype=np.float32))
    assert side.extra == before - 48


def test_the_gil_hands_over_every_millisecond_only_while_some_bridge_has_audio() -> None:
    before = sys.getswitchinterval()
    first = AudioBridge(LoopbackBackend(16000, tone_source(440.0)))
    second = AudioBridge(LoopbackBackend(16000, tone_source(440.0)))
    try:
        first.set_in_use(True)
        assert sys.getswitchinterval() == pytest.approx(0.001)
        second.set_in_use(True)
        first.set_in_use(False)
        assert sys.getswitchinterval() == pytest.approx(0.001)  # the second still plays
    finally:
        first.set_in_use(False)
        second.set_in_use(False)
    assert sys.getswitchinterval() == before
