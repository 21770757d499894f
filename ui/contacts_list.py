"""How a contact row is drawn: the name in bold, under it the type and company in grey."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ui import theme

__all__ = ["SECOND_LINE", "ContactRowDelegate"]

SECOND_LINE = Qt.ItemDataRole.UserRole + 1
"""The item role of the row's second line (type marks and company)."""
_PAD_X, _PAD_Y, _GAP = 14, 7, 2


class ContactRowDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.height()
        return QSize(200, 2 * _PAD_Y + 2 * line + _GAP)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        t = theme.current()
        rect: QRect = option.rect
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        if selected or hovered:
            painter.fillRect(rect, QColor(t.highlight))
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        second = str(index.data(SECOND_LINE) or "")
        font = QFont(option.font)
        line = option.fontMetrics.height()
        text_rect = rect.adjusted(_PAD_X, _PAD_Y, -_PAD_X, -_PAD_Y)
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        painter.setPen(QColor(t.text))
        top = QRect(text_rect.left(), text_rect.top(), text_rect.width(), line)
        elided = painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, top.width())
        painter.drawText(top, Qt.AlignmentFlag.AlignVCenter, elided)
        painter.setFont(font)
        painter.setPen(QColor(t.muted))
        bottom = top.translated(0, line + _GAP)
        elided = painter.fontMetrics().elidedText(second, Qt.TextElideMode.ElideRight, top.width())
        painter.drawText(bottom, Qt.AlignmentFlag.AlignVCenter, elided)
        painter.setPen(QColor(t.border))
        painter.drawLine(rect.left() + _PAD_X, rect.bottom(), rect.right(), rect.bottom())
        painter.restore()
