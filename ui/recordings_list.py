"""The recordings list: a model over the store's recordings, and the painting of its rows.

Each row: the record icon, the other party (the directory's name, else the PBX's, else the
number formatted for reading), when the recording started, and how long it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.phone_format import display_number
from app.stores.recordings import Recording, RecordingsStore
from ui import theme
from ui.format import format_duration, local_datetime
from ui.icons import icon

__all__ = ["RECORDING_ROLE", "RecordingsDelegate", "RecordingsModel", "when_text", "who_text"]

RECORDING_ROLE = Qt.ItemDataRole.UserRole + 1
_PAD = 12
_Index = QModelIndex | QPersistentModelIndex


def who_text(r: Recording, name_for: Callable[[str], str | None], region: str) -> str:
    """The other party: the directory's name, the PBX's, else the number."""
    return name_for(r.number) or r.name or display_number(r.number, region)


def when_text(r: Recording) -> str:
    return QLocale().toString(local_datetime(r.started_at), QLocale.FormatType.ShortFormat)


class RecordingsModel(QAbstractListModel):
    """The store's recordings, newest first; resets when they change."""

    def __init__(
        self,
        store: RecordingsStore,
        name_for: Callable[[str], str | None],
        parent: QObject | None = None,
        *,
        region: str = "NL",
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._name_for = name_for
        self._region = region
        self._rows: list[Recording] = store.recordings

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self._store.recordings
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def recording(self, row: int) -> Recording:
        return self._rows[row]

    def row_of(self, ident: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == ident), None)

    def who(self, r: Recording) -> str:
        return who_text(r, self._name_for, self._region)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.who(r)
        if role == RECORDING_ROLE:
            return r
        if role == Qt.ItemDataRole.ToolTipRole:
            return display_number(r.number, self._region)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.who(r)}, {when_text(r)}, {format_duration(r.duration_s)}"
        return None


class RecordingsDelegate(QStyledItemDelegate):
    """One recording row: icon, the other party, the time, the length."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(200, option.fontMetrics.height() * 2 + 22)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        t = theme.current()
        r = index.data(RECORDING_ROLE)
        if not isinstance(r, Recording):
            return
        painter.save()
        rect = QRect(option.rect)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(t.highlight))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor(t.alt_base))
        fm = option.fontMetrics
        size = 20
        icon_rect = QRect(rect.left() + _PAD, rect.center().y() - size // 2, size, size)
        icon("circle-dot", t.red).paint(painter, icon_rect)
        right = rect.right() - _PAD
        length = format_duration(r.duration_s)
        length_w = fm.horizontalAdvance(length) + 4
        left = icon_rect.right() + _PAD
        width = right - length_w - 8 - left
        top = rect.top() + 10
        name_font = QFont(option.font)
        name_font.setWeight(QFont.Weight.Medium)
        painter.setFont(name_font)
        painter.setPen(QColor(t.text))
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(
            QRect(left, top, width, fm.height()),
            flags,
            fm.elidedText(title, Qt.TextElideMode.ElideRight, width),
        )
        painter.setFont(option.font)
        painter.setPen(QColor(t.muted))
        painter.drawText(
            QRect(left, top + fm.height() + 2, width, fm.height()),
            flags,
            fm.elidedText(when_text(r), Qt.TextElideMode.ElideRight, width),
        )
        painter.drawText(
            QRect(right - length_w, rect.top(), length_w, rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            length,
        )
        painter.restore()
