"""Chat: loads the user's conversations at sign-in, opens one, sends, marks read, follows events.

The server's ``chat.*`` events come on the session's event stream, each parsed by
:mod:`app.server_events` into one :class:`ChatEventReceived` that the app's bus hands to
:meth:`ChatController.on_server_event`.
Errors of the requests go to the notices through the task runner, like every other controller's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from app.api import ApiClient
from app.connection import Connection
from app.server_events import CHAT_EVENT_TYPES, ChatEventReceived
from app.stores.chat import ChatConversation, ChatMessage, ChatStore
from app.tasks import TaskRunner

__all__ = ["CHAT_EVENT_TYPES", "ChatController", "ChatEventReceived"]

_log = logging.getLogger(__name__)
_PAGE = 100
"""Messages per page of a conversation\'s history."""

TYPING_EVERY_S = 3.0
"""How often "typing" is told while the user keeps typing (the view shows it for 5 s)."""


class ChatController:
    """Acts on :class:`app.stores.chat.ChatStore`; ``viewing``: the user looks at the open chat
    (new messages there are read at once)."""

    def __init__(
        self,
        store: ChatStore,
        connection: Connection,
        runner: TaskRunner,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._clock = clock
        self._typed_at: dict[int, float] = {}
        self.viewing = False

    def _api(self) -> ApiClient:
        return self._conn.require_api()

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        return await self._api().request(method, path, **kwargs)

    # -- session --------------------------------------------------------------------------

    def go_online(self) -> None:
        """Signed in or back online (events may have been missed): reload the conversations."""
        if self._conn.api is None:
            return
        self._store.me = self._conn.extension
        self.load()

    def load(self) -> None:
        self._runner.spawn(self._load(), "loading the chats")

    async def _load(self) -> None:
        rows = await self._call("GET", "/api/v1/chats")
        self._store.set_conversations(_conversations(rows))
        if self._store.open_id is not None:
            await self._load_messages(self._store.open_id)

    # -- actions --------------------------------------------------------------------------

    def open(self, cid: int | None) -> None:
        """Show a conversation (None: none) and read it."""
        self._store.open(cid)
        if cid is not None:
            self._runner.spawn(self._load_messages(cid), "loading the chat")

    async def _load_messages(self, cid: int, before: int | None = None) -> None:
        """The newest page of ``cid`` (or the page before message ``before``)."""
        params = {"limit": _PAGE} if before is None else {"limit": _PAGE, "before": before}
        page = await self._call("GET", f"/api/v1/chats/{cid}/messages", params=params)
        messages = [ChatMessage.from_api(m) for m in page["messages"]]
        self._store.set_messages(cid, messages, has_earlier=page.get("has_more") is True)
        if before is None and self.viewing and self._store.open_id == cid:
            await self._mark_read(cid)

    def load_earlier(self) -> None:
        """The page before the first message shown of the open conversation."""
        cid = self._store.open_id
        shown = self._store.messages.get(cid) if cid is not None else None
        if cid is not None and shown and self._store.has_earlier.get(cid):
            self._runner.spawn(self._load_messages(cid, shown[0].seq), "loading earlier messages")

    def read_open(self) -> None:
        """The user looks at the open conversation: mark what it shows read."""
        cid = self._store.open_id
        conv = self._store.get(cid) if cid is not None else None
        if cid is not None and conv is not None and conv.unread:
            self._runner.spawn(self._mark_read(cid), "marking the chat read")

    async def _mark_read(self, cid: int) -> None:
        conv = self._store.get(cid)
        if conv is None or conv.last_seq == 0:
            return
        r = await self._call("POST", f"/api/v1/chats/{cid}/read", json={"seq": conv.last_seq})
        self._store.apply_receipt(cid, r["extension"], r["delivered_seq"], r["read_seq"])

    def send(self, text: str) -> None:
        """Send ``text`` to the open conversation (blank text is not sent)."""
        cid = self._store.open_id
        if cid is None or not text.strip():
            return
        self._runner.spawn(self._send(cid, text), "sending the message")

    def send_to(self, cid: int, text: str) -> None:
        """Send ``text`` to conversation ``cid``, open or not (a notification's reply)."""
        if text.strip():
            self._runner.spawn(self._send(cid, text), "sending the reply")

    async def _send(self, cid: int, text: str) -> None:
        self._typed_at.pop(cid, None)
        row = await self._call("POST", f"/api/v1/chats/{cid}/messages", json={"text": text})
        self._store.add_message(ChatMessage.from_api(row))

    def typing(self) -> None:
        """The user types in the open conversation: tell the others, at most every few seconds."""
        cid = self._store.open_id
        now = self._clock()
        if cid is None or now - self._typed_at.get(cid, -TYPING_EVERY_S) < TYPING_EVERY_S:
            return
        self._typed_at[cid] = now
        self._runner.spawn(self._call("POST", f"/api/v1/chats/{cid}/typing"), "typing")

    def start_direct(self, extension: str) -> None:
        """Open the 1:1 chat with a colleague (started if new)."""
        self._runner.spawn(self._start({"kind": "direct", "members": [extension]}), "chat")

    def create_group(self, name: str, members: list[str], picture: str | None = None) -> None:
        body: dict[str, Any] = {"kind": "group", "name": name, "members": members}
        if picture:
            body["picture"] = picture
        self._runner.spawn(self._start(body), "creating the group")

    async def _start(self, body: dict[str, Any]) -> None:
        conv = ChatConversation.from_api(await self._call("POST", "/api/v1/chats", json=body))
        self._store.put_conversation(conv)
        self.open(conv.id)

    def rename(self, cid: int, name: str) -> None:
        """Give a group a new name (any member may)."""
        self._runner.spawn(self._change(cid, "PATCH", "", {"name": name}), "renaming the group")

    def add_members(self, cid: int, extensions: list[str]) -> None:
        body = {"extensions": extensions}
        self._runner.spawn(self._change(cid, "POST", "/members", body), "adding to the group")

    async def _change(self, cid: int, method: str, tail: str, body: dict[str, Any]) -> None:
        row = await self._call(method, f"/api/v1/chats/{cid}{tail}", json=body)
        self._store.put_conversation(ChatConversation.from_api(row))

    def set_picture(self, cid: int, picture: str | None) -> None:
        """Give a group a picture, or take it away (None)."""
        body = {"picture": picture or ""}
        self._runner.spawn(self._change(cid, "PATCH", "", body), "changing the group's picture")

    def remove_member(self, cid: int, extension: str) -> None:
        """Take a colleague out of a group (any member may)."""
        self._runner.spawn(self._remove(cid, extension), "removing from the group")

    async def _remove(self, cid: int, extension: str) -> None:
        await self._call("DELETE", f"/api/v1/chats/{cid}/members/{extension}")
        row = await self._call("GET", f"/api/v1/chats/{cid}")
        self._store.put_conversation(ChatConversation.from_api(row))

    def leave(self, cid: int) -> None:
        self._runner.spawn(self._leave(cid), "leaving the group")

    async def _leave(self, cid: int) -> None:
        await self._call("POST", f"/api/v1/chats/{cid}/leave")
        self._store.remove_conversation(cid)

    # -- events ---------------------------------------------------------------------------

    def on_server_event(self, event: ChatEventReceived) -> None:
        try:
            self.on_chat_event(event.type, event.data)
        except (KeyError, TypeError, ValueError) as exc:
            _log.warning("skipping a bad %s event: %s", event.type, exc)

    def on_chat_event(self, kind: str, data: Mapping[str, Any]) -> None:
        cid = data.get("conversation_id")
        if not isinstance(cid, int):
            return
        if kind == "chat.message":
            self._on_message(cid, data)
        elif kind == "chat.receipt":
            self._store.apply_receipt(
                cid, str(data["extension"]), int(data["delivered_seq"]), int(data["read_seq"])
            )
        elif kind == "chat.typing":
            extension = str(data["extension"])
            if extension != self._store.me:
                self._store.set_typing(cid, extension)
        elif kind == "chat.conversation":
            gone = data.get("change") in ("left", "member_removed")
            if gone and self._store.me in (data.get("extensions") or ()):
                self._store.remove_conversation(cid)
            else:
                self.load()

    def _on_message(self, cid: int, data: Mapping[str, Any]) -> None:
        message = ChatMessage.from_api(data)
        if self._store.get(cid) is None:
            self.load()
            return
        self._store.add_message(message)
        if message.sender == self._store.me:
            return
        if self.viewing and self._store.open_id == cid:
            self._runner.spawn(self._mark_read(cid), "marking the chat read")
        else:
            body = {"seq": message.seq}
            self._runner.spawn(
                self._call("POST", f"/api/v1/chats/{cid}/delivered", json=body), "receipt"
            )


def _conversations(rows: list[dict[str, object]]) -> list[ChatConversation]:
    out = []
    for row in rows:
        try:
            out.append(ChatConversation.from_api(row))
        except ValueError as exc:
            _log.warning("skipping a chat: %s", exc)
    return out
