"""The contact card (seed 000 "Contactpersoon details weergeven"): name, the address book it is
in, favourite / VIP / blocked, call, the company details, e-mail and every number with the
primary one starred. Personal contacts can be edited and deleted; company contacts not.

A contact who is a colleague (one of its numbers is a user's extension, found by
:attr:`ContactCard.colleague_of`) also shows their presence ("In a meeting until 15:00", "Not
signed in"), their shared note, and a Chat button for the 1:1 conversation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.phone_format import display_number
from app.presence_text import presence_line
from app.stores.contacts import ContactEntry
from app.stores.directory import DirectoryEntry
from ui import theme
from ui.contacts_dialog import number_label_text
from ui.icons import icon

__all__ = ["ContactCard"]


class ContactCard(QFrame):
    """Shows one contact; asks for actions through its signals."""

    call_requested = Signal(str)
    edit_requested = Signal()
    delete_requested = Signal()
    type_chosen = Signal(str)
    chat_requested = Signal(str)
    """The colleague's extension: open the 1:1 chat with them."""

    def __init__(self, parent: QWidget | None = None, *, region: str = "NL") -> None:
        super().__init__(parent)
        self.setObjectName("ContactCard")
        self._region = region
        self.contact: ContactEntry | None = None
        self.colleague_of: Callable[[ContactEntry], DirectoryEntry | None] | None = None
        """Finds the colleague behind a contact (set by the main window); None: no presence."""
        self.colleague: DirectoryEntry | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        self.name = QLabel(self)
        self.name.setObjectName("Heading")
        self.name.setWordWrap(True)
        self.book = QLabel(self)
        self.book.setObjectName("Muted")
        layout.addWidget(self.name)
        layout.addWidget(self.book)
        self.presence = QLabel(self)
        self.presence.setObjectName("ContactPresence")
        self.next = QLabel(self)  # the next planned status ("Next: In a meeting 14:00-15:00")
        self.next.setObjectName("Muted")
        self.note = QLabel(self)
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)
        layout.addWidget(self.presence)
        layout.addWidget(self.next)
        layout.addWidget(self.note)
        marks = QHBoxLayout()
        self.favourite = QPushButton(self)
        self.vip = QPushButton(self)
        self.blocked = QPushButton(self)
        for button, kind in (
            (self.favourite, "favourite"),
            (self.vip, "vip"),
            (self.blocked, "blocked"),
        ):
            button.setCheckable(True)
            button.clicked.connect(lambda on, k=kind: self.type_chosen.emit(k if on else "none"))
            marks.addWidget(button)
        marks.addStretch(1)
        layout.addLayout(marks)
        actions = QHBoxLayout()
        self.call_button = QPushButton(self)
        self.call_button.setObjectName("GreenButton")
        self.call_button.clicked.connect(self._call_primary)
        self.edit_button = QPushButton(self)
        self.edit_button.clicked.connect(self.edit_requested)
        self.delete_button = QPushButton(self)
        self.delete_button.clicked.connect(self.delete_requested)
        actions.addWidget(self.call_button)
        self.chat_button = QPushButton(self)
        self.chat_button.clicked.connect(self._chat)
        actions.addWidget(self.chat_button)
        actions.addStretch(1)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        layout.addLayout(actions)
        self.details = QFormLayout()
        self.details.setHorizontalSpacing(16)
        self.details.setVerticalSpacing(6)
        self.detail_names: list[QLabel] = []
        self.detail_values: list[QLabel] = []
        for _ in range(5):  # company, department, function, address, e-mail
            name = QLabel(self)
            name.setObjectName("Muted")
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addRow(name, value)
            self.detail_names.append(name)
            self.detail_values.append(value)
        layout.addLayout(self.details)
        self.numbers_title = QLabel(self)
        self.numbers_title.setObjectName("SubHeading")
        layout.addSpacing(6)
        layout.addWidget(self.numbers_title)
        self.numbers_box = QVBoxLayout()
        self.numbers_box.setSpacing(2)
        layout.addLayout(self.numbers_box)
        self.read_only = QLabel(self)
        self.read_only.setObjectName("Muted")
        self.read_only.setWordWrap(True)
        layout.addWidget(self.read_only)
        layout.addStretch(1)
        self.number_rows: list[tuple[QLabel, QLabel, QToolButton]] = []
        self._retranslate()
        self.presence.hide()
        self.next.hide()
        self.note.hide()
        self.chat_button.hide()
        self.set_contact(None)

    def set_contact(self, contact: ContactEntry | None) -> None:
        self.contact = contact
        if contact is None:
            return
        self.name.setText(contact.name)
        self.book.setText(
            self.tr("Personal address book")
            if contact.editable
            else self.tr("Company address book")
        )
        self.favourite.setChecked(contact.type == "favourite")
        self.vip.setChecked(contact.type == "vip")
        self.blocked.setChecked(contact.type == "blocked")
        primary = contact.primary
        self.call_button.setEnabled(primary is not None)
        self.edit_button.setVisible(contact.editable)
        self.delete_button.setVisible(contact.editable)
        self.read_only.setVisible(not contact.editable)
        self._fill_details(contact)
        self._fill_numbers(contact)
        self._fill_presence(contact)

    def _fill_presence(self, c: ContactEntry) -> None:
        """The colleague's presence line and note, and Chat; hidden for outside contacts."""
        found = self.colleague_of(c) if self.colleague_of is not None else None
        self.colleague = found
        line = presence_line(found, dt.datetime.now(dt.UTC)) if found is not None else None
        text = ""
        if line is not None:
            text = line.text + (" · " + self.tr("Private") if line.private else "")
            busy = line.signed_in and (
                found is not None
                and (found.presence not in (None, "available") or found.line_state != "idle")
            )
            t = theme.current()
            self.presence.setStyleSheet(f"color:{t.red if busy else t.muted};")
        self.presence.setText(text)
        self.presence.setVisible(bool(text))
        upcoming = line.next if line is not None else None
        self.next.setText(upcoming or "")
        self.next.setVisible(bool(upcoming))
        note = line.note if line is not None else None
        self.note.setText(f"\u201c{note}\u201d" if note else "")
        self.note.setVisible(bool(note))
        self.chat_button.setVisible(found is not None and bool(found.extension))

    def refresh_presence(self) -> None:
        """The directory changed (a colleague's presence): show it again."""
        if self.contact is not None:
            self._fill_presence(self.contact)

    def _chat(self) -> None:
        if self.colleague is not None and self.colleague.extension:
            self.chat_requested.emit(self.colleague.extension)

    def _fill_details(self, c: ContactEntry) -> None:
        """The rows with a value; the others are hidden (widgets are kept: see _retranslate)."""
        values = (c.company, c.department, c.job_title, c.address, c.email)
        for row, value in enumerate(values):
            self.detail_values[row].setText(value or "")
            self.details.setRowVisible(row, bool(value))

    def _fill_numbers(self, c: ContactEntry) -> None:
        while self.numbers_box.count():
            item = self.numbers_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.number_rows = []
        t = theme.current()
        primary = c.primary
        for n in c.numbers:
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            star = QLabel("★" if n is primary else "", row)
            star.setFixedWidth(16)
            star.setStyleSheet(f"color:{t.amber};")
            star.setToolTip(self.tr("Primary number") if n is primary else "")
            label = QLabel(number_label_text(n.label), row)
            label.setObjectName("Muted")
            label.setFixedWidth(70)
            number = QLabel(display_number(n.number, self._region), row)
            number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            call = QToolButton(row)
            call.setIcon(icon("phone", t.green))
            call.setAutoRaise(True)
            call.setToolTip(self.tr("Call {0}").format(number.text()))
            call.clicked.connect(lambda _=False, num=n.number: self.call_requested.emit(num))
            line.addWidget(star)
            line.addWidget(label)
            line.addWidget(number, 1)
            line.addWidget(call)
            self.numbers_box.addWidget(row)
            self.number_rows.append((star, number, call))
        self.numbers_title.setVisible(bool(c.numbers))

    def _call_primary(self) -> None:
        if self.contact is not None and self.contact.primary is not None:
            self.call_requested.emit(self.contact.primary.number)

    def _retranslate(self) -> None:
        self.favourite.setText("★ " + self.tr("Favourite"))
        self.vip.setText(self.tr("VIP"))
        self.vip.setToolTip(self.tr("A VIP always rings through, whatever your status."))
        self.blocked.setText(self.tr("Blocked"))
        self.blocked.setToolTip(self.tr("Calls from this contact's numbers are rejected."))
        self.call_button.setText(self.tr("Call"))
        self.call_button.setIcon(icon("phone", "#ffffff"))
        self.chat_button.setText(self.tr("Chat"))
        self.chat_button.setIcon(icon("message-circle", theme.current().accent))
        self.edit_button.setText(self.tr("Edit"))
        self.delete_button.setText(self.tr("Delete"))
        self.numbers_title.setText(self.tr("Numbers"))
        names = (
            self.tr("Company"),
            self.tr("Department"),
            self.tr("Function"),
            self.tr("Address"),
            self.tr("E-mail"),
        )
        for label, text in zip(self.detail_names, names, strict=True):
            label.setText(text)
        self.read_only.setText(
            self.tr("This is a company contact: ask your administrator to change it.")
        )
        if self.contact is not None:
            self.set_contact(self.contact)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
