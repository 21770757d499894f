"""The call window's call control: extras, picker, consult bar, conference, drop to transfer.

A mixin of :class:`ui.call_window.CallWindow` (kept apart so each module has one job): it
finds the related calls among the store's rows, renders :mod:`ui.call_extras` and turns the
user's choices into CallsController commands.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, SignalInstance
from PySide6.QtWidgets import QLabel, QPushButton

from app.call_model import ActiveCall
from app.protocols import CallActions
from ui import theme
from ui.call_extras import ConsultBar, ExtrasRow, ParticipantList, quality_text, quality_tip
from ui.icons import icon
from ui.transfer_picker import PickerAction, TransferPicker

__all__ = ["CallControlParts"]


class CallControlParts:
    """What :class:`ui.call_window.CallWindow` builds and this mixin renders and acts on."""

    key: str
    _call: ActiveCall
    _others: list[ActiveCall]
    _ctl: CallActions
    _region: str
    expand_button: QPushButton
    extras: ExtrasRow
    picker: TransferPicker | None
    consult_bar: ConsultBar
    participants: ParticipantList
    quality_label: QLabel
    dropped: SignalInstance

    def _retranslate(self) -> None:
        raise NotImplementedError

    def fit(self) -> None:
        raise NotImplementedError

    def _other(self, key: str | None) -> ActiveCall | None:
        return next((c for c in self._others if c.key == key and c.live), None)

    def consult_partner(self) -> ActiveCall | None:
        """The other call of the attended transfer this call is part of."""
        c = self._call
        return self._other(c.consult_with) if c.live and c.consult_role is not None else None

    def merge_candidate(self) -> ActiveCall | None:
        """Another answered call not in this call's conference (Merge joins them)."""
        c = self._call
        return next(
            (o for o in self._others if o.key != c.key and o.in_call and o.key not in c.conference),
            None,
        )

    def conference_members(self) -> list[ActiveCall]:
        """Every call of the conference when this window is the conference's (its first call's)."""
        c = self._call
        if not c.conference or c.conference[0] != c.key:
            return []
        return [o for k in c.conference if (o := c if k == c.key else self._other(k)) is not None]

    def _render_extras(self, in_call: bool, members: list[ActiveCall]) -> None:
        """Expand row, picker, consult bar, participants and the quality line."""
        c, t = self._call, theme.current()
        self.expand_button.setVisible(in_call)
        expanded = self.expand_button.isChecked()
        self.expand_button.setIcon(icon("chevron-down" if expanded else "chevron-right", t.text))
        self.expand_button.setToolTip(
            QCoreApplication.translate("CallWindow", "Fewer options")
            if expanded
            else QCoreApplication.translate("CallWindow", "More options")
        )
        if not in_call:
            self.expand_button.setChecked(False)
            if self.picker is not None:
                self.picker.hide()
        self.extras.setVisible(in_call and self.expand_button.isChecked())
        self.extras.show_for(self._ctl.move_choices, self.merge_candidate(), self._region)
        self.extras.transfer_button.setEnabled(self.picker is not None and not c.conference)
        self.extras.invite_button.setEnabled(self.picker is not None)
        partner = self.consult_partner()
        self.consult_bar.setVisible(partner is not None and in_call)
        if partner is not None:
            self.consult_bar.show_for(c, partner, self._region)
        self.participants.setVisible(bool(members))
        if members:
            self.participants.show_for(members, self._region)
        quality = c.quality
        self.quality_label.setVisible(in_call and quality is not None)
        if quality is not None:
            self.quality_label.setText(quality_text(quality))
            self.quality_label.setToolTip(quality_tip(quality))
            colour = {"good": t.green, "fair": t.amber, "poor": t.red}[quality.level]
            self.quality_label.setStyleSheet(f"color: {colour};")

    def _toggle_extras(self) -> None:
        if not self.expand_button.isChecked() and self.picker is not None:
            self.picker.hide()
        self._retranslate()

    def _open_picker(self, mode: str) -> None:
        if self.picker is not None:
            self.picker.open("invite" if mode == "invite" else "transfer")
            self.fit()

    def _picked(self, action: PickerAction, number: str) -> None:
        if action == "transfer":
            self._ctl.transfer(self.key, number)
        elif action == "consult":
            self._ctl.consult(self.key, number)
        else:
            self._ctl.invite(self.key, number)
        self.expand_button.setChecked(False)
        self._retranslate()

    def _swap(self) -> None:
        partner = self.consult_partner()
        if partner is None:
            return
        # talk to the other one when this call is live, else come back to this one
        self._ctl.swap(partner.key if self._call.state == "connected" else self.key)

    def _complete(self) -> None:
        self._ctl.complete_transfer(self.key)

    def _merge(self) -> None:
        other = self.merge_candidate()
        if other is not None:
            self._ctl.merge(self.key, other.key)

    def drag_finished(self, global_pos: QPoint) -> None:
        if self._call.in_call:
            self.dropped.emit(self.key, global_pos)
