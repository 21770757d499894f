"""What the chat service hands out: frozen records, never ORM rows, and its input rules.

The rules are pure functions, so the limits are tested without a database: a message is 1 to
:data:`MAX_TEXT` characters of Unicode text (emoji are plain characters) and not only spaces; a
group name is 1 to :data:`MAX_NAME` characters; a group has at most :data:`MAX_MEMBERS` people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NewType

from pbx_core.errors import PbxError

__all__ = [
    "MAX_MEMBERS",
    "MAX_NAME",
    "MAX_PICTURE",
    "MAX_TEXT",
    "ChatInputError",
    "Conversation",
    "ConversationId",
    "ConversationKind",
    "Member",
    "Message",
    "MessagePage",
    "MessageSource",
    "Posted",
    "Receipt",
    "check_name",
    "check_picture",
    "check_text",
    "direct_key",
]

ConversationId = NewType("ConversationId", int)
ConversationKind = Literal["direct", "group"]
MessageSource = Literal["app", "sip"]

MAX_TEXT = 4000
MAX_NAME = 100
MAX_PICTURE = 32_000
"""A group picture: an http(s) URL, or a small image inline as a PNG or JPEG ``data:`` URL (the
desktop sends a 96 px JPEG of a few KB, so every member's app shows it without fetching)."""
PICTURE_PREFIXES = ("https://", "http://", "data:image/png;base64,", "data:image/jpeg;base64,")
MAX_MEMBERS = 100


class ChatInputError(PbxError, ValueError):
    """A request the chat refuses as it stands (empty text, unknown colleague); nothing changed."""


@dataclass(frozen=True, slots=True)
class Member:
    """A user in a conversation and how far they received and read it (message ``seq``)."""

    extension: str
    joined_at: datetime
    delivered_seq: int = 0
    read_seq: int = 0


@dataclass(frozen=True, slots=True)
class Message:
    """One message; ``seq`` numbers it within its conversation, ``sent_at`` is server time."""

    id: int
    conversation_id: ConversationId
    seq: int
    sender: str
    text: str
    sent_at: datetime
    source: MessageSource = "app"
    client_id: str | None = None


@dataclass(frozen=True, slots=True)
class Conversation:
    """A chat as one member sees it: its current members, and that member's unread count."""

    id: ConversationId
    kind: ConversationKind
    name: str | None
    picture: str | None
    created_by: str
    created_at: datetime
    last_seq: int
    last_at: datetime
    members: tuple[Member, ...]
    unread: int = 0
    last_message: Message | None = None

    @property
    def extensions(self) -> tuple[str, ...]:
        return tuple(m.extension for m in self.members)

    def member(self, extension: str) -> Member | None:
        return next((m for m in self.members if m.extension == extension), None)


@dataclass(frozen=True, slots=True)
class MessagePage:
    """Messages in ``seq`` order; ``has_more``: older ones exist before the first."""

    messages: tuple[Message, ...]
    has_more: bool


@dataclass(frozen=True, slots=True)
class Posted:
    """A stored message and its conversation's members; ``duplicate``: the client's retry of a
    message stored before (same ``client_id``), returned again instead of stored twice."""

    message: Message
    members: tuple[str, ...]
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class Receipt:
    """How far ``extension`` received and read a conversation; ``changed``: this call moved it."""

    conversation_id: ConversationId
    extension: str
    delivered_seq: int
    read_seq: int
    members: tuple[str, ...]
    changed: bool = True


def check_text(text: str) -> str:
    """The text to store; ChatInputError when it is empty, blank or too long."""
    if not text.strip():
        raise ChatInputError("the message is empty")
    if len(text) > MAX_TEXT:
        raise ChatInputError(f"the message is longer than {MAX_TEXT} characters")
    if "\x00" in text:
        raise ChatInputError("the message contains a NUL character")
    return text


def check_name(name: str) -> str:
    """A group's name, trimmed; ChatInputError when blank or too long."""
    trimmed = " ".join(name.split())
    if not trimmed:
        raise ChatInputError("the group needs a name")
    if len(trimmed) > MAX_NAME:
        raise ChatInputError(f"the group name is longer than {MAX_NAME} characters")
    return trimmed


def check_picture(picture: str | None) -> str | None:
    """A picture (or None, no picture); ChatInputError when too long or of another kind."""
    if picture is None or not picture.strip():
        return None
    if len(picture) > MAX_PICTURE:
        raise ChatInputError(f"the picture is longer than {MAX_PICTURE} characters")
    picture = picture.strip()
    if not picture.startswith(PICTURE_PREFIXES):
        raise ChatInputError("the picture must be an http(s) URL or a PNG or JPEG data: URL")
    return picture


def direct_key(a: str, b: str) -> str:
    """The one key of the 1:1 conversation of two users, whoever starts it."""
    if a == b:
        raise ChatInputError("a 1:1 chat needs a colleague other than yourself")
    first, second = sorted((a, b))
    return f"{first}:{second}"
