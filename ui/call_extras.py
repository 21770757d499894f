"""The call window's extra parts (seed 000 "Telefonie"): the expand row, the consult bar, the
conference's participants and the call-quality line.

Each part renders what the call window hands it (rows of the CallsStore) and reports the
user's choice through a callback; none of them changes a call's state itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.call_control import Quality
from app.call_model import ActiveCall
from app.devices import MoveChoice
from app.phone_format import display_number
from ui import theme
from ui.call_recording import render_record_button
from ui.icons import icon

__all__ = [
    "ConsultBar",
    "ExtrasRow",
    "ParticipantList",
    "choice_texts",
    "move_place",
    "quality_text",
    "quality_tip",
    "transfer_text",
]


def quality_text(quality: Quality) -> str:
    """The quality in a word, for the call window ("Call quality: Good")."""
    word = {
        "good": QCoreApplication.translate("CallWindow", "Good"),
        "fair": QCoreApplication.translate("CallWindow", "Fair"),
        "poor": QCoreApplication.translate("CallWindow", "Poor"),
    }[quality.level]
    return QCoreApplication.translate("CallWindow", "Call quality: {0}").format(word)


def quality_tip(quality: Quality) -> str:
    """The figures behind the word."""
    return QCoreApplication.translate(
        "CallWindow", "Packet loss {loss} %, jitter {jitter} ms, MOS {mos}"
    ).format(
        loss=f"{quality.loss_percent:.1f}",
        jitter=f"{quality.jitter_ms:.0f}",
        mos=f"{quality.mos:.1f}",
    )


def choice_text(choice: MoveChoice, region: str) -> str:
    """One entry of the Move menu: "Desk phone (Yealink T54W)", "Other softphone",
    "Mobile (06 12345678)"."""
    model = choice.model
    if choice.kind == "mobile":
        return QCoreApplication.translate("CallWindow", "Mobile ({0})").format(
            display_number(choice.number or "", region)
        )
    if choice.kind == "desk_phone":
        return (
            QCoreApplication.translate("CallWindow", "Desk phone ({0})").format(model)
            if model
            else QCoreApplication.translate("CallWindow", "Desk phone")
        )
    if choice.kind == "softphone":
        return (
            QCoreApplication.translate("CallWindow", "Other softphone ({0})").format(model)
            if model
            else QCoreApplication.translate("CallWindow", "Other softphone")
        )
    if choice.kind == "phone_app":
        return (
            QCoreApplication.translate("CallWindow", "Phone app ({0})").format(model)
            if model
            else QCoreApplication.translate("CallWindow", "Phone app")
        )
    return QCoreApplication.translate("CallWindow", "Other phone")


def choice_texts(choices: Sequence[MoveChoice], region: str) -> list[str]:
    """The Move menu's entries; two phones that read the same are told apart by a number."""
    texts = [choice_text(c, region) for c in choices]
    seen: dict[str, int] = {}
    out = []
    for text in texts:
        seen[text] = seen.get(text, 0) + 1
        out.append(text if texts.count(text) == 1 else f"{text} {seen[text]}")
    return out


def move_place(choice: MoveChoice | None) -> str:
    """Where a call is moving, inside a sentence: "your desk phone", "your mobile"."""
    kind = choice.kind if choice is not None else "mobile"
    return {
        "mobile": QCoreApplication.translate("CallWindow", "your mobile"),
        "desk_phone": QCoreApplication.translate("CallWindow", "your desk phone"),
        "softphone": QCoreApplication.translate("CallWindow", "your other softphone"),
        "phone_app": QCoreApplication.translate("CallWindow", "your phone app"),
    }.get(kind, QCoreApplication.translate("CallWindow", "your other phone"))


def _move_text(call: ActiveCall) -> str:
    place = move_place(call.move_to)
    if call.transfer == "transferring":
        return QCoreApplication.translate(
            "CallWindow", "Moving the call to {0}… Answer it there."
        ).format(place)
    if call.transfer == "transferred":
        return QCoreApplication.translate("CallWindow", "The call was moved to {0}.").format(place)
    if call.transfer_code == 0:
        return QCoreApplication.translate(
            "CallWindow", "The call could not be moved: the server cannot be reached."
        )
    return QCoreApplication.translate(
        "CallWindow", "The call could not be moved to {0} ({1}). It stays here."
    ).format(place, call.transfer_code or 0)


def transfer_text(call: ActiveCall) -> str:
    """What the call window says about a transfer, park or move ("" when there is none)."""
    kind, state = call.transfer_kind, call.transfer
    if state is None:
        return ""
    if kind == "move":
        return _move_text(call)
    if state == "transferring":
        return {
            "park": QCoreApplication.translate("CallWindow", "Parking the call…"),
        }.get(kind or "", QCoreApplication.translate("CallWindow", "Transferring…"))
    if state == "transferred":
        return {
            "park": QCoreApplication.translate("CallWindow", "The call was parked."),
        }.get(kind or "", QCoreApplication.translate("CallWindow", "The call was transferred."))
    code = call.transfer_code or 0
    if kind == "park" and code == 503:
        return QCoreApplication.translate("CallWindow", "Not parked: every parking place is taken.")
    if code == 404:
        return QCoreApplication.translate(
            "CallWindow", "Not transferred: that number does not exist."
        )
    return {
        "park": QCoreApplication.translate("CallWindow", "The call could not be parked ({0})."),
    }.get(
        kind or "", QCoreApplication.translate("CallWindow", "The transfer failed ({0}).")
    ).format(code)


def _who(call: ActiveCall, region: str) -> str:
    return call.name or display_number(call.number, region)


def _text_button(parent: QWidget, icon_name: str, slot: Callable[[], None]) -> QPushButton:
    b = QPushButton(parent)
    b.setProperty("iconName", icon_name)
    b.setIconSize(QSize(16, 16))
    b.clicked.connect(lambda _=False: slot())
    return b


class ExtrasRow(QWidget):
    """Transfer, Invite, Park, Move, Merge, Record and Audio settings, under the call's
    buttons (Record only where recording is available: :meth:`show_recording`)."""

    def __init__(
        self,
        parent: QWidget,
        *,
        transfer: Callable[[], None],
        invite: Callable[[], None],
        park: Callable[[], None],
        move: Callable[[MoveChoice], None],
        merge: Callable[[], None],
        audio: Callable[[], None],
        record: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.record_available = False
        self._grid = grid = QGridLayout(self)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setSpacing(6)
        self.transfer_button = _text_button(self, "phone-outgoing", transfer)
        self.invite_button = _text_button(self, "user", invite)
        self.park_button = _text_button(self, "pause", park)
        self._move = move
        self.move_menu = QMenu(self)
        self.move_menu.setObjectName("MoveMenu")
        self.move_button = _text_button(self, "phone-call", self._open_move_menu)
        self.merge_button = _text_button(self, "phone-incoming", merge)
        self.audio_button = _text_button(self, "volume-2", audio)
        self.record_button = _text_button(self, "circle-dot", record or (lambda: None))
        self.record_button.setObjectName("RecordButton")
        self.record_button.setCheckable(True)
        self.record_button.hide()
        self.buttons = (
            self.transfer_button,
            self.invite_button,
            self.park_button,
            self.move_button,
            self.merge_button,
            self.record_button,
            self.audio_button,
        )
        for i, b in enumerate(self.buttons):
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            grid.addWidget(b, i // 2, i % 2)

    def show_for(
        self, move_choices: Sequence[MoveChoice], merge_with: ActiveCall | None, region: str
    ) -> None:
        t = theme.current()
        for b in self.buttons:
            b.setIcon(icon(str(b.property("iconName")), t.text))
        self.transfer_button.setText(QCoreApplication.translate("CallWindow", "Transfer"))
        self.transfer_button.setToolTip(
            QCoreApplication.translate(
                "CallWindow", "Hand this call to a colleague or another number"
            )
        )
        self.invite_button.setText(QCoreApplication.translate("CallWindow", "Invite"))
        self.invite_button.setToolTip(
            QCoreApplication.translate("CallWindow", "Add a colleague or a number to this call")
        )
        self.park_button.setText(QCoreApplication.translate("CallWindow", "Park"))
        self.park_button.setToolTip(
            QCoreApplication.translate(
                "CallWindow", "Park the call so that any colleague can pick it up"
            )
        )
        self._show_move(move_choices, region)
        self.merge_button.setText(QCoreApplication.translate("CallWindow", "Merge"))
        self.merge_button.setVisible(merge_with is not None)
        if merge_with is not None:
            self.merge_button.setToolTip(
                QCoreApplication.translate("CallWindow", "Merge with the call with {0}").format(
                    _who(merge_with, region)
                )
            )
        self.audio_button.setText(QCoreApplication.translate("CallWindow", "Audio settings"))
        self._place(merge_with is not None)
        self.audio_button.setToolTip(
            QCoreApplication.translate("CallWindow", "Choose the headset, speaker or microphone")
        )

    def _place(self, merging: bool) -> None:
        self._merging = merging
        hidden = {
            b
            for b, shown in (
                (self.merge_button, merging),
                (self.record_button, self.record_available),
            )
            if not shown
        }
        shown = [b for b in self.buttons if b not in hidden]
        for i, b in enumerate(shown):  # no hole where a hidden button would be
            self._grid.addWidget(b, i // 2, i % 2)

    def show_recording(self, available: bool, recording: bool, busy: bool) -> None:
        """Record (P17): shown where the PBX records calls (:mod:`ui.call_recording`)."""
        self.record_available = available
        self.record_button.setVisible(available)
        render_record_button(self.record_button, recording, busy)
        self._place(getattr(self, "_merging", False))

    def _show_move(self, choices: Sequence[MoveChoice], region: str) -> None:
        """Move opens a menu of the user's other phones and his mobile; disabled without."""
        self.move_button.setText(QCoreApplication.translate("CallWindow", "Move"))
        self.move_button.setEnabled(bool(choices))
        self.move_button.setToolTip(
            QCoreApplication.translate(
                "CallWindow", "Move this call to another of your phones or your mobile"
            )
            if choices
            else QCoreApplication.translate(
                "CallWindow",
                "None of your other phones is signed in, and no mobile number is set"
                " (Settings → Calls).",
            )
        )
        self.move_menu.clear()
        for choice, text in zip(choices, choice_texts(choices, region), strict=True):
            action = self.move_menu.addAction(text)
            action.setData(choice)
            action.triggered.connect(lambda _=False, c=choice: self._move(c))

    def _open_move_menu(self) -> None:
        if self.move_menu.actions():  # right-aligned: call windows sit at the right edge
            rect = self.move_button.rect()
            below = self.move_button.mapToGlobal(rect.bottomRight())
            below.setX(below.x() - self.move_menu.sizeHint().width() + 1)
            self.move_menu.popup(below)


class ConsultBar(QWidget):
    """Attended transfer: who is on hold, Swap, and Transfer (complete) from either window."""

    def __init__(
        self, parent: QWidget, *, swap: Callable[[], None], complete: Callable[[], None]
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        self.label = QLabel(self)
        self.label.setObjectName("Muted")
        self.label.setWordWrap(True)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.swap_button = _text_button(self, "play", swap)
        self.swap_button.setObjectName("GreenButton")
        self.complete_button = _text_button(self, "phone-outgoing", complete)
        self.complete_button.setObjectName("PrimaryButton")
        row.addWidget(self.swap_button)
        row.addWidget(self.complete_button)
        row.addStretch(1)
        layout.addWidget(self.label)
        layout.addLayout(row)

    def show_for(self, call: ActiveCall, other: ActiveCall, region: str) -> None:
        """``call`` is this window's, ``other`` the second call of the transfer."""
        who = _who(other, region)
        if call.consult_role == "consult":
            text = (
                QCoreApplication.translate("CallWindow", "Consulting about {0}, who is on hold.")
                if other.held
                else ""
            )
            text = text or QCoreApplication.translate(
                "CallWindow", "Back with {0}; this call is on hold."
            )
        else:
            text = (
                QCoreApplication.translate("CallWindow", "Transfer to {0}?")
                if call.held
                else QCoreApplication.translate("CallWindow", "{0} is on hold.")
            )
        self.label.setText(text.format(who))
        self.swap_button.setIcon(icon("play", "#ffffff"))
        self.swap_button.setText(QCoreApplication.translate("CallWindow", "Swap"))
        self.swap_button.setToolTip(
            QCoreApplication.translate("CallWindow", "Talk to {0} and hold this call").format(who)
        )
        self.swap_button.setVisible(call.state == "connected" or call.held)
        self.complete_button.setIcon(icon("phone-outgoing", "#ffffff"))
        self.complete_button.setText(QCoreApplication.translate("CallWindow", "Transfer"))
        self.complete_button.setToolTip(
            QCoreApplication.translate("CallWindow", "Connect the two calls and leave")
        )


class ParticipantList(QWidget):
    """The conference's parties, each with Remove (this user started the conference)."""

    def __init__(self, parent: QWidget, remove: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._remove = remove
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 0)
        self._layout.setSpacing(4)
        self.title = QLabel(self)
        self.title.setObjectName("Muted")
        self._layout.addWidget(self.title)
        self.rows: dict[str, tuple[QLabel, QPushButton]] = {}

    def show_for(self, members: Sequence[ActiveCall], region: str) -> None:
        for key in [k for k in self.rows if k not in {m.key for m in members}]:
            label, button = self.rows.pop(key)
            label.parentWidget().deleteLater()  # type: ignore[union-attr]
        t = theme.current()
        self.title.setText(
            QCoreApplication.translate("CallWindow", "{0} people in this call").format(
                len(members) + 1  # and you
            )
        )
        for m in members:
            if m.key not in self.rows:
                row = QWidget(self)
                hl = QHBoxLayout(row)
                hl.setContentsMargins(0, 0, 0, 0)
                label = QLabel(row)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
                button = QPushButton(row)
                button.setObjectName("RemoveParticipant")
                button.clicked.connect(lambda _=False, k=m.key: self._remove(k))
                hl.addWidget(label, 1)
                hl.addWidget(button)
                self._layout.addWidget(row)
                self.rows[m.key] = (label, button)
            label, button = self.rows[m.key]
            held = QCoreApplication.translate("CallWindow", " (on hold)") if m.held else ""
            label.setText(_who(m, region) + held)
            button.setText(QCoreApplication.translate("CallWindow", "Remove"))
            button.setIcon(icon("x", t.text))
            button.setToolTip(
                QCoreApplication.translate("CallWindow", "End the call with {0}").format(
                    _who(m, region)
                )
            )
