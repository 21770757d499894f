"""Chat events on the bus: for the conversation's members only.

Each event names its ``members``; :attr:`audience` is what the API's event hub uses to send it
to those users' WebSocket clients and nobody else's (a chat is private).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from pbx_core.events import Event

__all__ = [
    "ChatConversationChanged",
    "ChatEvent",
    "ChatMessagePosted",
    "ChatReceiptChanged",
    "ChatTyping",
]


@dataclass(frozen=True, slots=True)
class ChatEvent(Event):
    """Base of chat events: ``members`` are the users it is sent to."""

    kind: ClassVar[str] = "chat"
    conversation_id: int
    members: tuple[str, ...]

    @property
    def audience(self) -> frozenset[str]:
        return frozenset(self.members)


@dataclass(frozen=True, slots=True)
class ChatMessagePosted(ChatEvent):
    """A message was stored (from the API or a SIP phone's MESSAGE)."""

    kind: ClassVar[str] = "chat.message"
    id: int
    seq: int
    sender: str
    text: str
    sent_at: datetime
    source: str
    client_id: str | None = None


@dataclass(frozen=True, slots=True)
class ChatReceiptChanged(ChatEvent):
    """``extension`` received (``delivered_seq``) or read (``read_seq``) up to a message."""

    kind: ClassVar[str] = "chat.receipt"
    extension: str
    delivered_seq: int
    read_seq: int


@dataclass(frozen=True, slots=True)
class ChatConversationChanged(ChatEvent):
    """A conversation was created, renamed, given a picture, or members joined or left.

    ``change``: ``created``, ``updated``, ``members_added``, ``member_removed`` or ``left``;
    ``extensions``: who joined or left, ``by`` who did it. ``members`` includes those who just
    left, so they learn it too.
    """

    kind: ClassVar[str] = "chat.conversation"
    change: str
    by: str
    name: str | None = None
    picture: str | None = None
    extensions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChatTyping(ChatEvent):
    """``extension`` is typing in the conversation (the client repeats it every few seconds)."""

    kind: ClassVar[str] = "chat.typing"
    extension: str
