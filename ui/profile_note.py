"""The user's own presence in the top bar: the shared note in the profile menu (C1) and the
automatic "In a call" next to the status button while a call is on (C3).

The note editor is a line in the profile menu: what colleagues read under the user's name in
their search results ("Back at three"); Enter or Save shares it, Clear removes it. The badge
follows :class:`app.own_presence.OwnPresence`; it shows during a call and hides after.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.own_presence import MAX_NOTE_CHARS, OwnPresence, OwnPresenceController
from ui import theme

__all__ = ["InCallBadge", "NoteEditor", "own_presence_of"]


class NoteEditor(QWidget):
    """The note field of the profile menu; ``done`` is called after Save or Clear."""

    def __init__(
        self,
        store: OwnPresence,
        actions: OwnPresenceController,
        parent: QWidget | None = None,
        done: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ProfileNote")
        self._store = store
        self._actions = actions
        self._done = done
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(4)
        self.title = QLabel(self)
        self.title.setObjectName("Muted")
        self.field = QLineEdit(self)
        self.field.setMaxLength(MAX_NOTE_CHARS)
        self.field.setMinimumWidth(260)
        self.field.setText(store.note or "")
        self.field.returnPressed.connect(self.save)
        self.private = QCheckBox(self)
        self.private.setChecked(store.role == "private")
        self.private.toggled.connect(self._role_toggled)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("PrimaryButton")
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton(self)
        self.clear_button.clicked.connect(self.clear)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        layout.addWidget(self.title)
        layout.addWidget(self.field)
        layout.addWidget(self.private)
        layout.addLayout(buttons)
        self._retranslate()

    def save(self) -> None:
        self._actions.set_note(self.field.text())
        self._finish()

    def clear(self) -> None:
        self.field.clear()
        self._actions.set_note("")
        self._finish()

    def _role_toggled(self, private: bool) -> None:
        self._actions.set_role("private" if private else "work")

    def _finish(self) -> None:
        if self._done is not None:
            self._done()

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Note for colleagues"))
        self.field.setPlaceholderText(self.tr("For example: Back at three"))
        self.field.setToolTip(self.tr("Colleagues see this under your name when they search."))
        self.save_button.setText(self.tr("Save"))
        self.clear_button.setText(self.tr("Clear"))
        self.private.setText(self.tr("Private role"))
        self.private.setToolTip(
            self.tr("Colleagues see that you are in your private role (outside work hours).")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class InCallBadge(QLabel):
    """ "In a call" beside the status while the user's line is in a call or on hold."""

    def __init__(self, store: OwnPresence, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InCallBadge")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._store = store
        store.changed.connect(self._show)
        self._show()

    def _show(self) -> None:
        t = theme.current()
        held = self._store.line == "on_hold"
        self.setText(self.tr("On hold") if held else self.tr("In a call"))
        self.setStyleSheet(f"color:{t.red}; font-weight:600; padding:0 6px;")
        self.setToolTip(self.tr("Colleagues see that you are in a call; it goes away after."))
        self.setVisible(self._store.in_call)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
        super().changeEvent(event)


def own_presence_of(context: object) -> tuple[OwnPresence, OwnPresenceController] | None:
    """The context's own presence and its controller; None in a context without them (the
    fakes of the UI tests and of the screenshots)."""
    store = getattr(context, "own_presence", None)
    actions = getattr(context, "own_presence_ctl", None)
    if isinstance(store, OwnPresence) and actions is not None:
        return store, actions
    return None
