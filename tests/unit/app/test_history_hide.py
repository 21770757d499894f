"""Removing a call from the history list: kept on this computer, left out of every reload."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app.controllers.history import HistoryController
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
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    async def calls(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self.rows)


class _Connection:
    def __init__(self, api: _Api) -> None:
        self.api = api

    def require_api(self) -> _Api:
        return self.api


def _controller(tmp_path: Path, store: HistoryStore, rows: list[dict[str, Any]]) -> Any:
    loop = asyncio.new_event_loop()
    runner = TaskRunner(loop, Notices())
    settings = Settings(tmp_path / "settings.ini")
    hidden = HiddenCalls(tmp_path / "hidden_calls.json")
    ctl = HistoryController(store, _Connection(_Api(rows)), settings, runner, hidden)  # type: ignore[arg-type]
    return ctl, loop


def test_a_hidden_call_leaves_the_list_and_stays_out_after_reloads(tmp_path: Path) -> None:
    store = HistoryStore()
    rows = [_row(1), _row(2)]
    ctl, loop = _controller(tmp_path, store, rows)
    try:
        loop.run_until_complete(_refresh(ctl))
        assert [e.id for e in store.entries] == [2, 1] and store.unseen_missed == 2
        ctl.hide(2)
        assert [e.id for e in store.entries] == [1] and store.unseen_missed == 1
        loop.run_until_complete(_refresh(ctl))
        assert [e.id for e in store.entries] == [1]
    finally:
        loop.close()
    assert HiddenCalls(tmp_path / "hidden_calls.json").ids == {2}  # persisted


async def _refresh(ctl: HistoryController) -> None:
    ctl.refresh()
    await asyncio.gather(*ctl._runner._tasks)


def test_hidden_calls_survive_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "hidden_calls.json"
    path.write_text("not json", encoding="utf-8")
    hidden = HiddenCalls(path)
    assert hidden.ids == set()
    hidden.hide({5})
    assert HiddenCalls(path).ids == {5}


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
