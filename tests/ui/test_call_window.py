"""Call windows render the CallsStore and call the CallsController."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QEnterEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.fakes import ActiveCall, FakeContext
from ui.call_layer import CallLayer
from ui.call_window import CallWindow


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _layer(qtbot, ctx: FakeContext, clock: Clock | None = None) -> tuple[QWidget, CallLayer]:
    host = QWidget()
    host.resize(900, 600)
    qtbot.addWidget(host)
    host.show()
    layer = CallLayer(host, ctx.calls, ctx.calls_ctl, clock or Clock(0.0))
    return host, layer


def test_incoming_call_shows_name_and_answer_decline(qtbot, ctx: FakeContext) -> None:
    _, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("c1", "incoming", "202", "Bram Jansen", "incoming"))
    w = layer.windows["c1"]
    assert w.name_label.text() == "Bram Jansen"
    assert w.header_text.text() == "Incoming call"
    assert w.answer_button.isVisible() and w.decline_button.isVisible()
    assert not w.hangup_button.isVisible()
    w.answer_button.click()
    w.decline_button.click()
    assert ctx.calls_ctl.calls == [("answer", ("c1",)), ("decline", ("c1",))]


def test_outgoing_call_shows_calling_and_cancel(qtbot, ctx: FakeContext) -> None:
    _, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("c2", "outgoing", "0612345678", None, "calling"))
    w = layer.windows["c2"]
    assert w.name_label.text() == "06 12345678"  # formatted for reading
    assert w.status_label.text() == "Calling…"
    assert w.hangup_button.text() == "Cancel"
    w.hangup_button.click()
    assert ctx.calls_ctl.calls == [("hangup", ("c2",))]


def test_timer_advances_from_connected_at(qtbot, ctx: FakeContext) -> None:
    clock = Clock(1000.0)
    _, layer = _layer(qtbot, ctx, clock)
    ctx.calls.put(ActiveCall("c3", "outgoing", "202", "Bram", "connected", connected_at=935.0))
    w = layer.windows["c3"]
    assert w.timer_label.text() == "01:05"
    assert w.timer_running()
    clock.now = 1000.0 + 3600
    w._update_timer()
    assert w.timer_label.text() == "1:01:05"


def test_mute_hold_keypad_call_controller(qtbot, ctx: FakeContext) -> None:
    _, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("c4", "incoming", "202", "Bram", "connected", connected_at=0.0))
    w = layer.windows["c4"]
    w.mute_button.click()
    assert not w.mute_button.isChecked()  # only the store's state checks it
    ctx.calls.update("c4", muted=True)
    assert w.mute_button.isChecked()
    w.hold_button.click()
    ctx.calls.update("c4", state="held")
    assert w.header_text.text() == "On hold"
    assert not w.timer_running()
    w.hold_button.click()
    w.keypad_button.click()
    assert w.keypad.isVisible()
    w.key_buttons["5"].click()
    w.key_buttons["#"].click()
    assert ctx.calls_ctl.calls == [
        ("set_mute", ("c4", True)),
        ("hold", ("c4",)),
        ("resume", ("c4",)),
        ("send_dtmf", ("c4", "5")),
        ("send_dtmf", ("c4", "#")),
    ]


def test_several_windows_drag_minimise_and_removal(qtbot, ctx: FakeContext) -> None:
    host, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("a", "incoming", "202", "Bram", "incoming"))
    ctx.calls.put(ActiveCall("b", "outgoing", "203", "Carla", "calling"))
    a, b = layer.windows["a"], layer.windows["b"]
    assert a.pos() != b.pos()
    assert b.y() > a.geometry().bottom()  # stacked, not hiding the first one
    a.move_within(QPoint(5000, -40))
    assert a.x() == host.width() - a.width() and a.y() == 0
    a.toggle_minimised()
    assert not a.body.isVisible() and a.header_text.text() == "Bram"
    ctx.calls.remove("a")
    assert set(layer.windows) == {"b"}


def test_ended_call_shows_reason_and_closes(qtbot, ctx: FakeContext) -> None:
    _, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("e", "outgoing", "204", "Chris Bakker", "calling"))
    ctx.calls.update("e", state="ended", outcome="busy", end_code=486)
    w: CallWindow = layer.windows["e"]
    assert w.status_label.text() == "Chris Bakker is busy"
    w.close_button.click()
    assert "e" not in layer.windows
    ctx.calls.update("e", outcome="no_answer")
    assert "e" not in layer.windows


def _ended(qtbot, ctx: FakeContext, outcome: str, **fields: object) -> CallWindow:
    _, layer = _layer(qtbot, ctx)
    call = ActiveCall("f", "outgoing", "999", None, "calling")
    ctx.calls.put(call)
    ctx.calls.update("f", state="ended", outcome=outcome, **fields)
    return layer.windows["f"]


def test_failed_call_says_why_in_plain_words_once(qtbot, ctx: FakeContext) -> None:
    w = _ended(qtbot, ctx, "not_found", end_code=404)
    assert w.header_text.text() == "Call ended"
    assert w.status_label.text() == "Number 999 does not exist"
    texts = [w.header_text.text(), w.status_label.text(), w.timer_label.text()]
    assert texts.count("Call ended") == 1


def test_a_normal_end_says_call_ended_only_in_the_header(qtbot, ctx: FakeContext) -> None:
    w = _ended(qtbot, ctx, "completed", end_code=200, connected_at=0.0)
    assert w.header_text.text() == "Call ended"
    assert w.status_label.isHidden() and w.status_label.text() == ""


def test_an_incoming_call_the_caller_gave_up_names_the_caller(qtbot, ctx: FakeContext) -> None:
    _, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("g", "incoming", "202", "Bram Jansen", "incoming"))
    ctx.calls.update("g", state="ended", outcome="caller_gave_up", end_code=487)
    assert layer.windows["g"].status_label.text() == "Bram Jansen hung up before you answered"


def test_a_failed_card_stays_until_the_pointer_leaves_it(qtbot, ctx: FakeContext) -> None:
    _, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("h", "outgoing", "204", "Chris", "calling"))
    ctx.calls.update("h", state="ended", outcome="not_signed_in", end_code=480)
    w = layer.windows["h"]
    assert w.needs_attention() and not w.linger.isActive()
    ctx.calls.remove("h")  # the store drops the ended call; its card stays
    assert "h" in layer.windows
    QApplication.sendEvent(w, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
    assert not w.linger.isActive()
    QApplication.sendEvent(w, QEvent(QEvent.Type.Leave))
    assert w.linger.isActive()
    QApplication.sendEvent(w, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
    assert not w.linger.isActive()  # back over it: it stays
    QApplication.sendEvent(w, QEvent(QEvent.Type.Leave))
    w.linger.timeout.emit()
    assert "h" not in layer.windows
    assert ("dismiss", ("h",)) in ctx.calls_ctl.calls


def test_a_card_the_user_ended_goes_by_itself(qtbot, ctx: FakeContext) -> None:
    w = _ended(qtbot, ctx, "cancelled", end_code=487)
    assert not w.needs_attention() and w.linger.isActive()


def test_minimised_card_has_a_hang_up_button_and_no_empty_strip(qtbot, ctx: FakeContext) -> None:
    _, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("m", "outgoing", "202", "Bram", "connected", connected_at=0.0))
    w = layer.windows["m"]
    assert w.header_hangup.isHidden()
    w.toggle_minimised()
    assert w.header_hangup.isVisible()
    assert w.height() - w.header.height() <= 2  # the card's border, no empty strip
    w.header_hangup.click()
    assert ctx.calls_ctl.calls == [("hangup", ("m",))]
    ctx.calls.update("m", state="ended", outcome="completed")
    assert w.header_hangup.isHidden()


def test_status_texts_are_not_in_the_timer_font(qtbot, ctx: FakeContext) -> None:
    _, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("s", "outgoing", "202", "Bram", "connected", connected_at=0.0))
    ctx.calls.update("s", state="held")
    w = layer.windows["s"]
    assert w.status_label.objectName() != "CallTimer"
    assert w.header_text.text() == "On hold"
    ctx.calls.update("s", state="ended", outcome="completed")
    assert w.status_label.objectName() != "CallTimer"


def test_the_call_window_says_when_there_is_no_audio(qtbot, ctx: FakeContext) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    layer = CallLayer(host, ctx.calls, ctx.calls_ctl, Clock(0.0), audio=ctx.audio)
    ctx.calls.put(ActiveCall("a", "incoming", "202", "Bram", "incoming"))
    w = layer.windows["a"]
    assert w.audio_label.isHidden()
    ctx.audio.set_devices([])
    ctx.audio.set_availability(False, "no devices")
    assert not w.audio_label.isHidden()
    assert w.audio_label.text() == (
        "No speaker or microphone found. Calls connect but you will not hear them."
    )


class _TopLevel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.shown_without_activating: list[bool] = []
        self.activations = 0

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self.shown_without_activating.append(
            self.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        )
        super().showEvent(event)

    def activateWindow(self) -> None:  # type: ignore[override]  # noqa: N802
        self.activations += 1
        super().activateWindow()


@pytest.mark.parametrize(
    "call",
    [
        ActiveCall("i", "incoming", "202", "Bram", "incoming"),
        ActiveCall("o", "outgoing", "0612345678", None, "calling"),  # F8 from the tray
    ],
)
def test_a_new_call_brings_the_hidden_window_up_without_focus(
    qtbot, ctx: FakeContext, call: ActiveCall
) -> None:
    top = _TopLevel()
    qtbot.addWidget(top)
    host = QWidget(top)
    CallLayer(host, ctx.calls, ctx.calls_ctl, Clock(0.0))
    assert not top.isVisible()  # in the tray
    ctx.calls.put(call)
    assert top.isVisible()
    assert top.shown_without_activating == [True]
    assert top.activations == 0
    assert not top.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # restored


def test_a_minimised_window_is_restored_for_a_new_call(qtbot, ctx: FakeContext) -> None:
    top = QWidget()
    qtbot.addWidget(top)
    host = QWidget(top)
    top.showMinimized()
    CallLayer(host, ctx.calls, ctx.calls_ctl, Clock(0.0))
    ctx.calls.put(ActiveCall("i", "incoming", "202", "Bram", "incoming"))
    assert not top.isMinimized()


def test_docked_call_windows_report_the_width_they_cover(qtbot, ctx: FakeContext) -> None:
    host, layer = _layer(qtbot, ctx)
    widths: list[int] = []
    layer.covered_changed.connect(widths.append)
    ctx.calls.put(ActiveCall("a", "incoming", "202", "Bram", "incoming"))
    w = layer.windows["a"]
    assert layer.covered == host.width() - w.x() > w.width()
    w.move_within(QPoint(0, 0))  # dragged to the left: the list needs no room
    assert layer.covered == 0
    assert widths[-1] == 0


def test_the_ended_card_shrinks_to_its_content(qtbot, ctx: FakeContext) -> None:
    host = QWidget()
    host.resize(900, 600)
    qtbot.addWidget(host)
    host.show()
    ctx.audio.set_devices([])
    ctx.audio.set_availability(False, "no devices")
    layer = CallLayer(host, ctx.calls, ctx.calls_ctl, Clock(0.0), audio=ctx.audio)
    ctx.calls.put(ActiveCall("x", "outgoing", "999", None, "calling"))
    w = layer.windows["x"]
    calling_height = w.height()
    ctx.calls.update("x", state="ended", outcome="not_found", end_code=404)
    assert w.header.height() == w.header.sizeHint().height()
    assert w.height() < calling_height
