"""The voicemail controller without a server: the events, pausing for a call, the player on the
virtual loopback speaker, a greeting from the loopback microphone, and what a request does
while offline."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from app.audio import AudioDevices
from app.bus import Changes
from app.call_model import CallAdded
from app.call_rows import ActiveCall
from app.connection import Connection
from app.controllers.voicemail import VoicemailController, VoicemailPlayer
from app.controllers.voicemail_playback import Clip, GreetingRecorder
from app.notices import Notices
from app.notifications import VoicemailReceived
from app.server_events import VoicemailChanged
from app.stores.voicemail import VoicemailMessage, VoicemailStore
from app.tasks import TaskRunner
from sip.audio import LoopbackBackend, tone_source
from tests.support.audio import tone_present

T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def _wav(seconds: float, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    pcm = (0.5 * 32767 * np.sin(2 * np.pi * 700 * t)).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


class Parts:
    def __init__(self, tmp: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.notices = Notices()
        self.posted: list[str] = []
        self.notices.posted.connect(lambda n: self.posted.append(n.text))
        self.backend = LoopbackBackend()
        self.devices = AudioDevices(self.backend, self.loop, ringtone=None)
        self.store = VoicemailStore()
        self.conn = Connection()
        self.ctl = VoicemailController(
            self.store,
            self.conn,
            TaskRunner(self.loop, self.notices),
            self.notices,
            VoicemailPlayer(self.devices),
            tmp / "voicemail",
        )
        self.store.set_messages(
            [
                VoicemailMessage(i, "202", None, T0 + dt.timedelta(minutes=i), 2.0, False)
                for i in (1, 2)
            ]
        )

    def settle(self) -> None:
        self.loop.run_until_complete(asyncio.sleep(0.05))


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[Parts]:
    p = Parts(tmp_path)
    try:
        yield p
    finally:
        p.devices.close()
        if p.ctl.player is not None:
            p.ctl.player.stop()
        p.loop.close()


def test_changed_events_mark_heard_and_delete(parts: Parts) -> None:
    parts.ctl.on_changed(VoicemailChanged(1, "201", True, False))
    assert parts.store.get(1).heard and parts.store.unheard == 1  # type: ignore[union-attr]
    parts.ctl.on_changed(VoicemailChanged(2, "201", False, True))
    assert parts.store.get(2) is None and parts.store.unheard == 0


def test_a_new_message_while_offline_loads_nothing(parts: Parts) -> None:
    parts.ctl.on_new(VoicemailReceived(9, "201", "202", None, 3.0))
    parts.settle()
    assert parts.posted == [] and len(parts.store.messages) == 2


def test_the_player_plays_on_the_speaker_and_a_call_pauses_it(parts: Parts) -> None:
    player = parts.ctl.player
    assert player is not None
    player.load(_wav(2.0))
    parts.store.set_playing(1)
    parts.conn.extension = "201"
    parts.ctl.play(1)  # the loaded message goes on; marking heard needs the server
    assert parts.ctl.state == "playing"
    assert parts.store.get(1).heard  # type: ignore[union-attr]
    parts.settle()
    assert parts.posted == ["Not connected to the server."]
    call = ActiveCall("c1", "incoming", "203", None, "incoming")
    parts.ctl.on_changes(Changes("calls", frozenset({"calls"}), (CallAdded(call),)))
    assert parts.ctl.state == "paused"
    assert len(parts.backend.played()) > 0
    parts.ctl.seek(5.0)
    assert parts.ctl.position_s == parts.ctl.duration_s == pytest.approx(2.0)
    parts.ctl.stop()
    assert (parts.ctl.state, parts.store.playing) == ("stopped", None)


def test_deleting_while_offline_removes_it_and_says_why_the_server_did_not(parts: Parts) -> None:
    parts.ctl.delete(2)
    assert parts.store.get(2) is None
    parts.settle()
    assert parts.posted == ["Not connected to the server."]


def test_a_greeting_is_recorded_from_the_microphone(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    backend = LoopbackBackend(source=tone_source(700.0))
    devices = AudioDevices(backend, loop, ringtone=None)
    recorder = GreetingRecorder(devices)
    try:
        recorder.start()
        assert recorder.recording
        loop.run_until_complete(_until(lambda: recorder.seconds >= 0.5))
        wav = recorder.stop()
    finally:
        recorder.stop()
        loop.close()
    clip = Clip.from_wav(wav)
    assert clip.rate == 16000 and clip.duration_s >= 0.5
    samples = clip.block(0, int(clip.duration_s * 16000), 16000)
    assert tone_present(samples, 16000, 700.0)


def test_saving_a_greeting_while_offline_says_so(parts: Parts) -> None:
    parts.backend.source = tone_source(700.0)
    assert parts.ctl.start_greeting()
    parts.loop.run_until_complete(_until(lambda: parts.ctl.greeting_seconds >= 0.3))
    parts.ctl.save_greeting()
    parts.settle()
    assert parts.posted == ["Not connected to the server."]


async def _until(predicate: Callable[[], bool]) -> None:
    """Let the audio thread fill the recording (no time is asserted)."""
    for _ in range(500):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the microphone gave nothing")
