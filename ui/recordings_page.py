"""The Recordings page (P17; seed 003 "Nahrávky": the signed-in user's recorded calls, to play
or download): newest first, with whom, when and how long; the chosen one in the voicemail's
player (play/pause on the Settings speaker, a seek bar, Call back, Delete after asking).
With none: "No recordings" and how to make one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.protocols import CallActions
from app.stores.recordings import RecordingsStore
from app.stores.voicemail import VoicemailMessage
from ui.empty_state import EmptyState
from ui.recordings_list import RecordingsDelegate, RecordingsModel, when_text
from ui.voicemail_player import PlayerActions, VoicemailPlayerBox

__all__ = ["RecordingsActions", "RecordingsPage"]

_Index = QModelIndex | QPersistentModelIndex


class RecordingsActions(PlayerActions, Protocol):
    """:class:`app.controllers.recordings.RecordingsController`."""

    def delete(self, ident: int) -> None: ...


class RecordingsPage(QWidget):
    """The list of the user's recordings and the player of the chosen one."""

    def __init__(
        self,
        store: RecordingsStore,
        actions: RecordingsActions,
        calls_ctl: CallActions,
        name_for: Callable[[str], str | None],
        parent: QWidget | None = None,
        *,
        region: str = "NL",
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._actions = actions
        self._calls_ctl = calls_ctl
        self.side_button: QToolButton | None = None
        self.model = RecordingsModel(store, name_for, self, region=region)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.heading = QLabel(self)
        self.heading.setObjectName("Heading")
        head = QHBoxLayout()  # the margins of the other pages' headings (a label's own are
        head.setContentsMargins(16, 14, 12, 8)  # replaced by the style sheet's)
        head.addWidget(self.heading, 1)
        layout.addLayout(head)
        self.stack = QStackedWidget(self)
        self.empty = EmptyState(self)
        self.empty_label, self.empty_hint = self.empty.label, self.empty.hint
        self.list = QListView(self)
        self.list.setObjectName("RecordingsList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(RecordingsDelegate(self.list))
        self.list.setMouseTracking(True)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.doubleClicked.connect(self._play_index)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.list)
        layout.addWidget(self.stack, 1)
        self.player = VoicemailPlayerBox(actions, self)
        self.player.call_back.connect(self._call_back)
        self.player.delete.connect(lambda ident: self.delete_recording(ident))
        layout.addWidget(self.player)
        store.changed.connect(self._on_store)
        self.retranslate()

    def _on_store(self, names: object) -> None:
        changed = names if isinstance(names, set) else set()
        if "recordings" in changed:
            self._reload()
        if changed & {"playing", "recordings"}:
            self.player.refresh()

    def _reload(self) -> None:
        chosen = self.player.message.id if self.player.message is not None else None
        self.model.reload()
        self.stack.setCurrentWidget(self.list if self.model.rowCount() else self.empty)
        row = self.model.row_of(chosen) if chosen is not None else None
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))
        else:
            self._current_changed(self.list.currentIndex())

    def select(self, ident: int) -> bool:
        row = self.model.row_of(ident)
        if row is None:
            return False
        self.list.setCurrentIndex(self.model.index(row))
        return True

    def _current_changed(self, index: _Index) -> None:
        if not index.isValid():
            self.player.show_message(None, "", "", can_chat=False)
            self.player.setVisible(False)
            return
        r = self.model.recording(index.row())
        as_message = VoicemailMessage(
            r.id, r.number, r.name, r.started_at, r.duration_s, heard=True
        )  # the player shows any clip with an id, a length and a party
        self.player.show_message(as_message, self.model.who(r), when_text(r), can_chat=False)
        self.player.setVisible(True)

    def _play_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._actions.play(self.model.recording(index.row()).id)

    def _call_back(self, ident: int) -> None:
        found = self._store.get(ident)
        if found is not None:
            self._calls_ctl.dial(found.number)

    def delete_recording(self, ident: int, confirm: bool = True) -> None:
        """Delete a recording, after asking."""
        found = self._store.get(ident)
        if found is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Delete recording"),
                self.tr("Delete the recording of the call with {0}? This cannot be undone.").format(
                    self.model.who(found)
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._actions.delete(ident)

    def retranslate(self) -> None:
        if self.side_button is not None:
            self.side_button.setText(self.tr("Recordings"))
        self.heading.setText(self.tr("Recordings"))
        self.empty_label.setText(self.tr("No recordings"))
        self.empty_hint.setText(
            self.tr(
                "To record a call, open the more button (⌄) in the call window and choose Record."
            )
        )
        self.empty.fit_hint()
        self.list.setAccessibleName(self.tr("Recordings"))
        self.player.retranslate()
        self._reload()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
