"""The Voicemail page on the real store and controller (no server: requests that would go out
are not made here): the empty state, rows and inboxes, the player and its pop-out, Call back,
the voicemail-off line."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from app.audio import AudioDevices
from app.bus import Changes
from app.call_model import CallAdded
from app.call_rows import ActiveCall
from app.connection import Connection
from app.controllers.voicemail import VoicemailController, VoicemailPlayer
from app.notices import Notices
from app.stores.voicemail import VoicemailMessage, VoicemailStore
from app.tasks import TaskRunner
from sip.audio import LoopbackBackend
from tests.ui.fakes import FakeCallActions
from ui.voicemail_page import VoicemailPage

T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
NAMES = {"202": "Bram Jansen"}


def _wav(seconds: float, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    pcm = (0.4 * 32767 * np.sin(2 * np.pi * 700 * t)).astype("<i2")
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
        self.devices = AudioDevices(LoopbackBackend(), self.loop, ringtone=None)
        self.store = VoicemailStore()
        notices = Notices()
        self.ctl = VoicemailController(
            self.store,
            Connection(),
            TaskRunner(self.loop, notices),
            notices,
            VoicemailPlayer(self.devices),
            tmp,
        )
        self.calls = FakeCallActions()
        self.page = VoicemailPage(self.store, self.ctl, self.calls, NAMES.get)  # type: ignore[arg-type]


@pytest.fixture
def parts(qapp: QApplication, tmp_path: Path) -> Iterator[Parts]:
    p = Parts(tmp_path)
    try:
        yield p
    finally:
        p.ctl.stop()
        p.page.take_player_back()
        p.page.deleteLater()
        p.devices.close()
        p.loop.close()


def _message(
    ident: int, caller: str, minutes: int, heard: bool, inbox: str = "personal"
) -> VoicemailMessage:
    return VoicemailMessage(
        ident, caller, None, T0 + dt.timedelta(minutes=minutes), 12.0, heard, inbox
    )


def test_no_messages_shows_no_voicemail(parts: Parts) -> None:
    parts.store.set_messages([])
    assert parts.page.stack.currentWidget() is parts.page.empty
    assert parts.page.empty_label.text() == "No voicemail"
    assert not parts.page.player.isVisibleTo(parts.page)


def test_rows_newest_first_with_names_and_group_inboxes(parts: Parts) -> None:
    parts.store.set_messages(
        [
            _message(1, "202", 0, True),
            _message(2, "0612345678", 5, False),
            _message(3, "203", 9, False, inbox="sales"),
        ]
    )
    page = parts.page
    assert page.stack.currentWidget() is page.list
    assert [page.model.index(r).data() for r in range(page.model.rowCount())] == [
        "06 12345678",
        "Bram Jansen",
    ]
    assert page.tabs.isVisibleTo(page) and page.tabs.count() == 2
    assert page.tabs.tabText(0) == "Personal" and page.tabs.tabText(1) == "sales"
    assert page.select(3)
    assert page.model.inbox == "sales" and page.tabs.currentIndex() == 1
    assert page.player.isVisibleTo(page) and page.player.caller.text() == "203"
    page.player.call_back_button.click()
    assert parts.calls.calls == [("dial", ("203",))]


def test_the_player_plays_pops_out_when_the_page_goes_and_a_call_pauses_it(parts: Parts) -> None:
    parts.store.set_messages([_message(1, "202", 0, True)])
    page = parts.page
    page.show()
    assert page.select(1)
    assert parts.ctl.player is not None
    parts.ctl.player.load(_wav(3.0))
    parts.store.set_playing(1)
    page.player.play_button.click()
    assert page.player.playing and page.player.play_button.toolTip() == "Pause"
    page.hide()
    assert page.popout is not None and page.popout.isVisible()
    assert page.player.window() is page.popout
    page.show()
    assert page.popout is None and page.player.window() is page
    call = ActiveCall("c1", "incoming", "203", None, "incoming")
    parts.ctl.on_changes(Changes("calls", frozenset({"calls"}), (CallAdded(call),)))
    assert not page.player.playing and page.player.play_button.toolTip() == "Play"


def test_voicemail_off_is_said_and_the_menu_turns_it_on_again(parts: Parts) -> None:
    parts.store.set_settings(False, False)
    page = parts.page
    assert page.off_label.isVisibleTo(page)
    assert page.enable_action.text() == "Receive voicemail again"
    assert not page.default_greeting_action.isEnabled()
    parts.store.set_settings(True, True)
    assert not page.off_label.isVisibleTo(page)
    assert page.enable_action.text() == "Stop receiving voicemail"
    assert page.default_greeting_action.isEnabled()


def test_a_call_that_comes_in_pops_the_paused_player_out(parts: Parts) -> None:
    parts.store.set_messages([_message(1, "202", 0, True)])
    page = parts.page
    page.show()
    assert page.select(1) and parts.ctl.player is not None
    parts.ctl.player.load(_wav(3.0))
    parts.store.set_playing(1)
    page.player.play_button.click()
    call = ActiveCall("c1", "incoming", "203", None, "incoming")
    changes = Changes("calls", frozenset({"calls"}), (CallAdded(call),))
    parts.ctl.on_changes(changes)  # the controller first (build_context), then the page
    page.on_calls_changed(changes)
    assert not page.player.playing
    assert page.popout is not None and page.player.window() is page.popout
    page.popout.close()  # the user closes the little window: the player is home again
    assert page.popout is None and page.player.window() is page
