"""SIP MESSAGE through the PBX: phone to phone, phone into the chat, chat to a phone.

pjsua2 agents (``tests/agents/messaging_agent.py``) register as 201 and 202 with a started demo
server. A MESSAGE from one reaches the other and lands in their 1:1 chat, also in the desktop
app's chat list and open chat (its event stream); a chat message sent through the API, or
through the desktop app's chat, reaches the colleague's phone as a MESSAGE.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import tests.support.agent as agent_support
from app.bus import Bus
from app.controllers.chat import ChatEventReceived
from app.events import EventStream
from tests.agents.messaging_agent import MESSAGING_AGENT_SCRIPT
from tests.component.chat._app_chat import app_chat
from tests.component.chat.conftest import sign_in
from tests.support.agent import Agent, start_agent
from tests.support.server_process import RunningServer

pytestmark = pytest.mark.pjsua


@pytest.fixture(autouse=True)
def _messaging_agents(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(agent_support, "AGENT_SCRIPT", MESSAGING_AGENT_SCRIPT)


@pytest.fixture
def phones(demo_server: RunningServer, tmp_path: Path) -> Iterator[tuple[Agent, Agent]]:
    with start_agent(tmp_path, "anna") as anna, start_agent(tmp_path, "bram") as bram:
        for agent, ext in ((anna, "201"), (bram, "202")):
            agent.send(
                "register",
                host="127.0.0.1",
                port=demo_server.sip_udp_port,
                user=ext,
                password=f"Demo-{ext}!",
            )
            agent.wait_event("registered", code=200)
        yield anna, bram


async def test_a_message_between_two_phones_lands_in_their_chat(
    demo_server: RunningServer, phones: tuple[Agent, Agent]
) -> None:
    anna, bram = phones
    anna.send("message", to="202", text="Hoi Bram, bel je me even? 📞")
    received = bram.wait_event("message", text="Hoi Bram, bel je me even? 📞")
    assert "201" in received["from"]
    assert received["content_type"].startswith("text/plain")
    assert anna.wait_event("message_status", text="Hoi Bram, bel je me even? 📞")["code"] == 200
    bram_api = await sign_in(demo_server, "202")
    try:
        chats = await bram_api.get("/api/v1/chats")
        direct = next(
            c
            for c in chats
            if c["kind"] == "direct" and [m["extension"] for m in c["members"]] == ["201", "202"]
        )
        last = direct["last_message"]
        assert (last["text"], last["sender"], last["source"]) == (
            "Hoi Bram, bel je me even? 📞",
            "201",
            "sip",
        )
        assert direct["unread"] >= 1
    finally:
        await bram_api.api.aclose()


async def test_a_chat_from_the_api_reaches_the_phone_and_its_answer_comes_back(
    demo_server: RunningServer, phones: tuple[Agent, Agent]
) -> None:
    _anna_phone, bram = phones
    anna = await sign_in(demo_server, "201")
    try:
        async with anna.events(demo_server) as ws:
            conv = await anna.post("/api/v1/chats", {"kind": "direct", "members": ["202"]}, 201)
            cid = conv["id"]
            await anna.post(f"/api/v1/chats/{cid}/messages", {"text": "Lunch om 12:30? 🥪"}, 201)
            got = bram.wait_event("message", text="Lunch om 12:30? 🥪")
            assert "201" in got["from"]
            bram.send("message", to="201", text="Prima 👍")
            while True:
                event = await ws.next("chat.message")
                if event["data"]["sender"] == "202":
                    break
        assert event["data"]["text"] == "Prima 👍"
        assert event["data"]["source"] == "sip" and event["data"]["conversation_id"] == cid
        assert bram.wait_event("message_status", text="Prima 👍")["code"] == 200
    finally:
        await anna.api.aclose()


def test_messages_the_pbx_cannot_store_are_refused(phones: tuple[Agent, Agent]) -> None:
    anna, _bram = phones
    anna.send("message", to="999", text="anyone?")
    assert anna.wait_event("message_status", text="anyone?")["code"] == 404
    anna.send("message", to="202", text="{}", content_type="application/json")
    assert anna.wait_event("message_status", text="{}")["code"] == 415


async def test_the_app_chat_reaches_a_colleagues_sip_phone(
    demo_server: RunningServer, phones: tuple[Agent, Agent]
) -> None:
    _anna_phone, bram = phones
    api, store, ctl, notices = await app_chat(demo_server, "201")
    try:
        ctl.go_online()
        ctl.start_direct("202")
        for _ in range(200):
            if store.open_id is not None:
                break
            await asyncio.sleep(0.05)
        ctl.send("Vanuit de app: ben je er? ☕")
        got = await asyncio.to_thread(
            bram.wait_event, "message", text="Vanuit de app: ben je er? ☕"
        )
        assert "201" in got["from"]
        assert not notices.recent
    finally:
        await api.aclose()


async def test_a_phones_message_lands_in_the_app_chat(
    demo_server: RunningServer, phones: tuple[Agent, Agent]
) -> None:
    """Anna's desktop chat (store and controller on the app's event stream and bus, as the app
    wires them); Bram writes from his SIP phone."""
    _anna_phone, bram = phones
    api, store, ctl, notices = await app_chat(demo_server, "201")
    bus = Bus()
    bus.subscribe(ChatEventReceived, ctl.on_server_event)
    stream = EventStream(api.ws_url, api.token or "", bus.publish)

    async def until(condition: Callable[[], bool], what: str) -> None:
        for _ in range(400):
            if condition():
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"never happened: {what}")

    try:
        stream.start()
        await until(lambda: stream.connected, "the event stream live")
        ctl.go_online()
        bram.send("message", to="201", text="Vanaf mijn bureautoestel 📞")
        assert bram.wait_event("message_status", text="Vanaf mijn bureautoestel 📞")["code"] == 200

        def listed() -> bool:
            return any(
                c.last_message is not None and c.last_message.text == "Vanaf mijn bureautoestel 📞"
                for c in store.conversations
            )

        await until(listed, "the phone's message in the app's chat list")
        conv = next(
            c
            for c in store.conversations
            if c.last_message is not None
            and c.kind == "direct"
            and c.last_message.text == "Vanaf mijn bureautoestel 📞"
        )
        assert conv.title("201") == "Bram Jansen" and conv.unread >= 1
        last = conv.last_message
        assert last is not None and (last.sender, last.source) == ("202", "sip")
        ctl.open(conv.id)
        await until(
            lambda: any(
                m.text == "Vanaf mijn bureautoestel 📞" for m in store.messages.get(conv.id, [])
            ),
            "the message in the open chat",
        )
        assert not notices.recent
    finally:
        await stream.stop()
        await api.aclose()
