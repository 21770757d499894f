"""Call control on the real widgets: expand row, transfer picker, consult, conference, parked
calls, pickup from the search results and drag-and-drop of a call window onto a result."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.call_control import Quality
from app.call_model import CallModel
from app.stores import ParkedCall
from sip import AccountId, CallId, IncomingCall
from tests.ui.fakes import ActiveCall, FakeContext, sample_directory
from ui.call_layer import CallLayer
from ui.call_window import CallWindow
from ui.main_window import MainWindow
from ui.search import SearchResultDelegate

_LAYERS: list[CallLayer] = []
BRAM = ActiveCall("c1", "incoming", "0612345678", "Klant BV", "connected", connected_at=0.0)


def _layer(qtbot, ctx: FakeContext) -> CallLayer:
    host = QWidget()
    host.resize(1000, 700)
    qtbot.addWidget(host)
    host.show()
    layer = CallLayer(
        host,
        ctx.calls,
        ctx.calls_ctl,
        lambda: 0.0,
        directory=ctx.directory,
        directory_ctl=ctx.directory_ctl,
    )
    _LAYERS.append(layer)  # the app keeps its layer for its lifetime
    return layer


def _window(qtbot, ctx: FakeContext, call: ActiveCall = BRAM) -> CallWindow:
    layer = _layer(qtbot, ctx)
    ctx.calls.put(call)
    return layer.windows[call.key]


def test_expand_row_offers_park_move_and_audio(qtbot, ctx: FakeContext) -> None:
    w = _window(qtbot, ctx)
    assert w.expand_button.isVisible() and not w.extras.isVisible()
    w.expand_button.click()
    assert w.extras.isVisible()
    texts = [b.text() for b in w.extras.buttons if b.isVisible()]
    assert texts == ["Transfer", "Invite", "Park", "Move", "Audio settings"]  # no Merge alone
    w.extras.park_button.click()
    assert ctx.calls_ctl.calls == [("park", ("c1",))]
    assert w.extras.move_button.isEnabled()
    assert [a.text() for a in w.extras.move_menu.actions()] == ["Mobile (06 12345678)"]
    with qtbot.waitSignal(w.audio_settings_requested):
        w.extras.audio_button.click()


def test_transfer_picker_searches_and_offers_now_and_consult(qtbot, ctx: FakeContext) -> None:
    w = _window(qtbot, ctx)
    w.expand_button.click()
    w.extras.transfer_button.click()
    picker = w.picker
    assert picker is not None and picker.isVisible()
    assert (picker.now_button.text(), picker.consult_button.text()) == (
        "Transfer now",
        "Consult first",
    )
    qtbot.keyClicks(picker.field, "bram")
    assert ctx.directory_ctl.calls[-1] == ("search", ("bram",))
    ctx.directory.set_results("bram", sample_directory())
    assert picker.list.isVisible() and picker.number() == "202"  # the first result
    picker.consult_button.click()
    assert ctx.calls_ctl.calls[-1] == ("consult", ("c1", "202"))
    assert not picker.isVisible()
    w.expand_button.click()
    w.extras.transfer_button.click()
    picker.list.setCurrentIndex(picker.model.index(2))
    picker.now_button.click()
    assert ctx.calls_ctl.calls[-1] == ("transfer", ("c1", "+31301112233"))
    # a number that is not in the directory is typed as it is
    w.expand_button.click()
    w.extras.invite_button.click()
    assert not picker.consult_button.isVisible() and picker.now_button.text() == "Invite"
    ctx.directory.set_results("0201234567", [])
    qtbot.keyClicks(picker.field, "0201234567")
    qtbot.keyClick(picker.field, Qt.Key.Key_Return)
    assert ctx.calls_ctl.calls[-1] == ("invite", ("c1", "0201234567"))


def test_transfer_states_come_from_the_store(qtbot, ctx: FakeContext) -> None:
    w = _window(qtbot, ctx)
    ctx.calls.update("c1", transfer_kind="park", transfer="transferring")
    assert w.status_label.text() == "Parking the call…"
    ctx.calls.update("c1", transfer="failed", transfer_code=503)
    assert w.status_label.text() == "Not parked: every parking place is taken."
    ctx.calls.update("c1", transfer="transferred", transfer_code=200)
    ctx.calls.update("c1", state="ended", outcome="completed")
    assert w.status_label.text() == "The call was parked."
    assert w.linger.isActive()  # the window closes by itself


def test_moved_call_offers_pick_up_again(qtbot, ctx: FakeContext) -> None:
    w = _window(qtbot, ctx)
    ctx.calls.update("c1", transfer_kind="move", transfer="transferred")
    ctx.calls.update("c1", state="ended", outcome="completed")
    assert w.status_label.text() == "The call was moved to your mobile."
    assert w.pick_up_again_button.isVisible() and w.needs_attention()
    w.pick_up_again_button.click()
    assert ctx.calls_ctl.calls == [("pick_up_again", ())]


def test_consulting_shows_two_windows_with_swap_and_transfer(qtbot, ctx: FakeContext) -> None:
    layer = _layer(qtbot, ctx)
    ctx.calls.put(replace(BRAM, state="held", consult_role="original", consult_with="c2"))
    consult = ActiveCall(
        "c2",
        "outgoing",
        "203",
        "Chris",
        "connected",
        5.0,
        consult_role="consult",
        consult_with="c1",
    )
    ctx.calls.put(consult)
    first, second = layer.windows["c1"], layer.windows["c2"]
    assert first.isVisible() and second.isVisible()
    assert second.consult_bar.label.text() == "Consulting about Klant BV, who is on hold."
    assert first.consult_bar.label.text() == "Transfer to Chris?"
    second.consult_bar.swap_button.click()  # back to the caller
    first.consult_bar.complete_button.click()  # from the held window
    second.consult_bar.complete_button.click()
    assert ctx.calls_ctl.calls == [
        ("swap", ("c1",)),
        ("complete_transfer", ("c1",)),
        ("complete_transfer", ("c2",)),
    ]
    # the PBX ends both calls: both windows say so
    for key in ("c1", "c2"):
        ctx.calls.update(key, state="ended", outcome="completed")
    assert not first.consult_bar.isVisible() and not second.consult_bar.isVisible()


def test_conference_window_lists_participants_with_remove(qtbot, ctx: FakeContext) -> None:
    layer = _layer(qtbot, ctx)
    members = ("c1", "c2", "c3")
    ctx.calls.put(replace(BRAM, conference=members))
    ctx.calls.put(ActiveCall("c2", "outgoing", "202", "Bram", "connected", 1.0, conference=members))
    ctx.calls.put(ActiveCall("c3", "outgoing", "203", "Chris", "held", 1.0, conference=members))
    lead = layer.windows["c1"]
    assert lead.header_text.text() == "Conference"
    assert not layer.windows["c2"].isVisible() and not layer.windows["c3"].isVisible()
    assert lead.participants.title.text() == "4 people in this call"  # three calls and you
    labels = [lead.participants.rows[k][0].text() for k in members]
    assert labels == ["Klant BV", "Bram", "Chris (on hold)"]
    lead.participants.rows["c2"][1].click()
    assert ctx.calls_ctl.calls == [("remove_from_conference", ("c2",))]
    lead.hangup_button.click()  # the conference ends with its window
    assert ctx.calls_ctl.calls[1:] == [
        ("hangup", ("c1",)),
        ("hangup", ("c2",)),
        ("hangup", ("c3",)),
    ]


def test_merge_is_offered_when_two_calls_exist(qtbot, ctx: FakeContext) -> None:
    layer = _layer(qtbot, ctx)
    ctx.calls.put(replace(BRAM, state="held"))
    ctx.calls.put(ActiveCall("c2", "incoming", "202", "Bram", "connected", 1.0))
    w = layer.windows["c2"]
    w.expand_button.click()
    assert w.extras.merge_button.isVisible()
    assert w.extras.merge_button.toolTip() == "Merge with the call with Klant BV"
    w.extras.merge_button.click()
    assert ctx.calls_ctl.calls == [("merge", ("c2", "c1"))]


def test_incoming_transferred_call_and_quality_line(qtbot, ctx: FakeContext) -> None:
    layer = _layer(qtbot, ctx)
    ctx.calls.put(ActiveCall("c9", "incoming", "0612", None, "incoming", referred_by="Anna"))
    w = layer.windows["c9"]
    assert w.status_label.text() == "Transferred by Anna"
    assert not w.quality_label.isVisible()
    ctx.calls.update("c9", state="connected", connected_at=0.0, quality=Quality(4, 35, 80, 3.5))
    assert w.quality_label.isVisible()
    assert w.quality_label.text() == "Call quality: Fair"
    assert w.quality_label.toolTip() == "Packet loss 4.0 %, jitter 35 ms, MOS 3.5"


def test_a_queue_call_shows_via_the_queue_ringing_and_answered(qtbot, ctx: FakeContext) -> None:
    layer = _layer(qtbot, ctx)
    event = IncomingCall(
        CallId("q1"), AccountId("acc"), "sip:0612345678@pbx", "Jan Bakker",
        queue="sip:1500@127.0.0.1", queue_name="Support",
    )  # fmt: skip
    added = CallModel(lambda _number: None).apply(event, now=0.0)
    assert added is not None
    ctx.calls.put(added.call)
    w = layer.windows["q1"]
    assert w.name_label.text() == "Jan Bakker" and w.header_text.text() == "Incoming call"
    assert w.via_label.isVisible() and w.via_label.text() == "via Support"
    ctx.calls.update("q1", state="connected", connected_at=0.0)
    assert w.header_text.text() == "In call"
    assert w.via_label.isVisible() and w.via_label.text() == "via Support"
    ctx.calls.put(ActiveCall("c2", "incoming", "202", "Bram Jansen", "incoming"))
    assert not layer.windows["c2"].via_label.isVisible()


@pytest.fixture
def window(qtbot, ctx: FakeContext) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1100, 720)
    w.show()
    return w


def _mouse(widget: QWidget, kind: QEvent.Type, local: QPoint, buttons: Qt.MouseButton) -> None:
    global_pos = QPointF(widget.mapToGlobal(local))
    event = QMouseEvent(
        kind,
        QPointF(local),
        global_pos,
        Qt.MouseButton.LeftButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def test_dragging_the_call_window_onto_a_search_result_transfers(
    qtbot, window: MainWindow, ctx: FakeContext
) -> None:
    field = window.top_bar.search
    qtbot.keyClicks(field, "bram")
    ctx.directory.set_results("bram", sample_directory())
    assert field.panel.isVisible()
    ctx.calls.put(BRAM)
    card = window.calls_layer.windows["c1"]  # type: ignore[union-attr]
    row = field.list.visualRect(field.model.index(2)).center()
    target = field.list.viewport().mapToGlobal(row)
    start = card.header.geometry().center()
    left = Qt.MouseButton.LeftButton
    _mouse(card, QEvent.Type.MouseButtonPress, start, left)
    _mouse(card, QEvent.Type.MouseMove, card.mapFromGlobal(target), left)
    _mouse(
        card, QEvent.Type.MouseButtonRelease, card.mapFromGlobal(target), Qt.MouseButton.NoButton
    )
    assert ctx.calls_ctl.calls == [("transfer", ("c1", "+31301112233"))]
    # let go anywhere else: nothing happens
    _mouse(card, QEvent.Type.MouseButtonPress, card.header.geometry().center(), left)
    _mouse(card, QEvent.Type.MouseMove, QPoint(5, 300), left)
    _mouse(card, QEvent.Type.MouseButtonRelease, QPoint(5, 300), Qt.MouseButton.NoButton)
    assert len(ctx.calls_ctl.calls) == 1


def test_parked_calls_list_and_pickup(qtbot, window: MainWindow, ctx: FakeContext) -> None:
    panel = window.parked_panel
    assert not panel.isVisible()
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3, seconds=5)
    ctx.parked.set_calls(
        [ParkedCall("7001", "x1", "0612345678", None, "202", "Bram Jansen", since)]
    )
    assert panel.isVisible() and panel.title.text() == "Parked calls"
    slot, caller, by, waited, button = panel.rows["7001"]
    assert [slot.text(), caller.text(), by.text(), waited.text()] == [
        "7001",
        "06 12345678",
        "parked by Bram Jansen",
        "3 min",
    ]
    button.click()
    assert ctx.calls_ctl.calls == [("pickup_parked", ("7001",))]
    ctx.parked.remove("7001", "x1")
    assert not panel.isVisible() and panel.rows == {}


def test_a_ringing_colleague_offers_pick_up(qtbot, window: MainWindow, ctx: FakeContext) -> None:
    field = window.top_bar.search
    qtbot.keyClicks(field, "bram")
    entries = sample_directory()
    entries[0] = replace(entries[0], line_state="ringing")
    me = ctx.session.me
    assert me is not None
    ctx.session.set_me(replace(me, pick_up_from=()))  # the server: nobody's calls for Anna
    ctx.directory.set_results("bram", entries)
    delegate = field.list.itemDelegate()
    assert isinstance(delegate, SearchResultDelegate)
    first = field.model.index(0)
    assert delegate.pill_rect(field.list.visualRect(first), first, field.list.fontMetrics()) is None
    ctx.session.set_me(replace(me, pick_up_from=("202",)))  # Bram's and hers: a pickup group
    ctx.directory.set_results("bram", entries)
    assert isinstance(delegate, SearchResultDelegate) and delegate.on_pickup is not None
    rect = field.list.visualRect(field.model.index(0))
    pill = delegate.pill_rect(rect, field.model.index(0), field.list.fontMetrics())
    assert pill is not None  # left of the call (and chat) buttons
    viewport = field.list.viewport()
    left = Qt.MouseButton.LeftButton
    _mouse(viewport, QEvent.Type.MouseButtonPress, pill.center(), left)
    _mouse(viewport, QEvent.Type.MouseButtonRelease, pill.center(), Qt.MouseButton.NoButton)
    assert ctx.calls_ctl.calls == [("pickup", ("202",))]


def test_settings_take_the_mobile_number_for_move(
    qtbot, window: MainWindow, ctx: FakeContext
) -> None:
    from ui.pages.calls_settings import CallsSettings

    window.show_section("settings")
    section = window.settings_page.findChild(CallsSettings)
    assert section is not None and section.title() == "Calls"
    section.mobile.setFocus()
    qtbot.keyClicks(section.mobile, "06 12345678")
    qtbot.keyClick(section.mobile, Qt.Key.Key_Return)
    assert ctx.settings_ctl.calls[-1] == ("set_mobile_number", ("06 12345678",))


def test_during_a_call_search_results_offer_transfer(
    qtbot, window: MainWindow, ctx: FakeContext
) -> None:
    field = window.top_bar.search
    qtbot.keyClicks(field, "bram")
    ctx.directory.set_results("bram", sample_directory())
    delegate = field.list.itemDelegate()
    assert isinstance(delegate, SearchResultDelegate)
    assert delegate.pill(field.model.index(2)) is None  # no call: nothing to transfer
    ctx.calls.put(BRAM)
    pill = delegate.pill(field.model.index(2))
    assert pill is not None and pill[0] == "Transfer"
    rect = field.list.visualRect(field.model.index(2))
    width = field.list.fontMetrics().horizontalAdvance("Transfer") + 20
    box = QRect(rect.right() - 48 - width, rect.center().y() - 5, width, 10)
    viewport = field.list.viewport()
    _mouse(viewport, QEvent.Type.MouseButtonPress, box.center(), Qt.MouseButton.LeftButton)
    _mouse(viewport, QEvent.Type.MouseButtonRelease, box.center(), Qt.MouseButton.NoButton)
    assert ctx.calls_ctl.calls == [("transfer", ("c1", "+31301112233"))]
