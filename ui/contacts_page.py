"""The Contacts section of the side bar (seed 000 "Contacten", feature S2): All / Favorites /
VIP, the contacts by name (personal and company), the card of the selected one, adding a
personal contact, and import and export through file dialogs.

A rejected import shows each bad line above the list; nothing was imported then.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.controllers.contacts import ContactsActions
from app.stores.contacts import ContactEntry, ContactsStore
from ui import theme
from ui.contacts_card import ContactCard
from ui.contacts_dialog import ContactDialog
from ui.contacts_list import SECOND_LINE, ContactRowDelegate

__all__ = ["ContactsPage"]

_VIEWS = ("all", "favorites", "vip")
_ID = Qt.ItemDataRole.UserRole


class ContactsPage(QWidget):
    """The list of one view and the card of the selected contact."""

    def __init__(
        self,
        store: ContactsStore,
        ctl: ContactsActions,
        parent: QWidget | None = None,
        *,
        region: str = "NL",
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._ctl = ctl
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(6)
        head = QHBoxLayout()
        head.setContentsMargins(16, 14, 12, 4)
        self.title = QLabel(self)
        self.title.setObjectName("Heading")
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("PrimaryButton")
        self.add_button.clicked.connect(lambda _=False: self.add_contact())
        self.files_button = QToolButton(self)
        self.files_button.setObjectName("TopButton")
        self.files_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.files_menu = QMenu(self)
        self.import_action = self.files_menu.addAction("")
        self.import_action.triggered.connect(lambda _=False: self._choose_import())
        self.export_csv_action = self.files_menu.addAction("")
        self.export_csv_action.triggered.connect(lambda _=False: self._choose_export("csv"))
        self.export_vcard_action = self.files_menu.addAction("")
        self.export_vcard_action.triggered.connect(lambda _=False: self._choose_export("vcard"))
        self.template_action = self.files_menu.addAction("")
        self.template_action.triggered.connect(lambda _=False: self._choose_template())
        self.files_button.setMenu(self.files_menu)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.files_button)
        head.addWidget(self.add_button)
        left.addLayout(head)
        views = QHBoxLayout()
        views.setContentsMargins(16, 0, 12, 0)
        self.view_buttons: dict[str, QPushButton] = {}
        self._views = QButtonGroup(self)
        for view in _VIEWS:
            button = QPushButton(self)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, v=view: self._ctl.show(v))
            self._views.addButton(button)
            views.addWidget(button)
            self.view_buttons[view] = button
        views.addStretch(1)
        left.addLayout(views)
        self.report = QLabel(self)
        self.report.setObjectName("ErrorText")
        self.report.setWordWrap(True)
        self.report.setContentsMargins(16, 4, 12, 4)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report.hide()
        left.addWidget(self.report)
        self.stack = QStackedWidget(self)
        self.list = QListWidget(self)
        self.list.setItemDelegate(ContactRowDelegate(self.list))
        self.list.setMouseTracking(True)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.verticalScrollBar().valueChanged.connect(lambda _v: self._more_if_near_end())
        self.list.itemDoubleClicked.connect(lambda _item: self._call_selected())
        self.empty = QLabel(self)
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        left.addWidget(self.stack, 1)
        list_host = QWidget(self)
        list_host.setLayout(left)
        list_host.setMinimumWidth(300)
        list_host.setMaximumWidth(440)
        outer.addWidget(list_host, 1)
        self.separator = QFrame(self)
        self.separator.setFixedWidth(1)
        outer.addWidget(self.separator)
        self.card = ContactCard(self, region=region)
        self.card.call_requested.connect(self._ctl.call)
        self.card.edit_requested.connect(self.edit_selected)
        self.card.delete_requested.connect(self.delete_selected)
        self.card.type_chosen.connect(self._type_chosen)
        self.no_card = QLabel(self)
        self.no_card.setObjectName("EmptyState")
        self.no_card.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget(self)
        self.right.addWidget(self.no_card)
        self.right.addWidget(self.card)
        outer.addWidget(self.right, 1)
        store.changed.connect(self._on_changed)
        self._retranslate()
        self._fill()
        self._show_report()

    # -- rendering ------------------------------------------------------------------------------
    def _on_changed(self, what: str) -> None:
        if what in ("contacts", "view"):
            self._fill()
        elif what == "selection":
            self._select_row(self._store.selected_id)
            self._show_card()
        elif what == "report":
            self._show_report()

    def _fill(self) -> None:
        self.view_buttons[self._store.view].setChecked(True)
        selected = self._store.selected_id
        bar = self.list.verticalScrollBar()
        scrolled = bar.value()  # a page added below keeps the rows in view where they are
        self.list.blockSignals(True)
        bar.blockSignals(True)
        self.list.clear()
        for contact in self._store.visible():
            item = QListWidgetItem(contact.name, self.list)
            item.setData(_ID, contact.id)
            item.setData(SECOND_LINE, self.second_line(contact))
            item.setToolTip(contact.name)
        self.list.blockSignals(False)
        self.list.doItemsLayout()
        bar.setValue(scrolled)
        bar.blockSignals(False)
        self.stack.setCurrentWidget(self.list if self.list.count() else self.empty)
        self.empty.setText(self.empty_text())
        self._select_row(selected)
        self._show_card()
        self._more_if_near_end()

    def _more_if_near_end(self) -> None:
        """Ask for the next page of a long list when its end is about a screen away."""
        bar = self.list.verticalScrollBar()
        if self._store.has_more and bar.value() >= bar.maximum() - bar.pageStep():
            self._ctl.load_more()

    def empty_text(self) -> str:
        if self._store.view == "favorites":
            return self.tr("No favourites yet: star a contact on its card.")
        if self._store.view == "vip":
            return self.tr("No VIPs yet: a VIP always rings through, whatever your status.")
        return self.tr("No contacts yet. Add one, or import a file.")

    def second_line(self, c: ContactEntry) -> str:
        """Under the name: ★ / VIP / blocked, then the company (or which book it is in)."""
        mark = {"favourite": "★  ", "vip": "★ VIP  ·  ", "blocked": "⛔  "}.get(c.type, "")
        book = self.tr("Personal") if c.editable else self.tr("Company")
        return mark + (c.company if c.company and c.company != c.name else book)

    def _select_row(self, cid: str | None) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(_ID) == cid:
                if self.list.currentItem() is not item:
                    self.list.blockSignals(True)
                    self.list.setCurrentItem(item)
                    self.list.blockSignals(False)
                return
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)

    def _show_card(self) -> None:
        contact = self._store.selected
        if contact is not None and not contact.in_view(self._store.view):
            contact = None
        self.card.set_contact(contact)
        self.right.setCurrentWidget(self.card if contact is not None else self.no_card)

    def _show_report(self) -> None:
        report = self._store.report
        if report is None or (not report.rejected and not report.message):
            self.report.hide()
            return
        lines = [self.tr("Nothing was imported. Fix these lines and import the file again:")]
        lines += [self.tr("Line {0}: {1}").format(n, why) for n, why in report.rejected]
        if not report.rejected:
            lines.append(report.message)
        self.report.setText("\n".join(lines))
        self.report.show()

    def _current_changed(self, item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        self._ctl.select(str(item.data(_ID)) if item is not None else None)

    # -- actions ------------------------------------------------------------------------------
    def add_contact(self) -> ContactDialog:
        """Open the form for a new personal contact (saved when the user clicks Save)."""
        dialog = ContactDialog(self)
        dialog.accepted.connect(lambda: self._ctl.create(dialog.form()))
        dialog.open()
        return dialog

    def edit_selected(self) -> ContactDialog | None:
        contact = self._store.selected
        if contact is None or not contact.editable:
            return None
        dialog = ContactDialog(self, contact.form())
        dialog.accepted.connect(lambda: self._ctl.update(contact.id, dialog.form()))
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        contact = self._store.selected
        if contact is None or not contact.editable:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete contact"),
            self.tr("Delete {0} from your personal address book?").format(contact.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._ctl.delete(contact.id)

    def _call_selected(self) -> None:
        contact = self._store.selected
        if contact is not None and contact.primary is not None:
            self._ctl.call(contact.primary.number)

    def number_at(self, global_pos: QPoint) -> str | None:
        """The primary number of the contact under ``global_pos``: a row of the list, or the
        card on show (a call window dropped there is transferred to it, T5)."""
        if not self.isVisible():
            return None
        contact: ContactEntry | None = None
        viewport = self.list.viewport()
        local = viewport.mapFromGlobal(global_pos)
        on_card = self.card.rect().contains(self.card.mapFromGlobal(global_pos))
        if self.list.isVisible() and viewport.rect().contains(local):
            item = self.list.itemAt(local)
            cid = item.data(_ID) if item is not None else None
            contact = next((c for c in self._store.visible() if c.id == cid), None)
        elif self.card.isVisible() and on_card:
            contact = self._store.selected
        if contact is None or contact.primary is None:
            return None
        return contact.primary.number

    def _type_chosen(self, kind: str) -> None:
        contact = self._store.selected
        if contact is not None and kind in ("none", "favourite", "vip", "blocked"):
            self._ctl.set_type(contact.id, kind)  # type: ignore[arg-type]

    def import_from(self, path: Path) -> None:
        self._store.set_report(None)
        self._ctl.import_file(path)

    def _choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import contacts"),
            str(Path.home()),
            self.tr("Contacts (*.csv *.vcf *.vcard);;All files (*)"),
        )
        if name:
            self.import_from(Path(name))

    def _choose_export(self, fmt: str) -> None:
        suffix = "vcf" if fmt == "vcard" else "csv"
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export contacts"),
            str(Path.home() / f"contacts.{suffix}"),
            f"*.{suffix}",
        )
        if name:
            self._ctl.export_file(Path(name), "vcard" if fmt == "vcard" else "csv")

    def _choose_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the CSV template"),
            str(Path.home() / "contacts-template.csv"),
            "*.csv",
        )
        if name:
            self._ctl.save_template(Path(name))

    # -- language -------------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.title.setText(self.tr("Contacts"))
        self.add_button.setText(self.tr("New contact"))
        self.files_button.setText(self.tr("Import/export"))
        self.import_action.setText(self.tr("Import from a CSV or vCard file…"))
        self.export_csv_action.setText(self.tr("Export to CSV…"))
        self.export_vcard_action.setText(self.tr("Export to vCard…"))
        self.template_action.setText(self.tr("Save the CSV template…"))
        self.view_buttons["all"].setText(self.tr("All"))
        self.view_buttons["favorites"].setText(self.tr("Favorites"))
        self.view_buttons["vip"].setText(self.tr("VIP"))
        self.no_card.setText(self.tr("Choose a contact to see its card."))
        self.separator.setStyleSheet(f"background:{theme.current().border};")
        self._fill()
        self._show_report()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
