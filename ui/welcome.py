"""The welcome dialog of the first start: a PBX on this computer, or connect to a server.

When the machine configuration names the server (``server_url``, docs/deployment.md) there is
no choice to make: the dialog only signs in, with the address filled in; a locked address is
greyed out with "Set by your administrator".
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

__all__ = ["WelcomeDialog"]


class WelcomeDialog(QDialog):
    """Asks how to work; `mode()` is ``"embedded"`` or ``"remote"`` after it is accepted."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        server_url: str = "",
        server_locked: bool = False,
    ) -> None:
        super().__init__(parent)
        self.managed = bool(server_url)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        self.heading = QLabel(self)
        self.heading.setObjectName("Heading")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setObjectName("Muted")
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        self.embedded = QRadioButton(self)
        self.embedded_hint = QLabel(self)
        self.embedded_hint.setWordWrap(True)
        self.embedded_hint.setObjectName("Muted")
        self.embedded_hint.setContentsMargins(24, 0, 0, 6)
        self.remote = QRadioButton(self)
        self.remote_hint = QLabel(self)
        self.remote_hint.setWordWrap(True)
        self.remote_hint.setObjectName("Muted")
        self.remote_hint.setContentsMargins(24, 0, 0, 0)
        group = QButtonGroup(self)
        group.addButton(self.embedded)
        group.addButton(self.remote)
        self.embedded.setChecked(True)
        for w in (self.embedded, self.embedded_hint, self.remote, self.remote_hint):
            layout.addWidget(w)
        self.form_box = QWidget(self)
        form = QFormLayout(self.form_box)
        form.setContentsMargins(24, 4, 0, 0)
        self.url = QLineEdit(self.form_box)
        self.url.setPlaceholderText("https://pbx.example.com")
        self.user = QLineEdit(self.form_box)
        self.password = QLineEdit(self.form_box)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.url_label = QLabel(self.form_box)
        self.user_label = QLabel(self.form_box)
        self.password_label = QLabel(self.form_box)
        form.addRow(self.url_label, self.url)
        self.url_admin = QLabel(self.form_box)
        self.url_admin.setObjectName("Muted")
        form.addRow("", self.url_admin)
        self.url_admin.setVisible(server_locked)
        form.addRow(self.user_label, self.user)
        form.addRow(self.password_label, self.password)
        layout.addWidget(self.form_box)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #dc2626;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(self)
        self.continue_button = QPushButton(self)
        self.continue_button.setObjectName("PrimaryButton")
        self.continue_button.setDefault(True)
        self.buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._accept)
        layout.addWidget(self.buttons, 0, Qt.AlignmentFlag.AlignRight)
        self.remote.toggled.connect(self._mode_changed)
        if self.managed:
            self.remote.setChecked(True)
            self.url.setText(server_url)
            for w in (self.embedded, self.embedded_hint, self.remote, self.remote_hint):
                w.hide()
            form.setContentsMargins(0, 4, 0, 0)
        self.url.setReadOnly(server_locked)
        self.url.setEnabled(not server_locked)
        self._mode_changed()
        self._retranslate()
        if self.managed:
            (self.user if server_locked else self.url).setFocus()

    def mode(self) -> str:
        return "remote" if self.remote.isChecked() else "embedded"

    def _mode_changed(self) -> None:
        self.form_box.setEnabled(self.remote.isChecked())
        self.error.hide()

    def _accept(self) -> None:
        if self.mode() == "remote":
            missing = [
                label.text().rstrip(":")
                for label, field in (
                    (self.url_label, self.url),
                    (self.user_label, self.user),
                    (self.password_label, self.password),
                )
                if not field.text().strip()
            ]
            if missing:
                self.error.setText(
                    self.tr("Please fill in: {fields}").format(fields=", ".join(missing))
                )
                self.error.show()
                return
        self.accept()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Welcome to Acme Phone"))
        self.heading.setText(self.tr("Welcome to Acme Phone"))
        if self.managed:
            self.intro.setText(
                self.tr("Sign in with the user name and password from your administrator.")
            )
        else:
            self.intro.setText(self.tr("How do you want to make calls?"))
        self.url_admin.setText(self.tr("Set by your administrator"))
        self.embedded.setText(self.tr("Start a PBX on this computer (demo organisation)"))
        self.embedded_hint.setText(
            self.tr(
                "A complete phone system runs inside the app, with a demo organisation. "
                "You are signed in as Anna de Vries (201)."
            )
        )
        self.remote.setText(self.tr("Connect to a server"))
        self.remote_hint.setText(
            self.tr(
                "Use your organisation's phone system. Your administrator gives you the address."
            )
        )
        self.url_label.setText(self.tr("Server address:"))
        self.user_label.setText(self.tr("User name:"))
        self.password_label.setText(self.tr("Password:"))
        self.continue_button.setText(self.tr("Continue"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
