"""Settings → Calls: the user's mobile number, offered by "Move" in a call window besides the
user's other registered phones (which come from the server), and the call flow per status (S9,
docs/routing.md): what happens to calls in each status, summed up in a line, changed in the
same dialog as from the forwarding button's menu.

The number is saved when the field loses focus or Enter is pressed
(``settings_ctl.set_mobile_number``, which checks it is a phone number); empty means Move
offers the other phones only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.controllers.forwarding import ForwardingController
from app.presence_status import STATUSES
from app.protocols import UiContext
from app.stores.forwarding import ForwardingStore
from ui.forwarding_call_flows import CallFlowDialog
from ui.status_menu import status_text

__all__ = ["CallsSettings", "calls_section"]

_TEXT_WIDTH = 560


class CallsSettings(QGroupBox):
    """One field: your mobile number."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.mobile_label = QLabel(self)
        self.mobile = QLineEdit(context.settings.mobile_number, self)
        self.mobile.setFixedWidth(300)  # as wide as the drop-downs (settings_page.COMBO_WIDTH)
        self.mobile.editingFinished.connect(self._save)
        self.hint = QLabel(self)
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        self.hint.setMinimumWidth(_TEXT_WIDTH)  # a wrapped label would take a narrow column
        form.addRow(self.mobile_label, self.mobile)
        form.addRow("", self.hint)
        self.flows_label = QLabel(self)
        self.flows_summary = QLabel(self)
        self.flows_summary.setWordWrap(True)
        self.flows_summary.setMinimumWidth(_TEXT_WIDTH - 120)
        self.flows_button = QPushButton(self)
        self.flows_button.clicked.connect(lambda _=False: self.ask_call_flows())
        self.flows_dialog: CallFlowDialog | None = None
        store = getattr(context, "forwarding", None)  # the desktop app's context has both
        controller = getattr(context, "forwarding_ctl", None)
        self._flows = store if isinstance(store, ForwardingStore) else None
        self._flows_ctl = controller if isinstance(controller, ForwardingController) else None
        if self._flows is not None and self._flows_ctl is not None:
            flows = QWidget(self)
            row = QHBoxLayout(flows)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.flows_summary, 1)
            row.addWidget(self.flows_button)
            form.addRow(self.flows_label, flows)
            self._flows.changed.connect(self._retranslate)
        self._retranslate()

    def ask_call_flows(self) -> None:
        """Open the call flow per status; send what was chosen."""
        if self._flows is None or self._flows_ctl is None:
            return
        controller = self._flows_ctl
        dialog = CallFlowDialog(self._flows.call_flows, self.window())
        self.flows_dialog = dialog
        dialog.accepted.connect(lambda: controller.set_call_flows(dialog.values()))
        dialog.finished.connect(lambda _code: setattr(self, "flows_dialog", None))
        dialog.open()

    def flows_text(self) -> str:
        """The call flows in a line: the statuses that do something else than ring."""
        flows = self._flows.call_flows if self._flows is not None else {}
        parts = []
        for status in STATUSES:
            flow = flows.get(status, "default")
            if flow == "voicemail":
                parts.append(self.tr("{status}: voicemail").format(status=status_text(status)))
            elif flow.startswith("forward to "):
                parts.append(
                    self.tr("{status}: forward to {number}").format(
                        status=status_text(status), number=flow.removeprefix("forward to ")
                    )
                )
        return " · ".join(parts) if parts else self.tr("Calls ring as usual in every status")

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
        self.flows_label.setText(self.tr("Call flow per status"))
        self.flows_button.setText(self.tr("Change…"))
        self.flows_summary.setText(self.flows_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def calls_section(context: UiContext, parent: QWidget) -> CallsSettings:
    return CallsSettings(context, parent)
