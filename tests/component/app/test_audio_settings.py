"""Settings' audio and the ringer on loopback devices: real streams, real audio threads.

The SettingsController and :class:`app.audio.AudioDevices` run on a qasync loop with a
:class:`sip.audio.LoopbackBackend`: the device list, choices that survive an unplugged device,
the test tone heard on the chosen device, the live microphone level (hopped from the audio
thread, throttled), device watching only while asked, and the Ringer driven by engine events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.audio import TEST_TONE_HZ, AudioDevices, Ringer
from app.call_model import CallModel
from app.controllers.settings import (
    LEVEL_INTERVAL_S,
    NO_SOUND_CARD,
    SettingsController,
)
from app.headless import qt_loop
from app.notices import Notices
from app.settings import Settings
from app.stores.audio import AudioStore
from app.stores.calls import CallsStore
from sip import CallId, CallStateChanged, IncomingCall
from sip.audio import LoopbackBackend, tone_source
from sip.audio.loopback import MIC, SPEAKER
from sip.types import CallState
from tests.component.app._wait import until
from tests.support.audio import tone_present

RATE = 48000


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = qt_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


class Rig:
    def __init__(self, tmp_path: Path, loop: asyncio.AbstractEventLoop) -> None:
        self.backend = LoopbackBackend()
        self.devices = AudioDevices(self.backend, loop)
        self.settings = Settings(tmp_path / "settings.ini")
        self.store = AudioStore()
        self.notices = Notices()
        self.posted: list[str] = []
        self.notices.posted.connect(lambda n: self.posted.append(f"{n.level}: {n.text}"))
        self.loop = loop

    def controller(self) -> SettingsController:
        return SettingsController(self.settings, self.store, self.notices, devices=self.devices)

    def run(self, coro: object) -> None:
        self.loop.run_until_complete(coro)  # type: ignore[arg-type]


@pytest.fixture
def rig(tmp_path: Path, loop: asyncio.AbstractEventLoop) -> Iterator[Rig]:
    rig = Rig(tmp_path, loop)
    yield rig
    rig.devices.close()


def test_devices_listed_on_start_and_choices_saved(rig: Rig) -> None:
    ctl = rig.controller()
    rig.run(until(lambda: rig.store.available, 5, "listed"))
    assert rig.store.reason == ""
    assert [d.name for d in rig.store.inputs] == [MIC]
    assert [d.name for d in rig.store.outputs] == [SPEAKER]
    ctl.set_devices(MIC, SPEAKER, SPEAKER)
    assert (rig.settings.device("input"), rig.settings.device("ringer")) == (MIC, SPEAKER)
    assert rig.devices.selection == (MIC, SPEAKER, SPEAKER)
    # a new controller (next start) picks the saved devices again
    again = SettingsController(rig.settings, AudioStore(), rig.notices, devices=rig.devices)
    assert again.effective_devices() == (MIC, SPEAKER, SPEAKER)


def test_unplugged_choice_falls_back_to_default_until_it_returns(rig: Rig) -> None:
    ctl = rig.controller()
    ctl.set_devices(MIC, SPEAKER, SPEAKER)
    rig.backend.unplug(SPEAKER)
    ctl.refresh_devices()
    assert [d.name for d in rig.store.outputs] == []
    assert rig.devices.selection == (MIC, None, None)
    assert rig.store.selected_output == SPEAKER  # the choice is kept
    rig.backend.replug(SPEAKER)
    ctl.refresh_devices()
    assert rig.devices.selection == (MIC, SPEAKER, SPEAKER)  # type: ignore[comparison-overlap]


def test_no_sound_card_is_said_plainly(rig: Rig) -> None:
    rig.backend.unplug(MIC)
    rig.backend.unplug(SPEAKER)
    ctl = rig.controller()
    ctl.refresh_devices()
    assert not rig.store.available
    assert rig.store.reason == NO_SOUND_CARD
    ctl.test_output(None)
    ctl.start_mic_test()
    assert rig.posted == [f"warning: {NO_SOUND_CARD}"] * 2
    assert not rig.devices.metering and rig.devices.playing_tones == 0


def test_test_tone_plays_on_the_chosen_output_and_stops_by_itself(rig: Rig) -> None:
    ctl = rig.controller()
    ctl.refresh_devices()
    ctl.test_output(SPEAKER)
    assert rig.devices.playing_tones == 1
    assert rig.posted == [f"info: Playing a test tone on {SPEAKER}."]
    rig.run(until(lambda: rig.devices.playing_tones == 0, 5, "test tone ended"))
    played = rig.backend.played().astype(np.float64)
    assert len(played) >= RATE
    assert tone_present(played, RATE, TEST_TONE_HZ)
    ctl.test_output("Gone headset")
    assert rig.posted[-1].startswith("warning: The test tone could not play: ")


def test_microphone_level_moves_live_and_is_throttled(rig: Rig) -> None:
    ctl = rig.controller()
    ctl.refresh_devices()
    rig.backend.source = tone_source(440.0, 0.5)  # -9 dBFS RMS
    updates: list[float] = []
    rig.store.hub.subscribe(lambda _changes: updates.append(rig.store.mic_level))
    ctl.start_mic_test()
    assert rig.devices.metering

    async def listen() -> None:
        await until(lambda: len(updates) >= 5, 5, "level updates")
        started = len(updates)
        await asyncio.sleep(1.0)
        # the meter measures 50 blocks a second; the store sees at most ~1 / LEVEL_INTERVAL_S
        assert len(updates) - started <= 1.0 / LEVEL_INTERVAL_S + 2

    rig.run(listen())
    assert rig.store.mic_level == pytest.approx((-9.03 + 60) / 60, abs=0.03)
    rig.backend.source = tone_source(440.0, 0.005)  # -49 dBFS
    rig.run(until(lambda: rig.store.mic_level < 0.25, 5, "level falls"))
    ctl.stop_mic_test()
    assert not rig.devices.metering and rig.store.mic_level == 0.0
    rig.run(asyncio.sleep(0.2))
    assert rig.store.mic_level == 0.0  # late levels from the audio thread are dropped


def test_devices_watched_only_while_asked(rig: Rig) -> None:
    ctl = rig.controller()
    rig.run(until(lambda: rig.store.inputs, 5, "listed on start"))
    assert not ctl.watching
    ctl.watch_devices(True)
    assert ctl.watching
    rig.backend.unplug(MIC)
    rig.run(until(lambda: not rig.store.inputs, 10, "unplugged microphone noticed"))
    ctl.watch_devices(False)
    assert not ctl.watching
    rig.backend.replug(MIC)
    rig.run(asyncio.sleep(0.3))
    assert not rig.store.inputs


def _state(call: str, state: CallState) -> CallStateChanged:
    return CallStateChanged(CallId(call), state, 200, "", "sip:202@pbx", "", True)


def _incoming(call: str) -> IncomingCall:
    return IncomingCall(CallId(call), "account-1", "sip:202@pbx", "")  # type: ignore[arg-type]


def test_ringer_follows_the_call_model(rig: Rig) -> None:
    rig.controller().set_devices(None, SPEAKER, SPEAKER)
    calls = CallsStore(CallModel(), clock=lambda: 0.0)
    ringer = Ringer(rig.devices, calls.model)
    calls.hub.subscribe(ringer.on_changes)
    calls.apply(_incoming("a"))
    calls.apply(_state("a", "ringing"))
    assert rig.devices.ringing and ringer.ringing_calls == {"a"}
    rig.run(until(lambda: len(rig.backend.played()) >= RATE // 2, 5, "ringing heard"))
    calls.apply(_state("a", "connecting"))  # answered: "answering" in the model
    assert not rig.devices.ringing
    calls.apply(_state("a", "confirmed"))
    calls.apply(_incoming("b"))  # call waiting: a beep, no ringtone
    calls.apply(_state("b", "ringing"))
    assert not rig.devices.ringing and rig.devices.playing_tones == 1
    calls.apply(_state("a", "disconnected"))
    assert rig.devices.ringing  # the waiting call rings now
    calls.apply(_state("b", "disconnected"))
    assert not rig.devices.ringing and ringer.ringing_calls == frozenset()
