"""Desktop notifications through a real D-Bus session bus and a notification server on it.

The app core (embedded PBX, demo organisation) is Anna (201); Bram (202) chats through the API
and calls from a pjsua2 agent. A private ``dbus-daemon --session`` carries
``org.freedesktop.Notifications`` (tests/support/notification_server.py, with ``actions`` and
``inline-reply``): Bram's message shows as a notification, the reply typed into it arrives in the
conversation; his call shows with Answer / Decline, and Answer answers it; the call he gives up on
is taken back and shown as a missed call (Call back calls him); Decline refuses his next call
(603 at his phone); his voicemail is announced.
Nothing is shown while Anna is in Do not disturb, nor for the chat she has on screen in the
focused window.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.context import AppContext
from app.headless import headless
from tests.component.app._session import online, register_phone
from tests.component.app._wait import until
from tests.support.agent import start_agent
from tests.support.audio import write_tone_wav
from tests.support.notification_server import NotificationServer, Shown, session_bus

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(180)]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def notification_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[NotificationServer]:
    with session_bus() as address, NotificationServer(address) as server:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield server


async def _bram(ctx: AppContext) -> httpx.AsyncClient:
    info = ctx.session_ctl.embedded.info if ctx.session_ctl.embedded else None
    assert info is not None
    api = httpx.AsyncClient(base_url=info.base_url, timeout=10, verify=info.tls_context() or True)
    r = await api.post("/api/v1/auth/login", json={"username": "202", "password": "Demo-202!"})
    assert r.status_code == 200, r.text
    api.headers["Authorization"] = f"Bearer {r.json()['token']}"
    return api


async def _shown(server: NotificationServer, summary: str) -> Shown:
    return await asyncio.to_thread(server.wait_for, summary)


def _key(shown: Shown, label: str) -> str:
    return next(key for key, text in shown.actions.items() if text == label)


def test_chat_reply_and_answer_from_notifications(
    notification_server: NotificationServer, tmp_path: Path
) -> None:
    server = notification_server
    with headless(tmp_path / "data", demo=True) as (ctx, loop):

        async def scenario() -> None:
            ctx.session_ctl.start()
            await until(lambda: online(ctx), 40, "signed in and registered")
            assert ctx.chat is not None
            chat = ctx.chat
            await until(lambda: chat.me == "201", 20, "the chat online")
            bram = await _bram(ctx)
            try:
                r = await bram.post("/api/v1/chats", json={"kind": "direct", "members": ["201"]})
                cid = r.json()["id"]
                r = await bram.post(f"/api/v1/chats/{cid}/messages", json={"text": "Lunch om 12?"})
                assert r.status_code in (200, 201), r.text

                note = await _shown(server, "Bram Jansen")
                assert note.body == "Lunch om 12?"
                assert note.app_name == "Acme Phone"
                assert note.actions.get("inline-reply") == "Reply"
                assert ctx.notifications is not None and ctx.notifications.available

                server.reply(note.id, "Prima, tot zo!")

                def replied() -> bool:
                    conv = chat.get(cid)
                    last = conv.last_message if conv is not None else None
                    return last is not None and (last.sender, last.text) == (
                        "201",
                        "Prima, tot zo!",
                    )

                await until(replied, 20, "the reply in Anna's conversation")
                page = (await bram.get(f"/api/v1/chats/{cid}/messages")).json()
                texts = [(m["sender"], m["text"]) for m in page["messages"]]
                assert ("201", "Prima, tot zo!") in texts

                with start_agent(tmp_path, "bram") as agent:
                    await asyncio.to_thread(register_phone, agent, ctx)
                    await asyncio.to_thread(agent.send, "call", uri="201")
                    shown = await _shown(server, "Incoming call")
                    assert "202" in shown.body
                    assert sorted(shown.actions.values()) == ["", "Answer", "Decline"]
                    server.invoke(shown.id, _key(shown, "Answer"))
                    await until(
                        lambda: bool(ctx.calls.calls) and ctx.calls.calls[0].state == "connected",
                        20,
                        "answered from the notification",
                    )
                    await asyncio.to_thread(
                        agent.wait_event, "call_state", state="CONFIRMED", timeout=10
                    )
                    await asyncio.to_thread(agent.send, "hangup")
                    await until(lambda: ctx.calls.idle, 10, "idle after hang-up")

                    # a call Bram gives up on: withdrawn, then "Missed call" with Call back
                    agent.drain()
                    await asyncio.to_thread(agent.send, "call", uri="201")
                    await until(lambda: len(server.by_summary("Incoming call")) == 2, 20, "rings")
                    again = server.by_summary("Incoming call")[1]
                    await asyncio.to_thread(agent.send, "hangup")
                    missed = await _shown(server, "Missed call")
                    assert "202" in missed.body
                    assert server.find(again.id).closed
                    server.invoke(missed.id, _key(missed, "Call back"))
                    await asyncio.to_thread(agent.wait_event, "incoming_call", timeout=10)
                    await until(
                        lambda: any(c.direction == "outgoing" for c in ctx.calls.calls),
                        10,
                        "calling Bram back",
                    )
                    await asyncio.to_thread(agent.send, "hangup")
                    await until(lambda: ctx.calls.idle, 10, "idle after the call back")

                    # a call Anna declines from the notification: Bram's phone hears 603
                    agent.drain()
                    placed = await asyncio.to_thread(agent.send, "call", uri="201")
                    await until(lambda: len(server.by_summary("Incoming call")) == 3, 20, "rings")
                    third = server.by_summary("Incoming call")[2]
                    server.invoke(third.id, _key(third, "Decline"))
                    declined = await asyncio.to_thread(
                        agent.wait_event,
                        "call_state",
                        call=int(placed["call"]),
                        state="DISCONNECTED",
                        timeout=10,
                    )
                    assert declined["code"] == 603
                    await until(lambda: ctx.calls.idle, 10, "idle after declining")

                    # Bram leaves Anna a message (*1*201*): "New voicemail" with Listen…
                    wav = write_tone_wav(tmp_path / "bram.wav", 1290.0, 1.0, level=0.2)
                    await asyncio.to_thread(agent.send, "play", file=str(wav))
                    agent.drain()
                    placed = await asyncio.to_thread(agent.send, "call", uri="*1*201*")
                    leg = int(placed["call"])
                    await asyncio.to_thread(
                        agent.wait_event, "call_state", call=leg, state="CONFIRMED", timeout=10
                    )
                    await asyncio.to_thread(agent.send, "send_dtmf", call=leg, digits="#")
                    await asyncio.sleep(3.0)  # the tone, then Bram's message
                    await asyncio.to_thread(agent.send, "send_dtmf", call=leg, digits="#")
                    voicemail = await _shown(server, "New voicemail")
                    assert "202" in voicemail.body
                    assert "Listen…" in voicemail.actions.values()
            finally:
                await bram.aclose()
                assert ctx.notifications is not None
                await ctx.notifications.close()

        loop.run_until_complete(scenario())


def _chat_note(server: NotificationServer, body: str) -> Shown:
    """The chat notification whose text is ``body`` (waits for it)."""
    for _ in range(400):
        found = next((s for s in server.shown if s.body == body), None)
        if found is not None:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no notification shows {body!r}")


def test_quiet_in_do_not_disturb_and_for_the_chat_on_screen(
    notification_server: NotificationServer, tmp_path: Path
) -> None:
    """Each refused message is followed by one that is shown: the app handles the stream's
    events in order, so once the later one is on the bus the earlier one was decided."""
    server = notification_server
    with headless(tmp_path / "data", demo=True) as (ctx, loop):

        async def scenario() -> None:
            ctx.session_ctl.start()
            await until(lambda: online(ctx), 40, "signed in and registered")
            assert ctx.chat is not None and ctx.chat_ctl is not None
            chat, chat_ctl = ctx.chat, ctx.chat_ctl
            await until(lambda: chat.me == "201", 20, "the chat online")
            bram = await _bram(ctx)

            async def say(text: str) -> None:
                r = await bram.post(f"/api/v1/chats/{cid}/messages", json={"text": text})
                assert r.status_code == 201, r.text

            try:
                r = await bram.post("/api/v1/chats", json={"kind": "direct", "members": ["201"]})
                cid = r.json()["id"]

                ctx.presence_ctl.set_status("dnd", None)
                await until(lambda: ctx.presence.status == "dnd", 20, "Do not disturb")
                await say("Quiet one")
                ctx.presence_ctl.set_status("available", None)
                await until(lambda: ctx.presence.status == "available", 20, "available")
                await say("Loud one")
                await asyncio.to_thread(_chat_note, server, "Loud one")

                # Anna looks at Bram's chat in the focused window
                ctx.window_active = lambda: True
                chat_ctl.viewing = True
                chat_ctl.open(cid)
                await until(lambda: chat.open_id == cid, 20, "the chat open")
                await say("Seen on screen")
                await until(
                    lambda: any(m.text == "Seen on screen" for m in chat.messages.get(cid, [])),
                    20,
                    "the message in the open chat",
                )
                ctx.window_active = lambda: False  # the window loses the focus
                await say("Away again")
                await asyncio.to_thread(_chat_note, server, "Away again")

                bodies = [s.body for s in server.shown]
                assert "Quiet one" not in bodies and "Seen on screen" not in bodies
                # the message on screen was read there: Bram sees Anna's read mark
                conv = (await bram.get(f"/api/v1/chats/{cid}")).json()
                anna = next(m for m in conv["members"] if m["extension"] == "201")
                assert anna["read_seq"] >= 3
            finally:
                await bram.aclose()
                assert ctx.notifications is not None
                await ctx.notifications.close()

        loop.run_until_complete(scenario())
