"""The Calls page: grouped by day, durations and reasons, numbers for reading, menu, details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QRect
from PySide6.QtGui import QGuiApplication

from app.stores import HistoryEntry
from app.stores.history import entry_from_api
from tests.ui.fakes import ActiveCall, FakeContext, sample_history
from ui.calls_page import CallsPage
from ui.history_delegate import row_subtitle
from ui.main_window import MainWindow
from ui.models.history import HistoryModel, day_label


@pytest.fixture
def page(qtbot, ctx: FakeContext) -> CallsPage:
    p = CallsPage(ctx.history, ctx.history_ctl, ctx.calls_ctl)
    qtbot.addWidget(p)
    p.resize(700, 600)
    p.show()
    return p


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def test_rows_are_grouped_by_day(page: CallsPage, ctx: FakeContext) -> None:
    now = _now()
    ctx.history.set_entries(sample_history(now))
    days = [page.model.index(r).data(HistoryModel.DayRole) for r in range(5)]
    local_today = QDate.currentDate()
    labels = [d for d in days if d]
    assert labels[0] in ("Today", "Yesterday")  # the sample starts 12 minutes ago
    assert days[1] is None or days[1] != days[0]
    assert len(labels) == len(set(labels)) >= 2
    assert day_label(local_today, local_today) == "Today"
    assert day_label(local_today.addDays(-1), local_today) == "Yesterday"
    monday = QDate(2025, 3, 10)
    assert day_label(monday, monday.addDays(3)) == "Monday"
    assert "2025" in day_label(monday, monday.addDays(30))


def test_rows_show_duration_reason_and_number(page: CallsPage, ctx: FakeContext) -> None:
    t = _now()
    answered = HistoryEntry(1, "incoming", "+31201234567", None, t, 185, True, True, "hangup")
    busy = HistoryEntry(2, "outgoing", "204", "Chris Bakker", t, 0, True, False, "busy")
    nowhere = HistoryEntry(3, "outgoing", "999", None, t, 0, True, False, "not-found")
    assert row_subtitle(answered, "020 123 4567") == "3 min 05 s"
    assert row_subtitle(busy, "204") == "204 · Busy"
    assert row_subtitle(nowhere, "999") == "Number does not exist"
    ctx.history.set_entries([answered, busy, nowhere])
    row = page.model.row_of(1)
    assert row is not None and page.model.index(row).data() == "020 123 4567"


def test_api_rows_carry_answered_and_reason() -> None:
    row = {
        "id": 7,
        "direction": "outgoing",
        "number": "999",
        "name": None,
        "started_at": "2025-03-14T10:00:00Z",
        "duration": 0,
        "answered": False,
        "reason": "not-found",
    }
    entry = entry_from_api(row, set())
    assert entry.outcome == "not_found"
    assert entry_from_api({**row, "answered": True, "reason": "hangup"}, set()).outcome == (
        "completed"
    )


def test_details_open_under_the_selected_row(page: CallsPage, ctx: FakeContext) -> None:
    ctx.history.set_entries(sample_history(_now()))
    index = page.model.index(1)
    page.list.setCurrentIndex(index)
    row: QRect = page.list.visualRect(index)
    details = page.details.geometry()
    assert page.details.isVisible()
    assert row.top() < details.top() and details.bottom() <= row.bottom() + 1
    assert "Duration: 3 min 05 s" in page.detail_info.text()
    page.call_back_button.click()
    assert ctx.calls_ctl.calls == [("dial", ("+31201234567",))]


def test_details_of_a_failed_call_say_why(page: CallsPage, ctx: FakeContext) -> None:
    t = _now()
    ctx.history.set_entries(
        [HistoryEntry(2, "outgoing", "204", "Chris Bakker", t, 0, True, False, "not-registered")]
    )
    page.list.setCurrentIndex(page.model.index(0))
    assert "Chris Bakker is not signed in on any phone" in page.detail_info.text()


def test_context_menu_calls_back_copies_and_removes(page: CallsPage, ctx: FakeContext) -> None:
    ctx.history.set_entries(sample_history(_now()))
    menu = page.context_menu_for(1)
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == ["Call back", "Copy number", "Remove from this list"]
    tip = actions[2].toolTip()
    assert "every computer" in tip and "other person still sees it" in tip
    assert "keeps a record" not in tip  # it no longer does, for this user
    actions[0].trigger()
    actions[1].trigger()
    assert QGuiApplication.clipboard().text() == "+31201234567"
    actions[2].trigger()
    assert ctx.calls_ctl.calls == [("dial", ("+31201234567",))]
    assert ctx.history_ctl.calls == [("hide", (4,))]


def test_empty_page_offers_the_echo_test(page: CallsPage, ctx: FakeContext) -> None:
    assert page.stack.currentWidget() is page.empty
    assert page.echo_button.text() == "Test your audio: call 9000"
    assert "F8" in page.empty_hint.text() and "dialer" in page.empty_hint.text()
    page.echo_button.click()
    assert ctx.calls_ctl.calls == [("dial", ("9000",))]


def test_the_selection_survives_a_reload(page: CallsPage, ctx: FakeContext) -> None:
    entries = sample_history(_now())
    ctx.history.set_entries(entries)
    page.list.setCurrentIndex(page.model.index(2))
    newer = HistoryEntry(9, "outgoing", "9000", "Echo test", _now() + timedelta(minutes=1), 3, True)
    ctx.history.set_entries([newer, *entries])
    assert page.model.entry(page.list.currentIndex().row()).id == entries[2].id


def test_call_windows_leave_the_row_ends_visible(qtbot, ctx: FakeContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    ctx.history.set_entries(sample_history(_now()))
    page = window.calls_page
    full = page.list.width()
    ctx.calls.put(ActiveCall("c", "incoming", "202", "Bram", "incoming"))
    call_window = window.calls_layer.windows["c"] if window.calls_layer else None
    assert call_window is not None
    qtbot.waitUntil(lambda: page.list.width() < full)
    list_right = page.list.mapTo(window.content, page.list.rect().topRight()).x()
    assert list_right < call_window.x()
    ctx.calls.remove("c")  # a live call gone: its window goes, the list takes the room back
    qtbot.waitUntil(lambda: page.list.width() == full)


def test_scroll_bars_have_no_arrow_buttons(qtbot, page: CallsPage, ctx: FakeContext) -> None:
    from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider

    from ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, dark=False)
    bar = page.list.verticalScrollBar()
    option = QStyleOptionSlider()
    bar.initStyleOption(option)
    arrow = bar.style().subControlRect(
        QStyle.ComplexControl.CC_ScrollBar, option, QStyle.SubControl.SC_ScrollBarAddLine, bar
    )
    assert arrow.height() == 0 or arrow.width() == 0


def test_day_labels_move_on_at_midnight(qtbot, ctx: FakeContext) -> None:
    today = [QDate.currentDate()]
    ctx.history.set_entries(sample_history(_now()))
    model = HistoryModel(ctx.history, today=lambda: today[0])
    first = model.index(0).data(HistoryModel.DayRole)
    assert first in ("Today", "Yesterday")
    today[0] = today[0].addDays(1)
    with qtbot.waitSignal(model.dataChanged):
        model.regroup()
    assert model.index(0).data(HistoryModel.DayRole) != first
