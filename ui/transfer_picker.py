"""The call window's small picker for Transfer and Invite: a search field over the directory.

Typing asks the DirectoryController to search (the same results as the top bar's search,
painted by :class:`ui.search.SearchResultDelegate`); a number not in the directory can be typed
as it is. Transfer offers "Transfer now" (blind) and "Consult first" (attended); Invite offers
"Invite". The choice goes to ``on_choice(action, number)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.protocols import DirectoryActions
from app.stores import DirectoryStore
from ui import theme
from ui.icons import icon
from ui.models.search import SearchModel, is_number_like
from ui.search import SearchResultDelegate

__all__ = ["PickerAction", "PickerMode", "TransferPicker"]

PickerMode = Literal["transfer", "invite"]
PickerAction = Literal["transfer", "consult", "invite"]
_ROWS = 4


class TransferPicker(QWidget):
    """Hidden until :meth:`open`; closes itself after a choice or on Escape."""

    def __init__(
        self,
        parent: QWidget,
        directory: DirectoryStore,
        directory_ctl: DirectoryActions,
        on_choice: Callable[[PickerAction, str], None],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TransferPicker")
        self._ctl = directory_ctl
        self._on_choice = on_choice
        self.mode: PickerMode = "transfer"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("Muted")
        self.cancel_button = QToolButton(self)
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.clicked.connect(self.close_picker)
        top.addWidget(self.title, 1)
        top.addWidget(self.cancel_button)
        layout.addLayout(top)
        self.field = QLineEdit(self)
        self.field.setClearButtonEnabled(True)
        self.field.textEdited.connect(self._on_edited)
        self.field.installEventFilter(self)
        layout.addWidget(self.field)
        self.model = SearchModel(directory, self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.delegate = SearchResultDelegate(self.list)
        self.delegate.on_call = self._pick_row_now
        self.list.setItemDelegate(self.delegate)
        self.list.setMouseTracking(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.activated.connect(lambda idx: self._pick_row_now(idx.row()))
        self.list.clicked.connect(lambda _idx: self._update_buttons())
        layout.addWidget(self.list)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.now_button = QPushButton(self)
        self.now_button.setObjectName("PrimaryButton")
        self.now_button.clicked.connect(lambda _=False: self._choose(self._primary()))
        self.consult_button = QPushButton(self)
        self.consult_button.clicked.connect(lambda _=False: self._choose("consult"))
        buttons.addWidget(self.now_button, 1)
        buttons.addWidget(self.consult_button, 1)
        layout.addLayout(buttons)
        self.model.modelReset.connect(self._fit_list)
        self.hide()
        self.retranslate()

    # -- opening and choosing ---------------------------------------------------------------
    def open(self, mode: PickerMode) -> None:
        self.mode = mode
        self.field.clear()
        self._ctl.search("")
        self.retranslate()
        self._fit_list()
        self.show()
        self.field.setFocus()

    def close_picker(self) -> None:
        self.hide()
        if self.field.text():
            self.field.clear()
            self._ctl.search("")
        self._refit()

    def _refit(self) -> None:
        """The call window is as high as its content: it grows and shrinks with the picker."""
        fit = getattr(self._card(), "fit", None)
        if callable(fit):
            fit()

    def _card(self) -> QWidget | None:
        w = self.parentWidget()
        while w is not None and w.objectName() != "CallWindow":
            w = w.parentWidget()
        return w

    def _primary(self) -> PickerAction:
        return "invite" if self.mode == "invite" else "transfer"

    def number(self) -> str | None:
        """The chosen result's number, else the typed text when it is a number."""
        index = self.list.currentIndex()
        if index.isValid():
            number = self.model.data(index, SearchModel.NumberRole)
            if number:
                return str(number)
        text = self.field.text().strip()
        return text if is_number_like(text) else None

    def _pick_row_now(self, row: int) -> None:
        self.list.setCurrentIndex(self.model.index(row))
        self._choose(self._primary())

    def _choose(self, action: PickerAction) -> None:
        number = self.number()
        if number is None:
            return
        self.close_picker()
        self._on_choice(action, number)

    def _on_edited(self, text: str) -> None:
        self.list.setCurrentIndex(QModelIndex())
        self._ctl.search(text.strip())
        self._update_buttons()

    def _fit_list(self) -> None:
        rows = self.model.rowCount()
        self.list.setVisible(rows > 0)
        if rows:
            self.list.setFixedHeight(min(rows, _ROWS) * self.list.sizeHintForRow(0) + 4)
            if not self.list.currentIndex().isValid():
                self.list.setCurrentIndex(self.model.index(0))
        self._update_buttons()
        self._refit()

    def _update_buttons(self) -> None:
        ok = self.number() is not None
        self.now_button.setEnabled(ok)
        self.consult_button.setEnabled(ok)

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if not (
            watched is self.field
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            return False
        if event.key() == Qt.Key.Key_Escape:
            self.close_picker()
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self._primary())
            return True
        if event.key() == Qt.Key.Key_Down and self.model.rowCount():
            self.list.setFocus()
            return True
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        transfer = self.mode == "transfer"
        self.title.setText(self.tr("Transfer to") if transfer else self.tr("Invite to this call"))
        self.field.setPlaceholderText(self.tr("Name or number"))
        self.cancel_button.setIcon(icon("x", theme.current().text))
        self.cancel_button.setToolTip(self.tr("Cancel"))
        self.now_button.setText(self.tr("Transfer now") if transfer else self.tr("Invite"))
        self.now_button.setToolTip(
            self.tr("Hand the call over without announcing it")
            if transfer
            else self.tr("Call them; they join this call when they answer")
        )
        self.consult_button.setText(self.tr("Consult first"))
        self.consult_button.setToolTip(self.tr("Call them first; the caller waits on hold"))
        self.consult_button.setVisible(transfer)
