"""The real app plans a status: Calendar section, the plan dialog, the embedded PBX applying
the plan at its start and ending it, the overlap warning, and deleting a plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.stores.calendar import PlanEntry
from tests.ui._app_harness import RealApp, signed_in_app
from ui.calendar_dialog import PlanDialog
from ui.calendar_page import CalendarPage

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def real_app(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealApp]:
    with signed_in_app(tmp_path_factory.mktemp("app") / "data") as app:
        yield app


def _page(app: RealApp) -> CalendarPage:
    page = app.window.calendar_page
    assert page is not None, "the app has a Calendar section"
    return page


def _plans(app: RealApp) -> list[PlanEntry]:
    assert app.ctx.calendar is not None
    return app.ctx.calendar.plans


def _fill(dialog: PlanDialog, name: str, status: str, start: dt.datetime, end: dt.datetime) -> None:
    dialog.name.setText(name)
    dialog.status.setCurrentIndex(dialog.status.findData(status))

    def qt(value: dt.datetime) -> QDateTime:
        return QDateTime(value.year, value.month, value.day, value.hour, value.minute, value.second)

    dialog.start.setDateTime(qt(start))
    dialog.end.setDateTime(qt(end))


def _save(dialog: PlanDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_planned_status_applies_at_its_start_and_ends(real_app: RealApp) -> None:
    app = real_app
    QTest.mouseClick(app.window.side_bar.buttons["calendar"], Qt.MouseButton.LeftButton)
    page = _page(app)
    assert app.window.pages.currentWidget() is page
    page.set_view("week_weekend")
    assert page.grid.columnCount() == 7 and page.grid.rowCount() == 25

    QTest.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    now = dt.datetime.now().replace(microsecond=0)
    start = now + dt.timedelta(seconds=3)
    _fill(dialog, "Focus time", "dnd", start, start + dt.timedelta(seconds=3))
    _save(dialog)

    async def scenario() -> None:
        await app.until(lambda: page.dialog is None, 10, "the dialog closes once saved")
        await app.until(
            lambda: (
                any(p.draft.name == "Focus time" for p in _plans(app)) and page.overlap_box is None
            ),
            10,
            "the plan is in the calendar",
        )
        await app.until(lambda: app.ctx.presence.status == "dnd", 15, "the plan's status applies")
        page.redraw()
        assert page.now_label.text().startswith("Now: Focus time")
        status = app.window.top_bar.status
        planned = status.running_plan_text(dt.datetime.now(dt.UTC))
        assert planned is not None and planned.startswith("Planned: Focus time until ")
        await app.until(
            lambda: app.ctx.presence.status == "available", 15, "back to available at its end"
        )

    app.run(scenario())
    items = [
        page.grid.item(r, c)
        for r in range(page.grid.rowCount())
        for c in range(page.grid.columnCount())
    ]
    texts = [i.text() for i in items if i is not None]
    assert any("Focus time" in t for t in texts)


def test_an_overlapping_plan_is_warned_about_and_can_be_deleted(real_app: RealApp) -> None:
    app = real_app
    page = _page(app)

    def listed(name: str) -> bool:
        return any(p.draft.name == name for p in _plans(app))

    async def scenario() -> None:
        # one run of the loop for the whole test: between runs a request in flight would fail
        QTest.mouseClick(app.window.side_bar.buttons["calendar"], Qt.MouseButton.LeftButton)
        page.set_view("month")
        assert page.grid.rowCount() == 6 and page.grid.columnCount() == 7
        this_month = page.title.text()
        QTest.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
        assert page.title.text() != this_month and page.anchor.day == 1
        QTest.mouseClick(page.today_button, Qt.MouseButton.LeftButton)
        assert page.title.text() == this_month and page.anchor == page.today()
        nine = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(9))
        first = page.open_new(nine)
        _fill(first, "Stand-up", "meeting", nine, nine + dt.timedelta(hours=1))
        _save(first)
        await app.until(lambda: page.dialog is None, 10, "the first plan saved")
        await app.until(lambda: listed("Stand-up"), 10, "the first plan listed")
        second = page.open_new(nine)
        half_past = nine + dt.timedelta(minutes=30)
        _fill(second, "Dentist", "not_present", half_past, nine + dt.timedelta(hours=2))
        _save(second)
        await app.until(lambda: page.overlap_box is not None, 10, "the overlap warning")
        box = page.overlap_box
        assert isinstance(box, QMessageBox)
        assert "“Dentist” overlaps with “Stand-up”" in box.text()
        keep = next(b for b in box.buttons() if b.text() == "Keep")
        QTest.mouseClick(keep, Qt.MouseButton.LeftButton)
        await app.until(lambda: page.overlap_box is None, 5, "the warning closes")
        await app.until(lambda: listed("Dentist"), 10, "the second plan listed")

        dentist = next(p for p in _plans(app) if p.draft.name == "Dentist")
        dialog = page.open_plan(dentist.id)
        assert dialog is not None and dialog.delete_button is not None
        QTest.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
        await app.until(lambda: not listed("Dentist"), 10, "the plan is gone")

    app.run(scenario())
