"""Queues in the directory (C1): found by name and number, kept current by set_queues."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from app.directory_index import LocalDirectory, SyncPage
from app.stores.directory import DirectoryEntry
from pbx_core.accounts import Accounts
from pbx_core.acd.model import QueueConfig
from pbx_core.bus import EventBus
from pbx_core.demo import load_demo
from pbx_core.directory import Directory, DirectoryChanged
from pbx_core.directory_index import DirectoryIndex, Entry, Match, matches
from pbx_core.directory_queues import QueueEntry, queue_entries
from pbx_core.events import Event
from pbx_core.presence import PresenceService
from pbx_core.store import Store

_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
SUPPORT = QueueConfig("1500", "Support", metadata="Support NL")
SALES = QueueConfig("1600", "Sales")


def _queue_index(*queues: QueueConfig) -> DirectoryIndex:
    index = DirectoryIndex()
    for entry in queue_entries(queues).values():
        index.put(entry)
    index.put(Entry("user:201", "user", ("Anna de Vries", "anna@acme.local", "Support"), ("201",)))
    return index


def _keys(index: DirectoryIndex, query: str) -> list[str]:
    return [e.key for kind in index.search(query, 50).values() for e in kind]


def test_a_queue_is_found_by_name_and_by_number() -> None:
    index = _queue_index(SUPPORT, SALES)
    assert _keys(index, "supp") == ["user:201", "queue:1500"]
    assert _keys(index, "SALES") == ["queue:1600"]
    assert _keys(index, "1500") == ["queue:1500"]
    assert _keys(index, "15") == ["queue:1500"]
    assert _keys(index, "1700") == []


def test_a_hidden_queue_is_not_an_entry() -> None:
    hidden = QueueConfig("1700", "Back office", hidden_from_search=True)
    assert list(queue_entries([SUPPORT, hidden])) == ["queue:1500"]


def test_the_matched_text_of_a_queue_is_marked() -> None:
    entry = queue_entries([SUPPORT])["queue:1500"]
    assert matches(entry, "supp") == (Match("name", 0, 4), Match("metadata", 0, 4))
    assert matches(entry, "1500") == (Match("numbers.0", 0, 4),)


@pytest.fixture
def directory(store_url: str) -> Iterator[Directory]:
    store = Store(store_url)
    store.open()
    assert load_demo(store, Accounts(store, "acme.local", hasher=_FAST))
    yield Directory(store, PresenceService(store, EventBus()), lambda _ext: "idle")
    store.close()


def test_set_queues_adds_changes_and_removes_with_a_new_version(directory: Directory) -> None:
    bus = EventBus()
    heard: list[Event] = []
    bus.subscribe(heard.append)
    directory.publish_on(bus)
    asyncio.run(directory.load())
    start = directory.version

    directory.set_queues([SUPPORT, SALES])
    result = asyncio.run(directory.search("supp"))
    assert result.queues == (QueueEntry("1500", "Support", "Support NL"),)
    assert result.matches["queue:1500"][0] == Match("name", 0, 4)
    assert asyncio.run(directory.name_for_number("1600")) == "Sales"
    added = directory.version
    assert added > start and isinstance(heard[-1], DirectoryChanged)

    heard.clear()
    directory.set_queues([SALES, SUPPORT])  # the same queues: nothing new
    assert directory.version == added and heard == []

    directory.set_queues(
        [QueueConfig("1500", "Helpdesk"), QueueConfig("1600", "Sales", hidden_from_search=True)]
    )
    got = asyncio.run(directory.changes(added, directory.epoch))
    assert got.queues == (QueueEntry("1500", "Helpdesk"),)
    assert got.removed == ("queue:1600",)
    assert asyncio.run(directory.search("supp")).queues == ()
    assert asyncio.run(directory.name_for_number("1600")) is None
    assert [e.version for e in heard if isinstance(e, DirectoryChanged)] == [directory.version]


def test_the_apps_copy_keeps_a_queue_and_its_metadata() -> None:
    queue = DirectoryEntry.from_api(
        {"kind": "queue", "id": None, "name": "Support", "extension": "1500",
         "numbers": [{"label": "queue", "number": "1500"}], "metadata": "Support NL"}
    )  # fmt: skip
    index = LocalDirectory()
    index.apply(SyncPage("e1", 3, True, (queue,), ()))
    assert index.search("supp") == [queue]
    assert index.search("1500") == [queue]
    assert index.name_for("1500") == "Support"
    assert queue.metadata == "Support NL"
    index.apply(SyncPage("e1", 4, False, (), ("queue:1500",)))
    assert index.search("supp") == [] and index.name_for("1500") is None
