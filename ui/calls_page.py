"""The Calls section of the side bar (seed 000 "Zijbalk / Oproepen"): history and details.

Newest first, grouped by day; the name from the directory else the number, formatted for
reading; an icon per direction, failed calls in red with their reason; a red dot on missed calls
not seen yet. Selecting a call opens its details under the row (date, time, duration or reason,
"Call back", or "Call again" for a call the user made); the context menu offers the same, Copy
number and Remove from this list (from the user's history on the server, so on every computer;
the other party keeps the call). With no calls, the page offers the echo test.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.outcome_text import outcome_sentence
from app.protocols import CallActions, HistoryActions
from app.stores import HistoryEntry, HistoryStore
from ui.empty_state import EmptyState
from ui.format import format_duration, local_datetime
from ui.history_delegate import HistoryDelegate, direction_text
from ui.icons import icon
from ui.models.history import HistoryModel

__all__ = ["ECHO_TEST", "CallsPage", "HistoryDelegate"]

ECHO_TEST = "9000"
_Index = QModelIndex | QPersistentModelIndex


class CallsPage(QWidget):
    """The history list, its empty state and the details of the selected call."""

    def __init__(
        self,
        history: HistoryStore,
        history_ctl: HistoryActions,
        calls_ctl: CallActions,
        parent: QWidget | None = None,
        *,
        region: str = "NL",
    ) -> None:
        super().__init__(parent)
        self._store = history
        self._history_ctl = history_ctl
        self._calls_ctl = calls_ctl
        self._selected_id: int | None = None
        self.voicemail_of: Callable[[HistoryEntry], int | None] = lambda _entry: None
        """The voicemail message a missed call left (set with the Voicemail section)."""
        self.play_voicemail: Callable[[int], None] = lambda _ident: None
        self.model = HistoryModel(history, self, region=region)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.title = QLabel(self)
        self.title.setObjectName("Heading")
        self.title.setContentsMargins(16, 14, 16, 8)
        layout.addWidget(self.title)
        self.stack = QStackedWidget(self)
        self._build_empty()
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.delegate = HistoryDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setMouseTracking(True)
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.doubleClicked.connect(lambda idx: self._call_back_row(idx.row()))
        self.list.verticalScrollBar().valueChanged.connect(lambda _v: self._place_details())
        self.list.viewport().installEventFilter(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.list)
        self._body = QHBoxLayout()
        self._body.setContentsMargins(0, 0, 0, 0)
        self._body.addWidget(self.stack)
        layout.addLayout(self._body, 1)
        self._build_details()
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._refresh)
        self.model.dataChanged.connect(lambda *_: self._show_details(self.list.currentIndex()))
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self._new_day)
        self._new_day()
        self._retranslate()
        self._refresh()

    # -- construction --------------------------------------------------------------------
    def _build_empty(self) -> None:
        self.empty = EmptyState(self, with_button=True)
        self.empty_label, self.empty_hint = self.empty.label, self.empty.hint
        assert self.empty.button is not None
        self.echo_button = self.empty.button
        self.echo_button.clicked.connect(lambda _=False: self._calls_ctl.dial(ECHO_TEST))

    def _build_details(self) -> None:
        self.details = QFrame(self.list.viewport())
        self.details.setObjectName("HistoryDetails")
        dl = QHBoxLayout(self.details)
        dl.setContentsMargins(44, 0, 12, 10)
        col = QVBoxLayout()
        col.setSpacing(2)
        self.detail_name = QLabel(self.details)
        self.detail_name.setObjectName("SubHeading")
        self.detail_name.hide()  # the row above already names the call
        self.detail_info = QLabel(self.details)
        self.detail_info.setObjectName("Muted")
        self.detail_info.setWordWrap(True)
        self.detail_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.detail_info)
        self.call_back_button = QPushButton(self.details)
        self.call_back_button.setObjectName("GreenButton")
        self.call_back_button.clicked.connect(self._call_back_current)
        self.voicemail_button = QPushButton(self.details)
        self.voicemail_button.clicked.connect(self._play_voicemail)
        self.voicemail_button.hide()
        dl.addLayout(col, 1)
        dl.addWidget(self.voicemail_button, 0, Qt.AlignmentFlag.AlignBottom)
        dl.addWidget(self.call_back_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.details.hide()

    # -- state ---------------------------------------------------------------------------
    def _remember_selection(self) -> None:
        index = self.list.currentIndex()
        self._selected_id = self.model.entry(index.row()).id if index.isValid() else None

    def _refresh(self) -> None:
        self.stack.setCurrentWidget(self.list if self.model.rowCount() else self.empty)
        row = self.model.row_of(self._selected_id) if self._selected_id is not None else None
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))
        else:
            self._current_changed(self.list.currentIndex())

    def _current_changed(self, index: _Index) -> None:
        self._show_details(index)

    def _show_details(self, index: _Index) -> None:
        old = self.delegate.expanded_row
        if not index.isValid():
            self.details.hide()
            self.delegate.expanded_row = -1
            self._relayout(old)
            return
        e = self.model.entry(index.row())
        self.detail_name.setText(e.name or self.model.shown_number(e))
        self.detail_info.setText("\n".join(self.detail_lines(e)))
        self.call_back_button.setText(self.call_back_text(e))
        self.call_back_button.setEnabled(bool(e.number))
        self.voicemail_button.setVisible(self.voicemail_of(e) is not None)
        width = self.list.viewport().width()
        self.details.setFixedWidth(width)
        self.delegate.details_height = self.details.heightForWidth(width)
        if self.delegate.details_height <= 0:
            self.delegate.details_height = self.details.sizeHint().height()
        self.delegate.expanded_row = index.row()
        self._relayout(old)
        self.details.show()
        self._place_details()

    def call_back_text(self, e: HistoryEntry) -> str:
        """ "Call again" for a call the user made, else "Call back" (incoming or missed)."""
        if e.direction == "outgoing":
            return self.tr("Call again")
        return self.tr("Call back")

    def detail_lines(self, e: HistoryEntry) -> list[str]:
        """The details of one call, as shown under its row."""
        local = local_datetime(e.started_at)
        locale = QLocale()
        day = locale.toString(local.date(), QLocale.FormatType.LongFormat)
        when = f"{day} · {locale.toString(local.time(), QLocale.FormatType.ShortFormat)}"
        number = self.model.shown_number(e)
        lines = [f"{direction_text(e.direction)} · {number}", when]
        outcome = e.outcome
        if outcome not in ("completed", "missed"):
            lines.append(outcome_sentence(outcome, e.name or number, number))
        elif e.direction != "missed":
            duration = format_duration(e.duration_s)
            lines.append(self.tr("Duration: {duration}").format(duration=duration))
        return lines

    def _relayout(self, old_row: int) -> None:
        for row in {old_row, self.delegate.expanded_row}:
            if 0 <= row < self.model.rowCount():
                self.delegate.sizeHintChanged.emit(self.model.index(row))
        self.list.doItemsLayout()

    def _place_details(self) -> None:
        row = self.delegate.expanded_row
        if row < 0 or row >= self.model.rowCount():
            return
        rect = self.list.visualRect(self.model.index(row))
        height = self.delegate.details_height
        self.details.setGeometry(rect.left(), rect.bottom() + 1 - height, rect.width(), height)

    def _new_day(self) -> None:
        """ "Today" becomes "Yesterday" at midnight, without a reload."""
        self.model.regroup()
        now = QDateTime.currentDateTime()
        midnight = QDateTime(now.date().addDays(1), QTime(0, 0))
        self._midnight.start(max(1000, now.msecsTo(midnight) + 1000))

    def set_right_inset(self, pixels: int) -> None:
        """Keep the list clear of the call windows docked on the right."""
        self._body.setContentsMargins(0, 0, pixels, 0)

    # -- actions -------------------------------------------------------------------------
    def voicemail_changed(self) -> None:
        """The voicemail changed: show or hide the open call's voicemail button."""
        self._show_details(self.list.currentIndex())

    def _play_voicemail(self) -> None:
        index = self.list.currentIndex()
        ident = self.voicemail_of(self.model.entry(index.row())) if index.isValid() else None
        if ident is not None:
            self.play_voicemail(ident)

    def _call_back_current(self) -> None:
        self._call_back_row(self.list.currentIndex().row())

    def _call_back_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount() and self.model.entry(row).number:
            self._calls_ctl.dial(self.model.entry(row).number)

    def context_menu_for(self, row: int) -> QMenu:
        """The menu of one row: Call back (Call again), Copy number, Remove from this list."""
        entry = self.model.entry(row)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        call_back = menu.addAction(icon("phone", "#16a34a"), self.call_back_text(entry))
        call_back.setEnabled(bool(entry.number))
        call_back.triggered.connect(lambda _=False: self._call_back_row(row))
        copy = menu.addAction(self.tr("Copy number"))
        copy.triggered.connect(lambda _=False: QGuiApplication.clipboard().setText(entry.number))
        menu.addSeparator()
        remove = menu.addAction(self.tr("Remove from this list"))
        remove.setToolTip(
            self.tr(
                "Removes it from your history on every computer; the other person still sees it."
            )
        )
        remove.triggered.connect(lambda _=False: self._history_ctl.hide(entry.id))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        if index.isValid():
            self.list.setCurrentIndex(index)
            self.context_menu_for(index.row()).exec(self.list.viewport().mapToGlobal(pos))

    # -- events --------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.title.setText(self.tr("Calls"))
        self.empty_label.setText(self.tr("No calls yet"))
        self.empty_hint.setText(
            self.tr(
                "Search for a colleague above, open the dialer, or copy a number anywhere "
                "and press F8 to call it."
            )
        )
        self.empty.fit_hint()
        self.echo_button.setText(self.tr("Test your audio: call 9000"))
        self.echo_button.setIcon(icon("phone", "#ffffff"))
        self.call_back_button.setText(self.tr("Call back"))
        self.call_back_button.setIcon(icon("phone", "#ffffff"))
        self.voicemail_button.setText(self.tr("Play voicemail"))
        self.voicemail_button.setIcon(icon("voicemail", "#1d5fd1"))
        self.model.regroup()
        self._show_details(self.list.currentIndex())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list.viewport() and event.type() == QEvent.Type.Resize:
            self._show_details(self.list.currentIndex())
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
