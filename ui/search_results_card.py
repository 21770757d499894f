"""A colleague's details under the search results (seed 000 "Zoeken"): a click on a result
expands it into this card: presence with its end, role, the next planned status ("Next: In a
meeting 14:00-15:00") and the whole shared note, department,
e-mail and the numbers with the primary one starred, with Call and Chat. A queue's card has
its name, "Queue · 1500" and the text its agents see (its metadata), with Call."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.phone_format import display_number
from app.presence_text import presence_line
from app.stores.directory import DirectoryEntry
from ui import theme
from ui.icons import icon

__all__ = ["ColleagueCard"]


class ColleagueCard(QFrame):
    """Shows one directory entry; asks for a call or a chat through its signals."""

    call_requested = Signal(str)
    chat_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, region: str = "NL") -> None:
        super().__init__(parent)
        self.setObjectName("ColleagueCard")
        self._region = region
        self.entry: DirectoryEntry | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        self.name = QLabel(self)
        self.name.setObjectName("SubHeading")
        self.state = QLabel(self)
        self.next = QLabel(self)
        self.next.setObjectName("Muted")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setObjectName("Muted")
        self.department = QLabel(self)
        self.department.setObjectName("Muted")
        self.email = QLabel(self)
        self.email.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.numbers = QLabel(self)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (
            self.name,
            self.state,
            self.next,
            self.note,
            self.department,
            self.email,
            self.numbers,
        ):
            layout.addWidget(label)
        buttons = QHBoxLayout()
        self.call_button = QPushButton(self)
        self.call_button.setObjectName("GreenButton")
        self.call_button.clicked.connect(self._call)
        self.chat_button = QPushButton(self)
        self.chat_button.clicked.connect(self._chat)
        buttons.addWidget(self.call_button)
        buttons.addWidget(self.chat_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._retranslate()

    def set_entry(self, entry: DirectoryEntry | None, now: dt.datetime | None = None) -> None:
        self.entry = entry
        if entry is None:
            return
        t = theme.current()
        self.name.setText(entry.name)
        line = presence_line(entry, now or dt.datetime.now(dt.UTC))
        state = ""
        if line is not None:
            state = line.text
            if line.private:
                state += " · " + self.tr("Private")
            busy = line.signed_in and entry.presence not in (None, "available")
            busy = busy or bool(line.signed_in and entry.line_state in ("in_call", "busy"))
            self.state.setStyleSheet(f"color:{t.red if busy else t.muted};")
        self.state.setText(state)
        self.state.setVisible(bool(state))
        upcoming = line.next if line is not None else None
        self.next.setText(upcoming or "")
        self.next.setVisible(bool(upcoming))
        self.note.setText(f"\u201c{entry.note}\u201d" if entry.note else entry.metadata or "")
        self.note.setVisible(bool(entry.note or entry.metadata))
        department = entry.department or entry.company or ""
        if entry.kind == "queue":
            department = self.tr("Queue · {number}").format(number=entry.extension or "")
        self.department.setText(department)
        self.department.setVisible(bool(department))
        self.email.setText(entry.email or "")
        self.email.setVisible(bool(entry.email))
        self.numbers.setText(self.numbers_text(entry))
        self.numbers.setVisible(bool(self.numbers.text()))
        self.call_button.setEnabled(bool(self._primary()))
        self.chat_button.setVisible(entry.kind == "user" and bool(entry.extension))

    def numbers_text(self, entry: DirectoryEntry) -> str:
        """Every number as people read it ("+45 33 12 34 56", "020 555 0134"), the primary one
        (what Call dials) first and starred."""
        numbers = list(
            dict.fromkeys(((entry.extension,) if entry.extension else ()) + entry.numbers)
        )
        shown = (display_number(n, self._region) for n in numbers)
        return "   ".join(("★ " if i == 0 else "") + n for i, n in enumerate(shown))

    def _primary(self) -> str | None:
        e = self.entry
        if e is None:
            return None
        return e.extension or (e.numbers[0] if e.numbers else None)

    def _call(self) -> None:
        number = self._primary()
        if number:
            self.call_requested.emit(number)

    def _chat(self) -> None:
        if self.entry is not None and self.entry.extension:
            self.chat_requested.emit(self.entry.extension)

    def _retranslate(self) -> None:
        self.call_button.setText(self.tr("Call"))
        self.call_button.setIcon(icon("phone", "#ffffff"))
        self.chat_button.setText(self.tr("Chat"))
        self.chat_button.setIcon(icon("message-circle", theme.current().accent))
        self.numbers.setToolTip(self.tr("★ primary number"))
        if self.entry is not None:
            self.set_entry(self.entry)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
