"""The chat service: what the API and SIP MESSAGE call, on the event loop.

Each operation runs its transaction on the store's worker thread (``store.aio``), then
publishes what changed on the bus (for the members' WebSocket clients) and hands new messages
to the relays (SIP MESSAGE to phones that cannot use the app's chat). An operation returns only
after its transaction committed: an acknowledged message is stored.

One service per store: :func:`chat_service` makes it on first use and returns the same one to
the API and the SIP side.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from pbx_core.bus import EventBus
from pbx_core.chat.events import (
    ChatConversationChanged,
    ChatMessagePosted,
    ChatReceiptChanged,
    ChatTyping,
)
from pbx_core.chat.records import (
    Conversation,
    Message,
    MessagePage,
    MessageSource,
    Posted,
    Receipt,
)
from pbx_core.chat.repository import ChatRepository
from pbx_core.store import Store

__all__ = ["ChatService", "Relay", "chat_service"]

_log = logging.getLogger(__name__)

Relay = Callable[[Posted, Conversation], None]
"""Called with every newly stored message and its conversation (seen by the sender)."""

_services: weakref.WeakKeyDictionary[Store, ChatService] = weakref.WeakKeyDictionary()


def chat_service(store: Store, bus: EventBus) -> ChatService:
    """The chat service of ``store`` (made on first use; the same one for every caller)."""
    service = _services.get(store)
    if service is None:
        service = _services[store] = ChatService(store, bus)
    return service


class ChatService:
    """Conversations and messages of the PBX's users."""

    def __init__(
        self,
        store: Store,
        bus: EventBus,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.repository = ChatRepository(store)
        self._aio = store.aio
        self._bus = bus
        self._clock = clock
        self._relays: list[Relay] = []

    def add_relay(self, relay: Relay) -> None:
        """Also hand every new message to ``relay`` (once per relay)."""
        if relay not in self._relays:
            self._relays.append(relay)

    # -- conversations ----------------------------------------------------------------------

    async def conversations(self, viewer: str) -> list[Conversation]:
        return await self._aio.call(self.repository.conversations, viewer)

    async def conversation(self, cid: int, viewer: str) -> Conversation:
        return await self._aio.call(self.repository.conversation, cid, viewer)

    async def open_direct(self, me: str, other: str) -> Conversation:
        """The 1:1 chat of ``me`` and ``other``, started if new (then both are told)."""
        conv, created = await self._aio.call(self.repository.open_direct, me, other, self._clock())
        if created:
            self._changed(conv, "created", me, conv.extensions)
        return conv

    async def create_group(
        self, me: str, name: str, members: Sequence[str], picture: str | None = None
    ) -> Conversation:
        def create() -> Conversation:
            return self.repository.create_group(me, name, picture, members, self._clock())

        conv = await self._aio.call(create)
        self._changed(conv, "created", me, conv.extensions)
        return conv

    async def update(
        self,
        cid: int,
        me: str,
        *,
        name: str | None = None,
        picture: str | None = None,
        set_picture: bool = False,
    ) -> Conversation:
        def update() -> Conversation:
            return self.repository.update(
                cid, me, name=name, picture=picture, set_picture=set_picture
            )

        conv = await self._aio.call(update)
        self._changed(conv, "updated", me, ())
        return conv

    async def add_members(self, cid: int, me: str, extensions: Sequence[str]) -> Conversation:
        conv, added = await self._aio.call(
            self.repository.add_members, cid, me, list(extensions), self._clock()
        )
        if added:
            self._changed(conv, "members_added", me, added)
        return conv

    async def remove_member(self, cid: int, me: str, extension: str) -> Conversation:
        """Remove a member from a group; ``extension == me`` leaves it."""
        conv = await self._aio.call(
            self.repository.remove_member, cid, me, extension, self._clock()
        )
        change = "left" if extension == me else "member_removed"
        self._changed(conv, change, me, (extension,), also=(extension,))
        return conv

    def _changed(
        self,
        conv: Conversation,
        change: str,
        by: str,
        extensions: Sequence[str],
        also: Sequence[str] = (),
    ) -> None:
        members = tuple(sorted({*conv.extensions, *also}))
        self._bus.publish(
            ChatConversationChanged(
                conv.id, members, change, by, conv.name, conv.picture, tuple(extensions)
            )
        )

    # -- messages ---------------------------------------------------------------------------

    async def post(
        self,
        cid: int,
        sender: str,
        text: str,
        *,
        source: MessageSource = "app",
        client_id: str | None = None,
    ) -> Posted:
        """Store a message (committed when this returns), tell the members, relay it."""

        def post() -> tuple[Posted, Conversation]:
            posted = self.repository.post(
                cid, sender, text, self._clock(), source=source, client_id=client_id
            )
            return posted, self.repository.conversation(cid, sender)

        posted, conv = await self._aio.call(post)
        if posted.duplicate:
            return posted
        m = posted.message
        self._bus.publish(
            ChatMessagePosted(
                m.conversation_id,
                posted.members,
                m.id,
                m.seq,
                m.sender,
                m.text,
                m.sent_at,
                m.source,
                m.client_id,
            )
        )
        self._receipt(
            Receipt(m.conversation_id, sender, m.seq, m.seq, posted.members),
        )
        for relay in list(self._relays):
            try:
                relay(posted, conv)
            except Exception:
                _log.exception("chat relay failed for message %d", m.id)
        return posted

    async def send_direct(
        self, sender: str, target: str, text: str, *, source: MessageSource = "app"
    ) -> Posted:
        """A message to a colleague, in their 1:1 conversation (started if new)."""
        conv = await self.open_direct(sender, target)
        return await self.post(conv.id, sender, text, source=source)

    async def history(
        self,
        cid: int,
        viewer: str,
        *,
        before: int | None = None,
        after: int | None = None,
        limit: int = 50,
    ) -> MessagePage:
        """A page of history; what ``viewer`` fetched counts as delivered to them."""

        def read() -> tuple[MessagePage, Receipt | None]:
            page = self.repository.history(cid, viewer, before=before, after=after, limit=limit)
            if not page.messages:
                return page, None
            top = page.messages[-1].seq
            return page, self.repository.mark(cid, viewer, delivered=top)

        page, receipt = await self._aio.call(read)
        if receipt is not None and receipt.changed:
            self._receipt(receipt)
        return page

    async def mark(
        self, cid: int, viewer: str, *, delivered: int | None = None, read: int | None = None
    ) -> Receipt:
        """Receipts of ``viewer`` moved forward; the members are told if they moved."""

        def mark() -> Receipt:
            return self.repository.mark(cid, viewer, delivered=delivered, read=read)

        receipt = await self._aio.call(mark)
        if receipt.changed:
            self._receipt(receipt)
        return receipt

    def _receipt(self, r: Receipt) -> None:
        self._bus.publish(
            ChatReceiptChanged(
                r.conversation_id, r.members, r.extension, r.delivered_seq, r.read_seq
            )
        )

    async def search(self, viewer: str, query: str, limit: int = 50) -> list[Message]:
        return await self._aio.call(self.repository.search, viewer, query, limit)

    async def typing(self, cid: int, viewer: str) -> None:
        """Tell the other members that ``viewer`` is typing (not stored)."""
        conv = await self.conversation(cid, viewer)
        others = tuple(e for e in conv.extensions if e != viewer)
        if others:
            self._bus.publish(ChatTyping(conv.id, others, viewer))
