"""Chat: 1:1 and group conversations of the PBX's users, stored with receipts and unread counts.

:class:`ChatService` (one per store, :func:`chat_service`) is what the API and SIP MESSAGE use;
:class:`ChatRepository` is its SQL, synchronous and testable without a loop.
"""

from __future__ import annotations

from pbx_core.chat.events import (
    ChatConversationChanged,
    ChatEvent,
    ChatMessagePosted,
    ChatReceiptChanged,
    ChatTyping,
)
from pbx_core.chat.records import (
    MAX_MEMBERS,
    MAX_NAME,
    MAX_PICTURE,
    MAX_TEXT,
    ChatInputError,
    Conversation,
    ConversationId,
    Member,
    Message,
    MessagePage,
    Posted,
    Receipt,
)
from pbx_core.chat.repository import MAX_PAGE, ChatRepository
from pbx_core.chat.service import ChatService, Relay, chat_service

__all__ = [
    "MAX_MEMBERS",
    "MAX_NAME",
    "MAX_PAGE",
    "MAX_PICTURE",
    "MAX_TEXT",
    "ChatConversationChanged",
    "ChatEvent",
    "ChatInputError",
    "ChatMessagePosted",
    "ChatReceiptChanged",
    "ChatRepository",
    "ChatService",
    "ChatTyping",
    "Conversation",
    "ConversationId",
    "Member",
    "Message",
    "MessagePage",
    "Posted",
    "Receipt",
    "Relay",
    "chat_service",
]
