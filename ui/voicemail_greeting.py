"""Record a greeting with the microphone chosen in Settings (seed 000 "Voicemail"; the PBX keeps
0.2 to 60 s): Record, Stop, then Save makes it the greeting callers hear; Cancel drops it."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.format import timer_text

__all__ = ["GreetingActions", "GreetingDialog"]

_MAX_S = 60.0


class GreetingActions(Protocol):
    """:class:`app.controllers.voicemail.VoicemailController`."""

    @property
    def greeting_seconds(self) -> float: ...
    def start_greeting(self) -> bool: ...
    def finish_greeting(self) -> None: ...
    def save_greeting(self) -> None: ...
    def drop_greeting(self) -> None: ...


class GreetingDialog(QDialog):
    """Record → Stop → Save (or Cancel)."""

    def __init__(self, actions: GreetingActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions = actions
        self.setWindowTitle(self.tr("Record your greeting"))
        layout = QVBoxLayout(self)
        self.hint = QLabel(
            self.tr(
                "Press Record and speak the greeting callers hear when you do not answer; "
                "press Stop when you are done (at most a minute)."
            ),
            self,
        )
        self.hint.setWordWrap(True)
        self.time = QLabel(timer_text(0), self)
        self.time.setObjectName("Heading")
        layout.addWidget(self.hint)
        layout.addWidget(self.time)
        buttons = QHBoxLayout()
        self.record_button = QPushButton(self.tr("Record"), self)
        self.record_button.clicked.connect(self._record_or_stop)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("GreenButton")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._tick)
        self.resize(420, self.sizeHint().height())

    @property
    def recording(self) -> bool:
        return self._timer.isActive()

    def _record_or_stop(self) -> None:
        if self.recording:
            self._stop()
        elif self._actions.start_greeting():
            self.save_button.setEnabled(False)
            self.record_button.setText(self.tr("Stop"))
            self._timer.start()

    def _stop(self) -> None:
        """Stop the microphone; the recording waits for Save."""
        self._timer.stop()
        self._actions.finish_greeting()
        self.record_button.setText(self.tr("Record again"))
        self.save_button.setEnabled(self._actions.greeting_seconds >= 0.2)

    def _tick(self) -> None:
        seconds = self._actions.greeting_seconds
        self.time.setText(timer_text(seconds))
        if seconds >= _MAX_S:
            self._stop()

    def accept(self) -> None:
        self._timer.stop()
        self._actions.save_greeting()
        super().accept()

    def reject(self) -> None:
        self._timer.stop()
        self._actions.drop_greeting()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        self._actions.drop_greeting()
        super().closeEvent(event)
