"""Call windows render the CallsStore and call the CallsController."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

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
    assert w.name_label.text() == "0612345678"
    assert w.status_label.text() == "Calling…"
    assert w.hangup_button.text() == "Cancel"
    w.hangup_button.click()
    assert ctx.calls_ctl.calls == [("hangup", ("c2",))]


def test_timer_advances_from_connected_at(qtbot, ctx: FakeContext) -> None:
    clock = Clock(1000.0)
    _, layer = _layer(qtbot, ctx, clock)
    ctx.calls.put(ActiveCall("c3", "outgoing", "202", "Bram", "connected", connected_at=935.0))
    w = layer.windows["c3"]
    assert w.status_label.text() == "01:05"
    assert w.timer_running()
    clock.now = 1000.0 + 3600
    w._update_timer()
    assert w.status_label.text() == "1:01:05"


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
    assert w.status_label.text() == "On hold"
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
    a.move_within(QPoint(5000, -40))
    assert a.x() == host.width() - a.width() and a.y() == 0
    a.toggle_minimised()
    assert not a.body.isVisible() and a.header_text.text() == "Bram"
    ctx.calls.remove("a")
    assert set(layer.windows) == {"b"}


def test_ended_call_shows_reason_and_closes(qtbot, ctx: FakeContext) -> None:
    _, layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("e", "outgoing", "204", None, "calling"))
    ctx.calls.update("e", state="ended", end_reason="Busy")
    w: CallWindow = layer.windows["e"]
    assert w.status_label.text() == "Busy"
    w.close_button.click()
    assert "e" not in layer.windows
    ctx.calls.update("e", end_reason="Busy here")
    assert "e" not in layer.windows
