"""The dialer of the top bar (seed 000 "Beller (Nummerkiezer)").

Type or click a number; Enter or the green button calls. While a call is connected the digits
go to that call as DTMF instead (the "press 1 for English" case).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.protocols import CallActions
from ui.call_window import KEYS
from ui.icons import icon

__all__ = ["DialerPanel"]

_DTMF = set(KEYS)


class DialerPanel(QFrame):
    """Number field, keypad and call button; DTMF when ``active_call()`` names a call."""

    hidden = Signal()

    def __init__(
        self,
        calls_ctl: CallActions,
        active_call: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Popup")
        self._ctl = calls_ctl
        self._active_call = active_call
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(8)
        self.hint = QLabel(self)
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        self.field = QLineEdit(self)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.field.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.field.setFont(font)
        self.field.returnPressed.connect(self.call)
        self.field.textEdited.connect(self._on_edited)
        layout.addWidget(self.hint)
        layout.addWidget(self.field)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.key_buttons: dict[str, QPushButton] = {}
        for i, k in enumerate(KEYS):
            b = QPushButton(k, self)
            b.setObjectName("KeyButton")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, d=k: self.press(d))
            grid.addWidget(b, i // 3, i % 3)
            self.key_buttons[k] = b
        layout.addLayout(grid)
        self.call_button = QPushButton(self)
        self.call_button.setObjectName("GreenButton")
        self.call_button.setIcon(icon("phone", "#ffffff"))
        self.call_button.clicked.connect(self.call)
        layout.addWidget(self.call_button)
        self._sent = ""
        self._pressing = False
        self._retranslate()

    def refresh(self) -> None:
        """Show whether digits dial or go to the call as DTMF."""
        self._retranslate()

    def press(self, digit: str) -> None:
        """A keypad click: append the digit, and send it as DTMF during a call."""
        self._pressing = True
        self.field.insert(digit)
        self._pressing = False
        key = self._active_call()
        if key is not None:
            self._ctl.send_dtmf(key, digit)
            self._sent = self.field.text()

    def _on_edited(self, text: str) -> None:
        key = self._active_call()
        if key is None or self._pressing:
            return
        new = text[len(self._sent) :] if text.startswith(self._sent) else ""
        digits = "".join(c for c in new if c in _DTMF)
        if digits:
            self._ctl.send_dtmf(key, digits)
        self._sent = text

    def call(self) -> None:
        """Dial what is typed (no-op during a call: the digits were tones)."""
        text = self.field.text().strip()
        if not text or self._active_call() is not None:
            return
        self._ctl.dial(text)
        self.field.clear()
        self._sent = ""
        self.hide()

    def hideEvent(self, event: QHideEvent) -> None:
        self.hidden.emit()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._retranslate()
        self.field.setFocus()
        super().showEvent(event)

    def _retranslate(self) -> None:
        in_call = self._active_call() is not None
        self.field.setPlaceholderText(self.tr("Enter a number"))
        self.hint.setText(
            self.tr("Keys are sent as tones to the call.") if in_call else self.tr("Dial a number")
        )
        self.call_button.setText(self.tr("Call"))
        self.call_button.setEnabled(not in_call)
        if not in_call:
            self._sent = ""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
