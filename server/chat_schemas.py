"""Pydantic bodies of the chat API (``/api/v1/chats``); see docs/chat.md."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pbx_core.chat import MAX_MEMBERS, MAX_NAME, MAX_PICTURE, MAX_TEXT

__all__ = [
    "ConversationIn",
    "ConversationOut",
    "ConversationPatch",
    "MemberOut",
    "MembersIn",
    "MessageIn",
    "MessageOut",
    "MessagePageOut",
    "ReceiptIn",
    "ReceiptOut",
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MessageIn(_In):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="plain Unicode text")
    client_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="the client's own id of this message: a retry with it is stored once",
    )


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: int
    seq: int = Field(description="number of the message within its conversation, from 1")
    sender: str
    text: str
    sent_at: datetime = Field(description="server time")
    source: Literal["app", "sip"]
    client_id: str | None = None


class MessagePageOut(BaseModel):
    messages: list[MessageOut]
    has_more: bool = Field(description="older messages exist before the first one")


class MemberOut(BaseModel):
    extension: str
    name: str | None
    delivered_seq: int
    read_seq: int


class ConversationOut(BaseModel):
    id: int
    kind: Literal["direct", "group"]
    name: str | None
    picture: str | None
    created_by: str
    created_at: datetime
    last_seq: int
    last_at: datetime
    unread: int = Field(description="messages of others after your read mark")
    members: list[MemberOut]
    last_message: MessageOut | None


class ConversationIn(_In):
    kind: Literal["direct", "group"] = "direct"
    members: list[str] = Field(
        min_length=1,
        max_length=MAX_MEMBERS,
        description="extensions of the others: one for a 1:1 chat, any for a group",
    )
    name: str | None = Field(default=None, max_length=MAX_NAME)
    picture: str | None = Field(default=None, max_length=MAX_PICTURE)


class ConversationPatch(_In):
    name: str | None = Field(default=None, max_length=MAX_NAME)
    picture: str | None = Field(
        default=None,
        max_length=MAX_PICTURE,
        description="an http(s) URL or a PNG/JPEG data: URL; empty removes the picture",
    )


class MembersIn(_In):
    extensions: list[str] = Field(min_length=1, max_length=MAX_MEMBERS)


class ReceiptIn(_In):
    seq: int = Field(ge=0, description="the last message seen (read or received)")


class ReceiptOut(BaseModel):
    conversation_id: int
    extension: str
    delivered_seq: int
    read_seq: int
