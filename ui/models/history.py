"""List model of the call history (HistoryStore.entries, newest first), grouped by day.

Rows are the entries themselves; the first entry of each local day carries the day's label
(``DayRole``: "Today", "Yesterday", the weekday within a week, else the date), which the view
paints as a header above it. Changes go out as ``dataChanged`` (rows changed in place) or a reset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.bus import Changes
from app.phone_format import display_number
from app.stores import HistoryEntry, HistoryStore
from ui.format import local_datetime

__all__ = ["HistoryModel", "day_label"]

_Index = QModelIndex | QPersistentModelIndex


def day_label(day: QDate, today: QDate) -> str:
    """ "Today", "Yesterday", the weekday for the last week, else the date (the user's locale)."""
    days = day.daysTo(today)
    locale = QLocale()
    if days == 0:
        return QCoreApplication.translate("HistoryModel", "Today")
    if days == 1:
        return QCoreApplication.translate("HistoryModel", "Yesterday")
    if 1 < days < 7:
        return locale.dayName(day.dayOfWeek(), QLocale.FormatType.LongFormat).capitalize()
    return locale.toString(day, QLocale.FormatType.LongFormat)


class HistoryModel(QAbstractListModel):
    """Rows are history entries; views ask roles, changes go out as dataChanged or a reset."""

    EntryRole = Qt.ItemDataRole.UserRole + 1
    DirectionRole = Qt.ItemDataRole.UserRole + 2
    UnseenMissedRole = Qt.ItemDataRole.UserRole + 3
    NumberRole = Qt.ItemDataRole.UserRole + 4
    DayRole = Qt.ItemDataRole.UserRole + 5
    """The day's label on the first entry of a day, else None."""
    ShownNumberRole = Qt.ItemDataRole.UserRole + 6
    """The number formatted for reading."""

    def __init__(
        self,
        store: HistoryStore,
        parent: QObject | None = None,
        *,
        region: str = "NL",
        today: Callable[[], QDate] = QDate.currentDate,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._region = region
        self._today = today
        self._entries: list[HistoryEntry] = list(store.entries)
        self._days: list[str | None] = self._day_labels(self._entries)
        store.hub.subscribe(self._on_changes, owner=self)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def entry(self, row: int) -> HistoryEntry:
        return self._entries[row]

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, e in enumerate(self._entries) if e.id == entry_id), None)

    def shown_number(self, entry: HistoryEntry) -> str:
        return display_number(entry.number, self._region)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        e = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return e.name or self.shown_number(e)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.shown_number(e)
        if role == self.EntryRole:
            return e
        if role == self.DirectionRole:
            return e.direction
        if role == self.UnseenMissedRole:
            return e.direction == "missed" and not e.seen
        if role == self.NumberRole:
            return e.number
        if role == self.DayRole:
            return self._days[index.row()]
        if role == self.ShownNumberRole:
            return self.shown_number(e)
        return None

    def _day_labels(self, entries: list[HistoryEntry]) -> list[str | None]:
        today = self._today()
        labels: list[str | None] = []
        previous: QDate | None = None
        for e in entries:
            day = local_datetime(e.started_at).date()
            labels.append(day_label(day, today) if day != previous else None)
            previous = day
        return labels

    def regroup(self) -> None:
        """Recompute the day labels (after midnight, or a language change)."""
        days = self._day_labels(self._entries)
        if days != self._days:
            self._days = days
            if self._entries:
                self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1), [])

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("history", "entries"):
            self._on_changed()

    def _on_changed(self) -> None:
        new = list(self._store.entries)
        old_ids = [e.id for e in self._entries]
        if old_ids == [e.id for e in new]:
            changed = [i for i, (a, b) in enumerate(zip(self._entries, new, strict=True)) if a != b]
            self._entries = new
            if changed:
                self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)), [])
            return
        self.beginResetModel()
        self._entries = new
        self._days = self._day_labels(new)
        self.endResetModel()
