"""Chat in the database: synchronous, one short transaction per method, run on the store's thread.

It shares the :class:`~pbx_core.store.Store`'s engine and transaction helper, so a failure is a
:class:`~pbx_core.errors.StoreError` and rolls back: a refused or failed call changes nothing.
A message is committed (SQLite WAL) before the method returns, so once the API or a SIP phone
has its answer, the message survives the process being killed.

Visibility: a user sees a conversation while they are a member (not left); anything else is
:class:`~pbx_core.errors.NotFound`, the same answer as for a conversation that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pbx_core.chat.records import (
    MAX_MEMBERS,
    ChatInputError,
    Conversation,
    ConversationId,
    ConversationKind,
    Member,
    Message,
    MessagePage,
    MessageSource,
    Posted,
    Receipt,
    check_name,
    check_picture,
    check_text,
    direct_key,
)
from pbx_core.errors import Conflict, NotFound
from pbx_core.store.models import ChatConversationRow, ChatMemberRow, ChatMessageRow

if TYPE_CHECKING:

    from pbx_core.store import Store

__all__ = ["MAX_PAGE", "ChatRepository"]

MAX_PAGE = 200


class ChatRepository:
    """Conversations, members and messages; every method is one transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store


    def _check_users(self, extensions: Iterable[str]) -> None:
        for ext in extensions:
            if self._store.user_by_extension(ext) is None:
                raise ChatInputError(f"no colleague with extension {ext}")

    # -- conversations ----------------------------------------------------------------------

    def open_direct(self, me: str, other: str, now: datetime) -> tuple[Conversation, bool]:
        """The 1:1 conversation of ``me`` and ``other``, made if missing; True when made."""
        key = direct_key(me, other)
        self._check_users((me, other))
        with self._store.transaction() as session:
            row = session.scalar(
                select(ChatConversationRow).where(ChatConversationRow.direct_key == key)
            )
            created = row is None
            if row is None:
                row = self._new(session, "direct", None, None, me, now, key)
                for ext in sorted((me, other)):
                    session.add(_member_row(row.id, ext, now))
                session.flush()
            return self._load(session, row, me), created

    def create_group(
        self, me: str, name: str, picture: str | None, members: Sequence[str], now: datetime
    ) -> Conversation:
        """A named group of ``me`` and ``members`` (every member may change it, or leave)."""
        name = check_name(name)
        picture = check_picture(picture)
        everyone = sorted({me, *members})
        if len(everyone) > MAX_MEMBERS:
            raise ChatInputError(f"a group has at most {MAX_MEMBERS} members")
        self._check_users(everyone)
        with self._store.transaction() as session:
            row = self._new(session, "group", name, picture, me, now, None)
            for ext in everyone:
                session.add(_member_row(row.id, ext, now))
            session.flush()
            return self._load(session, row, me)

    @staticmethod
    def _new(
        session: Session,
        kind: ConversationKind,
        name: str | None,
        picture: str | None,
        me: str,
        now: datetime,
        key: str | None,
    ) -> ChatConversationRow:
        row = ChatConversationRow(
            kind=kind,
            name=name,
            picture=picture,
            direct_key=key,
            created_by=me,
            created_at=now,
            last_seq=0,
            last_at=now,
        )
        session.add(row)
        session.flush()
        return row

    def conversation(self, cid: int, viewer: str) -> Conversation:
        """One conversation of ``viewer``, with their unread count; NotFound otherwise."""
        with self._store.transaction() as session:
            return self._load(session, self._row(session, cid, viewer), viewer)

    def conversations(self, viewer: str) -> list[Conversation]:
        """Every conversation of ``viewer``, the most recently active first."""
        with self._store.transaction() as session:
            rows = session.scalars(
                select(ChatConversationRow)
                .join(ChatMemberRow, ChatMemberRow.conversation_id == ChatConversationRow.id)
                .where(ChatMemberRow.extension == viewer, ChatMemberRow.left_at.is_(None))
                .order_by(ChatConversationRow.last_at.desc(), ChatConversationRow.id.desc())
            ).all()
            return [self._load(session, row, viewer) for row in rows]

    def update(
        self, cid: int, viewer: str, *, name: str | None, picture: str | None, set_picture: bool
    ) -> Conversation:
        """Rename a group and/or set its picture (``set_picture``; None removes it)."""
        with self._store.transaction() as session:
            row = self._row(session, cid, viewer)
            if row.kind != "group":
                raise Conflict("a 1:1 chat has no name or picture of its own")
            if name is not None:
                row.name = check_name(name)
            if set_picture:
                row.picture = check_picture(picture)
            session.flush()
            return self._load(session, row, viewer)

    def add_members(
        self, cid: int, viewer: str, extensions: Sequence[str], now: datetime
    ) -> tuple[Conversation, tuple[str, ...]]:
        """Add colleagues to a group; the conversation and who was added (not there yet)."""
        self._check_users(extensions)
        with self._store.transaction() as session:
            row = self._row(session, cid, viewer)
            if row.kind != "group":
                raise Conflict("a 1:1 chat cannot get more members; start a group instead")
            current = {m.extension: m for m in _member_rows(session, row.id)}
            active = {e for e, m in current.items() if m.left_at is None}
            added = tuple(sorted(set(extensions) - active))
            if len(active) + len(added) > MAX_MEMBERS:
                raise ChatInputError(f"a group has at most {MAX_MEMBERS} members")
            for ext in added:
                old = current.get(ext)
                if old is None:
                    session.add(_member_row(row.id, ext, now))
                else:
                    old.left_at = None
                    old.joined_at = now
            session.flush()
            return self._load(session, row, viewer), added

    def remove_member(self, cid: int, viewer: str, extension: str, now: datetime) -> Conversation:
        """``viewer`` removes ``extension`` (themselves: leaves) from a group; the group as it
        is now, seen by ``viewer`` (without members when they left)."""
        with self._store.transaction() as session:
            row = self._row(session, cid, viewer)
            if row.kind != "group":
                raise Conflict("you cannot leave a 1:1 chat")
            member = session.get(ChatMemberRow, (row.id, extension))
            if member is None or member.left_at is not None:
                raise NotFound(f"{extension} is not in conversation {cid}")
            member.left_at = now
            session.flush()
            return self._load(session, row, viewer, allow_left=True)

    # -- messages ---------------------------------------------------------------------------

    def post(
        self,
        cid: int,
        sender: str,
        text: str,
        now: datetime,
        *,
        source: MessageSource = "app",
        client_id: str | None = None,
    ) -> Posted:
        """Store a message as the next in its conversation; the sender has read up to it."""
        text = check_text(text)
        with self._store.transaction() as session:
            row = self._row(session, cid, sender)
            members = tuple(m.extension for m in _member_rows(session, row.id, active=True))
            if client_id is not None:
                old = session.scalar(
                    select(ChatMessageRow).where(
                        ChatMessageRow.conversation_id == row.id,
                        ChatMessageRow.sender == sender,
                        ChatMessageRow.client_id == client_id,
                    )
                )
                if old is not None:
                    return Posted(_message(old), members, duplicate=True)
            row.last_seq += 1
            row.last_at = now
            message = ChatMessageRow(
                conversation_id=row.id,
                seq=row.last_seq,
                sender=sender,
                text=text,
                sent_at=now,
                source=source,
                client_id=client_id,
            )
            session.add(message)
            me = session.get(ChatMemberRow, (row.id, sender))
            assert me is not None
            me.read_seq = me.delivered_seq = row.last_seq
            session.flush()
            return Posted(_message(message), members)

    def history(
        self,
        cid: int,
        viewer: str,
        *,
        before: int | None = None,
        after: int | None = None,
        limit: int = 50,
    ) -> MessagePage:
        """A page of messages in ``seq`` order: the newest ``limit`` before ``before`` (or of
        all), or with ``after``, the oldest ``limit`` after it (catching up)."""
        if not 1 <= limit <= MAX_PAGE:
            raise ChatInputError(f"limit must be 1 to {MAX_PAGE}")
        with self._store.transaction() as session:
            row = self._row(session, cid, viewer)
            query = select(ChatMessageRow).where(ChatMessageRow.conversation_id == row.id)
            if after is not None:
                query = query.where(ChatMessageRow.seq > after)
                rows = session.scalars(query.order_by(ChatMessageRow.seq).limit(limit)).all()
                return MessagePage(tuple(_message(m) for m in rows), has_more=False)
            if before is not None:
                query = query.where(ChatMessageRow.seq < before)
            found = session.scalars(query.order_by(ChatMessageRow.seq.desc()).limit(limit + 1))
            rows = list(found)
            page = tuple(_message(m) for m in reversed(rows[:limit]))
            return MessagePage(page, has_more=len(rows) > limit)

    def mark(
        self, cid: int, viewer: str, *, delivered: int | None = None, read: int | None = None
    ) -> Receipt:
        """Move ``viewer``'s receipts forward (never back, never past the last message); read
        implies delivered."""
        with self._store.transaction() as session:
            row = self._row(session, cid, viewer)
            member = session.get(ChatMemberRow, (row.id, viewer))
            assert member is not None
            before = (member.delivered_seq, member.read_seq)
            if read is not None:
                member.read_seq = max(member.read_seq, min(read, row.last_seq))
            top = max(delivered or 0, member.read_seq)
            member.delivered_seq = max(member.delivered_seq, min(top, row.last_seq))
            members = tuple(m.extension for m in _member_rows(session, row.id, active=True))
            after = (member.delivered_seq, member.read_seq)
            return Receipt(
                ConversationId(row.id), viewer, after[0], after[1], members, after != before
            )

    def search(self, viewer: str, query: str, limit: int = 50) -> list[Message]:
        """Messages containing ``query`` (any case) in ``viewer``'s conversations, newest first."""
        words = query.strip()
        if not words:
            raise ChatInputError("search for at least one character")
        if not 1 <= limit <= MAX_PAGE:
            raise ChatInputError(f"limit must be 1 to {MAX_PAGE}")
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self._store.transaction() as session:
            rows = session.scalars(
                select(ChatMessageRow)
                .join(
                    ChatMemberRow,
                    ChatMemberRow.conversation_id == ChatMessageRow.conversation_id,
                )
                .where(
                    ChatMemberRow.extension == viewer,
                    ChatMemberRow.left_at.is_(None),
                    ChatMessageRow.text.ilike(pattern, escape="\\"),
                )
                .order_by(ChatMessageRow.sent_at.desc(), ChatMessageRow.id.desc())
                .limit(limit)
            ).all()
            return [_message(m) for m in rows]

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _row(session: Session, cid: int, viewer: str) -> ChatConversationRow:
        row = session.scalar(
            select(ChatConversationRow)
            .join(ChatMemberRow, ChatMemberRow.conversation_id == ChatConversationRow.id)
            .where(
                ChatConversationRow.id == cid,
                ChatMemberRow.extension == viewer,
                ChatMemberRow.left_at.is_(None),
            )
        )
        if row is None:
            raise NotFound(f"no conversation {cid} of yours")
        return row

    @staticmethod
    def _load(
        session: Session, row: ChatConversationRow, viewer: str, *, allow_left: bool = False
    ) -> Conversation:
        members = _member_rows(session, row.id, active=True)
        me = next((m for m in members if m.extension == viewer), None)
        unread = 0
        if me is not None:
            unread = int(
                session.scalar(
                    select(func.count())
                    .select_from(ChatMessageRow)
                    .where(
                        ChatMessageRow.conversation_id == row.id,
                        ChatMessageRow.seq > me.read_seq,
                        ChatMessageRow.sender != viewer,
                    )
                )
                or 0
            )
        elif not allow_left:
            raise NotFound(f"no conversation {row.id} of yours")
        last = session.scalar(
            select(ChatMessageRow).where(
                ChatMessageRow.conversation_id == row.id, ChatMessageRow.seq == row.last_seq
            )
        )
        return Conversation(
            id=ConversationId(row.id),
            kind="group" if row.kind == "group" else "direct",
            name=row.name,
            picture=row.picture,
            created_by=row.created_by,
            created_at=row.created_at,
            last_seq=row.last_seq,
            last_at=row.last_at,
            members=tuple(
                Member(m.extension, m.joined_at, m.delivered_seq, m.read_seq) for m in members
            ),
            unread=unread,
            last_message=None if last is None else _message(last),
        )


def _member_row(cid: int, extension: str, now: datetime) -> ChatMemberRow:
    return ChatMemberRow(
        conversation_id=cid, extension=extension, joined_at=now, delivered_seq=0, read_seq=0
    )


def _member_rows(session: Session, cid: int, *, active: bool = False) -> list[ChatMemberRow]:
    query = select(ChatMemberRow).where(ChatMemberRow.conversation_id == cid)
    if active:
        query = query.where(ChatMemberRow.left_at.is_(None))
    return list(session.scalars(query.order_by(ChatMemberRow.extension)))


def _message(row: ChatMessageRow) -> Message:
    return Message(
        id=row.id,
        conversation_id=ConversationId(row.conversation_id),
        seq=row.seq,
        sender=row.sender,
        text=row.text,
        sent_at=row.sent_at,
        source="sip" if row.source == "sip" else "app",
        client_id=row.client_id,
    )
