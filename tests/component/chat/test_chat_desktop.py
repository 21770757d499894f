"""The desktop's chat (store, controller, page) against a real server and a colleague's API client.

Anna (201) runs the app's chat on the app's event stream and bus, wired as the app wires them;
Bram (202) uses the API. A message of
Bram's shows up in Anna's list with an unread badge; opening it on the page reads it, and Bram
sees the read receipt; Anna's answer, with an emoji from the picker, reaches Bram as plain
Unicode and gets the green mark once Bram reads it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtWidgets import QApplication

from app.bus import Bus
from app.controllers.chat import ChatEventReceived
from app.events import EventStream
from app.server_events import Resync
from tests.component.chat._app_chat import app_chat
from tests.component.chat.conftest import sign_in
from tests.support.server_process import RunningServer
from ui.chat_page import ChatPage
from ui.side_bar import SideBar


async def _until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


async def test_the_app_chat_receives_reads_and_shows_receipts(
    demo_server: RunningServer, qapp: QApplication
) -> None:
    api, store, ctl, notices = await app_chat(demo_server, "201")
    bus = Bus()
    bus.subscribe(ChatEventReceived, ctl.on_server_event)
    stream = EventStream(api.ws_url, api.token or "", bus.publish)
    page = ChatPage(store, ctl)
    side = SideBar()
    page.side_button = side.add_section("chat", "message-circle")
    page.retranslate()
    page.resize(900, 600)
    bram = await sign_in(demo_server, "202")
    try:
        stream.start()
        await _until(lambda: stream.connected, "the event stream live")
        ctl.go_online()
        conv = await bram.post("/api/v1/chats", {"kind": "direct", "members": ["201"]}, 201)
        cid = conv["id"]
        sent = await bram.post(f"/api/v1/chats/{cid}/messages", {"text": "Hoi Anna! 👋"}, 201)
        await _until(lambda: store.get(cid) is not None and store.unread_total == 1, "unread")
        assert page.side_button.text() == "Chat"
        assert page.conversation_model.rowCount() == 1
        assert page.conversation_model.index(0).data() == "Bram Jansen"
        page.show()  # the user looks at the Chat page
        ctl.open(cid)
        await _until(lambda: [m.text for m in store.messages.get(cid, [])] == ["Hoi Anna! 👋"], "")
        await _until(lambda: store.unread_total == 0, "read")
        await bram.post(f"/api/v1/chats/{cid}/typing", status=204)
        await _until(lambda: store.typing.get(cid) == "202", "Bram typing")
        assert page.subtitle.text() == "Bram Jansen is typing…"
        seen = await bram.get(f"/api/v1/chats/{cid}")
        anna = next(m for m in seen["members"] if m["extension"] == "201")
        assert anna["read_seq"] == sent["seq"]
        page.input.setText("Hoi Bram ")
        picked = page.emoji_menu.actions()[0]  # the emoji picker inserts plain Unicode
        picked.trigger()
        assert page.input.text() == f"Hoi Bram {picked.text()}"
        page.send_button.click()
        await _until(lambda: len(store.messages[cid]) == 2, "own message shown")
        mine = store.messages[cid][-1]
        history = await bram.get(f"/api/v1/chats/{cid}/messages")
        assert history["messages"][-1]["text"] == f"Hoi Bram {picked.text()}"
        conv_now = store.get(cid)
        assert conv_now is not None and conv_now.receipt("201", mine.seq) != "read"
        await bram.post(f"/api/v1/chats/{cid}/read", {"seq": mine.seq})

        def read_by_bram() -> bool:
            c = store.get(cid)
            return c is not None and c.receipt("201", mine.seq) == "read"

        await _until(read_by_bram, "the read receipt")
        assert page.message_model.rowCount() == 2
        assert not page.grab().isNull()
        assert not notices.recent
    finally:
        page.hide()
        await stream.stop()
        await bram.api.aclose()
        await api.aclose()


async def test_the_app_creates_renames_fills_and_leaves_a_group(
    demo_server: RunningServer, qapp: QApplication
) -> None:
    api, store, ctl, notices = await app_chat(demo_server, "203")
    bram = await sign_in(demo_server, "202")
    try:
        ctl.go_online()
        picture = "data:image/jpeg;base64," + "A" * 6000  # as the group dialog makes it
        ctl.create_group("Inkoop", ["202"], picture)
        await _until(lambda: store.open_id is not None, "the new group open")
        gid = store.open_id
        assert gid is not None
        assert (await bram.get(f"/api/v1/chats/{gid}"))["picture"] == picture
        ctl.set_picture(gid, None)
        await _until(lambda: (c := store.get(gid)) is not None and c.picture is None, "")
        ctl.rename(gid, "Inkoop NL")
        await _until(lambda: (c := store.get(gid)) is not None and c.name == "Inkoop NL", "")
        ctl.add_members(gid, ["204"])
        await _until(lambda: (c := store.get(gid)) is not None and len(c.members) == 3, "")
        seen = await bram.get(f"/api/v1/chats/{gid}")
        assert seen["name"] == "Inkoop NL"
        assert [m["extension"] for m in seen["members"]] == ["202", "203", "204"]
        assert seen["picture"] is None
        ctl.remove_member(gid, "204")
        await _until(lambda: (c := store.get(gid)) is not None and len(c.members) == 2, "")
        ctl.add_members(gid, ["204"])
        await _until(lambda: (c := store.get(gid)) is not None and len(c.members) == 3, "")
        ctl.leave(gid)
        await _until(lambda: store.get(gid) is None, "the group gone from the list")
        after = await bram.get(f"/api/v1/chats/{gid}")
        assert [m["extension"] for m in after["members"]] == ["202", "204"]
        assert not notices.recent
    finally:
        await bram.api.aclose()
        await api.aclose()


async def test_the_app_shows_earlier_messages_a_page_at_a_time(
    demo_server: RunningServer, qapp: QApplication
) -> None:
    """A chat longer than a page opens at its newest 100 messages; "Show earlier messages"
    brings the rest before them and goes once the first message is shown."""
    api, store, ctl, notices = await app_chat(demo_server, "204")
    page = ChatPage(store, ctl)
    page.resize(900, 600)
    bram = await sign_in(demo_server, "202")
    try:
        conv = await bram.post("/api/v1/chats", {"kind": "direct", "members": ["204"]}, 201)
        cid = conv["id"]
        for n in range(1, 131):
            await bram.post(f"/api/v1/chats/{cid}/messages", {"text": f"regel {n}"}, 201)
        ctl.go_online()
        await _until(lambda: store.get(cid) is not None, "the chat listed")
        page.show()
        ctl.viewing = True
        ctl.open(cid)
        await _until(lambda: page.message_model.rowCount() == 100, "the newest page")
        first = page.message_model.index(0).data()
        assert first == "regel 31"
        assert not page.earlier_button.isHidden()
        page.earlier_button.click()
        await _until(lambda: page.message_model.rowCount() == 130, "the earlier page")
        texts = [page.message_model.index(r).data() for r in range(130)]
        assert texts == [f"regel {n}" for n in range(1, 131)]
        assert page.earlier_button.isHidden()
        assert not notices.recent
    finally:
        page.hide()
        await bram.api.aclose()
        await api.aclose()


async def test_unread_counts_after_the_app_reconnects(
    demo_server: RunningServer, qapp: QApplication
) -> None:
    """The app's event stream drops; Chris writes twice meanwhile; the next connection (the same
    cursor, as the app's stream reconnects) brings both, and the chat counts 2 unread."""
    api, store, ctl, notices = await app_chat(demo_server, "201")
    bus = Bus()
    bus.subscribe(ChatEventReceived, ctl.on_server_event)
    bus.subscribe(Resync, lambda _event: ctl.go_online())  # as the session does
    first = EventStream(api.ws_url, api.token or "", bus.publish)
    chris = await sign_in(demo_server, "203")
    second: EventStream | None = None
    try:
        first.start()
        await _until(lambda: first.connected, "the event stream live")
        ctl.go_online()
        conv = await chris.post("/api/v1/chats", {"kind": "direct", "members": ["201"]}, 201)
        cid = conv["id"]
        await chris.post(f"/api/v1/chats/{cid}/messages", {"text": "Ben je er?"}, 201)
        await _until(lambda: (c := store.get(cid)) is not None and c.unread == 1, "1 unread")
        await first.stop()  # the connection is gone
        await chris.post(f"/api/v1/chats/{cid}/messages", {"text": "Bel me even"}, 201)
        await chris.post(f"/api/v1/chats/{cid}/messages", {"text": "Graag voor 3 uur"}, 201)
        second = EventStream(api.ws_url, api.token or "", bus.publish)
        second.cursor = first.cursor
        second.start()
        await _until(lambda: (c := store.get(cid)) is not None and c.unread == 3, "3 unread")
        last = store.get(cid)
        assert last is not None and last.last_message is not None
        assert last.last_message.text == "Graag voor 3 uur"
        assert not notices.recent
    finally:
        if second is not None:
            await second.stop()
        await chris.api.aclose()
        await api.aclose()
