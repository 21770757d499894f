"""Add or edit a personal contact: the card's fields, a number per kind with the primary one
chosen, and the contact's type (favourite, VIP, blocked)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.phone_format import display_number
from app.stores.contacts import CONTACT_TYPES, ContactForm, ContactNumber

__all__ = ["ContactDialog", "number_label_text", "type_text"]

_LABELS = ("work", "mobile", "home", "other")


def number_label_text(label: str) -> str:
    """The kind of a number in the user's language."""
    texts = {
        "work": QCoreApplication.translate("ContactDialog", "Work"),
        "mobile": QCoreApplication.translate("ContactDialog", "Mobile"),
        "home": QCoreApplication.translate("ContactDialog", "Home"),
        "other": QCoreApplication.translate("ContactDialog", "Other"),
    }
    return texts.get(label, texts["other"])


def type_text(kind: str) -> str:
    """A contact's type in the user's language."""
    texts = {
        "none": QCoreApplication.translate("ContactDialog", "No type"),
        "favourite": QCoreApplication.translate("ContactDialog", "Favourite"),
        "vip": QCoreApplication.translate("ContactDialog", "VIP (always rings through)"),
        "blocked": QCoreApplication.translate("ContactDialog", "Blocked (calls are rejected)"),
    }
    return texts[kind]


class ContactDialog(QDialog):
    """The form; :meth:`form` is what was entered (read it after ``accept``)."""

    def __init__(self, parent: QWidget | None = None, initial: ContactForm | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit contact") if initial else self.tr("New contact"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        fields = QFormLayout()
        self.name = QLineEdit(self)
        self.company = QLineEdit(self)
        self.department = QLineEdit(self)
        self.job_title = QLineEdit(self)
        self.email = QLineEdit(self)
        self.address = QLineEdit(self)
        for label, edit in (
            (self.tr("Name"), self.name),
            (self.tr("Company"), self.company),
            (self.tr("Department"), self.department),
            (self.tr("Function"), self.job_title),
            (self.tr("E-mail"), self.email),
            (self.tr("Address"), self.address),
        ):
            fields.addRow(label, edit)
        head = QHBoxLayout()
        numbers_head = QLabel(self.tr("Numbers"), self)
        numbers_head.setObjectName("SubHeading")
        primary_head = QLabel(self.tr("Primary"), self)
        primary_head.setObjectName("Muted")
        head.addWidget(numbers_head)
        head.addStretch(1)
        head.addWidget(primary_head)
        fields.addRow(head)
        self.numbers: dict[str, QLineEdit] = {}
        self.primary: dict[str, QRadioButton] = {}
        self._primary_group = QButtonGroup(self)
        for label in _LABELS:
            edit = QLineEdit(self)
            edit.setPlaceholderText("+31 20 123 4567")
            radio = QRadioButton(self)
            radio.setToolTip(self.tr("Primary"))
            self._primary_group.addButton(radio)
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addSpacing(12)
            row.addWidget(radio)
            fields.addRow(number_label_text(label), row)
            self.numbers[label] = edit
            self.primary[label] = radio
        self.primary["work"].setChecked(True)
        self.type = QComboBox(self)
        for kind in CONTACT_TYPES:
            self.type.addItem(type_text(kind), kind)
        fields.addRow(self.tr("Type"), self.type)
        layout.addLayout(fields)
        self.error = QLabel(self)
        self.error.setObjectName("ErrorText")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if initial is not None:
            self.set_form(initial)

    def set_form(self, form: ContactForm) -> None:
        self.name.setText(form.name)
        self.company.setText(form.company)
        self.department.setText(form.department)
        self.job_title.setText(form.job_title)
        self.email.setText(form.email)
        self.address.setText(form.address)
        first_of: dict[str, ContactNumber] = {}
        for n in form.numbers:
            first_of.setdefault(n.label if n.label in _LABELS else "other", n)
        for label, n in first_of.items():
            self.numbers[label].setText(display_number(n.number))
            if n.primary:
                self.primary[label].setChecked(True)
        self.type.setCurrentIndex(max(0, self.type.findData(form.type)))

    def form(self) -> ContactForm:
        """What the user entered; numbers as typed (the server normalises them)."""
        chosen = next((label for label, r in self.primary.items() if r.isChecked()), "work")
        filled = [label for label in _LABELS if self.numbers[label].text().strip()]
        if chosen not in filled and filled:
            chosen = filled[0]
        numbers = tuple(
            ContactNumber(label, self.numbers[label].text().strip(), label == chosen)
            for label in filled
        )
        kind = self.type.currentData()
        return ContactForm(
            self.name.text(),
            self.company.text(),
            self.department.text(),
            self.job_title.text(),
            self.email.text(),
            self.address.text(),
            numbers,
            kind if kind in CONTACT_TYPES else "none",
        )

    def _save(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("A contact needs a name."))
            self.error.show()
            self.name.setFocus()
            return
        self.accept()
