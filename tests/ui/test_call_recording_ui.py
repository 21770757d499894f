"""Record in the call window (P17): the button in the extras, the red "Recording" indicator
with its elapsed time from the recordings store, and the Recordings page's list and player."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.stores.recordings import Recording, RecordingsStore
from tests.ui.fakes import ActiveCall, FakeContext
from ui.call_layer import CallLayer
from ui.recordings_page import RecordingsPage


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Toggles:
    """What the window asks of the recordings controller: ``toggle(key, number)``."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def __call__(self, key: str, number: str) -> None:
        self.asked.append((key, number))


def test_record_toggles_and_the_indicator_follows_the_store(qtbot, ctx: FakeContext) -> None:
    host = QWidget()
    host.resize(900, 600)
    qtbot.addWidget(host)
    host.show()
    clock = Clock(100.0)
    layer = CallLayer(host, ctx.calls, ctx.calls_ctl, clock)
    ctx.calls.put(ActiveCall("c1", "outgoing", "202", "Bram", "connected", connected_at=90.0))
    w = layer.windows["c1"]
    assert not w.extras.record_button.isVisibleTo(w)  # no recording bound: no Record
    store, toggles = RecordingsStore(), Toggles()
    w.bind_recording(store.live, toggles)
    w.expand_button.click()
    button = w.extras.record_button
    assert button.isVisible() and button.text() == "Record"
    assert not w.recording_indicator.isVisible()

    button.click()
    assert toggles.asked == [("c1", "202")]
    store.asking("c1", "pbx-1")
    w.refresh_recording()
    assert not button.isEnabled()  # on its way
    store.started("c1", 100.0)
    clock.now = 112.0
    w.refresh_recording()
    assert button.isEnabled() and button.text() == "Stop recording" and button.isChecked()
    assert w.recording_indicator.isVisible()
    assert w.recording_indicator.label.text() == "Recording 00:12"

    store.stopped("c1")
    w.refresh_recording()
    assert not w.recording_indicator.isVisible() and button.text() == "Record"
    ctx.calls.update("c1", state="held")
    assert button.isVisible()  # a held call can be recorded too
    ctx.calls.update("c1", state="ended")
    assert not button.isVisibleTo(w)


class Player:
    """The player side of the controller, as the page and its player box use it."""

    def __init__(self) -> None:
        self.played: list[int] = []
        self.deleted: list[int] = []
        self.playing_id: int | None = None
        self.state = "stopped"
        self.position_s = 0.0
        self.duration_s = 0.0

    def play(self, ident: int) -> None:
        self.played.append(ident)

    def pause(self) -> None: ...
    def seek(self, seconds: float) -> None: ...
    def poll(self) -> None: ...

    def delete(self, ident: int) -> None:
        self.deleted.append(ident)


def test_the_recordings_page_lists_newest_first_and_plays(qtbot, ctx: FakeContext) -> None:
    store, player = RecordingsStore(), Player()
    page = RecordingsPage(store, player, ctx.calls_ctl, lambda n: None)
    qtbot.addWidget(page)
    page.show()
    assert page.stack.currentWidget() is page.empty
    assert page.empty_label.text() == "No recordings"
    t0 = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
    store.set_recordings(
        [
            Recording(1, "c-1", t0, 42.0, "201", "Anna de Vries"),
            Recording(2, "c-2", t0 + dt.timedelta(hours=1), 7.5, "0612345678", None),
        ]
    )
    assert page.stack.currentWidget() is page.list
    first = page.model.index(0)
    assert first.data() == "06 12345678"  # newest first, the number formatted for reading
    assert first.data(Qt.ItemDataRole.AccessibleTextRole).endswith("8 s")
    assert page.model.index(1).data() == "Anna de Vries"
    page.list.viewport().grab()  # the delegate paints both rows
    assert page.select(1)
    assert page.player.isVisible() and page.player.caller.text() == "Anna de Vries"
    page.player.play_button.click()
    assert player.played == [1]
    page.delete_recording(1, confirm=False)
    assert player.deleted == [1]
    page.player.call_back_button.click()
    assert ctx.calls_ctl.calls[-1] == ("dial", ("201",))
