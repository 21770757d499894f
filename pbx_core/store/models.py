"""Database tables (SQLAlchemy 2 declarative); the Alembic migrations create the same schema.

Portable SQL only (SQLite now, PostgreSQL later): no JSON columns, no SQLite-only types;
datetimes are stored as naive UTC and come back timezone-aware.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from pbx_core.store._fit import FIT, fit_text_columns

__all__ = [
    "AddressBookContactRow",
    "AddressBookGroupRow",
    "AddressBookRow",
    "Base",
    "BindingRow",
    "CallFlowRow",
    "CallRecordRow",
    "ChatConversationRow",
    "ChatMemberRow",
    "ChatMessageRow",
    "ContactMarkRow",
    "ContactNumberRow",
    "ContactRow",
    "ForwardingRow",
    "PersonalContactNumberRow",
    "PersonalContactRow",
    "PresenceRow",
    "SipCredentialRow",
    "UserRoleRow",
    "UserRow",
    "UtcDateTime",
    "VoicemailRow",
    "VoicemailSettingsRow",
]

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive input is a bug and is refused."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("datetime must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


fit_text_columns(Base)  # info=FIT columns: clipped to their length (pbx_core/store/_fit.py)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extension: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    department: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    roles: Mapped[list[UserRoleRow]] = relationship(
        cascade="all, delete-orphan", order_by="UserRoleRow.role", lazy="selectin"
    )


class UserRoleRow(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(64), primary_key=True)


class SipCredentialRow(Base):
    __tablename__ = "sip_credentials"

    username: Mapped[str] = mapped_column(
        ForeignKey("users.extension", ondelete="CASCADE"), primary_key=True
    )
    realm: Mapped[str] = mapped_column(String(200))
    ha1_md5: Mapped[str] = mapped_column(String(32))
    ha1_sha256: Mapped[str] = mapped_column(String(64))


class BindingRow(Base):
    __tablename__ = "bindings"
    __table_args__ = (UniqueConstraint("extension", "contact"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extension: Mapped[str] = mapped_column(ForeignKey("users.extension", ondelete="CASCADE"))
    contact: Mapped[str] = mapped_column(String(1000))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    source: Mapped[str] = mapped_column(String(200))
    call_id: Mapped[str] = mapped_column(String(300))
    cseq: Mapped[int] = mapped_column(Integer)
    user_agent: Mapped[str | None] = mapped_column(String(300), info=FIT)
    path: Mapped[str | None] = mapped_column(Text)  # RFC 3327 Path values, comma-separated


class CallRecordRow(Base):
    __tablename__ = "call_records"
    __table_args__ = (
        Index("ix_call_records_caller_started", "caller", "started_at"),
        Index("ix_call_records_callee_started", "callee", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(String(300))
    caller: Mapped[str] = mapped_column(String(100), info=FIT)
    callee: Mapped[str] = mapped_column(String(100), info=FIT)
    caller_name: Mapped[str | None] = mapped_column(String(200), info=FIT)
    callee_name: Mapped[str | None] = mapped_column(String(200), info=FIT)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(100))
    ended_by: Mapped[str | None] = mapped_column(String(100))
    sip_status: Mapped[int | None] = mapped_column(Integer)


class CallHiddenRow(Base):
    """A call one user removed from their own history (the other party still sees it)."""

    __tablename__ = "call_hidden"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    call_record_id: Mapped[int] = mapped_column(
        ForeignKey("call_records.id", ondelete="CASCADE"), primary_key=True
    )


class ContactRow(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200), info=FIT)
    email: Mapped[str | None] = mapped_column(String(320), info=FIT)
    # the contact card's details (revision 0005); None on contacts made before it
    department: Mapped[str | None] = mapped_column(String(200), info=FIT, nullable=True)
    job_title: Mapped[str | None] = mapped_column(String(200), info=FIT, nullable=True)
    address: Mapped[str | None] = mapped_column(String(500), info=FIT, nullable=True)
    numbers: Mapped[list[ContactNumberRow]] = relationship(
        cascade="all, delete-orphan", order_by="ContactNumberRow.position", lazy="selectin"
    )


Index("ix_contacts_sort", func.lower(ContactRow.name), ContactRow.id)
"""Name order for keyset paging (migration 0014): the Contacts list and the directory's load."""


class ContactNumberRow(Base):
    __tablename__ = "contact_numbers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(32), index=True)


class PresenceRow(Base):
    __tablename__ = "presence"

    extension: Mapped[str] = mapped_column(
        ForeignKey("users.extension", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(32))
    until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # revision 0008: the role (work/private) and the shared note survive a restart
    role: Mapped[str] = mapped_column(String(16), server_default="work")
    note: Mapped[str | None] = mapped_column(String(200))


# -- address books (revision 0005) ---------------------------------------------------------------


class AddressBookRow(Base):
    """A company address book; its groups say who sees its contacts (none: everyone)."""

    __tablename__ = "address_books"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class AddressBookGroupRow(Base):
    """A user group with access to a book: a department name or a role of the users."""

    __tablename__ = "address_book_groups"

    book_id: Mapped[int] = mapped_column(
        ForeignKey("address_books.id", ondelete="CASCADE"), primary_key=True
    )
    group_name: Mapped[str] = mapped_column(String(200), primary_key=True)


class AddressBookContactRow(Base):
    """A company contact in a book; a contact in no book is seen by everyone."""

    __tablename__ = "address_book_contacts"

    book_id: Mapped[int] = mapped_column(
        ForeignKey("address_books.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )


class PersonalContactRow(Base):
    """A contact of one user's own address book."""

    __tablename__ = "personal_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200), info=FIT)
    department: Mapped[str | None] = mapped_column(String(200), info=FIT)
    job_title: Mapped[str | None] = mapped_column(String(200), info=FIT)
    email: Mapped[str | None] = mapped_column(String(320), info=FIT)
    address: Mapped[str | None] = mapped_column(String(500), info=FIT)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    numbers: Mapped[list[PersonalContactNumberRow]] = relationship(
        cascade="all, delete-orphan", order_by="PersonalContactNumberRow.position", lazy="selectin"
    )


class PersonalContactNumberRow(Base):
    """One number of a personal contact; position 0 is the primary number."""

    __tablename__ = "personal_contact_numbers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("personal_contacts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(32), index=True)


class ContactMarkRow(Base):
    """One user's type of a contact: favourite, vip or blocked (``kind``: company or personal)."""

    __tablename__ = "contact_marks"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    contact_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(16))


class ChatConversationRow(Base):
    """A chat: ``direct`` (two people, ``direct_key`` "201:202") or ``group`` (named)."""

    __tablename__ = "chat_conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(200))
    picture: Mapped[str | None] = mapped_column(Text)
    direct_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class ChatMemberRow(Base):
    """A user in a conversation, with how far they received and read it (sequence numbers)."""

    __tablename__ = "chat_members"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), primary_key=True
    )
    extension: Mapped[str] = mapped_column(
        ForeignKey("users.extension", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    delivered_seq: Mapped[int] = mapped_column(Integer, default=0)
    read_seq: Mapped[int] = mapped_column(Integer, default=0)


class ChatMessageRow(Base):
    """One message: numbered per conversation (``seq``), stamped with the server's time."""

    __tablename__ = "chat_messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq", name="uq_chat_messages_conversation_seq"),
        UniqueConstraint(
            "conversation_id", "sender", "client_id", name="uq_chat_messages_client_id"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime())
    source: Mapped[str] = mapped_column(String(16))
    client_id: Mapped[str | None] = mapped_column(String(100))


class VoicemailRow(Base):
    """A voicemail message; its audio is a WAV file under the data dir (``audio``, relative)."""

    __tablename__ = "voicemail_messages"
    __table_args__ = (Index("ix_voicemail_messages_mailbox_received", "mailbox", "received_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(32))
    inbox: Mapped[str] = mapped_column(String(64))
    caller: Mapped[str] = mapped_column(String(100), info=FIT)
    caller_name: Mapped[str | None] = mapped_column(String(200), info=FIT)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    duration_s: Mapped[float] = mapped_column(Float)
    heard: Mapped[bool] = mapped_column(Boolean)
    audio: Mapped[str] = mapped_column(String(500))
    size_bytes: Mapped[int] = mapped_column(Integer)
    call_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # 0010


class VoicemailSettingsRow(Base):
    """A user's voicemail switch (no row: on), assistance number and e-mail notification."""

    __tablename__ = "voicemail_settings"

    extension: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    assistance_number: Mapped[str | None] = mapped_column(String(32), nullable=True)  # 0010
    email_notification: Mapped[str | None] = mapped_column(String(16), nullable=True)  # 0016


class VoicemailGroupRow(Base):
    """A group inbox (migration 0010): the voicemail of a department, at its own number."""

    __tablename__ = "voicemail_groups"

    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    department: Mapped[str] = mapped_column(String(200), unique=True)


# -- call routing (migration 0007): forwarding (C4) and each status's call flow (S9) ----------


class ForwardingRow(Base):
    """A user's forwarding (no row: off); the number stays when it is switched off."""

    __tablename__ = "forwarding"

    extension: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    number: Mapped[str | None] = mapped_column(String(32), nullable=True)


class CallFlowRow(Base):
    """What one status of a user does with calls (no row: "default")."""

    __tablename__ = "call_flows"

    extension: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(32), primary_key=True)
    flow: Mapped[str] = mapped_column(String(64))
