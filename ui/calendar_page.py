"""The Calendar page (S4, seed 000 "Kalender"): your planned statuses by month or week.

A bar above the planner moves to the previous or next period, back to today, and switches
between month, week and week with the weekend. Double-clicking a free slot plans a status
there; double-clicking a plan opens it to change or delete. A plan that runs at the same time
as another gets a warning with the offer to adjust it. The line under the bar names the plan
whose status applies now.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Literal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QEvent, QLocale, Qt, QTime, QTimer
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.controllers.calendar import CalendarController, local_zone
from app.stores.calendar import CalendarStore, PlanDraft, PlanEntry, Run
from ui import theme
from ui.calendar_dialog import PlanDialog
from ui.status_menu import status_text

__all__ = ["CalendarPage", "View"]

View = Literal["month", "week", "week_weekend"]
_PLANS = Qt.ItemDataRole.UserRole
_SLOT = Qt.ItemDataRole.UserRole + 1
_PLAN_BG = {False: QColor("#dbe9fb"), True: QColor("#23406a")}  # by theme.current().dark
_OVERLAP_BG = {False: QColor("#fde2c4"), True: QColor("#6a4317")}
_FIRST_HOUR = 8
"""The week view opens scrolled to the working day."""


class CalendarPage(QWidget):
    def __init__(
        self,
        store: CalendarStore,
        actions: CalendarController,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
        zone: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._actions = actions
        self.zone_name = zone or local_zone()
        self._zone = ZoneInfo(self.zone_name)
        self._today = today
        self.anchor = self.today()
        self.view: View = "week"
        self._scroll_to_day = True
        self.dialog: PlanDialog | None = None
        self.overlap_box: QMessageBox | None = None
        self.title = QLabel(self)
        self.title.setObjectName("PageTitle")
        title_font = self.title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        self.title.setFont(title_font)
        self.prev_button = QPushButton("<", self)
        self.next_button = QPushButton(">", self)
        self.today_button = QPushButton(self)
        self.view_box = QComboBox(self)
        self.new_button = QPushButton(self)
        for b in (self.prev_button, self.next_button):
            b.setFixedWidth(32)
        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.view_box)
        bar.addWidget(self.new_button)
        self.now_label = QLabel(self)
        self.now_label.setObjectName("PlanNow")
        self.grid = QTableWidget(self)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setWordWrap(True)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(bar)
        layout.addWidget(self.now_label)
        layout.addWidget(self.grid, 1)
        self.prev_button.clicked.connect(lambda: self.step_period(-1))
        self.next_button.clicked.connect(lambda: self.step_period(1))
        self.today_button.clicked.connect(self.go_today)
        self.view_box.currentIndexChanged.connect(self._view_chosen)
        self.new_button.clicked.connect(lambda: self.open_new(None))
        self.grid.cellDoubleClicked.connect(self._double_clicked)
        store.changed.connect(self._on_changed)
        self.retranslate()

    # -- time ------------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self._today or dt.datetime.now(self._zone).date()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def days(self) -> list[dt.date]:
        """The days on view, in order."""
        if self.view == "month":
            first = self.anchor.replace(day=1)
            start = first - dt.timedelta(days=first.weekday())
            return [start + dt.timedelta(days=i) for i in range(42)]
        monday = self.anchor - dt.timedelta(days=self.anchor.weekday())
        return [monday + dt.timedelta(days=i) for i in range(7 if self.view != "week" else 5)]

    def _aware(self, day: dt.date, hour: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour)).replace(tzinfo=self._zone)

    def shown_window(self) -> tuple[dt.datetime, dt.datetime]:
        days = self.days()
        return self._aware(days[0]), self._aware(days[-1] + dt.timedelta(days=1))

    # -- navigation ------------------------------------------------------------------------
    def step_period(self, steps: int) -> None:
        if self.view == "month":
            month = self.anchor.month - 1 + steps
            self.anchor = dt.date(self.anchor.year + month // 12, month % 12 + 1, 1)
        else:
            self.anchor += dt.timedelta(weeks=steps)
        self.reload()

    def go_today(self) -> None:
        self.anchor = self.today()
        self.reload()

    def set_view(self, view: View) -> None:
        self.view_box.setCurrentIndex(("month", "week", "week_weekend").index(view))

    def _view_chosen(self, index: int) -> None:
        views: tuple[View, ...] = ("month", "week", "week_weekend")
        self.view = views[max(0, index)]
        self._scroll_to_day = True
        self.reload()

    def reload(self) -> None:
        self.redraw()
        self._actions.load(*self.shown_window())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    # -- drawing ---------------------------------------------------------------------------
    def _on_changed(self, names: frozenset[str]) -> None:
        if "plans" in names:
            self.redraw()
        if "error" in names and self.dialog is not None and self._store.error:
            self.dialog.show_error(self._store.error)
        if "saved" in names and self._store.saved is not None:
            self._saved()

    def redraw(self) -> None:
        locale = QLocale()
        days = self.days()
        if self.view == "month":
            self.title.setText(locale.toString(_qdate(self.anchor), "MMMM yyyy"))
            self._render_month(days)
        else:
            first, last = _qdate(days[0]), _qdate(days[-1])
            fmt = locale.dateFormat(QLocale.FormatType.ShortFormat)
            self.title.setText(f"{locale.toString(first, fmt)} - {locale.toString(last, fmt)}")
            self._render_week(days)
        running = self._store.running(self.now())
        if running is None:
            self.now_label.setText(self.tr("No plan runs now."))
        else:
            plan, run = running
            until = run.end.astimezone(self._zone)
            self.now_label.setText(
                self.tr("Now: {0} ({1}) until {2}").format(
                    plan.draft.name,
                    status_text(plan.draft.status),
                    locale.toString(
                        QTime(until.hour, until.minute), QLocale.FormatType.ShortFormat
                    ),
                )
            )

    def _cell(
        self,
        row: int,
        col: int,
        lines: list[str],
        ids: list[int],
        slot: object,
        overlap: bool = False,
    ) -> QTableWidgetItem:
        item = QTableWidgetItem("\n".join(lines))
        if ids:
            item.setToolTip("\n".join(lines))
        item.setData(_PLANS, ids)
        item.setData(_SLOT, slot)
        if ids:
            dark = theme.current().dark  # the text keeps the palette's colour: a matching fill
            item.setBackground(QBrush((_OVERLAP_BG if overlap else _PLAN_BG)[dark]))
        self.grid.setItem(row, col, item)
        return item

    def _render_month(self, days: list[dt.date]) -> None:
        self.grid.clear()
        self.grid.setRowCount(6)
        self.grid.setColumnCount(7)
        self.grid.setHorizontalHeaderLabels([_weekday(d) for d in days[:7]])
        self.grid.verticalHeader().hide()
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for i, day in enumerate(days):
            runs = self._store.runs_between(self._aware(day), self._aware(day + dt.timedelta(1)))
            lines = [str(day.day)] + [self._run_text(p, r.start) for p, r in runs]
            item = self._cell(i // 7, i % 7, lines, [p.id for p, _ in runs], day.isoformat())
            if day.month != self.anchor.month:
                item.setForeground(QBrush(QColor("#9e9e9e")))
            if day == self.today():
                font = item.font()
                font.setBold(True)
                item.setFont(font)

    def _render_week(self, days: list[dt.date]) -> None:
        self.grid.clear()
        self.grid.setRowCount(25)
        self.grid.setColumnCount(len(days))
        self.grid.setHorizontalHeaderLabels([f"{_weekday(d)} {d.day}" for d in days])
        self.grid.setVerticalHeaderLabels([self.tr("All day")] + [f"{h:02d}:00" for h in range(24)])
        self.grid.verticalHeader().show()
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, day in enumerate(days):
            day_runs = self._store.runs_between(
                self._aware(day), self._aware(day + dt.timedelta(1))
            )
            whole = [(p, r) for p, r in day_runs if p.draft.all_day]
            self._cell(
                0, col, [p.draft.name for p, _ in whole], [p.id for p, _ in whole], day.isoformat()
            )
            for hour in range(24):
                start = self._aware(day, hour)
                runs = [
                    (p, r)
                    for p, r in self._store.runs_between(start, start + dt.timedelta(hours=1))
                    if not p.draft.all_day
                ]
                lines = [f"{p.draft.name} · {status_text(p.draft.status)}" for p, _ in runs]
                self._cell(
                    hour + 1,
                    col,
                    lines,
                    [p.id for p, _ in runs],
                    f"{day.isoformat()}T{hour:02d}",
                    overlap=_overlapping([r for _, r in runs]),
                )
        if self._scroll_to_day:
            self._scroll_to_day = False
            QTimer.singleShot(0, self._scroll_week)

    def _scroll_week(self) -> None:
        """Open the week at the working day (after the table has its size)."""
        first = self.grid.item(_FIRST_HOUR + 1, 0)
        if first is not None and self.view != "month":
            self.grid.scrollToItem(first, QAbstractItemView.ScrollHint.PositionAtTop)

    def _run_text(self, plan: PlanEntry, start: dt.datetime) -> str:
        if plan.draft.all_day:
            return plan.draft.name
        local = start.astimezone(self._zone)
        return f"{local:%H:%M} {plan.draft.name}"

    # -- plans -----------------------------------------------------------------------------
    def _double_clicked(self, row: int, col: int) -> None:
        item = self.grid.item(row, col)
        if item is None:
            return
        ids = item.data(_PLANS) or []
        if ids:
            self.open_plan(int(ids[0]))
            return
        slot = str(item.data(_SLOT))
        if "T" in slot:
            day, hour = slot.split("T")
            self.open_new(
                dt.datetime.combine(dt.date.fromisoformat(day), dt.time(int(hour))), row == 0
            )
        else:
            self.open_new(dt.datetime.combine(dt.date.fromisoformat(slot), dt.time(9)))

    def open_new(self, start: dt.datetime | None, all_day: bool = False) -> PlanDialog:
        if start is None:
            now = dt.datetime.now(self._zone).replace(tzinfo=None, second=0, microsecond=0)
            start = now.replace(minute=0) + dt.timedelta(hours=1)
        end = start + (dt.timedelta(days=1) if all_day else dt.timedelta(hours=1))
        draft = PlanDraft("", "meeting", start, end, all_day=all_day, time_zone=self.zone_name)
        return self._open(draft, None)

    def open_plan(self, plan_id: int) -> PlanDialog | None:
        plan = self._store.plan(plan_id)
        return self._open(plan.draft, plan.id) if plan is not None else None

    def _open(self, draft: PlanDraft, plan_id: int | None) -> PlanDialog:
        if self.dialog is not None:
            self.dialog.close()
        dialog = PlanDialog(draft, plan_id=plan_id, parent=self)
        dialog.save_requested.connect(lambda d: self._actions.save(d, dialog.plan_id))
        dialog.delete_requested.connect(lambda: self._delete(dialog))
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget(self, dialog: PlanDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _delete(self, dialog: PlanDialog) -> None:
        if dialog.plan_id is not None:
            self._actions.delete(dialog.plan_id)
        dialog.accept()

    def _saved(self) -> None:
        saved = self._store.saved
        if self.dialog is not None:
            self.dialog.accept()
        if saved is None or not saved.entry.overlaps:
            return
        names = ", ".join(f"“{n}”" for n in saved.overlap_names) or str(len(saved.entry.overlaps))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Overlapping plans"),
            self.tr(
                "“{0}” overlaps with {1}. Only one status can apply at a time; adjust the plan?"
            ).format(saved.entry.draft.name, names),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        adjust = box.addButton(self.tr("Adjust"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Keep"), QMessageBox.ButtonRole.RejectRole)
        plan_id = saved.entry.id
        draft = saved.entry.draft

        def done(_result: int) -> None:
            if box.clickedButton() is adjust:
                self._open(draft, plan_id)
            self.overlap_box = None

        box.finished.connect(done)
        self.overlap_box = box
        box.open()

    # -- language --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.today_button.setText(self.tr("Today"))
        self.new_button.setText(self.tr("New plan"))
        index = self.view_box.currentIndex()
        self.view_box.blockSignals(True)
        self.view_box.clear()
        self.view_box.addItems([self.tr("Month"), self.tr("Week"), self.tr("Week with weekend")])
        self.view_box.setCurrentIndex(index if index >= 0 else 1)
        self.view_box.blockSignals(False)
        self.redraw()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _overlapping(runs: list[Run]) -> bool:
    """Two of ``runs`` run at the same time (the cell is marked)."""
    ordered = sorted(runs, key=lambda r: r.start)
    return any(b.start < a.end for a, b in pairwise(ordered))


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _weekday(day: dt.date) -> str:
    return QLocale().dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
