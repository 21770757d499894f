"""The voicemail player (seed 000 "Kies het voicemailbericht om het afspeelmenu te tonen"): the
chosen message's caller and time, play/pause, a seek bar with the time, Call back, Chat and
Delete. While the page is out of view and a message plays, the player sits in a small window of
its own (seed 000 "Wisselen van focus").
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.stores.voicemail import VoicemailMessage
from ui import theme
from ui.format import timer_text
from ui.icons import icon

__all__ = ["PlayerActions", "VoicemailPlayerBox"]

_TICK_MS = 100
_STEPS_PER_S = 10


class PlayerActions(Protocol):
    """What the player asks of :class:`app.controllers.voicemail.VoicemailController`."""

    @property
    def playing_id(self) -> int | None: ...
    @property
    def state(self) -> str: ...
    @property
    def position_s(self) -> float: ...
    @property
    def duration_s(self) -> float: ...
    def play(self, ident: int) -> None: ...
    def pause(self) -> None: ...
    def seek(self, seconds: float) -> None: ...
    def poll(self) -> None: ...


class VoicemailPlayerBox(QFrame):
    """The player of one message; ``call_back``/``chat``/``delete`` name the message id."""

    call_back = Signal(int)
    chat = Signal(int)
    delete = Signal(int)

    def __init__(self, actions: PlayerActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("VoicemailPlayer")
        self._actions = actions
        self.message: VoicemailMessage | None = None
        self._dragging = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 12)
        self.caller = QLabel(self)
        self.caller.setObjectName("SubHeading")
        self.when = QLabel(self)
        self.when.setObjectName("Muted")
        outer.addWidget(self.caller)
        outer.addWidget(self.when)
        bar = QHBoxLayout()
        self.play_button = QToolButton(self)
        self.play_button.setObjectName("PlayButton")
        self.play_button.clicked.connect(self._toggle)
        self.seek_bar = QSlider(Qt.Orientation.Horizontal, self)
        self.seek_bar.sliderPressed.connect(self._press)
        self.seek_bar.sliderReleased.connect(self._release)
        self.time = QLabel(self)
        self.time.setObjectName("Muted")
        bar.addWidget(self.play_button)
        bar.addWidget(self.seek_bar, 1)
        bar.addWidget(self.time)
        outer.addLayout(bar)
        buttons = QHBoxLayout()
        self.call_back_button = QPushButton(self)
        self.call_back_button.setObjectName("GreenButton")
        self.call_back_button.clicked.connect(lambda _=False: self._emit(self.call_back))
        self.chat_button = QPushButton(self)
        self.chat_button.clicked.connect(lambda _=False: self._emit(self.chat))
        self.chat_button.hide()
        self.delete_button = QPushButton(self)
        self.delete_button.clicked.connect(lambda _=False: self._emit(self.delete))
        buttons.addWidget(self.call_back_button)
        buttons.addWidget(self.chat_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        outer.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(_TICK_MS)
        self._timer.timeout.connect(self._tick)
        self.retranslate()
        self.show_message(None, "", "", can_chat=False)

    def _emit(self, signal: SignalInstance) -> None:
        if self.message is not None:
            signal.emit(self.message.id)

    def show_message(
        self, message: VoicemailMessage | None, caller: str, when: str, *, can_chat: bool
    ) -> None:
        """Show ``message`` (None: nothing chosen) in the player; it starts paused at 0."""
        self.message = message
        self.caller.setText(caller)
        self.when.setText(when)
        self.chat_button.setVisible(can_chat)
        for w in (self.play_button, self.seek_bar, self.call_back_button, self.delete_button):
            w.setEnabled(message is not None)
        self.refresh()

    @property
    def mine(self) -> bool:
        """The player holds this box's message (playing or paused)."""
        a = self._actions
        return self.message is not None and a.playing_id == self.message.id and a.state != "stopped"

    @property
    def playing(self) -> bool:
        return self.mine and self._actions.state == "playing"

    def _toggle(self) -> None:
        if self.message is None:
            return
        if self.playing:
            self._actions.pause()
        else:
            self._actions.play(self.message.id)

    def _press(self) -> None:
        self._dragging = True

    def _release(self) -> None:
        self._dragging = False
        if self.mine:
            self._actions.seek(self.seek_bar.value() / _STEPS_PER_S)
        self.refresh()

    def _tick(self) -> None:
        self._actions.poll()
        self.refresh()

    def refresh(self) -> None:
        """Draw the play state, the bar and the time; tick while playing."""
        t = theme.current()
        playing = self.playing
        self.play_button.setIcon(icon("pause" if playing else "play", t.text, t.muted))
        self.play_button.setToolTip(self.tr("Pause") if playing else self.tr("Play"))
        mine = self.mine
        duration = self._actions.duration_s if mine else (self._message_length())
        position = self._actions.position_s if mine else 0.0
        self.seek_bar.setRange(0, max(1, round(duration * _STEPS_PER_S)))
        if not self._dragging:
            self.seek_bar.setValue(round(position * _STEPS_PER_S))
        self.time.setText(f"{timer_text(position)} / {timer_text(round(duration))}")
        if playing and not self._timer.isActive():
            self._timer.start()
        elif not playing:
            self._timer.stop()

    def _message_length(self) -> float:
        return self.message.duration_s if self.message is not None else 0.0

    def retranslate(self) -> None:
        t = theme.current()
        self.call_back_button.setText(self.tr("Call back"))
        self.call_back_button.setIcon(icon("phone", "#ffffff"))
        self.chat_button.setText(self.tr("Chat"))
        self.chat_button.setIcon(icon("message-circle", t.text))
        self.delete_button.setText(self.tr("Delete"))
        self.delete_button.setIcon(icon("trash-2", t.red))
        self.seek_bar.setAccessibleName(self.tr("Position in the message"))
        self.refresh()
