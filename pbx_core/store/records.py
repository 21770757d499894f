"""Plain records the store hands out and takes in.

Frozen slots dataclasses, never ORM objects, so callers cannot touch a session by accident and
the records cross threads and tasks freely. Every datetime is timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeAlias, get_args

__all__ = [
    "CALL_REASONS",
    "BindingRecord",
    "CallReason",
    "CallRecord",
    "ContactNumber",
    "ContactRecord",
    "LoginRecord",
    "NewContact",
    "NewUser",
    "PresenceRecord",
    "SipCredentials",
    "UserRecord",
]


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A person with an extension on the PBX."""

    id: int
    extension: str
    display_name: str
    email: str
    department: str | None
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NewUser:
    """What it takes to create a user: secrets arrive already hashed (argon2 and digest HA1)."""

    extension: str
    display_name: str
    email: str
    department: str | None
    roles: tuple[str, ...]
    password_hash: str
    realm: str
    ha1_md5: str
    ha1_sha256: str


@dataclass(frozen=True, slots=True)
class LoginRecord:
    """A user together with the argon2 hash of the API login password."""

    user: UserRecord
    password_hash: str


@dataclass(frozen=True, slots=True)
class SipCredentials:
    """Digest secrets of one SIP user (RFC 3261 section 22.4, RFC 8760): HA1 only, no password."""

    extension: str
    realm: str
    ha1_md5: str
    ha1_sha256: str


@dataclass(frozen=True, slots=True)
class BindingRecord:
    """A registered contact of an extension (RFC 3261 section 10), with its absolute expiry."""

    extension: str
    contact: str
    expires_at: datetime
    source: str
    call_id: str
    cseq: int
    user_agent: str | None
    path: str | None = None  # the REGISTER's Path (RFC 3327), comma-separated; None: direct


CallReason: TypeAlias = Literal[
    "hangup",
    "cancelled",
    "busy",
    "declined",
    "no-answer",
    "not-found",
    "not-registered",
    "no-ack",
    "no-media",
    "no-common-codec",
    "shutdown",
    "transferred",
    "session-expired",
    "unavailable",
]
"""Why a call ended: a BYE (``hangup``), the caller's CANCEL (``cancelled``), every phone busy
(486) or declining (603), no phone answering (``no-answer``), an unknown number (404), a user
with no registered phone (480), a user whose status takes no calls and who has no voicemail
(``unavailable``, 486), our 2xx never acknowledged (``no-ack``), no RTP port or no
shared codec, the PBX shutting down, or a session timer running out (``session-expired``,
RFC 4028: the phone stopped refreshing the call)."""

CALL_REASONS: tuple[CallReason, ...] = get_args(CallReason)


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A call as the PBX records it: built by the call core, stored, read back with its ``id``.

    ``ended_by`` is the extension that hung up or declined, when one did; ``sip_status`` the
    final status the caller's INVITE got (200 once answered, 486, 603, 487...), ``None`` when
    the caller's INVITE was never answered at all (e.g. the PBX shut down first).
    """

    call_id: str
    caller: str
    callee: str
    caller_name: str | None
    callee_name: str | None
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime
    reason: CallReason
    ended_by: str | None = None
    sip_status: int | None = None
    id: int | None = None  # set by the store

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


@dataclass(frozen=True, slots=True)
class ContactNumber:
    """One phone number of a company contact, E.164 (``+31201234567``)."""

    label: str
    number: str


@dataclass(frozen=True, slots=True)
class NewContact:
    """A company contact to add (numbers already normalised to E.164)."""

    name: str
    company: str | None
    email: str | None
    numbers: tuple[ContactNumber, ...]


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """A company contact: a person or a company, with its numbers and its card's details."""

    id: int
    name: str
    company: str | None
    email: str | None
    numbers: tuple[ContactNumber, ...]
    department: str | None = None
    job_title: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class PresenceRecord:
    """A user's stored presence; ``until`` is when it falls back to "available"."""

    extension: str
    status: str
    until: datetime | None
    role: str = "work"
    note: str | None = None
