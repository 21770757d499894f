"""The plan dialog (seed 000 "Nieuwe planning maken"): name, status, start and end or whole
days, repeat, note. It edits a :class:`~app.stores.calendar.PlanDraft`; the page saves it and
shows the server's refusal (a bad custom rule, an end before the start) in :attr:`error`."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, QLocale, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.presence_status import STATUSES, PresenceStatus
from app.stores.calendar import REPEATS, PlanDraft, Repeat
from ui.status_menu import datetime_format, status_text

__all__ = ["PlanDialog"]


def _qt(value: dt.datetime) -> QDateTime:
    return QDateTime(value.year, value.month, value.day, value.hour, value.minute, value.second)


def _py(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second())


class PlanDialog(QDialog):
    """Non-modal: ``save_requested(draft)`` when Save is pressed, ``delete_requested`` for
    Delete (editing only); the page closes it once the server kept the plan."""

    save_requested = Signal(object)
    delete_requested = Signal()

    def __init__(
        self,
        draft: PlanDraft,
        *,
        plan_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plan_id = plan_id
        self._zone = draft.time_zone
        self.setWindowTitle(self.tr("Edit plan") if plan_id is not None else self.tr("New plan"))
        self.setMinimumWidth(420)
        form = QFormLayout()
        self.name = QLineEdit(draft.name, self)
        self.name.setPlaceholderText(self.tr("For example: Team meeting"))
        self.name.setMaxLength(200)
        form.addRow(self.tr("Name"), self.name)
        self.status = QComboBox(self)
        for s in STATUSES:
            if s != "available":
                self.status.addItem(status_text(s), s)
        self.status.setCurrentIndex(max(0, self.status.findData(draft.status)))
        form.addRow(self.tr("Status"), self.status)
        self.all_day = QCheckBox(self.tr("All day"), self)
        self.all_day.setChecked(draft.all_day)
        form.addRow("", self.all_day)
        end = draft.end - dt.timedelta(days=1) if draft.all_day else draft.end
        self.start = QDateTimeEdit(_qt(draft.start), self)
        self.end = QDateTimeEdit(_qt(end), self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
        form.addRow(self.tr("Start"), self.start)
        form.addRow(self.tr("End"), self.end)
        self.repeat = QComboBox(self)
        for r in REPEATS:
            self.repeat.addItem(self._repeat_text(r), r)
        self.repeat.setCurrentIndex(max(0, self.repeat.findData(draft.repeat)))
        form.addRow(self.tr("Repeat"), self.repeat)
        self.rule = QLineEdit(draft.rrule or "", self)
        self.rule.setPlaceholderText("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10")
        self.rule_label = QLabel(self.tr("Rule (RFC 5545)"), self)
        form.addRow(self.rule_label, self.rule)
        self.note = QPlainTextEdit(draft.note or "", self)
        self.note.setFixedHeight(70)
        form.addRow(self.tr("Note"), self.note)
        self.error = QLabel(self)
        self.error.setObjectName("PlanError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.delete_button: QPushButton | None = None
        if plan_id is not None:
            self.delete_button = self.buttons.addButton(
                self.tr("Delete"), QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.delete_button.clicked.connect(self.delete_requested)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.all_day.toggled.connect(self._formats)
        self.repeat.currentIndexChanged.connect(self._custom_visible)
        self._formats()
        self._custom_visible()

    def _repeat_text(self, repeat: Repeat) -> str:
        return {
            "none": self.tr("Does not repeat"),
            "daily": self.tr("Every day"),
            "weekly": self.tr("Every week"),
            "monthly": self.tr("Every month"),
            "yearly": self.tr("Every year"),
            "custom": self.tr("Custom…"),
        }[repeat]

    def _formats(self) -> None:
        locale = QLocale()
        fmt = datetime_format(locale)
        if self.all_day.isChecked():
            fmt = fmt.split(" ")[0]
        for edit in (self.start, self.end):
            edit.setDisplayFormat(fmt)

    def _custom_visible(self) -> None:
        custom = self.repeat.currentData() == "custom"
        self.rule.setVisible(custom)
        self.rule_label.setVisible(custom)

    def draft(self) -> PlanDraft:
        """The plan as filled in; an all-day plan runs from the first day's midnight to the
        midnight after the last day."""
        start, end = _py(self.start.dateTime()), _py(self.end.dateTime())
        all_day = self.all_day.isChecked()
        if all_day:
            start = dt.datetime.combine(start.date(), dt.time())
            end = dt.datetime.combine(end.date(), dt.time()) + dt.timedelta(days=1)
        status: PresenceStatus = self.status.currentData()
        repeat: Repeat = self.repeat.currentData()
        note = self.note.toPlainText().strip()
        return PlanDraft(
            name=self.name.text().strip(),
            status=status,
            start=start,
            end=end,
            all_day=all_day,
            repeat=repeat,
            rrule=self.rule.text().strip() or None if repeat == "custom" else None,
            note=note or None,
            time_zone=self._zone,
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _save(self) -> None:
        draft = self.draft()
        if not draft.name:
            self.show_error(self.tr("Give the plan a name."))
            return
        if draft.end <= draft.start:
            self.show_error(self.tr("The end must be after the start."))
            return
        self.error.hide()
        self.save_requested.emit(draft)
