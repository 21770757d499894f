"""The Calls section of the side bar (seed 000 "Zijbalk / Oproepen"): history and details.

Newest first; the name from the directory else the number; an icon per direction; a red dot on
missed calls not seen yet. Selecting a call shows date, time and duration with "Call back".
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.protocols import CallActions, HistoryActions
from app.stores import HistoryStore
from ui import theme
from ui.format import format_duration, local_datetime
from ui.icons import icon
from ui.models.history import HistoryModel

__all__ = ["CallsPage", "HistoryDelegate"]

_Index = QModelIndex | QPersistentModelIndex

_ICON = {"incoming": "phone-incoming", "outgoing": "phone-outgoing", "missed": "phone-missed"}


def _direction_color(direction: str) -> str:
    t = theme.current()
    return t.red if direction == "missed" else t.muted


class HistoryDelegate(QStyledItemDelegate):
    """Paints one history row: icon, name, number, time and the unseen dot."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fm = option.fontMetrics
        return QSize(200, fm.height() * 2 + 22)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> None:
        t = theme.current()
        entry = index.data(HistoryModel.EntryRole)
        if entry is None:
            return
        painter.save()
        rect: QRect = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(t.highlight))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor(t.alt_base))
        fm = option.fontMetrics
        pad = 12
        size = 20
        icon_rect = QRect(rect.left() + pad, rect.center().y() - size // 2, size, size)
        icon(_ICON.get(entry.direction, "phone"), _direction_color(entry.direction)).paint(
            painter, icon_rect
        )
        when = _when_text(entry.started_at)
        time_w = fm.horizontalAdvance(when) + 4
        dot = 8
        right = rect.right() - pad
        unseen = bool(index.data(HistoryModel.UnseenMissedRole))
        if unseen:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(QColor(t.red))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(right - dot, rect.center().y() - dot // 2, dot, dot)
            right -= dot + 8
        text_left = icon_rect.right() + pad
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
        painter.setPen(QColor(t.muted))
        sub = entry.number if entry.name else _direction_text(entry.direction)
        painter.drawText(
            QRect(text_left, top + fm.height() + 2, text_w, fm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(sub, Qt.TextElideMode.ElideRight, text_w),
        )
        painter.drawText(
            QRect(right - time_w, rect.top(), time_w, rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            when,
        )
        painter.restore()


def _direction_text(direction: str) -> str:
    texts = {
        "incoming": QCoreApplication.translate("CallsPage", "Incoming call"),
        "outgoing": QCoreApplication.translate("CallsPage", "Outgoing call"),
        "missed": QCoreApplication.translate("CallsPage", "Missed call"),
    }
    return texts.get(direction, direction)


def _when_text(started_at: datetime) -> str:
    local = local_datetime(started_at)
    locale = QLocale()
    if local.date() == QDate.currentDate():
        return locale.toString(local.time(), QLocale.FormatType.ShortFormat)
    return locale.toString(local.date(), QLocale.FormatType.ShortFormat)


class CallsPage(QWidget):
    """The history list, its empty state and the details of the selected call."""

    def __init__(
        self,
        history: HistoryStore,
        history_ctl: HistoryActions,
        calls_ctl: CallActions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = history
        self._history_ctl = history_ctl
        self._calls_ctl = calls_ctl
        self.model = HistoryModel(history, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.title = QLabel(self)
        self.title.setObjectName("Heading")
        self.title.setContentsMargins(16, 14, 16, 8)
        layout.addWidget(self.title)
        self.stack = QStackedWidget(self)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("EmptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(HistoryDelegate(self.list))
        self.list.setMouseTracking(True)
        self.list.setUniformItemSizes(True)
        self.list.selectionModel().currentChanged.connect(self._show_details)
        self.list.doubleClicked.connect(lambda idx: self._call_back_row(idx.row()))
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.list)
        layout.addWidget(self.stack, 1)
        self.details = QFrame(self)
        self.details.setObjectName("Popup")
        dl = QVBoxLayout(self.details)
        dl.setContentsMargins(16, 12, 16, 12)
        self.detail_name = QLabel(self.details)
        self.detail_name.setObjectName("SubHeading")
        self.detail_info = QLabel(self.details)
        self.detail_info.setObjectName("Muted")
        self.detail_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.call_back_button = QPushButton(self.details)
        self.call_back_button.setObjectName("GreenButton")
        self.call_back_button.clicked.connect(self._call_back_current)
        row = QHBoxLayout()
        row.addWidget(self.detail_name, 1)
        row.addWidget(self.call_back_button)
        dl.addLayout(row)
        dl.addWidget(self.detail_info)
        self.details.hide()
        wrap = QVBoxLayout()
        wrap.setContentsMargins(12, 8, 12, 12)
        wrap.addWidget(self.details)
        layout.addLayout(wrap)
        self.model.modelReset.connect(self._refresh)
        self.model.dataChanged.connect(lambda *_: self._show_details(self.list.currentIndex()))
        self._retranslate()
        self._refresh()

    def _refresh(self) -> None:
        self.stack.setCurrentWidget(self.list if self.model.rowCount() else self.empty_label)
        self._show_details(self.list.currentIndex())

    def _show_details(self, index: _Index) -> None:
        if not index.isValid():
            self.details.hide()
            return
        e = self.model.entry(index.row())
        local = local_datetime(e.started_at)
        locale = QLocale()
        lines = [
            f"{_direction_text(e.direction)} · {e.number}",
            self.tr("Date: {date}").format(
                date=locale.toString(local.date(), QLocale.FormatType.LongFormat)
            ),
            self.tr("Time: {time}").format(
                time=locale.toString(local.time(), QLocale.FormatType.ShortFormat)
            ),
        ]
        if e.direction != "missed":
            duration = format_duration(e.duration_s)
            lines.append(self.tr("Duration: {duration}").format(duration=duration))
        self.detail_name.setText(e.name or e.number)
        self.detail_info.setText("\n".join(lines))
        self.details.show()

    def _call_back_current(self) -> None:
        self._call_back_row(self.list.currentIndex().row())

    def _call_back_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self._calls_ctl.dial(self.model.entry(row).number)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Calls"))
        self.empty_label.setText(self.tr("No calls yet"))
        self.call_back_button.setText(self.tr("Call back"))
        self.call_back_button.setIcon(icon("phone", "#ffffff"))
        self._show_details(self.list.currentIndex())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
