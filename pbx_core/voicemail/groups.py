"""Group inboxes (seed 004 "Voicemail-numre", "Gruppeindbakke"): a department's voicemail at a
number of its own. A call to the number leaves a message in it; every user of the department
lists it with their own (``inbox`` the department's name), marks its messages heard and deletes
them. Kept in memory (the store's table ``voicemail_groups`` is read at start and written on
each change) so routing and listing never wait on SQL."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pbx_core.permissions import Member, Permission, allowed
from pbx_core.signaling.features import (
    CONFERENCE_ROOMS,
    ECHO_EXTENSION,
    PARK_EXTENSION,
    PARK_SLOTS,
    VOICEMAIL_NUMBER,
)
from pbx_core.voicemail.repository import GroupInbox

__all__ = ["DEMO_GROUP_INBOXES", "GroupInboxes", "may_read", "number_problem"]

# The demo organisation's group inboxes, next to 9100 (listening by phone).
DEMO_GROUP_INBOXES = (GroupInbox("9101", "Sales"), GroupInbox("9102", "Support"))
_NUMBER = re.compile(r"^[0-9]{3,8}$")
_TAKEN = frozenset(
    {ECHO_EXTENSION, PARK_EXTENSION, VOICEMAIL_NUMBER, *PARK_SLOTS, *CONFERENCE_ROOMS}
)


def number_problem(number: str, is_user: bool) -> str | None:
    """Why ``number`` cannot be a group inbox (None: it can)."""
    if not _NUMBER.match(number):
        return "a group inbox number has 3 to 8 digits"
    if number in _TAKEN:
        return f"{number} is one of the PBX's own numbers"
    if is_user:
        return f"{number} is a user's extension"
    return None


class GroupInboxes:
    """Number → department of every group inbox."""

    def __init__(self, inboxes: Iterable[GroupInbox] = ()) -> None:
        self._by_number = {i.number: i for i in inboxes}

    def replace(self, inboxes: Iterable[GroupInbox]) -> None:
        self._by_number = {i.number: i for i in inboxes}

    def put(self, inbox: GroupInbox) -> None:
        self._by_number = {
            n: i for n, i in self._by_number.items() if i.department != inbox.department
        }
        self._by_number[inbox.number] = inbox

    def remove(self, number: str) -> None:
        self._by_number.pop(number, None)

    def all(self) -> list[GroupInbox]:
        return sorted(self._by_number.values(), key=lambda i: i.number)

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset(self._by_number)

    def get(self, number: str) -> GroupInbox | None:
        return self._by_number.get(number)

    def readable_by(self, reader: Member) -> list[GroupInbox]:
        """The group inboxes ``reader`` may read (pbx_core/permissions.py: their department's)."""
        return [i for i in self.all() if may_read(reader, i)]


def may_read(reader: Member, inbox: GroupInbox) -> bool:
    """May ``reader`` list, hear and delete the messages of ``inbox``?"""
    return allowed(reader, Permission.READ_GROUP_INBOX, Member(inbox.number, inbox.department))
