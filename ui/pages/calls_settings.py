"""Settings → Calls: the user's mobile number, offered by "Move" in a call window besides the
user's other registered phones (which come from the server).

Saved when the field loses focus or Enter is pressed (``settings_ctl.set_mobile_number``,
which checks it is a phone number); empty means Move offers the other phones only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from app.protocols import UiContext

__all__ = ["CallsSettings", "calls_section"]


class CallsSettings(QGroupBox):
    """One field: your mobile number."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        form = QFormLayout(self)
        self.mobile_label = QLabel(self)
        self.mobile = QLineEdit(context.settings.mobile_number, self)
        self.mobile.setFixedWidth(300)  # as wide as the drop-downs (settings_page.COMBO_WIDTH)
        self.mobile.editingFinished.connect(self._save)
        self.hint = QLabel(self)
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        form.addRow(self.mobile_label, self.mobile)
        form.addRow("", self.hint)
        self._retranslate()

    def _save(self) -> None:
        text = self.mobile.text().strip()
        if text != self._ctx.settings.mobile_number:
            self._ctx.settings_ctl.set_mobile_number(text)
            self.mobile.setText(self._ctx.settings.mobile_number or text)

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Calls"))
        self.mobile_label.setText(self.tr("Your mobile number"))
        self.mobile.setPlaceholderText(self.tr("e.g. 06 12345678"))
        self.hint.setText(
            self.tr(
                "“Move” in a call window offers this number besides your other phones"
                " (desk phone, other softphones)."
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def calls_section(context: UiContext, parent: QWidget) -> CallsSettings:
    return CallsSettings(context, parent)
