"""The status menu of the top bar (seed 000 "Status bekijken en wijzigen").

Available plus the away states; each away state offers the suggested end (the end most used
among the last five uses of that status, one hour by default), "Custom…" and "No end time".
The current status carries a tick. A long status text ("Business trip until 12/03/2026 17:00")
is elided on the button (full text in its tooltip), so the search field keeps its width.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QLocale, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.bus import Changes
from app.presence_status import STATUSES, PresenceStatus
from app.protocols import PresenceActions
from app.stores import PresenceStore
from app.stores.calendar import CalendarStore
from ui import theme
from ui.format import local_datetime

__all__ = ["CustomEndDialog", "StatusButton", "datetime_format", "status_icon", "status_text"]

_TEXT_MAX = 230
"""Widest status text on the button, in pixels; longer text is elided."""


def datetime_format(locale: QLocale) -> str:
    """The locale's short date and time, with a four-digit year ("d-M-yyyy HH:mm")."""
    date = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in date:
        date = date.replace("yy", "yyyy")
    return f"{date} {locale.timeFormat(QLocale.FormatType.ShortFormat)}"


def status_text(status: str) -> str:
    """The status in words, translated."""
    texts = {
        "available": QCoreApplication.translate("StatusButton", "Available"),
        "meeting": QCoreApplication.translate("StatusButton", "Meeting"),
        "not_present": QCoreApplication.translate("StatusButton", "Not present"),
        "vacation": QCoreApplication.translate("StatusButton", "Vacation"),
        "lunch": QCoreApplication.translate("StatusButton", "Lunch"),
        "business_trip": QCoreApplication.translate("StatusButton", "Business trip"),
        "dnd": QCoreApplication.translate("StatusButton", "Do not disturb"),
    }
    return texts.get(status, status)


def _dot(color: str, size: int = 12, ticked: bool = False) -> QIcon:
    """The status colour as a dot; the current status's dot is bigger and carries a tick."""
    pm = QPixmap(size * 2, size * 2)
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(color))
    if ticked:
        p.drawEllipse(0, 0, size, size)
        pen = QPen(QColor("#ffffff"), size / 7)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawPolyline(
            [
                QPointF(size * 0.28, size * 0.52),
                QPointF(size * 0.44, size * 0.68),
                QPointF(size * 0.73, size * 0.36),
            ]
        )
    else:
        p.drawEllipse(2, 2, size - 4, size - 4)
    p.end()
    return QIcon(pm)


def status_icon(status: str, ticked: bool = False) -> QIcon:
    """The status's colour dot for menus; ``ticked`` marks the current status."""
    return _dot(theme.presence_color(status), ticked=ticked)


class CustomEndDialog(QDialog):
    """Asks for the end of a status ("Custom…"): typed or picked, in the user's date format."""

    def __init__(self, status: str, start: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._start = start
        title = self.tr("Custom end time")
        self.setWindowTitle(title)
        self.setMinimumWidth(max(340, self.fontMetrics().horizontalAdvance(title) + 160))
        layout = QVBoxLayout(self)
        self.label = QLabel(self.tr("{status} until:").format(status=status_text(status)), self)
        layout.addWidget(self.label)
        self.edit = QDateTimeEdit(local_datetime(start + timedelta(hours=1)), self)
        self.edit.setDisplayFormat(datetime_format(QLocale()))
        self.edit.setCalendarPopup(True)
        self.edit.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.error = QLabel(self.tr("Choose a time in the future."), self)
        self.error.setObjectName("ErrorText")
        self.error.hide()
        self.edit.dateTimeChanged.connect(lambda _value: self.error.hide())
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        for which in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel):
            button = self.buttons.button(which)
            button.setIcon(QIcon())  # the app's buttons are words, not the style's icons
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setObjectName("PrimaryButton")
        ok.style().unpolish(ok)  # the box polished it under its old name
        ok.style().polish(ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        """Only an end after now is taken; an earlier one says so under the field."""
        if self.until() <= self._start:
            self.error.show()
            return
        super().accept()

    def until(self) -> datetime:
        return datetime.fromtimestamp(self.edit.dateTime().toSecsSinceEpoch(), UTC)


class StatusButton(QToolButton):
    """Shows the current status (dot, words, end time) and opens the status menu."""

    def __init__(
        self, presence: PresenceStore, presence_ctl: PresenceActions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TopButton")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setIconSize(QSize(12, 12))
        self._store = presence
        self._ctl = presence_ctl
        self.calendar: CalendarStore | None = None
        """The planned statuses (S4): the menu names the plan that runs now."""
        self.menu_ = QMenu(self)
        self.menu_.aboutToShow.connect(self._build_menu)
        self.setMenu(self.menu_)
        presence.hub.subscribe(self._on_changes, owner=self)
        self._retranslate()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def _length_text(self, length: timedelta) -> str:
        minutes = int(length.total_seconds() // 60)
        if minutes % 60 == 0:
            return self.tr("%n hour(s)", "", minutes // 60)
        return self.tr("%n minute(s)", "", minutes)

    def running_plan_text(self, now: datetime) -> str | None:
        """'Planned: Team meeting until 15:00' while a plan of the calendar runs."""
        found = self.calendar.running(now) if self.calendar is not None else None
        if found is None:
            return None
        plan, run = found
        end = QLocale().toString(local_datetime(run.end).time(), QLocale.FormatType.ShortFormat)
        if local_datetime(run.end).date() != local_datetime(now).date():
            end = QLocale().toString(local_datetime(run.end), QLocale.FormatType.ShortFormat)
        return self.tr("Planned: {name} until {end}").format(name=plan.draft.name, end=end)

    def _build_menu(self) -> None:
        menu = self.menu_
        menu.clear()
        now = self.now()
        planned = self.running_plan_text(now)
        if planned is not None:
            menu.addAction(planned).setEnabled(False)
            menu.addSeparator()
        for status in STATUSES:
            color = theme.presence_color(status)
            current = self._store.known and status == self._store.status
            if status == "available":
                action = menu.addAction(_dot(color, ticked=current), status_text(status))
                action.setCheckable(True)
                action.setChecked(current)
                action.triggered.connect(lambda _=False: self.choose("available", None))
                continue
            sub = menu.addMenu(_dot(color, ticked=current), status_text(status))
            sub.menuAction().setCheckable(True)
            sub.menuAction().setChecked(current)
            length = self._store.suggested_end(status)
            end = now + length
            time_text = QLocale().toString(
                local_datetime(end).time(), QLocale.FormatType.ShortFormat
            )
            suggested = sub.addAction(
                self.tr("Until {time} ({length})").format(
                    time=time_text, length=self._length_text(length)
                )
            )
            suggested.triggered.connect(lambda _=False, s=status, e=end: self.choose(s, e))
            custom = sub.addAction(self.tr("Custom…"))
            custom.triggered.connect(lambda _=False, s=status: self._custom(s))
            forever = sub.addAction(self.tr("No end time"))
            forever.triggered.connect(lambda _=False, s=status: self.choose(s, None))

    def choose(self, status: PresenceStatus, until: datetime | None) -> None:
        self._ctl.set_status(status, until)

    def _custom(self, status: PresenceStatus) -> None:
        dialog = CustomEndDialog(status, self.now(), self.window())
        dialog.accepted.connect(lambda: self.choose(status, dialog.until()))
        dialog.open()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("presence", "status"):
            self._retranslate()

    def _retranslate(self) -> None:
        if not self._store.known:  # before the server (or the cache) said: no guess
            self.setText("…")
            self.setIcon(_dot(theme.current().muted))
            self.setToolTip(self.tr("Your status is being loaded"))
            return
        status = self._store.status
        text = status_text(status)
        until = self._store.until
        if until is not None:
            local = local_datetime(until)
            if local.date() == QDateTime.currentDateTime().date():
                when = QLocale().toString(local.time(), QLocale.FormatType.ShortFormat)
            else:
                when = QLocale().toString(local, datetime_format(QLocale()))
            text = self.tr("{status} until {time}").format(status=text, time=when)
        shown = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, _TEXT_MAX)
        self.setText(shown)
        self.setIcon(_dot(theme.presence_color(status)))
        tip = self.tr("Change your status")
        self.setToolTip(f"{text}\n{tip}")  # the whole text, also when the button elides it

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
