"""List model of the call history (HistoryStore.entries, newest first)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.stores import HistoryEntry, HistoryStore

__all__ = ["HistoryModel"]

_Index = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractListModel):
    """Rows are history entries; views ask roles, changes go out as dataChanged or a reset."""

    EntryRole = Qt.ItemDataRole.UserRole + 1
    DirectionRole = Qt.ItemDataRole.UserRole + 2
    UnseenMissedRole = Qt.ItemDataRole.UserRole + 3
    NumberRole = Qt.ItemDataRole.UserRole + 4

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._entries: list[HistoryEntry] = list(store.entries)
        store.changed.connect(self._on_changed)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def entry(self, row: int) -> HistoryEntry:
        return self._entries[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        e = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return e.name or e.number
        if role == Qt.ItemDataRole.ToolTipRole:
            return e.number
        if role == self.EntryRole:
            return e
        if role == self.DirectionRole:
            return e.direction
        if role == self.UnseenMissedRole:
            return e.direction == "missed" and not e.seen
        if role == self.NumberRole:
            return e.number
        return None

    def _on_changed(self, what: str) -> None:
        if what not in ("entries", "unseen", ""):
            return
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
        self.endResetModel()
