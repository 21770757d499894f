"""Find a colleague by typing: a field, the matches below it as the user types, and a plain
message when nothing matches. Used where a colleague is chosen (a new chat, a group's members).

``colleagues`` answers typed text with (extension, name) pairs, best first (the local
directory's search); a colleague's extension typed whole is taken too. Enter, the button, a
click or a double click on a match says :attr:`ColleagueFinder.picked`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

__all__ = ["ColleagueFinder", "Colleagues"]

Colleagues = Callable[[str], Sequence[tuple[str, str]]]
"""Colleagues matching what was typed: (extension, name) pairs, best first."""

_SUGGESTIONS = 6


class ColleagueFinder(QWidget):
    """The field, its button and the list of matches; ``picked(extension, name)``."""

    picked = Signal(str, str)

    def __init__(
        self,
        colleagues: Colleagues,
        button_text: str,
        exclude: Callable[[str], bool] = lambda _extension: False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._colleagues = colleagues
        self._exclude = exclude
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr("Type a name or an extension"))
        self.field.textEdited.connect(self.suggest)
        self.field.returnPressed.connect(self.take_typed)
        row.addWidget(self.field, 1)
        self.button = QPushButton(button_text, self)
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.take_typed)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.suggestions = QListWidget(self)
        self.suggestions.itemActivated.connect(self._take_item)
        self.suggestions.itemClicked.connect(self._take_item)
        self.suggestions.hide()
        layout.addWidget(self.suggestions)
        self.error = QLabel(self)
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

    def suggest(self, text: str) -> None:
        """Show the colleagues matching ``text`` (the first one highlighted)."""
        self.suggestions.clear()
        self.error.hide()
        if not text.strip():
            self.suggestions.hide()
            return
        for ext, name in self._colleagues(text.strip()):
            if self._exclude(ext):
                continue
            item = QListWidgetItem(f"{name} ({ext})", self.suggestions)
            item.setData(Qt.ItemDataRole.UserRole, (ext, name))
            if self.suggestions.count() >= _SUGGESTIONS:
                break
        count = self.suggestions.count()
        self.suggestions.setVisible(count > 0)
        if count:
            self.suggestions.setCurrentRow(0)
            rows = self.suggestions.sizeHintForRow(0) * count  # as tall as the matches
            self.suggestions.setFixedHeight(rows + 2 * self.suggestions.frameWidth())

    def take_typed(self) -> None:
        """Enter or the button: the highlighted match, else what was typed if it is a
        colleague's extension; otherwise say that nobody matches."""
        current = None if self.suggestions.isHidden() else self.suggestions.currentItem()
        if current is not None:
            self._take_item(current)
            return
        text = self.field.text().strip()
        if not text:
            return
        exact = [(e, n) for e, n in self._colleagues(text) if e == text and not self._exclude(e)]
        if exact:
            self._take(*exact[0])
        else:
            self.error.setText(self.tr("No colleague matches \u201c{0}\u201d.").format(text))
            self.error.show()

    def _take_item(self, item: QListWidgetItem) -> None:
        ext, name = item.data(Qt.ItemDataRole.UserRole)
        self._take(ext, name)

    def _take(self, extension: str, name: str) -> None:
        self.field.clear()
        self.suggestions.clear()
        self.suggestions.hide()
        self.error.hide()
        self.picked.emit(extension, name)
