"""Blind transfer by dropping the call window on a contact (T5): a row of the Contacts list, or the
card on show, takes the call to the contact's primary number; let go elsewhere, nothing happens."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.stores.contacts import ContactEntry, ContactForm, ContactNumber, ContactsStore
from tests.ui.fakes import ActiveCall, FakeContext
from ui.call_window import CallWindow
from ui.main_window import MainWindow

CALL = ActiveCall("c1", "incoming", "0612345678", "Klant BV", "connected", connected_at=0.0)
JAN = ContactEntry(
    "c1", "company", "Jan Visser", "Visser Logistiek B.V.",
    numbers=(ContactNumber("work", "+31205550134", True), ContactNumber("mobile", "+31612345678")),
)
SANNE = ContactEntry(
    "p2", "personal", "Sanne Mulder", numbers=(ContactNumber("work", "+31207941200"),)
)
NOBODY = ContactEntry("p3", "personal", "No Number")


class _ContactsActions:
    """Records what the Contacts page asks; selection goes straight to the store."""

    def __init__(self, store: ContactsStore) -> None:
        self.store = store
        self.calls: list[tuple[str, object]] = []

    def load(self) -> None: ...
    def show(self, view: str) -> None: ...
    def select(self, cid: str | None) -> None:
        self.store.select(cid)

    def create(self, form: ContactForm) -> None: ...
    def update(self, cid: str, form: ContactForm) -> None: ...
    def set_type(self, cid: str, kind: str) -> None: ...
    def delete(self, cid: str) -> None: ...
    def call(self, number: str) -> None:
        self.calls.append(("call", number))

    def import_file(self, path: Path) -> None: ...
    def export_file(self, path: Path, fmt: str) -> None: ...
    def save_template(self, path: Path) -> None: ...


@dataclass
class _ContextWithContacts(FakeContext):
    contacts: ContactsStore = field(default_factory=ContactsStore)
    contacts_ctl: _ContactsActions = field(init=False)

    def __post_init__(self) -> None:
        self.contacts_ctl = _ContactsActions(self.contacts)


def _mouse(widget: QWidget, kind: QEvent.Type, local: QPoint, buttons: Qt.MouseButton) -> None:
    event = QMouseEvent(
        kind, QPointF(local), QPointF(widget.mapToGlobal(local)),
        Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def _drop(card: CallWindow, target: QPoint) -> None:
    """Drag ``card`` by its header and let go over the global point ``target``."""
    left = Qt.MouseButton.LeftButton
    _mouse(card, QEvent.Type.MouseButtonPress, card.header.geometry().center(), left)
    _mouse(card, QEvent.Type.MouseMove, card.mapFromGlobal(target), left)
    release = QEvent.Type.MouseButtonRelease
    _mouse(card, release, card.mapFromGlobal(target), Qt.MouseButton.NoButton)


@pytest.fixture
def setup(qtbot) -> tuple[MainWindow, _ContextWithContacts, CallWindow]:
    ctx = _ContextWithContacts()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    ctx.contacts.set_contacts([JAN, SANNE, NOBODY])
    window.show_section("contacts")
    ctx.calls.put(CALL)
    assert window.calls_layer is not None
    return window, ctx, window.calls_layer.windows["c1"]


def _row_point(window: MainWindow, name: str) -> QPoint:
    page = window.contacts_page
    assert page is not None
    row = next(r for r in range(page.list.count()) if page.list.item(r).text() == name)
    centre = page.list.visualItemRect(page.list.item(row)).center()
    return page.list.viewport().mapToGlobal(centre)


def test_dropping_the_call_on_a_contact_row_transfers_to_its_primary_number(setup) -> None:
    window, ctx, card = setup
    _drop(card, _row_point(window, "Jan Visser"))
    assert ctx.calls_ctl.calls == [("transfer", ("c1", "+31205550134"))]
    _drop(card, _row_point(window, "Sanne Mulder"))  # no number marked primary: the first
    assert ctx.calls_ctl.calls[-1] == ("transfer", ("c1", "+31207941200"))


def test_dropping_on_the_card_on_show_transfers_to_that_contact(setup) -> None:
    window, ctx, card = setup
    page = window.contacts_page
    assert page is not None
    ctx.contacts.select("c1")
    assert page.card.isVisible()
    target = page.card.mapToGlobal(QPoint(page.card.width() // 2, 20))
    _drop(card, target)
    assert ctx.calls_ctl.calls == [("transfer", ("c1", "+31205550134"))]


def test_a_contact_without_a_number_or_empty_space_takes_nothing(setup) -> None:
    window, ctx, card = setup
    _drop(card, _row_point(window, "No Number"))
    _drop(card, window.side_bar.mapToGlobal(QPoint(5, 300)))
    assert ctx.calls_ctl.calls == []
