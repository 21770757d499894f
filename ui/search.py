"""The search field of the top bar (seed 000 "Zoek naam of nummer") and its result list.

Typing asks the DirectoryController to search (answered from the desktop's copy of the
directory, no debounce); the DirectoryStore's results show under the field with the matched
text in bold, presence, line state and a call button.
A colleague with no phone signed in shows grey, "Not signed in". A colleague whose phone rings
offers "Pick up" (``*9*<ext>*``). A number that is not in the directory is offered as
"Call 0201234". Escape and a call clear the field. A call window dropped on a result is
transferred to its number (:meth:`SearchField.number_at`). The rows are painted by
:mod:`ui.search_results`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.protocols import CallActions, DirectoryActions
from app.stores import DirectoryStore
from ui import theme
from ui.icons import icon
from ui.models.search import SearchModel, is_number_like
from ui.search_results import (
    SearchResultDelegate,
    chat_extension,
    line_state_text,
    pickup_extension,
    presence_tip,
)
from ui.search_results_card import ColleagueCard

__all__ = ["SearchField", "SearchResultDelegate", "line_state_text", "presence_tip"]


class SearchField(QLineEdit):
    """The top bar's search field; its results float under it inside the main window."""

    def __init__(
        self,
        directory: DirectoryStore,
        directory_ctl: DirectoryActions,
        calls_ctl: CallActions,
        parent: QWidget,
        active_call: Callable[[], str | None] = lambda: None,
        region: str = "NL",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SearchField")
        self._active_call = active_call
        self.setClearButtonEnabled(True)
        self._ctl = directory_ctl
        self._calls_ctl = calls_ctl
        self.model = SearchModel(directory, self)
        self.panel = QFrame(parent.window())
        self.panel.setObjectName("Popup")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(4, 4, 4, 4)
        self.list = QListView(self.panel)
        self.list.setModel(self.model)
        self.delegate = SearchResultDelegate(self.list)
        self.delegate.on_call = self.call_row
        self.delegate.on_pickup = self.pickup_row
        self.delegate.on_transfer = self.transfer_row
        self.on_chat: Callable[[str], None] | None = None
        """Opens the 1:1 chat with a colleague (set by the main window when chat exists)."""
        self.delegate.on_chat = self.chat_row
        self.delegate.transfer_enabled = lambda: self._active_call() is not None
        self.list.setItemDelegate(self.delegate)
        self.list.setMouseTracking(True)
        self.list.activated.connect(lambda idx: self.call_row(idx.row()))
        self.list.installEventFilter(self)
        self.empty = QLabel(self.panel)
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.offer = QWidget(self.panel)
        offer_row = QHBoxLayout(self.offer)
        offer_row.setContentsMargins(10, 6, 6, 6)
        self.unknown = QLabel(self.offer)
        self.unknown.setObjectName("Muted")
        self.call_number = QPushButton(self.offer)
        self.call_number.setObjectName("GreenButton")
        self.call_number.setIcon(icon("phone", "#ffffff"))
        self.call_number.clicked.connect(self.call_typed_number)
        offer_row.addWidget(self.unknown, 1)
        offer_row.addWidget(self.call_number)
        layout.addWidget(self.list)
        self.card = ColleagueCard(self.panel, region=region)
        self.card.hide()
        self.card.call_requested.connect(self._call_from_card)
        self.card.chat_requested.connect(self._chat_from_card)
        self.list.clicked.connect(lambda idx: self.expand_row(idx.row()))
        self.model.dataChanged.connect(self._refresh_card)
        layout.addWidget(self.card)
        layout.addWidget(self.empty)
        layout.addWidget(self.offer)
        self.panel.hide()
        self.addAction(
            icon("search", theme.current().muted), QLineEdit.ActionPosition.LeadingPosition
        )
        self.textEdited.connect(self._on_edited)
        self.model.modelReset.connect(self._place)
        QApplication.instance().focusChanged.connect(self._on_focus)  # type: ignore[union-attr]
        self._retranslate()

    def _on_edited(self, text: str) -> None:
        self._ctl.search(text.strip())
        self._place()

    def _place(self) -> None:
        """Show the results under the field (or hide them when there is no query)."""
        query = self.text().strip()
        if not query or (not self.hasFocus() and not self.list.hasFocus()):
            self.panel.hide()
            return
        rows = self.model.rowCount()
        offer = rows == 0 and is_number_like(query)
        self.list.setVisible(rows > 0)
        self.empty.setVisible(rows == 0 and not offer)
        self.offer.setVisible(offer)
        self.call_number.setText(self.tr("Call {number}").format(number=query))
        window = self.window()
        top_left = self.mapTo(window, QPoint(0, self.height() + 4))
        row_h = self.list.sizeHintForRow(0) if rows else 0
        if rows:
            height = min(rows, 6) * row_h + 12
            if self.card.isVisible():
                height += self.card.sizeHint().height() + 4
        elif offer:
            height = self.offer.sizeHint().height() + 12
        else:
            height = self.empty.sizeHint().height() + 24
        width = max(self.width(), 380)
        self.panel.setGeometry(top_left.x(), top_left.y(), width, height)
        self.panel.show()
        self.panel.raise_()

    def expand_row(self, row: int) -> None:
        """A click on a result: its details (presence, note, department, numbers, e-mail)."""
        if not 0 <= row < self.model.rowCount():
            return
        entry = self.model.entry(row)
        if self.card.isVisible() and self.card.entry == entry:
            self.card.hide()
        else:
            self.card.set_entry(entry)
            self.card.show()
        self._place()

    def _refresh_card(self) -> None:
        """The colleague's presence changed while their card is open: show it."""
        shown = self.card.entry
        if shown is None or not self.card.isVisible():
            return
        for row in range(self.model.rowCount()):
            entry = self.model.entry(row)
            if (entry.kind, entry.id, entry.extension) == (shown.kind, shown.id, shown.extension):
                self.card.set_entry(entry)
                return

    def _call_from_card(self, number: str) -> None:
        self._calls_ctl.dial(number)
        self.reset()

    def _chat_from_card(self, extension: str) -> None:
        if self.on_chat is not None:
            self.on_chat(extension)
            self.reset()

    def chat_row(self, row: int) -> None:
        """The chat button of a colleague's row: their 1:1 conversation in the Chat section."""
        if self.on_chat is None or not 0 <= row < self.model.rowCount():
            return
        extension = chat_extension(self.model.index(row))
        if extension is not None:
            self.on_chat(extension)
            self.reset()

    def call_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            number = self.model.data(self.model.index(row), SearchModel.NumberRole)
            if number:
                self._calls_ctl.dial(number)
                self.reset()

    def pickup_row(self, row: int) -> None:
        """Answer the call ringing at this colleague's phone (``*9*<ext>*``)."""
        if 0 <= row < self.model.rowCount():
            extension = pickup_extension(self.model.index(row))
            if extension is not None:
                self._calls_ctl.pickup(extension)
                self.reset()

    def transfer_row(self, row: int) -> None:
        """Blind transfer of the connected call to this result's number."""
        key = self._active_call()
        if key is not None and 0 <= row < self.model.rowCount():
            number = self.model.data(self.model.index(row), SearchModel.NumberRole)
            if number:
                self._calls_ctl.transfer(key, str(number))
                self.reset()

    def number_at(self, global_pos: QPoint) -> str | None:
        """The number of the result under ``global_pos`` (a call window dropped there)."""
        if not self.panel.isVisible() or not self.list.isVisible():
            return None
        viewport = self.list.viewport()
        local = viewport.mapFromGlobal(global_pos)
        if not viewport.rect().contains(local):
            return None
        index = self.list.indexAt(local)
        number = self.model.data(index, SearchModel.NumberRole) if index.isValid() else None
        if number:
            self.reset()
            return str(number)
        return None

    def call_typed_number(self) -> None:
        """Call what is typed when it is a number that the directory does not know."""
        query = self.text().strip()
        if is_number_like(query):
            self._calls_ctl.dial(query)
            self.reset()

    def reset(self) -> None:
        """Empty the field and close the results (after a call, or on Escape)."""
        self.panel.hide()
        self.card.hide()
        if self.text():
            self.clear()
            self._ctl.search("")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Down and self.model.rowCount():
            self.list.setFocus()
            self.list.setCurrentIndex(self.model.index(0))
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.model.rowCount():
                self.call_row(0)
            else:
                self.call_typed_number()
            return
        if key == Qt.Key.Key_Escape:
            self.reset()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.reset()
            self.setFocus()
            return True
        return False

    def _on_focus(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and (new is self or self.panel.isAncestorOf(new)):
            return
        self.panel.hide()

    def _retranslate(self) -> None:
        self.setPlaceholderText(self.tr("Search name or number"))
        self.empty.setText(self.tr("No results"))
        self.unknown.setText(self.tr("Not in the directory"))
        self.call_number.setText(self.tr("Call {number}").format(number=self.text().strip()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
