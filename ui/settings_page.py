"""The Settings section (seed 000 "Instellingen"): audio devices, language, diagnostics.

Audio: input, output and ringer with a test tone and a live microphone level; a plain message
when the machine has no sound card. While the page is on screen the controller looks for plugged
and unplugged devices; hidden, it stops (no wake-ups in an idle app). Language: the system's or
one of the shipped ones. Diagnostics: the logging switch, where the logs are and a button that
opens that folder. The labels of every section share one column and the drop-down boxes one
width, so they line up from section to section.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.bus import ChangeName, Changes
from app.controllers.settings import NO_SOUND_CARD
from app.protocols import UiContext
from ui.call_texts import no_audio_text
from ui.i18n import LANGUAGES
from ui.pages.calls_settings import calls_section
from ui.pages.headset_settings import headset_section
from ui.pages.password_settings import password_section
from ui.pages.sign_ins_settings import sign_ins_section
from ui.pages.startup_settings import startup_section

__all__ = ["COMBO_WIDTH", "SettingsPage"]

COMBO_WIDTH = 300
"""Every drop-down box of the page: wide enough for device names, not the whole page."""


class SettingsPage(QWidget):
    """Renders the AudioStore and the settings; changes go to the SettingsController."""

    language_chosen = Signal(str)
    diagnostics_toggled = Signal(bool)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._audio = context.audio
        self._ctl = context.settings_ctl
        self._updating = False
        self.mic_testing = False
        self._watching = False
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setObjectName("Heading")
        heading = QVBoxLayout()  # layout margins: a style sheet can reset a label's own
        heading.setContentsMargins(16, 14, 16, 0)
        heading.addWidget(self.title)
        outer.addLayout(heading)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget(scroll)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(16, 4, 16, 16)
        layout.setSpacing(12)

        self.audio_box = QGroupBox(inner)
        audio = QVBoxLayout(self.audio_box)
        self.no_audio = QLabel(self.audio_box)
        self.no_audio.setWordWrap(True)
        self.no_audio.setObjectName("Muted")
        audio.addWidget(self.no_audio)
        self.devices = QWidget(self.audio_box)
        form = QFormLayout(self.devices)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.input_combo = QComboBox(self.devices)
        self.output_combo = QComboBox(self.devices)
        self.ringer_combo = QComboBox(self.devices)
        self.mic_button = QPushButton(self.devices)
        self.mic_button.setCheckable(True)
        self.mic_button.toggled.connect(self._toggle_mic_test)
        self.mic_level = QProgressBar(self.devices)
        self.mic_level.setRange(0, 100)
        self.mic_level.setTextVisible(False)
        self.mic_level.setFixedHeight(8)
        self.output_test = QPushButton(self.devices)
        self.output_test.clicked.connect(
            lambda: self._ctl.test_output(self.output_combo.currentData())
        )
        self.ringer_test = QPushButton(self.devices)
        self.ringer_test.clicked.connect(
            lambda: self._ctl.test_output(self.ringer_combo.currentData())
        )
        self.input_label = QLabel(self.devices)
        self.output_label = QLabel(self.devices)
        self.ringer_label = QLabel(self.devices)
        form.addRow(self.input_label, _row(self.input_combo, self.mic_button))
        form.addRow("", self.mic_level)
        form.addRow(self.output_label, _row(self.output_combo, self.output_test))
        form.addRow(self.ringer_label, _row(self.ringer_combo, self.ringer_test))
        audio.addWidget(self.devices)
        for combo in (self.input_combo, self.output_combo, self.ringer_combo):
            combo.currentIndexChanged.connect(self._devices_changed)
        layout.addWidget(self.audio_box)

        self.language_box = QGroupBox(inner)
        lang = QFormLayout(self.language_box)
        self.language_label = QLabel(self.language_box)
        self.language_combo = QComboBox(self.language_box)
        self.language_combo.addItem("", "")
        for code, own_name in LANGUAGES:
            self.language_combo.addItem(own_name, code)
        current = context.settings.language
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(current)))
        self.language_combo.currentIndexChanged.connect(self._language_changed)
        lang.addRow(self.language_label, self.language_combo)
        layout.addWidget(headset_section(context, inner))
        self.calls_box = calls_section(context, inner)
        layout.addWidget(self.calls_box)
        self.notify_box = QGroupBox(inner)
        notify = QVBoxLayout(self.notify_box)
        self.notifications = QCheckBox(self.notify_box)
        self.notifications.setChecked(context.settings.notifications_enabled)
        self.notifications.toggled.connect(self._ctl.set_notifications)
        self.notify_hint = QLabel(self.notify_box)
        self.notify_hint.setObjectName("Muted")
        self.notify_hint.setWordWrap(True)
        notify.addWidget(self.notifications)
        notify.addWidget(self.notify_hint)
        layout.addWidget(self.notify_box)
        layout.addWidget(self.language_box)

        self.diag_box = QGroupBox(inner)
        diag = QVBoxLayout(self.diag_box)
        self.diagnostics = QCheckBox(self.diag_box)
        self.diagnostics.setChecked(context.settings.diagnostics)
        self.diagnostics.toggled.connect(self._diagnostics_changed)
        self.diag_hint = QLabel(self.diag_box)
        self.diag_hint.setObjectName("Muted")
        self.diag_hint.setWordWrap(True)
        self.logs_path = QLabel(str(context.logs_dir), self.diag_box)
        self.logs_path.setObjectName("Muted")
        self.logs_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_logs = QPushButton(self.diag_box)
        self.open_logs.clicked.connect(self.open_logs_folder)
        logs_row = QHBoxLayout()
        logs_row.addWidget(self.logs_path)
        logs_row.addSpacing(8)
        logs_row.addWidget(self.open_logs)
        logs_row.addStretch(1)
        diag.addWidget(self.diagnostics)
        diag.addWidget(self.diag_hint)
        diag.addLayout(logs_row)
        layout.addWidget(self.diag_box)
        layout.addWidget(startup_section(context, inner))
        self.sign_ins_box = sign_ins_section(context, inner)
        if self.sign_ins_box is not None:
            layout.addWidget(self.sign_ins_box)
        self.password_box = password_section(context, inner)
        if self.password_box is not None:
            layout.addWidget(self.password_box)
        layout.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        self._audio.hub.subscribe(self._on_changes, owner=self)
        self._retranslate()
        self._on_audio(frozenset())

    # -- audio ---------------------------------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("audio"):
            self._on_audio(changes.names)

    def _on_audio(self, names: frozenset[ChangeName]) -> None:
        a = self._audio
        if names == {"mic_level"}:
            self.mic_level.setValue(round(max(0.0, min(1.0, a.mic_level)) * 100))
            return
        self._updating = True
        try:
            self.no_audio.setVisible(not a.available)
            self.devices.setVisible(bool(a.available))
            _fill(
                self.input_combo, [d.name for d in a.inputs], a.selected_input, self._default_text()
            )
            outputs = [d.name for d in a.outputs]
            _fill(self.output_combo, outputs, a.selected_output, self._default_text())
            _fill(self.ringer_combo, outputs, a.selected_ringer, self._default_text())
            self.mic_level.setValue(round(max(0.0, min(1.0, a.mic_level)) * 100))
        finally:
            self._updating = False
        self._retranslate_audio()

    def _devices_changed(self) -> None:
        if self._updating:
            return
        self._ctl.set_devices(
            self.input_combo.currentData(),
            self.output_combo.currentData(),
            self.ringer_combo.currentData(),
        )

    def _toggle_mic_test(self, on: bool) -> None:
        self.mic_testing = on
        if on:
            self._ctl.start_mic_test()
        else:
            self._ctl.stop_mic_test()
            self.mic_level.setValue(0)
        self._retranslate_audio()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._watching:
            self._watching = True
            self._ctl.watch_devices(True)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        if self.mic_button.isChecked():
            self.mic_button.setChecked(False)
        if self._watching:
            self._watching = False
            self._ctl.watch_devices(False)
        super().hideEvent(event)

    # -- language and diagnostics -----------------------------------------------------------
    def _language_changed(self) -> None:
        code = self.language_combo.currentData() or ""
        self._ctl.set_language(code)
        self.language_chosen.emit(code)

    def _diagnostics_changed(self, on: bool) -> None:
        if self._updating:
            return
        self._ctl.set_diagnostics(on)
        self.diagnostics_toggled.emit(on)

    def open_logs_folder(self) -> None:
        """Show the logs folder in the system's file manager (created if missing)."""
        folder = self._ctx.logs_dir
        folder.mkdir(parents=True, exist_ok=True)
        self.open_url(QUrl.fromLocalFile(str(folder)))

    def set_diagnostics_checked(self, on: bool) -> None:
        """Follow the menu's checkbox without calling the controller twice."""
        self._updating = True
        self.diagnostics.setChecked(on)
        self._updating = False

    # -- text --------------------------------------------------------------------------------
    def _default_text(self) -> str:
        return self.tr("System default")

    def _retranslate_audio(self) -> None:
        reason = self._audio.reason or ""
        no_card = no_audio_text()  # the banner's sentence
        self.no_audio.setText(no_card if reason in ("", NO_SOUND_CARD) else reason)
        self.mic_button.setText(
            self.tr("Stop test") if self.mic_testing else self.tr("Test microphone")
        )
        for combo in (self.input_combo, self.output_combo, self.ringer_combo):
            if combo.count():
                combo.setItemText(0, self._default_text())
        buttons = (self.mic_button, self.output_test, self.ringer_test)
        width = max(b.sizeHint().width() for b in buttons)
        for b in buttons:
            b.setMinimumWidth(width)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Settings"))
        self.audio_box.setTitle(self.tr("Audio"))
        self.input_label.setText(self.tr("Microphone"))
        self.output_label.setText(self.tr("Speaker"))
        self.ringer_label.setText(self.tr("Ringer"))
        self.output_test.setText(self.tr("Play test tone"))
        self.ringer_test.setText(self.tr("Play test tone"))
        self.language_box.setTitle(self.tr("Language"))
        self.language_label.setText(self.tr("Language"))
        self.language_combo.setItemText(0, self.tr("System language"))
        self.notify_box.setTitle(self.tr("Notifications"))
        self.notifications.setText(self.tr("Show desktop notifications"))
        self.notify_hint.setText(
            self.tr(
                "Incoming and missed calls, chat messages and new voicemail, from the system's "
                "notification area. None while your status is Do not disturb."
            )
        )
        self.diag_box.setTitle(self.tr("Diagnostics"))
        self.diagnostics.setText(self.tr("Diagnostics logging"))
        self.diag_hint.setText(
            self.tr("Writes detailed log files to the app's logs folder for the support team.")
        )
        self.open_logs.setText(self.tr("Open logs folder"))
        self.logs_path.setToolTip(self.tr("The logs folder"))
        self._retranslate_audio()
        self._align()

    def _align(self) -> None:
        """One label column and one drop-down width for every section (Dutch labels are longer)."""
        forms = self.findChildren(QFormLayout)
        labels: list[QWidget] = []
        for form in forms:
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                widget = item.widget() if item is not None else None
                if isinstance(widget, QLabel) and widget.text():
                    labels.append(widget)
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)
        for form in forms:
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for combo in self.findChildren(QComboBox):
            combo.setFixedWidth(COMBO_WIDTH)
        self.mic_level.setFixedWidth(COMBO_WIDTH)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widgets[0])
    for w in widgets[1:]:
        layout.addWidget(w)
    return box


def _fill(combo: QComboBox, names: list[str], selected: str | None, default: str) -> None:
    combo.clear()
    combo.addItem(default, None)
    for name in names:
        combo.addItem(name, name)
    index = combo.findData(selected) if selected else 0
    combo.setCurrentIndex(max(0, index))
