"""Call flow per status (S9, docs/routing.md): for each status, what happens to calls —
ring as usual, straight to voicemail, or forward to a number (e.g. Lunch → the reception)."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.presence_status import STATUSES
from ui.status_menu import status_text

__all__ = ["CallFlowDialog", "CallFlowRow"]

_FORWARD = "forward to "


class CallFlowRow(QWidget):
    """One status: a choice of flow and, for "Forward to", the number."""

    def __init__(self, flow: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.choice = QComboBox(self)
        self.choice.addItem(self.tr("Ring as usual"), "default")
        self.choice.addItem(self.tr("Voicemail"), "voicemail")
        self.choice.addItem(self.tr("Forward to"), "forward")
        layout.addWidget(self.choice)
        self.number = QLineEdit(self)
        self.number.setPlaceholderText(self.tr("number"))
        self.number.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\+?[0-9]{0,20}"), self)
        )
        layout.addWidget(self.number, 1)
        kind = "forward" if flow.startswith(_FORWARD) else flow
        self.choice.setCurrentIndex(max(0, self.choice.findData(kind)))
        if flow.startswith(_FORWARD):
            self.number.setText(flow[len(_FORWARD) :])
        self.choice.currentIndexChanged.connect(lambda _i: self._shown())
        self._shown()

    def _shown(self) -> None:
        self.number.setVisible(self.choice.currentData() == "forward")

    def value(self) -> str | None:
        """The flow text for the API; None when "Forward to" has no number yet."""
        kind = str(self.choice.currentData())
        if kind != "forward":
            return kind
        number = self.number.text().strip()
        return f"{_FORWARD}{number}" if len(number.lstrip("+")) >= 2 else None


class CallFlowDialog(QDialog):
    """Every status with its call flow; OK is enabled while every row is complete."""

    def __init__(self, flows: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CallFlowDialog")
        self.setWindowTitle(self.tr("Call flow per status"))
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("What happens to your calls in each status:"), self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.rows: dict[str, CallFlowRow] = {}
        for status in STATUSES:
            row = CallFlowRow(flows.get(status, "default"), self)
            row.choice.currentIndexChanged.connect(lambda _i: self._check())
            row.number.textChanged.connect(lambda _t: self._check())
            self.rows[status] = row
            form.addRow(status_text(status), row)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check()

    def values(self) -> dict[str, str]:
        """status -> flow text, for ``PUT /api/v1/me/call-flows``."""
        out: dict[str, str] = {}
        for status, row in self.rows.items():
            value = row.value()
            if value is not None:
                out[status] = value
        return out

    def _check(self) -> None:
        self.ok.setEnabled(all(row.value() is not None for row in self.rows.values()))
