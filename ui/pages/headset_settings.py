"""Settings → Headset call control (seed 000 "Audio / Headset gespreksbeheer"), and the Options
menu's checkable "Headset call control".

Renders ``context.headset`` (app/stores/headset.py) and calls ``context.headset_ctl``
(``set_enabled``, ``select``): the device (or Automatic), the switch, the warning about other
applications that also use the headset buttons, and a live "press a button to test" indicator.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.bus import Changes
from app.protocols import HeadsetActions, UiContext
from app.stores.headset import HeadsetStore

__all__ = ["HeadsetAction", "HeadsetSettings", "headset_action", "headset_section"]

AUTOMATIC = "automatic"
FLASH_MS = 1200


class HeadsetSettings(QGroupBox):
    """The headset section; every change goes to the headset controller."""

    def __init__(
        self, store: HeadsetStore, controller: HeadsetActions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._ctl = controller
        self._updating = False
        layout = QVBoxLayout(self)
        self.enabled = QCheckBox(self)
        self.enabled.toggled.connect(self._enabled_changed)
        layout.addWidget(self.enabled)
        self.status = QLabel(self)
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.device_label = QLabel(self)
        self.device_combo = QComboBox(self)
        self.device_combo.currentIndexChanged.connect(self._device_changed)
        form.addRow(self.device_label, self.device_combo)
        self.test_label = QLabel(self)
        self.press = QLabel(self)
        self.press.setObjectName("HeadsetPress")
        self.press.setStyleSheet('QLabel[lit="true"] { font-weight: 600; }')
        form.addRow(self.test_label, self.press)
        layout.addLayout(form)
        self.usb_hint = QLabel(self)
        self.usb_hint.setObjectName("Muted")
        self.usb_hint.setWordWrap(True)
        layout.addWidget(self.usb_hint)
        self.warning = QLabel(self)
        self.warning.setObjectName("Warning")
        self.warning.setWordWrap(True)
        layout.addWidget(self.warning)
        self._flash = QTimer(self)
        self._flash.setSingleShot(True)
        self._flash.timeout.connect(self._render_press)
        store.hub.subscribe(self._on_changes, owner=self)
        self._retranslate()

    # -- store to widgets ---------------------------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("headset"):
            self._on_store(changes)

    def _on_store(self, changes: Changes) -> None:
        if changes.names == {"press"}:
            self._flash.start(FLASH_MS)
            self._render_press()
            return
        self._render()

    def _render(self) -> None:
        s = self._store
        self._updating = True
        try:
            self.enabled.setChecked(bool(s.enabled))
            self.device_combo.clear()
            self.device_combo.addItem(self.tr("Automatic"), AUTOMATIC)
            for device in s.devices:
                self.device_combo.addItem(device.name, device.device_id)
            if s.selected != AUTOMATIC and self.device_combo.findData(s.selected) < 0:
                self.device_combo.addItem(self.tr("Chosen headset (not connected)"), s.selected)
            self.device_combo.setCurrentIndex(max(0, self.device_combo.findData(s.selected)))
        finally:
            self._updating = False
        self.device_combo.setEnabled(bool(s.enabled))
        self.status.setText(str(s.status))
        self.warning.setText(str(s.warning))
        self._render_press()

    def _render_press(self) -> None:
        press = self._store.last_press
        lit = press is not None and self._flash.isActive() and bool(self._store.enabled)
        if not self._store.enabled or self._store.current is None:
            self.press.setText(self.tr("Connect a headset to test its buttons."))
        elif lit and press is not None:
            state = self.tr("pressed") if press.value else self.tr("released")
            self.press.setText(self.tr("{0}: {1}").format(press.name, state))
        else:
            self.press.setText(self.tr("Press a button on the headset."))
        self.press.setProperty("lit", lit)
        self.press.style().unpolish(self.press)
        self.press.style().polish(self.press)

    # -- widgets to the controller ----------------------------------------------------------
    def _enabled_changed(self, on: bool) -> None:
        if not self._updating:
            self._ctl.set_enabled(on)

    def _device_changed(self) -> None:
        if not self._updating:
            self._ctl.select(self.device_combo.currentData() or AUTOMATIC)

    # -- text ----------------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.setTitle(self.tr("Headset call control"))
        self.enabled.setText(self.tr("Answer, end and mute calls with the headset buttons"))
        self.device_label.setText(self.tr("Headset"))
        self.test_label.setText(self.tr("Test"))
        self.usb_hint.setText(
            self.tr(
                "Connect the headset with a USB cable or its USB dongle. A headset connected "
                "directly over Bluetooth cannot be used for call control."
            )
        )
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class HeadsetAction(QAction):
    """Options → Headset call control: checkable, follows the store both ways."""

    def __init__(self, store: HeadsetStore, controller: HeadsetActions, parent: QWidget) -> None:
        super().__init__(parent)
        self._store = store
        self._ctl = controller
        self.setCheckable(True)
        self.setChecked(bool(store.enabled))
        self.toggled.connect(self._toggled)
        store.hub.subscribe(self._on_changes, owner=self)
        parent.installEventFilter(self)
        self.retranslate()

    def _toggled(self, on: bool) -> None:
        if on != bool(self._store.enabled):
            self._ctl.set_enabled(on)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("headset", "enabled"):
            self.setChecked(bool(self._store.enabled))

    def retranslate(self) -> None:
        self.setText(self.tr("Headset call control"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def headset_section(context: UiContext, parent: QWidget | None = None) -> QWidget:
    """The headset section for Settings."""
    return HeadsetSettings(context.headset, context.headset_ctl, parent)


def headset_action(context: UiContext, parent: QWidget) -> QAction:
    """The Options menu item "Headset call control"."""
    return HeadsetAction(context.headset, context.headset_ctl, parent)
