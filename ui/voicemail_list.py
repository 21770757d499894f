"""The voicemail list: a model over one inbox of the store, and the painting of its rows.

Each row: the voicemail icon, the caller's name (the directory's, else the name the PBX knew,
else the number formatted for reading), when it came and how long it is; an unheard message is
bold with a red dot, like an unseen missed call in the Calls page.
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
from app.stores.voicemail import PERSONAL, VoicemailMessage, VoicemailStore
from ui import theme
from ui.format import format_duration, local_datetime
from ui.icons import icon

__all__ = [
    "MESSAGE_ROLE",
    "VoicemailDelegate",
    "VoicemailModel",
    "caller_text",
    "detail_text",
    "when_text",
]

MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1
_PAD = 12
_Index = QModelIndex | QPersistentModelIndex


def caller_text(
    m: VoicemailMessage, name_for: Callable[[str], str | None], region: str = "NL"
) -> str:
    """Who left it: the directory's name, the PBX's, else the number."""
    return name_for(m.caller) or m.caller_name or display_number(m.caller, region)


def when_text(m: VoicemailMessage) -> str:
    """The day and time it came, in the user's locale."""
    local = local_datetime(m.received_at)
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)


def detail_text(m: VoicemailMessage) -> str:
    """The row's second line: the group inbox it came to (for a group message), then when."""
    when = when_text(m)
    return when if m.inbox == PERSONAL else f"{m.inbox} · {when}"


class VoicemailModel(QAbstractListModel):
    """The messages of one inbox, newest first; resets when the store's messages change."""

    def __init__(
        self,
        store: VoicemailStore,
        name_for: Callable[[str], str | None],
        parent: QObject | None = None,
        *,
        region: str = "NL",
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._name_for = name_for
        self._region = region
        self.inbox = PERSONAL
        self._rows: list[VoicemailMessage] = store.in_inbox(self.inbox)

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self._store.in_inbox(self.inbox)
        self.endResetModel()

    def set_inbox(self, inbox: str) -> None:
        self.inbox = inbox
        self.reload()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def message(self, row: int) -> VoicemailMessage:
        return self._rows[row]

    def row_of(self, ident: int) -> int | None:
        for row, m in enumerate(self._rows):
            if m.id == ident:
                return row
        return None

    def caller(self, m: VoicemailMessage) -> str:
        return caller_text(m, self._name_for, self._region)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.caller(m)
        if role == MESSAGE_ROLE:
            return m
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.caller(m)}, {detail_text(m)}, {format_duration(m.duration_s)}"
        return None


class VoicemailDelegate(QStyledItemDelegate):
    """One message row: icon, caller, time · length, the unheard dot."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(200, option.fontMetrics.height() * 2 + 22)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        t = theme.current()
        m = index.data(MESSAGE_ROLE)
        if not isinstance(m, VoicemailMessage):
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
        icon("voicemail", t.accent if not m.heard else t.muted).paint(painter, icon_rect)
        dot = 8
        right = rect.right() - _PAD
        if not m.heard:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(QColor(t.red))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(right - dot, rect.center().y() - dot // 2, dot, dot)
        right -= dot + 8
        length = format_duration(m.duration_s)
        length_w = fm.horizontalAdvance(length) + 4
        left = icon_rect.right() + _PAD
        width = right - length_w - 8 - left
        top = rect.top() + 10
        name_font = QFont(option.font)
        name_font.setWeight(QFont.Weight.DemiBold if not m.heard else QFont.Weight.Medium)
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
            fm.elidedText(detail_text(m), Qt.TextElideMode.ElideRight, width),
        )
        painter.drawText(
            QRect(right - length_w, rect.top(), length_w, rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            length,
        )
        painter.restore()
