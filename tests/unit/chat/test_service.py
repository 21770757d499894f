from __future__ import annotations

from pbx_core.bus import EventBus
from pbx_core.chat import (
    ChatConversationChanged,
    ChatMessagePosted,
    ChatReceiptChanged,
    ChatService,
    ChatTyping,
    Conversation,
    Posted,
    chat_service,
)
from pbx_core.events import Event
from pbx_core.store import Store


async def test_a_message_is_published_to_its_members_and_relayed(store: Store) -> None:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    chat = chat_service(store, bus)
    assert chat_service(store, bus) is chat
    relayed: list[tuple[Posted, Conversation]] = []
    chat.add_relay(lambda p, c: relayed.append((p, c)))
    posted = await chat.send_direct("201", "202", "hoi 👋", source="sip")
    created = [e for e in seen if isinstance(e, ChatConversationChanged)]
    assert [(e.change, e.members) for e in created] == [("created", ("201", "202"))]
    message = next(e for e in seen if isinstance(e, ChatMessagePosted))
    assert message.audience == frozenset({"201", "202"})
    assert (message.text, message.seq, message.source) == ("hoi 👋", 1, "sip")
    assert relayed[0][0] == posted and relayed[0][1].kind == "direct"
    await chat.history(message.conversation_id, "202")
    await chat.mark(message.conversation_id, "202", read=1)
    receipts = [
        (e.extension, e.delivered_seq, e.read_seq)
        for e in seen
        if isinstance(e, ChatReceiptChanged)
    ]
    assert receipts == [("201", 1, 1), ("202", 1, 0), ("202", 1, 1)]
    await chat.mark(message.conversation_id, "202", read=1)  # no change: no event
    assert len([e for e in seen if isinstance(e, ChatReceiptChanged)]) == 3
    await chat.typing(message.conversation_id, "202")
    typing = [e for e in seen if isinstance(e, ChatTyping)]
    assert typing[0].audience == frozenset({"201"})
    await store.aio.close()


async def test_leaving_tells_the_one_who_left_too(store: Store) -> None:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    chat = ChatService(store, bus)
    group = await chat.create_group("201", "Support", ["202", "203"])
    await chat.remove_member(group.id, "203", "203")
    left = [e for e in seen if isinstance(e, ChatConversationChanged)][-1]
    assert left.change == "left" and left.extensions == ("203",)
    assert left.audience == frozenset({"201", "202", "203"})
    await store.aio.close()
