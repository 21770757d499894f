"""The app core's real audio path on loopback devices, with the embedded PBX.

A tone fed into the loopback microphone comes back on the loopback speaker through the echo
test (9000), also after the devices are changed mid-call; an incoming call from a pjsua2 agent
rings on the ringer device until it is cancelled or answered, and a second incoming call during
a call gives the call-waiting beep instead of the ringtone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.audio import BACKEND_ENV, BEEP_HZ, AudioDevices
from app.context import AppContext
from app.headless import headless
from app.stores import ConnectionState
from sip.audio import LoopbackBackend, tone_source
from sip.audio.loopback import MIC, SPEAKER
from tests.component.app._wait import until
from tests.support.agent import Agent, start_agent
from tests.support.audio import rms_dbfs, tone_present

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(180)]

TONE_HZ = 1000.0
RING_NOTE_HZ = 659.25  # the ringtone's first note (ui/ringtone_build.py)
RATE = 48000


@pytest.fixture
def app_and_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[AppContext, asyncio.AbstractEventLoop]]:
    monkeypatch.setenv(BACKEND_ENV, "loopback")
    with headless(tmp_path / "data", demo=True) as (ctx, loop):
        yield ctx, loop


def _devices(ctx: AppContext) -> tuple[AudioDevices, LoopbackBackend]:
    devices = ctx.audio_devices
    assert devices is not None
    backend = devices.backend
    assert isinstance(backend, LoopbackBackend)
    return devices, backend


def _online(ctx: AppContext) -> bool:
    return ctx.session.state is ConnectionState.ONLINE and ctx.session.registration.registered


def _tail(backend: LoopbackBackend, seconds: float) -> np.ndarray:
    played = backend.played().astype(np.float64)
    return played[-int(seconds * RATE) :]


async def _echo_heard(backend: LoopbackBackend, what: str) -> None:
    await until(
        lambda: tone_present(_tail(backend, 1.0), RATE, TONE_HZ), 10, f"tone echoed ({what})"
    )


def test_echo_test_returns_the_microphone_tone_and_survives_a_device_change(
    app_and_loop: tuple[AppContext, asyncio.AbstractEventLoop],
) -> None:
    ctx, loop = app_and_loop
    devices, backend = _devices(ctx)
    backend.source = tone_source(TONE_HZ, 0.3)

    async def scenario() -> None:
        ctx.session_ctl.start()
        await until(lambda: _online(ctx), 40, "signed in and registered")
        await until(lambda: ctx.audio.available, 10, "devices listed")
        assert ctx.audio.reason == ""
        assert [d.name for d in ctx.audio.inputs] == [MIC]
        assert [d.name for d in ctx.audio.outputs] == [SPEAKER]

        ctx.calls_ctl.dial("9000")
        await until(lambda: bool(ctx.calls.calls), 10, "call listed")
        key = ctx.calls.calls[0].key
        await until(lambda: ctx.calls.calls[0].state == "connected", 10, "connected")
        await until(lambda: devices.bridge.in_use, 5, "bridge streams open")
        await _echo_heard(backend, "default devices")

        # choose the devices by name mid-call: the streams move, the call goes on
        opened = len(backend.opened)
        ctx.settings_ctl.set_devices(MIC, SPEAKER, SPEAKER)
        assert devices.selection == (MIC, SPEAKER, SPEAKER)
        assert backend.opened[opened:] == [MIC, SPEAKER]
        await _echo_heard(backend, "after the device change")
        assert ctx.calls.get(key) is not None and ctx.calls.calls[0].state == "connected"

        # the microphone muted: the tone no longer comes back
        ctx.calls_ctl.set_mute(key, True)
        await until(lambda: ctx.calls.calls[0].muted, 5, "muted")
        await until(lambda: rms_dbfs(_tail(backend, 0.5)) < -50, 10, "silence while muted")

        ctx.calls_ctl.hangup(key)
        await until(lambda: ctx.calls.idle, 10, "idle after hang-up")
        await until(lambda: not devices.bridge.in_use, 5, "bridge streams closed")

    loop.run_until_complete(scenario())


def _register(agent: Agent, ctx: AppContext, user: str) -> None:
    info = ctx.session_ctl.embedded.info if ctx.session_ctl.embedded else None
    assert info is not None
    password = f"Demo-{user}!"
    agent.send("register", host="127.0.0.1", port=info.sip_udp, user=user, password=password)
    agent.wait_event("registered", timeout=10)


def test_ringtone_follows_incoming_calls_and_call_waiting_beeps(
    app_and_loop: tuple[AppContext, asyncio.AbstractEventLoop], tmp_path: Path
) -> None:
    ctx, loop = app_and_loop
    devices, backend = _devices(ctx)

    async def scenario() -> None:
        ctx.session_ctl.start()
        await until(lambda: _online(ctx), 40, "signed in and registered")
        with start_agent(tmp_path, "bram") as bram, start_agent(tmp_path, "carla") as carla:
            await asyncio.to_thread(_register, bram, ctx, "202")
            await asyncio.to_thread(_register, carla, ctx, "203")

            # rings until the caller gives up
            await asyncio.to_thread(bram.send, "call", uri="201")
            await until(lambda: devices.ringing, 10, "ringtone started")
            await until(lambda: len(backend.played()) >= RATE, 5, "a second of ringing")
            first = backend.played()[: RATE // 2].astype(np.float64)
            assert tone_present(first, RATE, RING_NOTE_HZ), "the ringtone's first note"
            await asyncio.to_thread(bram.send, "hangup")
            await until(lambda: not devices.ringing, 10, "ringtone stopped on cancel")
            await until(lambda: ctx.calls.idle, 10, "idle after cancel")
            length = len(backend.played())
            await asyncio.sleep(0.3)
            assert len(backend.played()) == length, "the ringer still plays"

            # rings until answered; a second caller during the call hears no ringtone here
            await asyncio.to_thread(bram.send, "call", uri="201")
            await until(lambda: devices.ringing, 10, "ringtone started again")
            key = ctx.calls.calls[-1].key
            ctx.calls_ctl.answer(key)
            await until(lambda: ctx.calls.get(key) is not None, 1)
            await until(lambda: ctx.calls.calls[-1].state == "connected", 10, "answered")
            assert not devices.ringing

            await asyncio.to_thread(carla.send, "call", uri="201")
            await until(
                lambda: any(c.number == "203" for c in ctx.calls.calls), 10, "second call listed"
            )
            assert not devices.ringing
            await until(lambda: devices.playing_tones == 0, 5, "the beep ends by itself")
            assert not devices.ringing
            # the speaker played the beep (its stream opened last) and no ringtone
            heard = backend.played().astype(np.float64)
            assert tone_present(heard, RATE, BEEP_HZ), "the call-waiting beep"
            assert not tone_present(heard, RATE, RING_NOTE_HZ), "no ringtone during a call"

            # the first call ends while the second still rings: now it rings
            ctx.calls_ctl.hangup(key)
            await until(lambda: devices.ringing, 10, "ringing for the waiting call")
            await asyncio.to_thread(carla.send, "hangup")
            await until(lambda: not devices.ringing, 10, "ringing stopped")
            await until(lambda: ctx.calls.idle, 10, "idle at the end")

    loop.run_until_complete(scenario())
