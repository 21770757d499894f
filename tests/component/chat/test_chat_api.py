"""Two (and three) signed-in API clients chat through a real server, with its event stream."""

from __future__ import annotations

from tests.component.chat.conftest import User
from tests.support.server_process import RunningServer


async def _direct(a: User, b: User) -> int:
    conv = await a.post("/api/v1/chats", {"kind": "direct", "members": [b.extension]}, 201)
    return int(conv["id"])


async def test_send_receive_and_the_read_receipt_reaches_the_sender(
    demo_server: RunningServer, users: dict[str, User]
) -> None:
    anna, bram, chris = users["201"], users["202"], users["203"]
    async with (
        anna.events(demo_server) as anna_ws,
        bram.events(demo_server) as bram_ws,
        chris.events(demo_server) as chris_ws,
    ):
        cid = await _direct(anna, bram)
        sent = await anna.post(
            f"/api/v1/chats/{cid}/messages", {"text": "Koffie? ☕", "client_id": "a-1"}, 201
        )
        assert sent["seq"] >= 1 and sent["sender"] == "201" and sent["source"] == "app"
        got = await bram_ws.next("chat.message")
        assert got["data"]["text"] == "Koffie? ☕" and got["data"]["conversation_id"] == cid
        assert got["data"]["seq"] == sent["seq"] and got["data"]["sent_at"]
        listed = {c["id"]: c for c in await bram.get("/api/v1/chats")}
        assert listed[cid]["unread"] >= 1
        assert listed[cid]["last_message"]["text"] == "Koffie? ☕"
        await bram.post(f"/api/v1/chats/{cid}/read", {"seq": sent["seq"]})
        while True:
            receipt = (await anna_ws.next("chat.receipt"))["data"]
            if receipt["extension"] == "202" and receipt["read_seq"] == sent["seq"]:
                break
        assert receipt["delivered_seq"] == sent["seq"]
        members = (await anna.get(f"/api/v1/chats/{cid}"))["members"]
        assert {"extension": "202", "name": "Bram Jansen"}.items() <= next(
            m for m in members if m["extension"] == "202"
        ).items()
        # Chris is not in the chat: his stream's next event is his own presence change.
        await chris.api.put("/api/v1/me/presence", json={"status": "lunch"})
        assert (await chris_ws.next("presence.changed", "chat.message", "chat.receipt"))[
            "type"
        ] == "presence.changed"
        await chris.api.put("/api/v1/me/presence", json={"status": "available"})
        await bram.post(f"/api/v1/chats/{cid}/typing", status=204)
        typing = await anna_ws.next("chat.typing")
        assert typing["data"] == {"conversation_id": cid, "members": ["201"], "extension": "202"}


async def test_unread_counts_survive_a_reconnect(
    demo_server: RunningServer, users: dict[str, User]
) -> None:
    anna, chris = users["201"], users["203"]
    cid = await _direct(anna, chris)
    async with chris.events(demo_server) as ws:
        first = await anna.post(f"/api/v1/chats/{cid}/messages", {"text": "one"}, 201)
        await ws.next("chat.message")
        await chris.post(f"/api/v1/chats/{cid}/read", {"seq": first["seq"]})
    for text in ("two", "three", "four"):  # Chris is offline
        await anna.post(f"/api/v1/chats/{cid}/messages", {"text": text}, 201)
    async with chris.events(demo_server):
        listed = {c["id"]: c for c in await chris.get("/api/v1/chats")}
        assert listed[cid]["unread"] == 3
        missed = await chris.get(f"/api/v1/chats/{cid}/messages", after=first["seq"])
    assert [m["text"] for m in missed["messages"]] == ["two", "three", "four"]
    mine = (await anna.get(f"/api/v1/chats/{cid}"))["members"]
    chris_mark = next(m for m in mine if m["extension"] == "203")
    assert chris_mark["delivered_seq"] == missed["messages"][-1]["seq"]  # fetched = delivered
    assert chris_mark["read_seq"] == first["seq"]


async def test_group_create_rename_and_leave(
    demo_server: RunningServer, users: dict[str, User]
) -> None:
    anna, bram, chris = users["201"], users["202"], users["203"]
    async with anna.events(demo_server) as anna_ws, chris.events(demo_server) as chris_ws:
        group = await anna.post(
            "/api/v1/chats",
            {"kind": "group", "name": "Support NL", "members": ["202", "203"]},
            201,
        )
        gid = group["id"]
        assert [m["extension"] for m in group["members"]] == ["201", "202", "203"]
        created = await chris_ws.next("chat.conversation")
        assert created["data"]["change"] == "created" and created["data"]["name"] == "Support NL"
        renamed = (await bram.api.patch(f"/api/v1/chats/{gid}", json={"name": "Support"})).json()
        assert renamed["name"] == "Support"
        await chris.post(f"/api/v1/chats/{gid}/messages", {"text": "Hallo allemaal"}, 201)
        await chris.post(f"/api/v1/chats/{gid}/leave", status=204)
        while (event := await anna_ws.next("chat.conversation"))["data"]["change"] != "left":
            pass
        assert event["data"]["extensions"] == ["203"] and event["data"]["by"] == "203"
        left = await chris_ws.next("chat.conversation")
        while left["data"]["change"] != "left":
            left = await chris_ws.next("chat.conversation")
    assert (await chris.api.get(f"/api/v1/chats/{gid}")).status_code == 404
    refused = await chris.api.post(f"/api/v1/chats/{gid}/messages", json={"text": "back?"})
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"
    history = await anna.get(f"/api/v1/chats/{gid}/messages")
    assert [m["text"] for m in history["messages"]] == ["Hallo allemaal"]  # history stays
    group_now = await anna.get(f"/api/v1/chats/{gid}")
    assert [m["extension"] for m in group_now["members"]] == ["201", "202"]


async def test_history_pages_back_to_the_first_message(users: dict[str, User]) -> None:
    bram, chris = users["202"], users["203"]
    cid = await _direct(bram, chris)
    for n in range(1, 26):
        await bram.post(f"/api/v1/chats/{cid}/messages", {"text": f"bericht {n}"}, 201)
    texts: list[str] = []
    page = await chris.get(f"/api/v1/chats/{cid}/messages", limit=10)
    while True:
        texts = [m["text"] for m in page["messages"]] + texts
        if not page["has_more"]:
            break
        first = page["messages"][0]["seq"]
        page = await chris.get(f"/api/v1/chats/{cid}/messages", limit=10, before=first)
    assert texts == [f"bericht {n}" for n in range(1, 26)]
    found = await chris.get("/api/v1/chats/search", q="BERICHT 2")
    assert {m["text"] for m in found} >= {"bericht 2", "bericht 20", "bericht 25"}


async def test_bad_input_gets_a_clear_4xx_and_changes_nothing(users: dict[str, User]) -> None:
    anna, bram, chris = users["201"], users["202"], users["203"]
    cid = await _direct(anna, bram)
    before = (await anna.get(f"/api/v1/chats/{cid}"))["last_seq"]
    cases = [
        (anna, f"/api/v1/chats/{cid}/messages", {"text": ""}, 422),
        (anna, f"/api/v1/chats/{cid}/messages", {"text": "   "}, 400),
        (anna, f"/api/v1/chats/{cid}/messages", {"text": "x" * 5000}, 422),  # over 4,000 characters
        (anna, f"/api/v1/chats/{cid}/messages", {"text": "x" * 10_000_000}, 413),  # the edge
        (chris, f"/api/v1/chats/{cid}/messages", {"text": "not my chat"}, 404),
        (anna, "/api/v1/chats/999999/messages", {"text": "nowhere"}, 404),
        (anna, "/api/v1/chats", {"kind": "direct", "members": ["201"]}, 400),
        (anna, "/api/v1/chats", {"kind": "direct", "members": ["999"]}, 400),
        (anna, "/api/v1/chats", {"kind": "group", "name": " ", "members": ["202"]}, 400),
        (anna, f"/api/v1/chats/{cid}/leave", None, 409),
    ]
    for user, path, body, status in cases:
        response = await user.api.post(path, json=body)
        assert response.status_code == status, (path, response.text[:200])
        assert response.json()["message"]
    assert (await anna.get(f"/api/v1/chats/{cid}"))["last_seq"] == before
    assert (await anna.api.get("/api/v1/chats")).status_code == 200
    unsigned = await anna.api.get("/api/v1/chats", headers={"Authorization": "Bearer nope"})
    assert unsigned.status_code == 401
