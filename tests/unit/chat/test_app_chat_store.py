"""The desktop's chat store: parsing the API's rows, unread counts, receipts, the green mark."""

from __future__ import annotations

from typing import Any

import pytest

from app.stores.chat import ChatConversation, ChatMessage, ChatStore


def _conv(cid: int = 1, unread: int = 0, last_seq: object = 2, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": cid,
        "kind": "direct",
        "name": None,
        "picture": None,
        "created_by": "201",
        "created_at": "2026-03-02T09:00:00+00:00",
        "last_seq": last_seq,
        "last_at": f"2026-03-02T09:0{cid}:00+00:00",
        "unread": unread,
        "members": [
            {"extension": "201", "name": "Anna de Vries", "delivered_seq": 2, "read_seq": 2},
            {"extension": "202", "name": "Bram Jansen", "delivered_seq": 1, "read_seq": 0},
        ],
        "last_message": None,
    }
    row.update(kw)
    return row


def _msg(seq: int, sender: str = "202", cid: int = 1) -> ChatMessage:
    return ChatMessage.from_api(
        {
            "id": 100 + seq,
            "conversation_id": cid,
            "seq": seq,
            "sender": sender,
            "text": f"m{seq}",
            "sent_at": f"2026-03-02T10:0{seq}:00+00:00",
            "source": "app",
        }
    )


def test_rows_parse_and_bad_rows_name_the_field() -> None:
    conv = ChatConversation.from_api(_conv())
    assert conv.title("201") == "Bram Jansen" and conv.title("202") == "Anna de Vries"
    with pytest.raises(ValueError, match="last_seq must be a number"):
        ChatConversation.from_api(_conv(last_seq="2"))
    with pytest.raises(ValueError, match="sent_at must be an ISO-8601 time"):
        ChatMessage.from_api({"id": 1, "conversation_id": 1, "seq": 1, "sender": "2", "text": ""})


def test_receipts_sent_delivered_read() -> None:
    conv = ChatConversation.from_api(_conv())
    assert conv.receipt("201", 1) == "delivered"
    assert conv.receipt("201", 2) == "sent"
    store = ChatStore()
    store.me = "201"
    store.set_conversations([conv])
    store.apply_receipt(1, "202", 2, 2)
    updated = store.get(1)
    assert updated is not None and updated.receipt("201", 2) == "read"


def test_new_messages_count_unread_unless_ours_and_reading_clears() -> None:
    store = ChatStore()
    store.me = "201"
    seen: list[frozenset[str]] = []
    store.changed.connect(seen.append)
    store.set_conversations(
        [ChatConversation.from_api(_conv(1)), ChatConversation.from_api(_conv(2))]
    )
    store.set_messages(1, [_msg(1), _msg(2)])
    store.add_message(_msg(3))
    store.add_message(_msg(4, sender="201"))
    store.add_message(_msg(3))  # the same event again: no double
    assert [m.seq for m in store.messages[1]] == [1, 2, 3, 4]
    conv = store.get(1)
    assert conv is not None and conv.unread == 1 and conv.last_seq == 4
    assert store.conversations[0].id == 1  # most recent first
    store.apply_receipt(1, "201", 4, 4)
    assert store.unread_total == 0
    assert frozenset({"conversations", "unread"}) in seen


def test_typing_is_shown_until_the_message_comes() -> None:
    store = ChatStore()
    store.me = "201"
    store.set_conversations([ChatConversation.from_api(_conv(1))])
    store.set_messages(1, [])
    store.set_typing(1, "202")
    assert store.typing == {1: "202"}
    store.add_message(_msg(3))
    assert store.typing == {}


def test_a_message_that_comes_while_the_open_chat_loads_stays() -> None:
    """Opening a chat asks for its page; a message whose event arrives before that page (which
    the server may have read before the message was stored) is not lost from the open chat."""
    store = ChatStore()
    store.me = "201"
    store.set_conversations(
        [ChatConversation.from_api(_conv(1)), ChatConversation.from_api(_conv(2))]
    )
    store.open(1)
    store.add_message(_msg(3))  # the event, before the page
    store.add_message(_msg(5, cid=2))  # another chat, not loaded: nothing kept for it
    store.set_messages(1, [_msg(1), _msg(2)])  # the page, read before message 3 was stored
    assert [m.seq for m in store.messages[1]] == [1, 2, 3]
    assert 2 not in store.messages
    store.set_messages(1, [_msg(2), _msg(3)])  # a later page: no doubles
    assert [m.seq for m in store.messages[1]] == [1, 2, 3]
