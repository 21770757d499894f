"""Views follow the one change hub: they redraw only for changes that name them, and unhook."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.bus import Changes
from app.stores import AudioDevice
from tests.ui.fakes import ActiveCall, FakeContext, sample_history
from ui.banner import AudioBanner
from ui.call_layer import CallLayer
from ui.main_window import MainWindow
from ui.models.history import HistoryModel


def test_the_history_model_redraws_only_for_its_entries(qtbot: QtBot, ctx: FakeContext) -> None:
    model = HistoryModel(ctx.history)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    ctx.history.entries = sample_history()  # changed behind the hub's back: nothing named it
    ctx.changes.publish(Changes("history", frozenset({"unseen"})))
    ctx.changes.publish(Changes("presence", frozenset({"status"})))
    ctx.changes.publish(Changes("calls", frozenset({"calls"})))
    assert (resets, model.rowCount()) == ([], 0)
    ctx.changes.publish(Changes("history", frozenset({"entries"})))
    assert (resets, model.rowCount()) == ([1], len(sample_history()))


def test_the_audio_banner_ignores_the_mic_level(qtbot: QtBot, ctx: FakeContext) -> None:
    banner = AudioBanner(ctx.audio)
    qtbot.addWidget(banner)
    assert banner.isHidden()
    ctx.audio.inputs = []  # no microphone any more, not published yet
    ctx.changes.publish(Changes("audio", frozenset({"mic_level"})))
    ctx.changes.publish(Changes("session", frozenset({"state"})))
    assert banner.isHidden()
    ctx.audio.set_devices([AudioDevice("Built-in speakers", False, True)])
    assert not banner.isHidden()


def test_the_call_cards_follow_only_call_changes(qtbot: QtBot, ctx: FakeContext) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    layer = CallLayer(host, ctx.calls, ctx.calls_ctl)
    ctx.calls.calls = [ActiveCall("k", "incoming", "202", "Bram", "incoming")]  # not published
    ctx.changes.publish(Changes("history", frozenset({"entries"})))
    assert layer.windows == {}
    ctx.calls.put(ActiveCall("k2", "incoming", "203", None, "incoming"))
    assert set(layer.windows) == {"k", "k2"}


def test_the_main_window_subscribes_once_and_unhooks_on_close(
    qtbot: QtBot, ctx: FakeContext
) -> None:
    before = ctx.changes.subscribers
    window = MainWindow(ctx)
    hooked = ctx.changes.subscribers
    assert hooked > before
    window.deleteLater()
    qtbot.waitUntil(lambda: ctx.changes.subscribers == before)
    ctx.history.set_entries(sample_history())  # nothing left to redraw: no error
