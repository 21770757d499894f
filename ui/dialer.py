"""The dialer of the top bar (seed 000 "Beller (Nummerkiezer)").

Type or click a number; Enter or the green button calls. While a call is connected the digits
go to that call as DTMF instead (the "press 1 for English" case). Escape or a click outside
closes it; the backspace key removes the last character; the Call button is off while the field
is blank; a text that is not a number stays, with the reason under it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.protocols import CallActions
from ui import theme
from ui.call_window import KEYS
from ui.icons import icon

__all__ = ["DialerPanel", "dial_problem"]

_DTMF = set(KEYS)
_DIALLABLE = re.compile(r"^[\d\s+*#().\-/]*$")


def dial_problem(text: str) -> str:
    """Why ``text`` cannot be dialled ("" when it can): letters or no digit at all."""
    stripped = text.strip()
    if not stripped:
        return ""
    if not _DIALLABLE.fullmatch(stripped) or not any(c.isdigit() for c in stripped):
        return QApplication.translate(
            "DialerPanel", "Only digits, +, * and # can be dialled. Check the number."
        )
    return ""


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
        self.field.textChanged.connect(self._on_text)
        self.backspace = QToolButton(self)
        self.backspace.setAutoRaise(True)
        self.backspace.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.backspace.setAutoRepeat(True)
        self.backspace.clicked.connect(self.erase)
        self.error = QLabel(self)
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.field, 1)
        row.addWidget(self.backspace)
        layout.addLayout(row)
        layout.addWidget(self.error)
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
        self._watching = False
        self.toggle_button: QWidget | None = None
        """The button that opens the panel: a click on it is not a click outside."""
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

    def erase(self) -> None:
        """The backspace key: remove the last character (nothing is sent to a call)."""
        self.field.setText(self.field.text()[:-1])
        self._sent = self.field.text() if self._active_call() is not None else ""
        self.field.setFocus()

    def _on_text(self, text: str) -> None:
        if not self.error.isHidden():
            self.error.hide()
            self.adjustSize()
        self._update_call_button()

    def _update_call_button(self) -> None:
        in_call = self._active_call() is not None
        self.call_button.setEnabled(not in_call and bool(self.field.text().strip()))
        self.backspace.setEnabled(bool(self.field.text()))

    def call(self) -> None:
        """Dial what is typed (no-op during a call: the digits were tones)."""
        text = self.field.text().strip()
        if not text or self._active_call() is not None:
            return
        problem = dial_problem(text)
        if problem:
            self.error.setText(problem)
            self.error.show()
            # room for the message in the width the panel has: wider, it would leave the window
            layout = self.layout()
            if layout is not None and layout.hasHeightForWidth():
                self.resize(self.width(), layout.totalHeightForWidth(self.width()))
            else:
                self.adjustSize()
            self.field.setFocus()
            return
        self._ctl.dial(text)
        self.field.clear()
        self._sent = ""
        self.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A click anywhere outside the panel (and its button) closes it."""
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and self.isVisible()
        ):
            point = event.globalPosition().toPoint()
            inside = self.rect().contains(self.mapFromGlobal(point))
            button = self.toggle_button
            on_button = button is not None and button.rect().contains(button.mapFromGlobal(point))
            if not inside and not on_button:
                self.hide()
        return False

    def _watch(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        self._watching = on
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def hideEvent(self, event: QHideEvent) -> None:
        self._watch(False)
        self.error.hide()
        self.hidden.emit()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._retranslate()
        self.field.setFocus()
        self._watch(True)
        super().showEvent(event)

    def _retranslate(self) -> None:
        in_call = self._active_call() is not None
        self.field.setPlaceholderText(self.tr("Enter a number"))
        self.hint.setText(
            self.tr("Keys are sent as tones to the call.") if in_call else self.tr("Dial a number")
        )
        self.call_button.setText(self.tr("Call"))
        self.backspace.setIcon(icon("delete", theme.current().text))
        self.backspace.setToolTip(self.tr("Remove the last digit"))
        self._update_call_button()
        if not in_call:
            self._sent = ""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
