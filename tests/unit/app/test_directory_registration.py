"""Who has no phone signed in: from the directory rows and the server's live events."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from app.connection import Connection
from app.controllers.directory import DirectoryController
from app.notices import Notices
from app.server_events import BindingAdded, BindingRemoved, LineStateChanged
from app.stores.directory import DirectoryEntry, DirectoryStore
from app.tasks import TaskRunner


def _row(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "user",
        "name": "Chris Bakker",
        "extension": "204",
        "numbers": [{"label": "extension", "number": "204"}],
        "presence": {"status": "available", "until": None},
        "line_state": "idle",
        **extra,
    }


def test_registered_false_means_signed_out() -> None:
    entry = DirectoryEntry.from_api(_row(registered=False))
    assert entry.registered is False and entry.signed_out


def test_line_state_offline_means_signed_out() -> None:
    entry = DirectoryEntry.from_api(_row(line_state="offline"))
    assert entry.registered is False and entry.signed_out


def test_a_row_that_says_nothing_is_not_known() -> None:
    entry = DirectoryEntry.from_api(_row())
    assert entry.registered is None and not entry.signed_out
    assert DirectoryEntry.from_api(_row(registered=True)).registered is True


def test_contacts_are_never_signed_out() -> None:
    row = {"kind": "contact", "name": "Acme BV", "extension": None, "numbers": []}
    entry = DirectoryEntry.from_api({**row, "registered": False})
    assert not entry.signed_out


class _Api:
    def __init__(self) -> None:
        self.queries: list[str] = []

    async def directory(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        self.queries.append(query)
        return [_row(registered=False)]


async def test_live_events_move_a_colleague_between_signed_in_and_out() -> None:
    store, conn = DirectoryStore(), Connection()
    api = _Api()
    conn.api = cast(Any, api)
    ctl = DirectoryController(store, conn, TaskRunner(asyncio.get_running_loop(), Notices()))
    store.set_everyone([DirectoryEntry.from_api(_row())])
    store.set_results("chris", [DirectoryEntry.from_api(_row())])
    ctl.on_line_changed(LineStateChanged("204", "offline"))
    assert store.results[0].signed_out and store.everyone[0].signed_out
    ctl.on_binding_added(BindingAdded("204", "sip:204@10.0.0.5:5060"))
    assert store.results[0].registered is True and not store.results[0].signed_out
    ctl.on_binding_removed(BindingRemoved("204", "sip:204@10.0.0.5:5060", expired=True))
    for _ in range(20):
        await asyncio.sleep(0)
    assert sorted(api.queries) == ["", "chris"]  # the server says whether a phone remains
    assert store.results[0].signed_out and store.everyone[0].signed_out
