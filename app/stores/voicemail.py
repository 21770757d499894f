"""The signed-in user's voicemail (seed 000 "Voicemail"): messages per inbox, the unheard count.

Filled from ``GET /api/v1/voicemail`` (the user's own messages and their group inboxes', each
naming its ``inbox`` and the ``call_id`` of the call that left it) and
``GET /api/v1/voicemail/inboxes``, and kept current by the server's ``voicemail.*`` events
(:class:`app.controllers.voicemail.VoicemailController`). Pure state: every change is announced
once on :attr:`VoicemailStore.changed` with the names of what changed (``messages``, ``unheard``,
``settings``, ``playing``), and views redraw only that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias, get_args

from PySide6.QtCore import QObject, Signal

from app.server_events import parse_until

__all__ = [
    "EMAIL_CHOICES",
    "PERSONAL",
    "EmailChoice",
    "VoicemailMessage",
    "VoicemailStore",
    "email_choice",
    "match_call",
]

EmailChoice: TypeAlias = Literal["with_audio", "without_audio", "off"]
"""How a new message is e-mailed to the user (``email_notification`` of the settings)."""
EMAIL_CHOICES: tuple[EmailChoice, ...] = get_args(EmailChoice)


def email_choice(value: object) -> EmailChoice:
    """The server's ``email_notification``; anything else is the default (with the audio)."""
    for choice in EMAIL_CHOICES:
        if value == choice:
            return choice
    return "with_audio"


PERSONAL = "personal"
"""The inbox of the user's own messages; any other name is a group inbox."""

MATCH_WINDOW_S = 180.0
"""A message belongs to a missed call from the same number that started at most this long
before it was received (the ring delay plus the greeting)."""


@dataclass(frozen=True, slots=True)
class VoicemailMessage:
    id: int
    caller: str
    caller_name: str | None
    received_at: dt.datetime
    duration_s: float
    heard: bool
    inbox: str = PERSONAL
    call_id: str | None = None
    """The call that left it (the Calls page matches a missed call by it)."""

    @classmethod
    def from_api(cls, row: Mapping[str, object]) -> VoicemailMessage:
        """One message of ``GET /api/v1/voicemail``; ``ValueError`` names a bad field."""
        ident, caller, heard = row.get("id"), row.get("caller"), row.get("heard")
        if not isinstance(ident, int) or isinstance(ident, bool):
            raise ValueError("voicemail message: id must be a number")
        if not isinstance(caller, str):
            raise ValueError("voicemail message: caller must be a string")
        received = parse_until(row.get("received_at"))
        if received is None:
            raise ValueError("voicemail message: received_at must be an ISO-8601 time")
        duration = row.get("duration_s")
        if not isinstance(duration, int | float) or isinstance(duration, bool):
            raise ValueError("voicemail message: duration_s must be a number")
        name = row.get("caller_name")
        inbox = row.get("inbox")
        call_id = row.get("call_id")
        return cls(
            ident,
            caller,
            name if isinstance(name, str) and name else None,
            received,
            float(duration),
            heard is True,
            inbox if isinstance(inbox, str) and inbox else PERSONAL,
            call_id if isinstance(call_id, str) and call_id else None,
        )


def match_call(
    messages: Iterable[VoicemailMessage],
    number: str,
    started_at: dt.datetime,
    call_id: str | None = None,
) -> VoicemailMessage | None:
    """The message a missed call left, if any: the one with its ``call_id``; without one (an
    older PBX or record) the first from ``number`` received after ``started_at``, within
    :data:`MATCH_WINDOW_S`."""
    messages = list(messages)
    if call_id:
        same = [m for m in messages if m.call_id == call_id]
        if same:
            return min(same, key=lambda m: m.received_at)
        if any(m.call_id for m in messages if m.caller == number):
            return None  # the PBX names calls: a message of another call is not this one's
    best: VoicemailMessage | None = None
    for m in messages:
        if m.caller != number:
            continue
        delay = (m.received_at - started_at).total_seconds()
        if 0 <= delay <= MATCH_WINDOW_S and (best is None or m.received_at < best.received_at):
            best = m
    return best


class VoicemailStore(QObject):
    """Messages newest first; ``changed(set[str])`` with what changed."""

    changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._messages: dict[int, VoicemailMessage] = {}
        self.loaded = False
        """The list came from the server at least once (before that: no empty state)."""
        self.enabled = True
        """Calls to the user go to voicemail (``PUT /api/v1/voicemail/settings``)."""
        self.own_greeting = False
        self.assistance_number: str | None = None
        """Where "press 1 for personal assistance" sends callers (None: not offered)."""
        self.email: EmailChoice = "with_audio"
        """How a new message is e-mailed to the user."""
        self._groups: dict[str, str] = {}
        """Group inbox name → its number (``GET /api/v1/voicemail/inboxes``)."""
        self.playing: int | None = None
        """The message the player has (playing or paused), None for none."""

    # -- reading --------------------------------------------------------------------------
    @property
    def messages(self) -> list[VoicemailMessage]:
        """Every message, newest first."""
        return sorted(self._messages.values(), key=lambda m: (m.received_at, m.id), reverse=True)

    def in_inbox(self, inbox: str) -> list[VoicemailMessage]:
        return [m for m in self.messages if m.inbox == inbox]

    @property
    def inboxes(self) -> list[str]:
        """The personal inbox first, then the group inboxes by name (those the server named
        and those a message is in)."""
        named = {m.inbox for m in self._messages.values()} | set(self._groups)
        return [PERSONAL, *sorted(named - {PERSONAL})]

    @property
    def group_numbers(self) -> frozenset[str]:
        """The numbers of the user's group inboxes (the mailboxes of their events)."""
        return frozenset(self._groups.values())

    def group_number(self, inbox: str) -> str | None:
        return self._groups.get(inbox)

    def get(self, ident: int) -> VoicemailMessage | None:
        return self._messages.get(ident)

    @property
    def unheard(self) -> int:
        return sum(1 for m in self._messages.values() if not m.heard)

    def for_call(
        self, number: str, started_at: dt.datetime, call_id: str | None = None
    ) -> VoicemailMessage | None:
        """The message a missed call left (:func:`match_call`)."""
        return match_call(self._messages.values(), number, started_at, call_id)

    # -- changing -------------------------------------------------------------------------
    def set_messages(self, messages: Iterable[VoicemailMessage]) -> None:
        before = self.unheard
        self._messages = {m.id: m for m in messages}
        self.loaded = True
        if self.playing is not None and self.playing not in self._messages:
            self.playing = None
        self._emit({"messages"}, before)

    def put(self, message: VoicemailMessage) -> None:
        before = self.unheard
        self._messages[message.id] = message
        self._emit({"messages"}, before)

    def set_heard(self, ident: int, heard: bool) -> None:
        message = self._messages.get(ident)
        if message is None or message.heard == heard:
            return
        before = self.unheard
        self._messages[ident] = replace(message, heard=heard)
        self._emit({"messages"}, before)

    def remove(self, ident: int) -> VoicemailMessage | None:
        before = self.unheard
        message = self._messages.pop(ident, None)
        if message is None:
            return None
        names = {"messages"}
        if self.playing == ident:
            self.playing = None
            names.add("playing")
        self._emit(names, before)
        return message

    def set_inboxes(self, groups: Mapping[str, str]) -> None:
        """The user's group inboxes: name → number."""
        if dict(groups) != self._groups:
            self._groups = dict(groups)
            self.changed.emit({"messages"})

    def set_settings(
        self,
        enabled: bool,
        own_greeting: bool,
        assistance_number: str | None = None,
        email: EmailChoice | None = None,
    ) -> None:
        """The settings the server sent (``email`` None: as it was)."""
        new = (enabled, own_greeting, assistance_number, email or self.email)
        if new != (self.enabled, self.own_greeting, self.assistance_number, self.email):
            self.enabled, self.own_greeting, self.assistance_number, self.email = new
            self.changed.emit({"settings"})

    def set_playing(self, ident: int | None) -> None:
        if ident != self.playing:
            self.playing = ident
            self.changed.emit({"playing"})

    def clear(self) -> None:
        """Signed out: nothing is known any more."""
        before = self.unheard
        self._messages, self.loaded, self.playing = {}, False, None
        self._groups = {}
        self._emit({"messages", "playing"}, before)

    def _emit(self, names: set[str], unheard_before: int) -> None:
        if self.unheard != unheard_before:
            names.add("unheard")
        self.changed.emit(names)
