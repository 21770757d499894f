"""The notification driver against a real session bus: shown, taken back, buttons, no service.

No app core here (no SIP engine): the driver (app/notifications_driver.py) with the handlers the
app gives it, a private ``dbus-daemon`` and the test notification server.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.notifications import Note, NoteAction, Withdraw
from app.notifications_driver import NoteHandlers, Notifications
from tests.support.notification_server import NotificationServer, session_bus

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def bus_address(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with session_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


async def _until_shown(server: NotificationServer, summary: str) -> int:
    return (await asyncio.to_thread(server.wait_for, summary)).id


async def test_withdraw_buttons_and_voicemail(bus_address: str) -> None:
    done: list[tuple[str, str]] = []
    handlers = NoteHandlers(
        answer=lambda key: done.append(("answer", key)),
        decline=lambda key: done.append(("decline", key)),
        open=lambda note: done.append(("open", note.key)),
    )
    with NotificationServer(bus_address) as server:
        notes = Notifications(asyncio.get_running_loop(), handlers)
        call = Note(
            "call:c1",
            "call",
            "Incoming call",
            "Bram Jansen (202)",
            "c1",
            (NoteAction("answer", "Answer"), NoteAction("decline", "Decline")),
            urgent=True,
        )
        notes.apply([call])
        nid = await _until_shown(server, "Incoming call")
        assert server.find(nid).hints["urgency"] == 2
        notes.apply([Withdraw("call:c1")])
        await notes.idle()
        assert server.find(nid).closed
        assert notes.shown == {}

        notes.apply([call])
        await notes.idle()
        second = server.by_summary("Incoming call")[-1]
        decline = next(k for k, label in second.actions.items() if label == "Decline")
        server.invoke(second.id, decline)
        for _ in range(200):
            if done:
                break
            await asyncio.sleep(0.05)
        assert done == [("decline", "c1")]

        voicemail = Note(
            "voicemail:7",
            "voicemail",
            "New voicemail",
            "0612345678",
            "7",
            (NoteAction("listen", "Listen…"),),
        )
        notes.apply([voicemail])
        vid = await _until_shown(server, "New voicemail")
        shown = server.find(vid)
        assert shown.body == "0612345678"
        listen = next(k for k, label in shown.actions.items() if label == "Listen…")
        server.invoke(vid, listen)
        for _ in range(200):
            if len(done) == 2:
                break
            await asyncio.sleep(0.05)
        assert done[1] == ("open", "voicemail:7")
        await notes.close()


async def test_no_service_on_the_bus_is_a_logged_state(
    bus_address: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "app.notifications_driver")
    notes = Notifications(asyncio.get_running_loop())
    notes.apply([Note("chat:1", "chat", "Bram Jansen", "Hoi", "1", reply="Reply")])
    await notes.idle()
    assert notes.available is False
    notes.apply([Withdraw("chat:1")])  # later notes are dropped quietly
    await notes.idle()
    assert [r.message for r in caplog.records].count(
        next(r.message for r in caplog.records if "no notification service" in r.message)
    ) == 1
    await notes.close()


async def test_no_session_bus_is_a_logged_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    caplog.set_level(logging.WARNING, "app.notifications_driver")
    notes = Notifications(asyncio.get_running_loop())
    notes.apply([Note("chat:1", "chat", "Bram Jansen", "Hoi", "1", reply="Reply")])
    await notes.idle()
    assert notes.available is False
    assert any("no notification service" in r.message for r in caplog.records)
