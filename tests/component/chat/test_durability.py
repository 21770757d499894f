"""An acknowledged chat message survives the server being killed with SIGKILL.

The server answers ``201 Created`` for a message only after its transaction committed; killing
the process right after the last answer (no shutdown, no flush) must lose none of them.
"""

from __future__ import annotations

import signal
from pathlib import Path

from tests.component.chat.conftest import sign_in
from tests.support.server_process import start_server


async def test_acknowledged_messages_survive_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "pbx"
    server = start_server(tmp_path, demo=True, data_dir=data_dir)
    try:
        anna = await sign_in(server, "201")
        conv = await anna.post("/api/v1/chats", {"kind": "direct", "members": ["202"]}, 201)
        cid = conv["id"]
        sent = [
            await anna.post(f"/api/v1/chats/{cid}/messages", {"text": f"nr {n} ✅"}, 201)
            for n in range(1, 31)
        ]
        await anna.api.aclose()
        server.process.send_signal(signal.SIGKILL)
        assert server.process.wait(10) == -signal.SIGKILL
    finally:
        server.stop()
    again = start_server(tmp_path, demo=True, data_dir=data_dir)
    try:
        bram = await sign_in(again, "202")
        page = await bram.get(f"/api/v1/chats/{cid}/messages", limit=100)
        chats = await bram.get("/api/v1/chats")
        await bram.api.aclose()
    finally:
        again.stop()
    assert [(m["seq"], m["text"]) for m in page["messages"]] == [
        (m["seq"], m["text"]) for m in sent
    ]
    assert [m["text"] for m in page["messages"]][-1] == "nr 30 ✅"
    assert next(c for c in chats if c["id"] == cid)["unread"] == 30
