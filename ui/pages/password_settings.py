"""Settings → Password: the user changes their own password (feature P1, seed 001's policy).

The current password, the new one twice, and "Change password". What is wrong is said in
plain words under the fields (every broken rule of the policy at once); a change ends the
user's other sign-ins and updates the password the keyring remembers. The built-in demo
organisation's passwords are fixed, so the form is shown disabled with a note while the app
runs its own PBX.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.controllers.sign_ins import SignInsController
from app.password_change import PasswordOutcome, typed_problems
from app.protocols import UiContext

__all__ = ["PasswordSettings", "password_section"]


class PasswordSettings(QGroupBox):
    def __init__(
        self,
        actions: SignInsController,
        embedded: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PasswordSettings")
        self._actions = actions
        self._embedded = embedded
        layout = QVBoxLayout(self)
        self.hint = QLabel(self)
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        form = QFormLayout()
        self.current, self.new, self.repeated = (QLineEdit(self) for _ in range(3))
        self.labels = [QLabel(self) for _ in range(3)]
        for label, field in zip(self.labels, (self.current, self.new, self.repeated), strict=True):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setFixedWidth(300)  # as wide as the drop-down boxes of the other sections
            field.returnPressed.connect(self.submit)
            form.addRow(label, field)
        layout.addLayout(form)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.pending: asyncio.Task[PasswordOutcome] | None = None
        self._retranslate()

    def submit(self) -> None:
        """Check the form, then ask the server; the answer shows under the fields."""
        if self.pending is not None or self._embedded():
            return
        current, new = self.current.text(), self.new.text()
        problems = typed_problems(current, new, self.repeated.text())
        if problems:
            self._show(PasswordOutcome(False, problems))
            return
        self.button.setEnabled(False)
        self.pending = self._actions.change_password(current, new)
        self.pending.add_done_callback(self._answered)

    def _answered(self, task: asyncio.Task[PasswordOutcome]) -> None:
        self.pending = None
        self.button.setEnabled(True)
        outcome = None if task.cancelled() else task.result()
        if outcome is None:  # the request failed in a way already reported
            outcome = PasswordOutcome(False, (self.tr("The password was not changed."),))
        if outcome.changed:
            for field in (self.current, self.new, self.repeated):
                field.clear()
        self._show(outcome)

    def _show(self, outcome: PasswordOutcome) -> None:
        if outcome.changed:
            self.message.setObjectName("Muted")
            self.message.setText(
                self.tr("Your password was changed. Your other sign-ins were signed out.")
            )
        else:
            self.message.setObjectName("ErrorText")
            self.message.setText("\n".join(outcome.problems))
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._apply_mode()

    def _apply_mode(self) -> None:
        embedded = self._embedded()
        for widget in (self.current, self.new, self.repeated, self.button):
            widget.setEnabled(not embedded and self.pending is None)
        if embedded:
            self.hint.setText(
                self.tr(
                    "The demo organisation of the built-in PBX keeps its passwords. Sign in "
                    "to your company's server to change yours."
                )
            )
        else:
            self.hint.setText(
                self.tr(
                    "8 to 30 characters, with a digit, a lower and an upper case letter and a "
                    "special character. Your other sign-ins are signed out when it changes."
                )
            )

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Password"))
        texts = (
            self.tr("Current password"),
            self.tr("New password"),
            self.tr("New password again"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.button.setText(self.tr("Change password"))
        self._apply_mode()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def password_section(context: UiContext, parent: QWidget | None = None) -> QWidget | None:
    """The section, or None for a context without sign-ins (the UI tests' fakes)."""
    actions = getattr(context, "sign_ins_ctl", None)
    settings = getattr(context, "settings", None)
    if not isinstance(actions, SignInsController):
        return None

    def embedded() -> bool:
        return getattr(settings, "mode", "") == "embedded"

    return PasswordSettings(actions, embedded, parent)
