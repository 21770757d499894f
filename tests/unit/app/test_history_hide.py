"""Removing a call from the history list: deleted from the user's history on the server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app.controllers.history import HistoryController
from app.errors import AppError, ServerRejected, ServerUnreachable
from app.hidden_calls import HiddenCalls
from app.notices import Notices
from app.phone_format import display_number
from app.settings import Settings
from app.stores.audio import AudioDevice, AudioStore
from app.stores.history import HistoryStore
from app.tasks import TaskRunner


def _row(ident: int, direction: str = "missed", reason: str = "cancelled") -> dict[str, Any]:
    return {
        "id": ident,
        "direction": direction,
        "number": "202",
        "name": "Bram Jansen",
        "started_at": f"2025-03-14T10:0{ident}:00Z",
        "duration": 0,
        "answered": False,
        "reason": reason,
    }


class _Api:
    """The server's side: its history rows, and what DELETE /api/v1/calls/{id} does."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.deleted: list[int] = []
        self.fail: AppError | None = None

    async def calls(self, limit: int = 100) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["id"] not in self.deleted]

    async def hide_call(self, call_id: int) -> None:
        if self.fail is not None:
            raise self.fail
        if call_id not in {r["id"] for r in self.rows}:
            raise ServerRejected("no call 9 in your history", 404)
        self.deleted.append(call_id)


class _Connection:
    def __init__(self, api: _Api) -> None:
        self.api = api

    def require_api(self) -> _Api:
        return self.api


def _controller(
    tmp_path: Path, store: HistoryStore, api: _Api, hidden_here: HiddenCalls | None = None
) -> tuple[HistoryController, asyncio.AbstractEventLoop, Notices]:
    loop = asyncio.new_event_loop()
    notices = Notices()
    runner = TaskRunner(loop, notices)
    settings = Settings(tmp_path / "settings.ini")
    connection: Any = _Connection(api)
    ctl = HistoryController(store, connection, settings, runner, hidden_here)
    return ctl, loop, notices


async def _settle(ctl: HistoryController) -> None:
    await asyncio.gather(*ctl._runner._tasks)


async def _refresh(ctl: HistoryController) -> None:
    ctl.refresh()
    await _settle(ctl)


def test_a_removed_call_is_deleted_on_the_server(tmp_path: Path) -> None:
    store = HistoryStore()
    api = _Api([_row(1), _row(2)])
    ctl, loop, _ = _controller(tmp_path, store, api)
    try:
        loop.run_until_complete(_refresh(ctl))
        assert [e.id for e in store.entries] == [2, 1] and store.unseen_missed == 2
        ctl.hide(2)
        assert [e.id for e in store.entries] == [1] and store.unseen_missed == 1  # at once
        loop.run_until_complete(_settle(ctl))
        assert api.deleted == [2]
        loop.run_until_complete(_refresh(ctl))
        assert [e.id for e in store.entries] == [1]
    finally:
        loop.close()
    assert not (tmp_path / "hidden_calls.json").exists()  # nothing kept on this computer


def test_a_call_the_server_cannot_remove_comes_back_with_a_notice(tmp_path: Path) -> None:
    store = HistoryStore()
    api = _Api([_row(1), _row(2)])
    ctl, loop, notices = _controller(tmp_path, store, api)
    try:
        loop.run_until_complete(_refresh(ctl))
        api.fail = ServerUnreachable("The server at http://pbx cannot be reached.")
        ctl.hide(2)
        assert [e.id for e in store.entries] == [1]
        loop.run_until_complete(_settle(ctl))
        assert [e.id for e in store.entries] == [2, 1]
        assert [(n.level, n.text) for n in notices.recent] == [
            ("error", "The server at http://pbx cannot be reached.")
        ]
        api.fail = None
        ctl.hide(9)  # gone on the server already (404): no notice
        loop.run_until_complete(_settle(ctl))
        assert len(notices.recent) == 1
    finally:
        loop.close()


def test_calls_hidden_here_by_an_older_version_move_to_the_server(tmp_path: Path) -> None:
    path = tmp_path / "hidden_calls.json"
    path.write_text("[2, 7]", encoding="utf-8")
    store = HistoryStore()
    api = _Api([_row(1), _row(2)])
    ctl, loop, _ = _controller(tmp_path, store, api, HiddenCalls(path))
    try:
        loop.run_until_complete(_refresh(ctl))
        assert [e.id for e in store.entries] == [1]
        assert api.deleted == [2]  # 7 is not in this user's history (404): skipped
        assert not path.exists()
        loop.run_until_complete(_refresh(ctl))
        assert api.deleted == [2]
    finally:
        loop.close()


def test_hidden_calls_survive_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "hidden_calls.json"
    path.write_text("not json", encoding="utf-8")
    assert HiddenCalls(path).ids == set()


def test_numbers_read_nationally_at_home_and_internationally_abroad() -> None:
    assert display_number("+31201234567", "NL") == "020 123 4567"
    assert display_number("+31201234567", "DE") == "+31 20 123 4567"
    assert display_number("+442071234567", "NL") == "+44 20 7123 4567"
    assert display_number("202") == "202"
    assert display_number("9000") == "9000"
    assert display_number("not a number") == "not a number"


def test_audio_is_missing_only_once_checked_and_without_both_directions() -> None:
    store = AudioStore()
    assert not store.missing  # not looked at yet: no false alarm at start-up
    store.set_devices([AudioDevice("Speakers", False, True)])
    store.set_availability(True, "")
    assert store.missing  # no microphone
    store.set_devices([AudioDevice("Headset", True, True)])
    assert not store.missing
    store.set_devices([])
    store.set_availability(False, "no devices")
    assert store.missing
