"""Paints the history rows: the day header, direction icon, name, number, duration or reason.

A failed call (busy, no answer, number does not exist, …) has a red icon and its reason in red;
a missed call is red, with a dot until it is seen. The row of the call whose details are open
is taller (``expanded_row``): the details widget of the page sits in the extra space.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.outcome_text import is_failed, outcome_label
from app.stores import HistoryEntry
from ui import theme
from ui.format import format_duration, local_datetime
from ui.icons import icon
from ui.models.history import HistoryModel

__all__ = ["HistoryDelegate", "direction_text", "row_subtitle", "time_text"]

_Index = QModelIndex | QPersistentModelIndex

_ICON = {"incoming": "phone-incoming", "outgoing": "phone-outgoing", "missed": "phone-missed"}
_PAD = 12


def direction_text(direction: str) -> str:
    texts = {
        "incoming": QCoreApplication.translate("CallsPage", "Incoming call"),
        "outgoing": QCoreApplication.translate("CallsPage", "Outgoing call"),
        "missed": QCoreApplication.translate("CallsPage", "Missed call"),
    }
    return texts.get(direction, direction)


def time_text(entry: HistoryEntry) -> str:
    """The time of day of the call (the day is in the group's header)."""
    local = local_datetime(entry.started_at).time()
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)


def row_subtitle(entry: HistoryEntry, shown_number: str) -> str:
    """The second line: the number (when a name is shown), then the reason or the duration."""
    parts = [shown_number] if entry.name else []
    outcome = entry.outcome
    if outcome not in ("completed", "missed"):
        parts.append(outcome_label(outcome))
    elif entry.duration_s > 0:
        parts.append(format_duration(entry.duration_s))
    elif not parts:
        parts.append(direction_text(entry.direction))
    return " · ".join(parts)


class HistoryDelegate(QStyledItemDelegate):
    """One history row; a day header above the first call of each day."""

    expanded_row = -1
    details_height = 0

    def _row_height(self, fm: QFontMetrics) -> int:
        return fm.height() * 2 + 22

    def header_height(self, fm: QFontMetrics) -> int:
        return fm.height() + 18

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fm = option.fontMetrics
        height = self._row_height(fm)
        if index.data(HistoryModel.DayRole):
            height += self.header_height(fm)
        if index.row() == self.expanded_row:
            height += self.details_height
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        t = theme.current()
        entry = index.data(HistoryModel.EntryRole)
        if not isinstance(entry, HistoryEntry):
            return
        painter.save()
        fm = option.fontMetrics
        rect = QRect(option.rect)
        day = index.data(HistoryModel.DayRole)
        if day:
            band = QRect(rect.left(), rect.top(), rect.width(), self.header_height(fm))
            painter.fillRect(band, QColor(t.window))
            head_font = QFont(option.font)
            head_font.setWeight(QFont.Weight.DemiBold)
            painter.setFont(head_font)
            painter.setPen(QColor(t.muted))
            painter.drawText(
                band.adjusted(_PAD, 4, -_PAD, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(day),
            )
            rect.setTop(band.bottom() + 1)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(t.highlight))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor(t.alt_base))
        rect.setHeight(self._row_height(fm))
        self._paint_row(painter, option, index, entry, rect)
        painter.restore()

    def _paint_row(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: _Index,
        entry: HistoryEntry,
        rect: QRect,
    ) -> None:
        t = theme.current()
        fm = option.fontMetrics
        size = 20
        failed = is_failed(entry.outcome)
        red = entry.direction == "missed" or failed
        icon_name = "phone-off" if failed else _ICON.get(entry.direction, "phone")
        icon_rect = QRect(rect.left() + _PAD, rect.center().y() - size // 2, size, size)
        icon(icon_name, t.red if red else t.muted).paint(painter, icon_rect)
        when = time_text(entry)
        time_w = fm.horizontalAdvance(when) + 4
        dot = 8
        right = rect.right() - _PAD
        unseen = bool(index.data(HistoryModel.UnseenMissedRole))
        if unseen:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(QColor(t.red))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(right - dot, rect.center().y() - dot // 2, dot, dot)
        right -= dot + 8  # the same place for the time on every row
        text_left = icon_rect.right() + _PAD
        text_w = right - time_w - 8 - text_left
        top = rect.top() + 10
        name_font = QFont(option.font)
        name_font.setWeight(QFont.Weight.DemiBold if unseen else QFont.Weight.Medium)
        painter.setFont(name_font)
        painter.setPen(QColor(t.red if entry.direction == "missed" else t.text))
        title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.drawText(
            QRect(text_left, top, text_w, fm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(title, Qt.TextElideMode.ElideRight, text_w),
        )
        painter.setFont(option.font)
        painter.setPen(QColor(t.red if failed else t.muted))
        sub = row_subtitle(entry, str(index.data(HistoryModel.ShownNumberRole) or ""))
        painter.drawText(
            QRect(text_left, top + fm.height() + 2, text_w, fm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(sub, Qt.TextElideMode.ElideRight, text_w),
        )
        painter.setPen(QColor(t.muted))
        painter.drawText(
            QRect(right - time_w, rect.top(), time_w, rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            when,
        )
