"""One call window (seed 000 "Telefonie"): outgoing, incoming, in call; movable and minimisable.

It renders one `ActiveCall` from the CallsStore and calls the CallsController; its state never
changes on its own. The expand button opens the extras (:mod:`ui.call_extras`: transfer,
invite, park, move, merge, audio settings); Transfer and Invite open the picker
(:mod:`ui.transfer_picker`). A consult call and its held original both show the consult bar;
the first call of a conference lists the participants. Dragging the card onto a search result
transfers the call there (:class:`ui.call_layer.CallLayer` finds the number under the drop).

Timers: the running call time while connected, and how long an ended card
stays. An ended call the user did not end himself (busy, no answer, …) stays until "Close" or a
few seconds after the pointer leaves the card; one he ended goes after a few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QEnterEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.call_model import ActiveCall
from app.outcome_text import is_failed, outcome_sentence
from app.phone_format import display_number
from app.protocols import CallActions, DirectoryActions
from app.stores import DirectoryStore
from ui import theme
from ui.call_extras import ConsultBar, ExtrasRow, ParticipantList, transfer_text
from ui.call_recording import CallRecordingParts, RecordingIndicator
from ui.call_texts import no_audio_text, short_state, via_text
from ui.call_window_control import CallControlParts
from ui.draggable_card import DraggableCard
from ui.format import timer_text
from ui.icons import icon
from ui.transfer_picker import TransferPicker

__all__ = ["ENDED_MS", "KEYS", "LEAVE_MS", "CallWindow"]

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")
ENDED_MS = 4000
"""How long the card of a call the user ended (or that ended normally) stays."""
LEAVE_MS = 4000
"""How long an ended card stays after the pointer leaves it."""
_ENDED_BY_USER = ("completed", "cancelled", "you_declined")


class CallWindow(CallRecordingParts, CallControlParts, DraggableCard):
    """A card over the content area for one call; drag it by its header."""

    closed = Signal(str)
    audio_settings_requested = Signal()
    dropped = Signal(str, QPoint)
    chat_requested = Signal(str)
    """The other party is a colleague and the user asked to chat with them."""
    """The card was dragged and let go at this global position (a blind transfer target?)."""

    def __init__(
        self,
        call: ActiveCall,
        controller: CallActions,
        parent: QWidget | None = None,
        clock: Callable[[], float] = time.monotonic,
        region: str = "NL",
        directory: DirectoryStore | None = None,
        directory_ctl: DirectoryActions | None = None,
    ) -> None:
        super().__init__(parent)
        self._directory = directory
        self._directory_ctl = directory_ctl
        self._others: list[ActiveCall] = []
        self.setObjectName("CallWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.key = call.key
        self._call = call
        self._ctl = controller
        self._clock = clock
        self._region = region
        self.minimised = False
        self.audio_missing = False
        self._hovered = False
        self._note = ""
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_timer)
        self.linger = QTimer(self)
        """Closes an ended card; runs only while the pointer is not over it."""
        self.linger.setSingleShot(True)
        self.linger.timeout.connect(self._close)
        self._build()
        self.set_call(call)

    def _colleague(self) -> str | None:
        """The other party's extension when it is a colleague (1:1 calls only)."""
        if self._directory is None or self.conference_members():
            return None
        user = self._directory.index.user(self._call.number)
        return user.extension if user is not None else None

    def _chat(self) -> None:
        """Open the 1:1 chat with the other party in the main window's Chat section."""
        extension = self._colleague()
        if extension is None:
            return
        self.chat_requested.emit(extension)
        opener = getattr(self.window(), "chat_with", None)
        if callable(opener):
            opener(extension)

    # -- construction -----------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 10)
        outer.setSpacing(6)
        self.header = QWidget(self)
        self.header.setObjectName("CallHeader")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.header.setCursor(Qt.CursorShape.SizeAllCursor)
        self.header.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        hl = QHBoxLayout(self.header)
        hl.setContentsMargins(10, 6, 6, 6)
        self.header_icon = QLabel(self.header)
        self.header_text = QLabel(self.header)
        self.header_status = QLabel(self.header)
        self.header_status.setObjectName("Muted")
        self.header_timer = QLabel(self.header)
        self.header_timer.setObjectName("CallTimer")
        self.header_hangup = QToolButton(self.header)
        self.header_hangup.setObjectName("HeaderHangup")
        self.header_hangup.clicked.connect(self._header_hangup)
        self.header_hangup.setIconSize(QSize(14, 14))
        self.chat_button = QToolButton(self.header)
        self.chat_button.setAutoRaise(True)
        self.chat_button.clicked.connect(self._chat)
        self.chat_button.hide()
        self.min_button = QToolButton(self.header)
        self.min_button.setAutoRaise(True)
        self.min_button.clicked.connect(self.toggle_minimised)
        hl.addWidget(self.header_icon)
        hl.addWidget(self.header_text, 1)
        hl.addWidget(self.header_status)
        hl.addWidget(self.header_timer)
        hl.addWidget(self.header_hangup)
        hl.addWidget(self.chat_button)
        hl.addWidget(self.min_button)
        outer.addWidget(self.header)
        self._outer = outer

        self.body = QWidget(self)
        bl = QVBoxLayout(self.body)
        bl.setContentsMargins(14, 4, 14, 0)
        bl.setSpacing(4)
        self.name_label = QLabel(self.body)
        self.name_label.setObjectName("CallName")
        self.name_label.setWordWrap(True)
        self.number_label = QLabel(self.body)
        self.number_label.setObjectName("Muted")
        self.via_label = QLabel(self.body)  # "via Support": a queue's call, ringing and after
        self.via_label.setObjectName("Muted")
        self.via_label.setWordWrap(True)
        self.timer_label = QLabel(self.body)
        self.timer_label.setObjectName("CallTimer")
        self.status_label = QLabel(self.body)
        self.status_label.setObjectName("CallStatus")
        self.status_label.setWordWrap(True)
        self.audio_label = QLabel(self.body)
        self.audio_label.setObjectName("CallWarning")
        self.audio_label.setWordWrap(True)
        bl.addWidget(self.name_label)
        bl.addWidget(self.number_label)
        bl.addWidget(self.via_label)
        bl.addWidget(self.timer_label)
        self.recording_indicator = RecordingIndicator(self.body)
        bl.addWidget(self.recording_indicator)
        self.quality_label = QLabel(self.body)
        self.quality_label.setObjectName("Muted")
        bl.addWidget(self.status_label)
        bl.addWidget(self.quality_label)
        bl.addWidget(self.audio_label)
        self.consult_bar = ConsultBar(self.body, swap=self._swap, complete=self._complete)
        bl.addWidget(self.consult_bar)
        self.participants = ParticipantList(self.body, self._ctl.remove_from_conference)
        bl.addWidget(self.participants)

        row = QHBoxLayout()
        row.setSpacing(6)
        self.answer_button = self._button("phone", "GreenButton", self._answer)
        self.decline_button = self._button("phone-off", "RedButton", self._decline)
        self.mute_button = self._button("mic-off", "", self._toggle_mute, checkable=True)
        self.hold_button = self._button("pause", "", self._toggle_hold, checkable=True)
        self.keypad_button = self._button("grid-3x3", "", self._toggle_keypad, checkable=True)
        self.hangup_button = self._button("phone-off", "RedButton", self._hangup)
        self.close_button = self._button("x", "", self._close)
        self.expand_button = self._button("chevron-down", "", self._toggle_extras, checkable=True)
        self.pick_up_again_button = self._button("phone", "GreenButton", self._ctl.pick_up_again)
        for b in (self.mute_button, self.hold_button, self.keypad_button, self.expand_button):
            b.setFixedWidth(44)  # icon only: room for "Hang up" in every language
        for b in (
            self.answer_button,
            self.decline_button,
            self.mute_button,
            self.hold_button,
            self.keypad_button,
            self.expand_button,
            self.hangup_button,
            self.pick_up_again_button,
            self.close_button,
        ):
            row.addWidget(b)
        row.addStretch(0)
        bl.addSpacing(6)
        bl.addLayout(row)

        self.keypad = QWidget(self.body)
        grid = QGridLayout(self.keypad)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setSpacing(6)
        self.key_buttons: dict[str, QPushButton] = {}
        for i, k in enumerate(KEYS):
            b = QPushButton(k, self.keypad)
            b.setObjectName("KeyButton")
            b.clicked.connect(lambda _=False, d=k: self._ctl.send_dtmf(self.key, d))
            grid.addWidget(b, i // 3, i % 3)
            self.key_buttons[k] = b
        self.keypad.hide()
        bl.addWidget(self.keypad)
        self.extras = ExtrasRow(
            self.body,
            transfer=lambda: self._open_picker("transfer"),
            invite=lambda: self._open_picker("invite"),
            park=lambda: self._ctl.park(self.key),
            move=lambda choice: self._ctl.move(self.key, choice),
            merge=self._merge,
            audio=self.audio_settings_requested.emit,
            record=self._record,
        )
        self.extras.hide()
        bl.addWidget(self.extras)
        self.picker: TransferPicker | None = None
        if self._directory is not None and self._directory_ctl is not None:
            self.picker = TransferPicker(
                self.body, self._directory, self._directory_ctl, self._picked
            )
            bl.addWidget(self.picker)
        outer.addWidget(self.body)
        self.setMinimumWidth(300)
        self.setMaximumWidth(340)

    def _button(
        self, name: str, object_name: str, slot: Callable[[], None], checkable: bool = False
    ) -> QPushButton:
        b = QPushButton(self)
        if object_name:
            b.setObjectName(object_name)
        b.setCheckable(checkable)
        b.setIconSize(QSize(18, 18))
        b.clicked.connect(lambda _=False: slot())
        b.setProperty("iconName", name)
        return b

    # -- rendering ----------------------------------------------------------------------
    def set_call(self, call: ActiveCall, others: list[ActiveCall] | None = None) -> None:
        """Render a new state of this call (from a CallsStore change); ``others`` are all the
        store's calls (for the consult partner, the conference and Merge)."""
        self._call = call
        if others is not None:
            self._others = others
        self._retranslate()

    def set_audio_missing(self, missing: bool) -> None:
        """Say that the call will be silent (no usable microphone or speaker here)."""
        self.audio_missing = missing
        self._retranslate()

    def _retranslate(self) -> None:
        c = self._call
        t = theme.current()
        state = c.state
        incoming_ringing = c.ringing_in
        outgoing_ringing = state in ("calling", "ringing")
        in_call = c.in_call
        ended = state == "ended"
        number = display_number(c.number, self._region)
        who = c.name or number
        self.chat_button.setVisible(self._colleague() is not None)
        self.chat_button.setIcon(icon("message-circle", t.text))
        self.chat_button.setToolTip(self.tr("Chat with {name}").format(name=who))
        self.name_label.setText(who)
        self.number_label.setText(number if c.name else "")
        self.number_label.setVisible(bool(c.name))
        self.via_label.setText(via_text(c.queue) if c.queue else "")
        self.via_label.setVisible(bool(c.queue))
        members = self.conference_members()
        if members and c.in_call:  # the conference's window: everyone, listed below
            self.name_label.setText(
                ", ".join(m.name or display_number(m.number, self._region) for m in members)
            )
            self.number_label.hide()
        if incoming_ringing:
            header, status, head_icon = self.tr("Incoming call"), "", "phone-incoming"
            if c.referred_by:
                status = self.tr("Transferred by {0}").format(c.referred_by)
        elif outgoing_ringing:
            header, head_icon = self.tr("Outgoing call"), "phone-outgoing"
            status = self.tr("Ringing…") if state == "ringing" else self.tr("Calling…")
        elif c.held:
            header, head_icon, status = self.tr("On hold"), "pause", ""
        elif in_call and members:
            header, head_icon, status = self.tr("Conference"), "phone-call", ""
        elif in_call:
            header, head_icon, status = self.tr("In call"), "phone-call", ""
        else:
            header, head_icon = self.tr("Call ended"), "phone-off"
            status = ""
            if c.outcome is not None and c.outcome != "completed":
                status = outcome_sentence(c.outcome, who, number)
            if c.transfer == "transferred":
                status = transfer_text(c)
        self._note = ""
        if in_call and not c.held and c.remote_held:
            self._note = self.tr("On hold by the other party")
            status = self._note
        if in_call and c.transfer in ("transferring", "failed"):
            status = transfer_text(c)
        failed = (ended and c.transfer != "transferred" and is_failed(c.outcome)) or (
            in_call and c.transfer == "failed"
        )
        self.header_text.setText(who if self.minimised else header)
        self.header_icon.setPixmap(icon(head_icon, t.red if failed else t.text).pixmap(16, 16))
        self.status_label.setText(status)
        self.status_label.setVisible(bool(status))
        self.status_label.setStyleSheet(f"color: {t.red};" if failed else "")
        self.audio_label.setText(no_audio_text())
        self.audio_label.setVisible(self.audio_missing and not ended)
        self.audio_label.setStyleSheet(f"color: {t.amber};")
        self.answer_button.setVisible(incoming_ringing)
        self.decline_button.setVisible(incoming_ringing)
        self.mute_button.setVisible(in_call)
        self.hold_button.setVisible(in_call)
        self.keypad_button.setVisible(in_call)
        self.hangup_button.setVisible(in_call or outgoing_ringing)
        self.close_button.setVisible(ended)
        moved = ended and c.transfer_kind == "move" and c.transfer == "transferred"
        self.pick_up_again_button.setVisible(moved)
        self.pick_up_again_button.setText(self.tr("Pick up again"))
        self.pick_up_again_button.setIcon(icon("phone", "#ffffff"))
        self.pick_up_again_button.setToolTip(self.tr("Bring the call back to this computer"))
        self._render_extras(in_call, members)
        self.header_hangup.setVisible(self.minimised and c.live)
        if not in_call:
            self.keypad.hide()
            self.keypad_button.setChecked(False)
        held = c.held
        self.mute_button.setChecked(c.muted)
        self.hold_button.setChecked(held)
        self.answer_button.setText(self.tr("Answer"))
        self.decline_button.setText(self.tr("Decline"))
        self.hangup_button.setText(self.tr("Cancel") if outgoing_ringing else self.tr("Hang up"))
        self.header_hangup.setToolTip(
            self.tr("Decline") if incoming_ringing else self.hangup_button.text()
        )
        self.close_button.setText(self.tr("Close"))
        self.mute_button.setToolTip(self.tr("Unmute") if c.muted else self.tr("Mute"))
        self.hold_button.setToolTip(self.tr("Resume") if held else self.tr("Hold"))
        self.keypad_button.setToolTip(self.tr("Keypad"))
        self.min_button.setToolTip(self.tr("Restore") if self.minimised else self.tr("Minimise"))
        self.mute_button.setIcon(icon("mic-off" if c.muted else "mic", t.text))
        self.hold_button.setIcon(icon("play" if held else "pause", t.text))
        self.keypad_button.setIcon(icon("grid-3x3", t.text))
        for b in (self.answer_button,):
            b.setIcon(icon("phone", "#ffffff"))
        for b in (self.decline_button, self.hangup_button):
            b.setIcon(icon("phone-off", "#ffffff"))
        self.header_hangup.setIcon(icon("phone-off", "#ffffff"))
        self.header_hangup.setStyleSheet(
            f"QToolButton {{ background: {t.red}; border: none; border-radius: 11px;"
            " padding: 4px 8px; }"
        )
        radius = "12px" if self.minimised else "0px"
        self.header.setStyleSheet(
            f"QWidget#CallHeader {{ border-bottom-left-radius: {radius};"
            f" border-bottom-right-radius: {radius}; }}"
        )
        self.close_button.setIcon(icon("x", t.text))
        self.min_button.setIcon(icon("maximize-2" if self.minimised else "minus", t.text))
        if in_call and c.connected_at is not None and not held:
            if not self._tick.isActive():
                self._tick.start()
        else:
            self._tick.stop()
        if ended:
            self._start_linger(entering=False)
        self._update_timer()
        self._render_recording()
        self.fit()

    def fit(self) -> None:
        """As high as the content needs at the current width (word-wrapped texts included)."""
        self.adjustSize()
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            self.resize(self.width(), layout.totalHeightForWidth(self.width()))
        if self.parentWidget() is not None and self.isVisible():
            self.move_within(self.pos())  # grown (extras, picker): still inside the host

    def _update_timer(self) -> None:
        c = self._call
        running = c.state == "connected" and c.connected_at is not None
        text = ""
        if running and c.connected_at is not None:
            text = timer_text(self._clock() - c.connected_at)
        self.timer_label.setText(text)
        self.timer_label.setVisible(bool(text))
        self.header_timer.setText(text if self.minimised else "")
        self.header_timer.setVisible(self.minimised and bool(text))
        self.header_status.setText("" if text else short_state(self._call.state))
        self.header_status.setVisible(self.minimised and not text)
        if text:
            self._render_recording()  # the indicator's elapsed time

    # -- an ended card stays while the user looks at it ---------------------------------------
    def needs_attention(self) -> bool:
        """Ended in a way the user did not choose: the card stays until he has seen it."""
        c = self._call
        if c.state == "ended" and c.transfer_kind == "move" and c.transfer == "transferred":
            return True  # "Pick up again" stays at hand
        if c.state == "ended" and c.transfer == "transferred":
            return False
        return c.state == "ended" and (c.outcome or "completed") not in _ENDED_BY_USER

    def _start_linger(self, *, entering: bool) -> None:
        if self._hovered:
            self.linger.stop()
        elif not self.linger.isActive() and (entering or not self.needs_attention()):
            self.linger.start(LEAVE_MS if entering else ENDED_MS)

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hovered = True
        self.linger.stop()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hovered = False
        if self._call.state == "ended":
            self._start_linger(entering=True)
        super().leaveEvent(event)

    @property
    def call(self) -> ActiveCall:
        """The call as last rendered."""
        return self._call

    def timer_running(self) -> bool:
        return self._tick.isActive()

    # -- actions --------------------------------------------------------------------------
    def _answer(self) -> None:
        self._ctl.answer(self.key)

    def _decline(self) -> None:
        self._ctl.decline(self.key)

    def _hangup(self) -> None:
        self._ctl.hangup(self.key)
        for member in self.conference_members():  # the conference ends with its window
            if member.key != self.key:
                self._ctl.hangup(member.key)

    def _header_hangup(self) -> None:
        if self._call.ringing_in:
            self._decline()
        else:
            self._hangup()

    def _toggle_mute(self) -> None:
        self.mute_button.setChecked(self._call.muted)  # the store decides
        self._ctl.set_mute(self.key, not self._call.muted)

    def _toggle_hold(self) -> None:
        held = self._call.held
        self.hold_button.setChecked(held)  # the engine's event decides
        if held:
            self._ctl.resume(self.key)
        else:
            self._ctl.hold(self.key)

    def _toggle_keypad(self) -> None:
        self.keypad.setVisible(self.keypad_button.isChecked())
        self.fit()

    def _close(self) -> None:
        self.closed.emit(self.key)

    def toggle_minimised(self) -> None:
        """Collapse to the header (name and timer) or expand again."""
        self.minimised = not self.minimised
        self.body.setVisible(not self.minimised)
        self._outer.setContentsMargins(0, 0, 0, 0 if self.minimised else 10)
        self._retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()  # shown with a hidden main window (tray): wrapped texts know their height now

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
