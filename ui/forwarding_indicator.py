"""Forwarding in the top bar (C4, docs/routing.md): "Forwarded to 204" while calls are
forwarded (a click turns it off), and a small button that opens a dialog to forward calls."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.controllers.forwarding import ForwardingController
from app.protocols import UiContext
from app.stores.forwarding import ForwardingStore
from ui import theme
from ui.forwarding_call_flows import CallFlowDialog
from ui.icons import icon

__all__ = ["ForwardingDialog", "ForwardingIndicator", "install_forwarding_indicator"]


class ForwardingDialog(QDialog):
    """Asks for the number to forward calls to (an extension or an outside number)."""

    def __init__(self, number: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ForwardingDialog")
        self.setWindowTitle(self.tr("Forward calls"))
        layout = QVBoxLayout(self)
        self.hint = QLabel(self.tr("Forward all my calls to (an extension or a phone number):"))
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.number = QLineEdit(number or "", self)
        self.number.setPlaceholderText(self.tr("e.g. 204 or +31 20 123 4567"))
        self.number.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\+?[0-9 ]{0,24}"), self)
        )
        layout.addWidget(self.number)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Forward"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.number.textChanged.connect(self._check)
        self._check()

    def value(self) -> str:
        """The number typed, without spaces."""
        return self.number.text().replace(" ", "")

    def _check(self) -> None:
        self.ok.setEnabled(len(self.value().lstrip("+")) >= 2)


class ForwardingIndicator(QWidget):
    """The indicator (shown while forwarded) and the "Forward calls…" button (otherwise)."""

    def __init__(
        self, store: ForwardingStore, controller: ForwardingController, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._ctl = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.indicator = QToolButton(self)
        self.indicator.setObjectName("TopButton")
        self.indicator.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.indicator.clicked.connect(lambda _=False: self._ctl.turn_off())
        layout.addWidget(self.indicator)
        self.set_button = QToolButton(self)
        self.set_button.setObjectName("TopButton")
        self.set_button.setAutoRaise(True)
        self.set_button.clicked.connect(lambda _=False: self.ask())
        self.set_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.menu = QMenu(self)
        self.flows_action = self.menu.addAction("")
        self.flows_action.triggered.connect(lambda _=False: self.ask_call_flows())
        self.set_button.setMenu(self.menu)
        layout.addWidget(self.set_button)
        self.dialog: ForwardingDialog | None = None
        self.flows_dialog: CallFlowDialog | None = None
        store.changed.connect(self._refresh)
        self._refresh()

    def ask(self) -> None:
        """Open the dialog; forward calls to the number given."""
        dialog = ForwardingDialog(self._store.forwarding.number, self.window())
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._ctl.forward_to(dialog.value()))
        dialog.finished.connect(lambda _code: setattr(self, "dialog", None))
        dialog.open()

    def ask_call_flows(self) -> None:
        """Open the call flow per status; send what was chosen."""
        dialog = CallFlowDialog(self._store.call_flows, self.window())
        self.flows_dialog = dialog
        dialog.accepted.connect(lambda: self._ctl.set_call_flows(dialog.values()))
        dialog.finished.connect(lambda _code: setattr(self, "flows_dialog", None))
        dialog.open()

    def _refresh(self) -> None:
        t = theme.current()
        target = self._store.forwarding.target
        self.indicator.setVisible(target is not None)
        self.set_button.setVisible(target is None)
        self.indicator.setIcon(icon("phone-outgoing", t.text))
        self.set_button.setIcon(icon("phone-outgoing", t.muted))
        self.set_button.setToolTip(self.tr("Forward calls…"))
        self.flows_action.setText(self.tr("Call flow per status…"))
        if target is not None:
            self.indicator.setText(self.tr("Forwarded to {number}").format(number=target))
            self.indicator.setToolTip(
                self.tr("Your calls go to {number}. Click to stop forwarding.").format(
                    number=target
                )
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)


def install_forwarding_indicator(
    top_bar: QWidget, context: UiContext
) -> ForwardingIndicator | None:
    """Put the forwarding indicator into ``top_bar``, left of its status button (when the
    context has forwarding: the desktop app's does, a test's fake may not)."""
    store = getattr(context, "forwarding", None)
    controller = getattr(context, "forwarding_ctl", None)
    layout = top_bar.layout()
    if (
        not isinstance(store, ForwardingStore)
        or not isinstance(controller, ForwardingController)
        or not isinstance(layout, QBoxLayout)
    ):
        return None
    widget = ForwardingIndicator(store, controller, top_bar)
    status = getattr(top_bar, "status", None)
    index = layout.indexOf(status) if isinstance(status, QWidget) else -1
    layout.insertWidget(index if index >= 0 else layout.count(), widget)
    return widget
