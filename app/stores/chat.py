"""The signed-in user's chats (seed 000 "Chat"): conversations, the open one's messages, receipts.

Filled from ``GET /api/v1/chats`` and a conversation's messages, kept current by the server's
``chat.*`` events (:class:`app.controllers.chat.ChatController`). Pure state: every change is
announced once on :attr:`ChatStore.changed` with the names of what changed (``conversations``,
``messages``, ``unread``, ``typing``), and views redraw only that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from app.server_events import parse_until

__all__ = ["ChatConversation", "ChatMember", "ChatMessage", "ChatStore"]


def _text(row: Mapping[str, object], name: str, what: str) -> str:
    value = row.get(name)
    if not isinstance(value, str):
        raise ValueError(f"{what}: {name} must be a string")
    return value


def _int(row: Mapping[str, object], name: str, what: str) -> int:
    value = row.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what}: {name} must be a number")
    return value


def _optional(row: Mapping[str, object], name: str) -> str | None:
    value = row.get(name)
    return value if isinstance(value, str) else None


def _time(row: Mapping[str, object], name: str, what: str) -> dt.datetime:
    value = parse_until(row.get(name))
    if value is None:
        raise ValueError(f"{what}: {name} must be an ISO-8601 time")
    return value


@dataclass(frozen=True, slots=True)
class ChatMessage:
    id: int
    conversation_id: int
    seq: int
    sender: str
    text: str
    sent_at: dt.datetime
    source: str = "app"

    @classmethod
    def from_api(cls, row: Mapping[str, object]) -> ChatMessage:
        """A message of the API or of a ``chat.message`` event; ``ValueError`` names a bad field."""
        w = "chat message"
        return cls(
            _int(row, "id", w),
            _int(row, "conversation_id", w),
            _int(row, "seq", w),
            _text(row, "sender", w),
            _text(row, "text", w),
            _time(row, "sent_at", w),
            _optional(row, "source") or "app",
        )


@dataclass(frozen=True, slots=True)
class ChatMember:
    extension: str
    name: str | None
    delivered_seq: int = 0
    read_seq: int = 0


@dataclass(frozen=True, slots=True)
class ChatConversation:
    id: int
    kind: str  # "direct" or "group"
    name: str | None
    members: tuple[ChatMember, ...]
    last_seq: int
    last_at: dt.datetime
    unread: int = 0
    last_message: ChatMessage | None = None
    picture: str | None = None  # a group's: an http(s) URL or a data: URL of a small image

    @classmethod
    def from_api(cls, row: Mapping[str, object]) -> ChatConversation:
        w = "chat"
        members_raw = row.get("members")
        if not isinstance(members_raw, list):
            raise ValueError("chat: members must be a list")
        members = []
        for m in members_raw:
            if not isinstance(m, Mapping):
                raise ValueError("chat: a member must be an object")
            members.append(
                ChatMember(
                    _text(m, "extension", w),
                    _optional(m, "name"),
                    _int(m, "delivered_seq", w),
                    _int(m, "read_seq", w),
                )
            )
        last = row.get("last_message")
        return cls(
            _int(row, "id", w),
            _text(row, "kind", w),
            _optional(row, "name"),
            tuple(members),
            _int(row, "last_seq", w),
            _time(row, "last_at", w),
            _int(row, "unread", w),
            ChatMessage.from_api(last) if isinstance(last, Mapping) else None,
            _optional(row, "picture"),
        )

    def title(self, me: str | None) -> str:
        """A group's name; in a 1:1 chat, the other person's name (or extension)."""
        if self.kind == "group" and self.name:
            return self.name
        others = [m for m in self.members if m.extension != me]
        return ", ".join(m.name or m.extension for m in others) or (self.name or "")

    def member_name(self, extension: str) -> str:
        found = next((m for m in self.members if m.extension == extension), None)
        return (found.name if found is not None else None) or extension

    def receipt(self, me: str | None, seq: int) -> str:
        """For a message of ``me``: ``read`` when every other member read it, ``delivered``
        when every other member received it, else ``sent``."""
        others = [m for m in self.members if m.extension != me]
        if not others:
            return "sent"
        if all(m.read_seq >= seq for m in others):
            return "read"
        if all(m.delivered_seq >= seq for m in others):
            return "delivered"
        return "sent"


class ChatStore(QObject):
    """Conversations (most recent first), the messages of loaded ones, the total unread."""

    changed = Signal(object)  # frozenset[str]: "conversations", "messages", "unread"

    def __init__(self) -> None:
        super().__init__()
        self.me: str | None = None
        self.conversations: list[ChatConversation] = []
        self.messages: dict[int, list[ChatMessage]] = {}
        self.open_id: int | None = None
        self.typing: dict[int, str] = {}
        self.has_earlier: dict[int, bool] = {}
        """Per loaded conversation: the server holds messages before the first one loaded."""
        """Per conversation, the colleague typing there now (the view clears it after a while)."""

    @property
    def unread_total(self) -> int:
        return sum(c.unread for c in self.conversations)

    def get(self, cid: int) -> ChatConversation | None:
        return next((c for c in self.conversations if c.id == cid), None)

    def _emit(self, *names: str) -> None:
        self.changed.emit(frozenset(names))

    def _sort(self) -> None:
        self.conversations.sort(key=lambda c: (c.last_at, c.id), reverse=True)

    def set_conversations(self, conversations: list[ChatConversation]) -> None:
        self.conversations = list(conversations)
        self._sort()
        self._emit("conversations", "unread")

    def put_conversation(self, conv: ChatConversation) -> None:
        self.conversations = [c for c in self.conversations if c.id != conv.id] + [conv]
        self._sort()
        self._emit("conversations", "unread")

    def remove_conversation(self, cid: int) -> None:
        self.conversations = [c for c in self.conversations if c.id != cid]
        self.messages.pop(cid, None)
        if self.open_id == cid:
            self.open_id = None
        self._emit("conversations", "unread", "messages")

    def open(self, cid: int | None) -> None:
        self.open_id = cid
        self._emit("messages")

    def set_messages(
        self, cid: int, messages: list[ChatMessage], has_earlier: bool | None = None
    ) -> None:
        """A loaded page, merged with what is known: a message whose event came while the page
        was on its way (the page may have been read before it was stored) stays, and an
        earlier page goes before the messages shown. ``has_earlier``: the page's ``has_more``."""
        by_seq = {m.seq: m for m in self.messages.get(cid, ())}
        by_seq.update((m.seq, m) for m in messages)
        self.messages[cid] = sorted(by_seq.values(), key=lambda m: m.seq)
        if has_earlier is not None:
            self.has_earlier[cid] = has_earlier
        self._emit("messages")

    def add_message(self, m: ChatMessage) -> None:
        """A new message (an event or our own send): shown, counted unread if not ours. Kept
        for the open conversation even before its page has loaded (set_messages merges)."""
        if self.typing.get(m.conversation_id) == m.sender:
            self.typing.pop(m.conversation_id)
        known = self.messages.get(m.conversation_id)
        if known is None and m.conversation_id == self.open_id:
            known = self.messages[m.conversation_id] = []
        if known is not None and all(k.seq != m.seq for k in known):
            known.append(m)
            known.sort(key=lambda k: k.seq)
        conv = self.get(m.conversation_id)
        if conv is not None and m.seq > conv.last_seq:
            unread = conv.unread + (0 if m.sender == self.me else 1)
            self.put_conversation(
                replace(conv, last_seq=m.seq, last_at=m.sent_at, unread=unread, last_message=m)
            )
        self._emit("messages")

    def set_typing(self, cid: int, extension: str | None) -> None:
        """``extension`` types in ``cid`` (None: nobody does any more)."""
        if extension is None:
            if self.typing.pop(cid, None) is None:
                return
        else:
            self.typing[cid] = extension
        self._emit("typing")

    def apply_receipt(self, cid: int, extension: str, delivered: int, read: int) -> None:
        conv = self.get(cid)
        if conv is None:
            return
        members = tuple(
            replace(m, delivered_seq=delivered, read_seq=read) if m.extension == extension else m
            for m in conv.members
        )
        unread = conv.unread
        if extension == self.me:
            unread = 0 if read >= conv.last_seq else conv.unread
        self.put_conversation(replace(conv, members=members, unread=unread))
        self._emit("messages")
