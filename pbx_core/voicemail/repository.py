"""Voicemail messages in the store (table ``voicemail_messages``), run on its worker thread.

Plain functions over a :class:`~pbx_core.store.Store`: call them through ``store.aio.call``
from the loop. Audio files live under ``<data dir>/voicemail/<mailbox>/``; a row keeps the path
relative to the data dir.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pbx_core.store import Store
from pbx_core.store.models import VoicemailGroupRow, VoicemailRow, VoicemailSettingsRow

__all__ = [
    "GroupInbox",
    "NewMessage",
    "VoicemailMessage",
    "add_message",
    "all_counts",
    "assistance_number",
    "counts",
    "delete_message",
    "disabled_mailboxes",
    "email_notification",
    "expired",
    "group_inboxes",
    "inbox_bytes",
    "message",
    "messages",
    "remove_group_inbox",
    "set_assistance_number",
    "set_email_notification",
    "set_enabled",
    "set_group_inbox",
    "set_heard",
]


@dataclass(frozen=True, slots=True)
class NewMessage:
    mailbox: str
    inbox: str
    caller: str
    caller_name: str | None
    received_at: datetime
    duration_s: float
    audio: str
    size_bytes: int
    call_id: str | None = None  # the call that left it (the Calls page matches by it)


@dataclass(frozen=True, slots=True)
class GroupInbox:
    """A department's voicemail inbox, reached at ``number``; its members list its messages."""

    number: str
    department: str


@dataclass(frozen=True, slots=True)
class VoicemailMessage:
    id: int
    mailbox: str
    inbox: str
    caller: str
    caller_name: str | None
    received_at: datetime
    duration_s: float
    heard: bool
    audio: str
    size_bytes: int
    call_id: str | None = None


def _message(row: VoicemailRow) -> VoicemailMessage:
    return VoicemailMessage(
        row.id,
        row.mailbox,
        row.inbox,
        row.caller,
        row.caller_name,
        row.received_at,
        row.duration_s,
        row.heard,
        row.audio,
        row.size_bytes,
        row.call_id,
    )


def add_message(store: Store, new: NewMessage) -> VoicemailMessage:
    with store.transaction() as session:  # the store's one transaction helper
        row = VoicemailRow(
            mailbox=new.mailbox,
            inbox=new.inbox,
            caller=new.caller,
            caller_name=new.caller_name,
            received_at=new.received_at,
            duration_s=new.duration_s,
            heard=False,
            audio=new.audio,
            size_bytes=new.size_bytes,
            call_id=new.call_id,
        )
        session.add(row)
        session.flush()
        return _message(row)


def messages(store: Store, *mailboxes: str) -> list[VoicemailMessage]:
    """The messages of these mailboxes (a user's own and their groups'), newest first."""
    with store.transaction() as session:
        rows = session.scalars(
            select(VoicemailRow)
            .where(VoicemailRow.mailbox.in_(mailboxes))
            .order_by(VoicemailRow.received_at.desc(), VoicemailRow.id.desc())
        )
        return [_message(row) for row in rows]


def message(store: Store, message_id: int) -> VoicemailMessage | None:
    with store.transaction() as session:
        row = session.get(VoicemailRow, message_id)
        return _message(row) if row is not None else None


def set_heard(store: Store, message_id: int, heard: bool) -> VoicemailMessage | None:
    with store.transaction() as session:
        row = session.get(VoicemailRow, message_id)
        if row is None:
            return None
        row.heard = heard
        return _message(row)


def delete_message(store: Store, message_id: int) -> VoicemailMessage | None:
    """Remove the row; the message as it was (its file is the caller's to delete)."""
    with store.transaction() as session:
        row = session.get(VoicemailRow, message_id)
        if row is None:
            return None
        gone = _message(row)
        session.delete(row)
        return gone


def counts(store: Store, mailbox: str) -> tuple[int, int]:
    """(new, old): unheard and heard messages."""
    with store.transaction() as session:
        rows = session.execute(
            select(VoicemailRow.heard, func.count())
            .where(VoicemailRow.mailbox == mailbox)
            .group_by(VoicemailRow.heard)
        ).all()
    found = {bool(heard): int(n) for heard, n in rows}
    return found.get(False, 0), found.get(True, 0)


def all_counts(store: Store) -> dict[str, tuple[int, int]]:
    """(new, old) of every mailbox that has messages."""
    with store.transaction() as session:
        rows = session.execute(
            select(VoicemailRow.mailbox, VoicemailRow.heard, func.count()).group_by(
                VoicemailRow.mailbox, VoicemailRow.heard
            )
        ).all()
    out: dict[str, tuple[int, int]] = {}
    for mailbox, heard, n in rows:
        new, old = out.get(mailbox, (0, 0))
        out[mailbox] = (new, old + int(n)) if heard else (new + int(n), old)
    return out


def inbox_bytes(store: Store, mailbox: str) -> int:
    with store.transaction() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(VoicemailRow.size_bytes), 0)).where(
                VoicemailRow.mailbox == mailbox
            )
        )
    return int(total or 0)


def expired(store: Store, now: datetime, retention_days: float) -> list[VoicemailMessage]:
    """Delete heard messages older than the retention; the deleted ones (to remove files)."""
    cutoff = now - timedelta(days=retention_days)
    with store.transaction() as session:
        rows = list(
            session.scalars(
                select(VoicemailRow).where(
                    VoicemailRow.heard.is_(True), VoicemailRow.received_at < cutoff
                )
            )
        )
        gone = [_message(row) for row in rows]
        if rows:
            session.execute(delete(VoicemailRow).where(VoicemailRow.id.in_([r.id for r in rows])))
        return gone


def disabled_mailboxes(store: Store) -> frozenset[str]:
    """The users who turned their voicemail off."""
    with store.transaction() as session:
        rows = session.scalars(
            select(VoicemailSettingsRow.extension).where(VoicemailSettingsRow.enabled.is_(False))
        )
        return frozenset(rows)


def set_enabled(store: Store, extension: str, enabled: bool) -> None:
    with store.transaction() as session:
        _settings(session, extension).enabled = enabled


def _settings(session: Session, extension: str) -> VoicemailSettingsRow:
    row = session.get(VoicemailSettingsRow, extension)
    if row is None:
        row = VoicemailSettingsRow(extension=extension, enabled=True)
        session.add(row)
    return row


def assistance_number(store: Store, extension: str) -> str | None:
    """Where "press 1 for personal assistance" sends a caller of ``extension`` (None: not
    offered)."""
    with store.transaction() as session:
        row = session.get(VoicemailSettingsRow, extension)
        return row.assistance_number if row is not None else None


def set_assistance_number(store: Store, extension: str, number: str | None) -> None:
    with store.transaction() as session:
        _settings(session, extension).assistance_number = number


def email_notification(store: Store, extension: str) -> str | None:
    """The user's stored e-mail notification choice (None: never set)."""
    with store.transaction() as session:
        row = session.get(VoicemailSettingsRow, extension)
        return row.email_notification if row is not None else None


def set_email_notification(store: Store, extension: str, choice: str) -> None:
    with store.transaction() as session:
        _settings(session, extension).email_notification = choice


def group_inboxes(store: Store) -> list[GroupInbox]:
    """Every group inbox, by number."""
    with store.transaction() as session:
        rows = session.scalars(select(VoicemailGroupRow).order_by(VoicemailGroupRow.number))
        return [GroupInbox(row.number, row.department) for row in rows]


def set_group_inbox(store: Store, inbox: GroupInbox) -> None:
    """Create the inbox or move it to another department (one inbox per department)."""
    with store.transaction() as session:
        session.execute(
            delete(VoicemailGroupRow).where(
                VoicemailGroupRow.department == inbox.department,
                VoicemailGroupRow.number != inbox.number,
            )
        )
        row = session.get(VoicemailGroupRow, inbox.number)
        if row is None:
            session.add(VoicemailGroupRow(number=inbox.number, department=inbox.department))
        else:
            row.department = inbox.department


def remove_group_inbox(store: Store, number: str) -> bool:
    with store.transaction() as session:
        row = session.get(VoicemailGroupRow, number)
        if row is None:
            return False
        session.delete(row)
        return True
