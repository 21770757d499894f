"""Settings → Start-up and server, and the Options menu's checkable "Start at login".

Shows the keys the machine configuration may set (docs/deployment.md): the server, start at
login and the update channel. A key the machine locks is greyed out with "Set by your
administrator"; start at login goes to ``context.autostart`` (app/autostart.py).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from app.bus import Changes
from app.protocols import UiContext

__all__ = ["AutostartAction", "StartupSettings", "autostart_action", "startup_section"]


def _admin_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("Muted")
    label.setProperty("admin", True)
    return label


class StartupSettings(QGroupBox):
    """The server (read only here: signing out changes it), start at login, update channel."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._updating = False
        machine = context.machine
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.server_label = QLabel(self)
        self.server = QLineEdit(self)
        self.server.setReadOnly(True)
        self.server.setFixedWidth(300)  # as wide as the drop-downs (settings_page.COMBO_WIDTH)
        self.server_admin = _admin_label(self)
        form.addRow(self.server_label, self.server)
        form.addRow("", self.server_admin)
        self.autostart = QCheckBox(self)
        self.autostart.toggled.connect(self._autostart_toggled)
        self.autostart_admin = _admin_label(self)
        form.addRow("", self.autostart)
        form.addRow("", self.autostart_admin)
        self.channel_label = QLabel(self)
        self.channel = QLabel(self)
        self.channel_admin = _admin_label(self)
        form.addRow(self.channel_label, self.channel)
        form.addRow("", self.channel_admin)
        for key, widgets in (
            ("server_url", (self.server, self.server_admin)),
            ("autostart", (self.autostart, self.autostart_admin)),
            ("update_channel", (self.channel, self.channel_admin)),
        ):
            locked = machine.is_locked(key)
            widgets[0].setEnabled(not locked)
            widgets[1].setVisible(locked)
        context.autostart.changed.connect(lambda _on: self._render())
        context.changes.subscribe(self._on_changes, owner=self)
        self._retranslate()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("session"):
            self._render()

    def _render(self) -> None:
        self._updating = True
        try:
            self.autostart.setChecked(self._ctx.autostart.enabled)
        finally:
            self._updating = False
        url = self._ctx.settings.server_url
        remote = bool(self._ctx.machine.server_url) or self._ctx.session.mode == "remote"
        self.server.setText(url if remote and url else self.tr("This computer"))

    def channel_name(self, channel: str) -> str:
        """The update channel in the user's language; an unknown channel as it is."""
        names = {"stable": self.tr("Stable"), "beta": self.tr("Beta")}
        return names.get(channel.strip().lower(), channel)

    def _autostart_toggled(self, on: bool) -> None:
        if not self._updating:
            self._ctx.autostart.set_enabled(on)

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Start-up and server"))
        self.server_label.setText(self.tr("Phone system"))
        self.autostart.setText(self.tr("Start at login"))
        self.channel_label.setText(self.tr("Updates"))
        self.channel.setText(self.channel_name(self._ctx.machine.update_channel))
        for label in (self.server_admin, self.autostart_admin, self.channel_admin):
            label.setText(self.tr("Set by your administrator"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class AutostartAction(QAction):
    """Options → Start at login: checkable, follows ``context.autostart`` both ways."""

    def __init__(self, context: UiContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._autostart = context.autostart
        self.setCheckable(True)
        self.setChecked(self._autostart.enabled)
        self.setEnabled(not self._autostart.locked)
        self.toggled.connect(self._toggled)
        self._autostart.changed.connect(self._on_changed)
        parent.installEventFilter(self)
        self.retranslate()

    def _toggled(self, on: bool) -> None:
        if on != self._autostart.enabled:
            self._autostart.set_enabled(on)

    def _on_changed(self, on: bool) -> None:
        if self.isChecked() != on:
            self.setChecked(on)

    def retranslate(self) -> None:
        if self._autostart.locked:
            self.setText(self.tr("Start at login (set by your administrator)"))
        else:
            self.setText(self.tr("Start at login"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def startup_section(context: UiContext, parent: QWidget | None = None) -> QWidget:
    """The start-up and server section for Settings."""
    return StartupSettings(context, parent)


def autostart_action(context: UiContext, parent: QWidget) -> QAction:
    """The Options menu item "Start at login"."""
    return AutostartAction(context, parent)
