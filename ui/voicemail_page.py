"""The Voicemail page (seed 000 "Voicemail"): personal and group inboxes, the player, the menu.

Newest first; the caller's name from the directory, else the number; an unheard message bold
with a red dot (the side bar's badge counts them). Choosing a message shows the player under
the list: play/pause on the speaker chosen in Settings, a seek bar, Call back, Chat (a
colleague), Delete (asked first). A message played is heard. The "…" menu turns voicemail off
("Stop receiving voicemail") and on again, sets the greeting from a WAV file, the number
"press 1 for personal assistance" rings and the e-mail of a new message (with the recording,
without it, or none). The tabs choose the inbox (Personal, then each group
inbox of the user's department) when there are group inboxes. With no messages: "No voicemail".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.bus import Changes
from app.call_model import CallAdded
from app.protocols import CallActions
from app.stores.voicemail import EMAIL_CHOICES, PERSONAL, EmailChoice, VoicemailStore
from ui.empty_state import EmptyState
from ui.voicemail_greeting import GreetingActions, GreetingDialog
from ui.voicemail_list import VoicemailDelegate, VoicemailModel, when_text
from ui.voicemail_player import PlayerActions, VoicemailPlayerBox

__all__ = ["VoicemailActions", "VoicemailPage"]


class _Popout(QWidget):
    """The player's own window; ``closing`` when the user closes it."""

    closing = Signal()

    def __init__(self, title: str) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("VoicemailPopout")
        self.setWindowTitle(title)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)


class VoicemailActions(PlayerActions, GreetingActions, Protocol):
    """:class:`app.controllers.voicemail.VoicemailController`."""

    def mark_heard(self, ident: int, heard: bool = True) -> None: ...
    def delete(self, ident: int) -> None: ...
    def set_enabled(self, enabled: bool) -> None: ...
    def upload_greeting(self, wav: bytes) -> None: ...
    def load_settings(self) -> None: ...
    def delete_greeting(self) -> None: ...
    def set_assistance_number(self, number: str | None) -> None: ...
    def set_email(self, choice: EmailChoice) -> None: ...


class VoicemailPage(QWidget):
    """The inboxes, the list of one, and the player of the chosen message."""

    def __init__(
        self,
        store: VoicemailStore,
        actions: VoicemailActions,
        calls_ctl: CallActions,
        name_for: Callable[[str], str | None],
        parent: QWidget | None = None,
        *,
        region: str = "NL",
        chat_with: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._actions = actions
        self._calls_ctl = calls_ctl
        self._name_for = name_for
        self._chat_with = chat_with
        self.side_button: QToolButton | None = None
        self.popout: _Popout | None = None
        self.greeting_dialog: GreetingDialog | None = None
        self.model = VoicemailModel(store, name_for, self, region=region)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        head = QHBoxLayout()
        head.setContentsMargins(16, 14, 12, 8)
        self.heading = QLabel(self)
        self.heading.setObjectName("Heading")
        self.menu_button = QToolButton(self)
        self.menu_button.setText("…")
        self.menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self)
        self.enable_action = QAction(self)
        self.enable_action.triggered.connect(self._toggle_enabled)
        self.record_action = QAction(self)
        self.record_action.triggered.connect(self._record_greeting)
        self.greeting_action = QAction(self)
        self.greeting_action.triggered.connect(self._choose_greeting)
        self.default_greeting_action = QAction(self)
        self.default_greeting_action.triggered.connect(lambda _=False: actions.delete_greeting())
        self.assistance_action = QAction(self)
        self.assistance_action.triggered.connect(self._ask_assistance_number)
        self.assistance_dialog: QInputDialog | None = None
        for action in (
            self.enable_action,
            self.record_action,
            self.greeting_action,
            self.default_greeting_action,
            self.assistance_action,
        ):
            self.menu.addAction(action)
        self.email_menu = self.menu.addMenu("")
        group = QActionGroup(self)
        self.email_actions: dict[EmailChoice, QAction] = {}
        for choice in EMAIL_CHOICES:
            action = self.email_menu.addAction("")
            action.setCheckable(True)
            action.setActionGroup(group)
            action.triggered.connect(lambda _=False, c=choice: actions.set_email(c))
            self.email_actions[choice] = action
        self.menu_button.setMenu(self.menu)
        self.menu.aboutToShow.connect(actions.load_settings)
        head.addWidget(self.heading, 1)
        head.addWidget(self.menu_button)
        layout.addLayout(head)
        self.off_label = QLabel(self)
        self.off_label.setObjectName("Muted")
        self.off_label.setContentsMargins(16, 0, 16, 8)
        self.off_label.setWordWrap(True)
        layout.addWidget(self.off_label)
        self.tabs = QTabBar(self)
        self.tabs.currentChanged.connect(self._inbox_chosen)
        layout.addWidget(self.tabs)
        self.stack = QStackedWidget(self)
        self._build_empty()
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(VoicemailDelegate(self.list))
        self.list.setMouseTracking(True)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.doubleClicked.connect(self._play_index)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.list)
        layout.addWidget(self.stack, 1)
        self.player = VoicemailPlayerBox(actions, self)
        self.player.call_back.connect(self._call_back)
        self.player.chat.connect(self._chat)
        self.player.delete.connect(lambda ident: self.delete_message(ident))
        layout.addWidget(self.player)
        self._player_layout = layout
        store.changed.connect(self._on_store)
        self.retranslate()
        self._on_store({"messages", "settings"})

    def _build_empty(self) -> None:
        self.empty = EmptyState(self)
        self.empty_label, self.empty_hint = self.empty.label, self.empty.hint

    # -- the store -----------------------------------------------------------------------
    def _on_store(self, names: object) -> None:
        changed = names if isinstance(names, set) else set()
        if "messages" in changed:
            self._reload()
        if "settings" in changed:
            self._show_settings()
        if changed & {"playing", "messages"}:
            self.player.refresh()

    def _reload(self) -> None:
        chosen = self.player.message.id if self.player.message is not None else None
        inboxes = self._store.inboxes
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        for inbox in inboxes:
            self.tabs.addTab(self.tr("Personal") if inbox == PERSONAL else inbox)
        self.tabs.setCurrentIndex(max(0, inboxes.index(self.model.inbox)))
        self.tabs.blockSignals(False)
        self.tabs.setVisible(len(inboxes) > 1)
        self.model.reload()
        self.stack.setCurrentWidget(self.list if self.model.rowCount() else self.empty)
        row = self.model.row_of(chosen) if chosen is not None else None
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))
        else:
            self._current_changed(self.list.currentIndex())

    def _show_settings(self) -> None:
        on = self._store.enabled
        self.off_label.setVisible(not on)
        self.enable_action.setText(
            self.tr("Stop receiving voicemail") if on else self.tr("Receive voicemail again")
        )
        self.default_greeting_action.setEnabled(self._store.own_greeting)
        self.email_actions[self._store.email].setChecked(True)

    def _inbox_chosen(self, index: int) -> None:
        inboxes = self._store.inboxes
        if 0 <= index < len(inboxes):
            self.model.set_inbox(inboxes[index])
            self._reload()

    # -- choosing and acting ----------------------------------------------------------------
    def select(self, ident: int) -> bool:
        """Choose a message (in whichever inbox it is); False when there is none such."""
        message = self._store.get(ident)
        if message is None:
            return False
        if message.inbox != self.model.inbox:
            self.model.set_inbox(message.inbox)
            self._reload()
        row = self.model.row_of(ident)
        if row is None:
            return False
        self.list.setCurrentIndex(self.model.index(row))
        return True

    def play(self, ident: int) -> None:
        """Choose a message and play it (the Calls page's voicemail button)."""
        if self.select(ident):
            self._actions.play(ident)

    def _current_changed(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if not index.isValid():
            self.player.show_message(None, "", "", can_chat=False)
            self.player.setVisible(False)
            return
        m = self.model.message(index.row())
        colleague = self._chat_with is not None and self._name_for(m.caller) is not None
        self.player.show_message(m, self.model.caller(m), when_text(m), can_chat=colleague)
        self.player.setVisible(True)

    def _play_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._actions.play(self.model.message(index.row()).id)

    def _call_back(self, ident: int) -> None:
        message = self._store.get(ident)
        if message is not None:
            self._calls_ctl.dial(message.caller)

    def _chat(self, ident: int) -> None:
        message = self._store.get(ident)
        if message is not None and self._chat_with is not None:
            self._chat_with(message.caller)

    def delete_message(self, ident: int, confirm: bool = True) -> None:
        """Delete a message, after asking (a group message goes for everyone)."""
        message = self._store.get(ident)
        if message is None:
            return
        if confirm:
            caller = self.model.caller(message)
            answer = QMessageBox.question(
                self,
                self.tr("Delete voicemail"),
                self.tr("Delete the message from {caller}? This cannot be undone.").format(
                    caller=caller
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._actions.delete(ident)

    def _toggle_enabled(self) -> None:
        self._actions.set_enabled(not self._store.enabled)

    def _record_greeting(self) -> None:
        self.greeting_dialog = GreetingDialog(self._actions, self)
        self.greeting_dialog.open()

    def _ask_assistance_number(self) -> None:
        """The number "press 1 for personal assistance" rings (a colleague, the reception);
        empty: callers are not offered 1."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Personal assistance"))
        dialog.setLabelText(
            self.tr(
                "Callers who reach your voicemail can press 1 to be put through to this number. "
                "Leave it empty to not offer this."
            )
        )
        dialog.setTextValue(self._store.assistance_number or "")
        dialog.textValueSelected.connect(
            lambda text: self._actions.set_assistance_number(text.strip() or None)
        )
        self.assistance_dialog = dialog
        dialog.open()

    def _choose_greeting(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose your greeting"), "", self.tr("WAV files (*.wav)")
        )
        if name:
            self._actions.upload_greeting(Path(name).read_bytes())

    # -- popping out ---------------------------------------------------------------------------
    def hideEvent(self, event: QHideEvent) -> None:
        """Another section was chosen while a message plays: the player goes along in a small
        window of its own."""
        super().hideEvent(event)
        if not event.spontaneous() and self.player.playing:
            self.pop_out()

    def pop_out(self) -> None:
        """Put the player in a small window that stays on top (until the page shows again or
        the window is closed)."""
        if self.popout is not None or self.player.message is None:
            return
        self.popout = _Popout(self.tr("Voicemail"))
        self.popout.closing.connect(self.take_player_back)
        QVBoxLayout(self.popout).addWidget(self.player)
        self.player.show()
        self.popout.resize(420, self.player.sizeHint().height())
        self.popout.show()

    def on_calls_changed(self, changes: Changes) -> None:
        """A call comes in while a message is in the player (paused for it): pop the player out
        so it stays at hand next to the call."""
        if any(isinstance(c, CallAdded) for c in changes.calls) and self.player.mine:
            self.pop_out()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self._actions.load_settings()
        self.take_player_back()

    def take_player_back(self) -> None:
        popout, self.popout = self.popout, None
        if popout is not None:
            self._player_layout.addWidget(self.player)
            self.player.setVisible(self.player.message is not None)
            popout.closing.disconnect(self.take_player_back)
            popout.close()
            popout.deleteLater()

    # -- language ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        if self.side_button is not None:
            self.side_button.setText(self.tr("Voicemail"))
        self.heading.setText(self.tr("Voicemail"))
        self.menu_button.setToolTip(self.tr("More"))
        self.record_action.setText(self.tr("Record your greeting…"))
        self.greeting_action.setText(self.tr("Use a WAV file as your greeting…"))
        self.default_greeting_action.setText(self.tr("Use the default greeting"))
        self.assistance_action.setText(self.tr("Personal assistance number…"))
        self.email_menu.setTitle(self.tr("E-mail for new messages"))
        self.email_actions["with_audio"].setText(self.tr("With the recording"))
        self.email_actions["without_audio"].setText(self.tr("Without the recording"))
        self.email_actions["off"].setText(self.tr("No e-mail"))
        self.off_label.setText(
            self.tr("Voicemail is off: callers you miss cannot leave a message.")
        )
        self.empty_label.setText(self.tr("No voicemail"))
        self.empty_hint.setText(
            self.tr("When a caller leaves a message because you did not answer, it is here.")
        )
        self.empty.fit_hint()
        self._show_settings()
        self.player.retranslate()
        self._reload()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
