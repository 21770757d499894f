"""Settings → Signed in: where the user's account is signed in (this app, other computers,
scripts), each with what signed in, from where and when last used; any but this app's own can
be signed out (its token stops working at once).

Shown for a context with sign-ins (:class:`app.context.AppContext`); the list is asked for
again each time the section comes into view.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bus import Changes
from app.controllers.sign_ins import SignInsController
from app.protocols import UiContext
from app.sign_ins import SignIn, program_of
from app.stores.sign_ins import SignInsStore
from ui.format import format_local

__all__ = ["SignInsSettings", "sign_ins_section"]


class SignInsSettings(QGroupBox):
    """The list of sign-ins and "Sign out" for the selected one."""

    def __init__(
        self, store: SignInsStore, actions: SignInsController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SignInsSettings")
        self._store = store
        self._actions = actions
        layout = QVBoxLayout(self)
        self.hint = QLabel(self)
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.list = QListWidget(self)
        self.list.setMaximumHeight(150)
        self.list.itemSelectionChanged.connect(self._update_button)
        layout.addWidget(self.list)
        self.sign_out = QPushButton(self)
        self.sign_out.clicked.connect(self._sign_out)
        layout.addWidget(self.sign_out, 0, Qt.AlignmentFlag.AlignLeft)
        store.hub.subscribe(self._on_changes, owner=self)
        self._retranslate()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("sign_ins"):
            self._render()

    def _render(self) -> None:
        self.list.clear()
        # this app first, then the others, most recently used first
        ordered = sorted(
            self._store.sign_ins, key=lambda s: (not s.current, -s.last_used.timestamp())
        )
        for sign_in in ordered:
            item = QListWidgetItem(self._line(sign_in), self.list)
            item.setData(Qt.ItemDataRole.UserRole, sign_in.id)
            if sign_in.current:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        self._update_button()

    def _line(self, sign_in: SignIn) -> str:
        what = program_of(sign_in.user_agent) or self.tr("Unknown program")
        where = sign_in.source or "?"
        used = format_local(sign_in.last_used)
        if sign_in.current:
            return self.tr("{0} on {1}: this app, now").format(what, where)
        return self.tr("{0} on {1}: last used {2}").format(what, where, used)

    def _update_button(self) -> None:
        self.sign_out.setEnabled(bool(self.list.selectedItems()))

    def _sign_out(self) -> None:
        for item in self.list.selectedItems():
            self._actions.end(str(item.data(Qt.ItemDataRole.UserRole)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._actions.load()

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Signed in"))
        self.hint.setText(
            self.tr(
                "Where your account is signed in. Sign out a computer or program you no "
                "longer use; it has to sign in again with your password."
            )
        )
        self.sign_out.setText(self.tr("Sign out"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def sign_ins_section(context: UiContext, parent: QWidget | None = None) -> QWidget | None:
    """The section, or None for a context without sign-ins (the UI tests' fakes)."""
    store = getattr(context, "sign_ins", None)
    actions = getattr(context, "sign_ins_ctl", None)
    if not isinstance(store, SignInsStore) or not isinstance(actions, SignInsController):
        return None
    return SignInsSettings(store, actions, parent)
