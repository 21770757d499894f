"""The call model's call control: transfer progress, consult links, invitations, conferences.

A mixin of :class:`app.call_model.CallModel` (kept apart so each module has one job); see
:mod:`app.call_control` for the words and the transfer table.
"""

from __future__ import annotations

from dataclasses import replace

from app.call_control import ConsultRole, TransferKind, next_transfer_state
from app.call_rows import ActiveCall, CallChange, CallChanged, CallModelError
from app.devices import MoveChoice
from sip import ConferenceChanged, TransferProgress

__all__ = ["CallControlModel"]


class CallControlModel:
    """What the user asked for is noted here; the engine's events move the rows."""

    calls: list[ActiveCall]
    pending: list[CallChange]
    _links: dict[str, tuple[ConsultRole, str]]
    _invites: dict[str, str]

    def get(self, key: str) -> ActiveCall | None:
        return next((c for c in self.calls if c.key == key), None)

    def consult_pair(self, key: str) -> tuple[ActiveCall, ActiveCall] | None:
        """``(original, consult)`` of the attended transfer ``key`` is part of, if any."""
        call = self.get(key)
        if call is None or call.consult_with is None:
            return None
        other = self.get(call.consult_with)
        if other is None or not other.live or not call.live:
            return None
        return (call, other) if call.consult_role == "original" else (other, call)

    def note_transfer(
        self, key: str, kind: TransferKind, move_to: MoveChoice | None = None
    ) -> CallChange | None:
        """The user asked to transfer ``key`` this way (the REFER is on its way)."""
        return self._patch(key, transfer_kind=kind, move_to=move_to)

    def note_move(self, key: str, device: MoveChoice) -> CallChange | None:
        """The user moves ``key`` to another of his phones through the server: it is under
        way at once (no REFER reports progress); the call ending completes it."""
        call = self.get(key)
        if call is None or not call.live:
            return None
        return self._patch(
            key, transfer_kind="move", move_to=device, transfer="transferring", transfer_code=None
        )

    def move_refused(self, key: str, code: int) -> CallChange | None:
        """The server would not move ``key`` (``code``: its HTTP status, 0 when unreachable)."""
        call = self.get(key)
        if call is None or not call.live or call.transfer_kind != "move":
            return None
        return self._patch(key, transfer="failed", transfer_code=code)

    def link_consult(self, original: str, consult: str) -> list[CallChange]:
        """``consult`` is the second call of an attended transfer of ``original``."""
        self._links[consult] = ("consult", original)
        self._links[original] = ("original", consult)
        return [c for k in (original, consult) if (c := self._apply_link(k)) is not None]

    def note_invite(self, key: str, into: str) -> CallChange | None:
        """``key`` was dialled to join ``into``'s conversation once answered."""
        self._invites[key] = into
        return self._patch(key, invited_into=into)

    def _apply_link(self, key: str) -> CallChange | None:
        link = self._links.get(key)
        if link is None:
            return None
        role, other = link
        return self._patch(key, consult_role=role, consult_with=other)

    def _patch(self, key: str, **fields: object) -> CallChange | None:
        call = self.get(key)
        if call is None:
            return None
        new = replace(call, **fields)  # type: ignore[arg-type]
        if new == call:
            return None
        self.calls[self.calls.index(call)] = new
        return CallChanged(call, new)

    def _transfer_progress(self, event: TransferProgress) -> CallChange | None:
        call = self.get(event.call_id)
        if call is None or not call.live:
            return None
        try:
            state = next_transfer_state(call.transfer, event.stage)
        except ValueError as exc:
            raise CallModelError(f"call {call.key!r}: {exc}") from None
        return self._patch(call.key, transfer=state, transfer_code=event.code)

    def _conference(self, event: ConferenceChanged) -> CallChange | None:
        """One change per call whose conference changed; the last one is returned, the
        others are in :attr:`pending` (the store announces them all)."""
        members = tuple(str(k) for k in event.call_ids)
        changes: list[CallChange] = []
        for call in list(self.calls):
            mine = members if call.key in members else ()
            fields: dict[str, object] = {"conference": mine}
            if mine:  # merged: no longer an invitation or an attended transfer
                fields.update(invited_into=None, consult_role=None, consult_with=None)
            change = self._patch(call.key, **fields)
            if change is not None:
                changes.append(change)
        self.pending = changes[:-1]
        return changes[-1] if changes else None
