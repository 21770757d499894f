"""The desktop's copy of the directory follows the PBX: contacts added, changed and removed while
the app runs (on the ``directory.changed`` event) and after a reconnect (only the changes).

A real PBX and its API on 127.0.0.1 (uvicorn in the test's loop, so the test can write contacts
through the PBX's directory) and the app's DirectoryController over a real ApiClient.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn

from app.api import ApiClient
from app.connection import Connection
from app.controllers.directory import DirectoryController
from app.directory_sync import fetch_changes, fetch_page
from app.notices import Notices
from app.stores.directory import DirectoryStore
from app.tasks import TaskRunner
from pbx_core.acd.model import QueueConfig
from pbx_core.config import PbxConfig
from pbx_core.directory import DirectoryChanged
from pbx_core.events import Event
from pbx_core.pbx import Pbx
from pbx_core.store import ContactNumber, ContactRecord, NewContact
from server.app import create_app
from server.runner import bind_http_socket
from tests.support.inprocess_server import InProcessServer

SALES_HIDDEN = QueueConfig("1600", "Sales", hidden_from_search=True)


@dataclass
class _Running:
    pbx: Pbx
    base_url: str
    changed: list[DirectoryChanged] = field(default_factory=list)


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[_Running]:
    pbx = Pbx(PbxConfig(data_dir=tmp_path / "pbx", sip_port=0))
    await pbx.start(demo=True)
    sock = bind_http_socket("127.0.0.1", 0)
    server = InProcessServer(
        uvicorn.Config(create_app(pbx), log_config=None, lifespan="off", ws="websockets-sansio")
    )
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    running = _Running(pbx, f"http://127.0.0.1:{sock.getsockname()[1]}")

    def on_event(event: Event) -> None:
        if isinstance(event, DirectoryChanged):
            running.changed.append(event)

    pbx.bus.subscribe(on_event)
    try:
        while not server.started:
            assert not serving.done()
            await asyncio.sleep(0.01)
        yield running
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 10)
        await pbx.stop()
        sock.close()


async def _signed_in(base_url: str) -> ApiClient:
    api = ApiClient(base_url, timeout=10)
    await api.login("202", "Demo-202!")
    return api


async def _settle(runner: TaskRunner) -> None:
    for _ in range(200):
        await asyncio.sleep(0.01)
        if not runner._tasks:
            return


async def _synced_copy(
    running: _Running,
) -> tuple[DirectoryStore, Connection, TaskRunner, DirectoryController]:
    """The app's copy of the directory, signed in as 202 and synchronised (as at sign-in)."""
    store, conn = DirectoryStore(), Connection()
    conn.api = await _signed_in(running.base_url)
    runner = TaskRunner(asyncio.get_running_loop(), Notices())
    ctl = DirectoryController(store, conn, runner)
    ctl.load_everyone()
    await _settle(runner)
    return store, conn, runner, ctl


async def test_the_copy_follows_adds_changes_and_removes(running: _Running) -> None:
    store, conn, runner, ctl = await _synced_copy(running)
    assert store.index.synced and store.name_for("+4533123456") == "Lars Nielsen"

    directory = running.pbx.directory
    added = await directory.add_contact(
        NewContact("Ida Ørsted", "Grøn Energi A/S", None, (ContactNumber("work", "+4570101010"),))
    )
    event = running.changed[-1]
    ctl.on_directory_changed(event.epoch, event.version)
    await _settle(runner)
    ctl.search("orsted")
    assert [e.name for e in store.results] == ["Ida Ørsted"]
    assert store.name_for("+45 70 10 10 10") == "Ida Ørsted"

    directory.contact_written(
        ContactRecord(added.id, "Ida Ørsted-Berg", added.company, None, added.numbers)
    )
    event = running.changed[-1]
    ctl.on_directory_changed(event.epoch, event.version)
    await _settle(runner)
    assert [e.name for e in store.results] == ["Ida Ørsted-Berg"]  # the open search too

    directory.contact_removed(added.id)
    event = running.changed[-1]
    ctl.on_directory_changed(event.epoch, event.version)
    await _settle(runner)
    assert store.results == [] and store.name_for("+4570101010") is None
    await conn.require_api().aclose()


async def test_a_reconnect_fetches_only_the_changes(running: _Running) -> None:
    store, conn, runner, ctl = await _synced_copy(running)
    before = store.index.version
    assert before is not None
    await conn.require_api().aclose()

    # offline: a contact arrives and no event reaches the app
    added = await running.pbx.directory.add_contact(
        NewContact("Femke Brouwer", None, None, (ContactNumber("mobile", "+31687654321"),))
    )
    conn.api = await _signed_in(running.base_url)
    page = await fetch_page(conn.api, before, store.index.epoch)
    assert page is not None and not page.full
    assert [e.id for e in page.entries] == [added.id] and page.removed == ()

    ctl.load_everyone()  # reconnect
    await _settle(runner)
    assert store.index.version == running.pbx.directory.version
    assert store.name_for("0687654321") == "Femke Brouwer"
    ctl.search("brouwer")
    assert [e.name for e in store.results] == ["Femke Brouwer"]
    await conn.require_api().aclose()


async def test_short_numbers_reach_the_copy_and_follow_the_conversions(running: _Running) -> None:
    store, conn, runner, ctl = await _synced_copy(running)
    ctl.search("656")  # the demo's short number of +45 33 12 34 56, in no form of it
    assert [e.name for e in store.results] == ["Lars Nielsen"]
    assert store.name_for("656") == "Lars Nielsen"

    await running.pbx.numbering.replace(
        [{"prefix": "4", "digits": 2, "rewrite": "+45339122", "ranges": ["00-49"]}]
    )
    event = running.changed[-1]
    ctl.on_directory_changed(event.epoch, event.version)
    await _settle(runner)
    ctl.search("440")
    assert [e.name for e in store.results] == ["Mette Jensen"]
    ctl.search("656")
    assert store.results == [] and store.name_for("656") is None
    await conn.require_api().aclose()


async def test_a_big_directory_arrives_in_pages(running: _Running) -> None:
    api = await _signed_in(running.base_url)
    whole = await fetch_page(api, None, None)
    assert whole is not None and whole.full and whole.next is None
    first = await fetch_page(api, None, None, limit=5)
    assert first is not None and len(first.entries) == 5 and first.next is not None
    paged = await fetch_changes(api, None, None, page_size=5)
    assert paged is not None and paged.full
    assert sorted(e.name for e in paged.entries) == sorted(e.name for e in whole.entries)
    await api.aclose()


async def test_the_controller_syncs_page_by_page(
    running: _Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.controllers import directory as directory_module

    monkeypatch.setattr(directory_module, "PAGE_SIZE", 4)
    store, conn, _runner, _ctl = await _synced_copy(running)
    whole = await fetch_page(conn.api, None, None)
    assert whole is not None
    assert sorted(e.name for e in store.everyone) == sorted(e.name for e in whole.entries)
    assert store.index.version == running.pbx.directory.version
    await conn.require_api().aclose()


async def test_queues_reach_the_copy_and_the_search_answer(running: _Running) -> None:
    store, conn, runner, ctl = await _synced_copy(running)
    directory = running.pbx.directory

    async def follow() -> None:
        event = running.changed[-1]
        assert event.version == directory.version
        ctl.on_directory_changed(event.epoch, event.version)
        await _settle(runner)

    directory.set_queues([QueueConfig("1500", "Support", metadata="Support NL"), SALES_HIDDEN])
    await follow()
    ctl.search("supp")
    queues = [e for e in store.results if e.kind == "queue"]
    assert [(e.name, e.extension, e.metadata) for e in queues] == [
        ("Support", "1500", "Support NL")
    ]
    assert store.name_for("1500") == "Support" and store.name_for("1600") is None
    answer = await conn.require_api().request("GET", "/api/v1/directory", params={"q": "1500"})
    assert [(r["kind"], r["name"], r["matches"]) for r in answer] == [
        ("queue", "Support", [{"field": "numbers.0", "start": 0, "end": 4}])
    ]

    directory.set_queues([QueueConfig("1500", "Helpdesk"), QueueConfig("1600", "Sales")])
    await follow()
    ctl.search("1500")
    assert [(e.kind, e.name, e.metadata) for e in store.results] == [("queue", "Helpdesk", None)]
    assert store.name_for("1600") == "Sales"

    directory.set_queues([QueueConfig("1600", "Sales")])
    await follow()
    assert store.results == [] and store.name_for("1500") is None
    assert await directory.name_for_number("1600") == "Sales"
    await conn.require_api().aclose()


async def test_the_stored_queues_and_a_new_one_reach_the_apps_search(running: _Running) -> None:
    store, conn, runner, ctl = await _synced_copy(running)
    ctl.search("supp")  # the demo's Support queue, besides the Support department's people
    assert [(e.name, e.extension) for e in store.results if e.kind == "queue"] == [
        ("Support", "1500")
    ]

    admin = ApiClient(running.base_url, timeout=10)
    await admin.login("205", "Demo-205!")
    body = {"number": "1502", "name": "Billing", "members": [{"extension": "204"}]}
    await admin.request("PUT", "/api/v1/org/queues/1502", json=body)
    event = running.changed[-1]
    ctl.on_directory_changed(event.epoch, event.version)
    await _settle(runner)
    ctl.search("bill")
    assert [(e.kind, e.name, e.extension) for e in store.results] == [("queue", "Billing", "1502")]
    assert store.name_for("1502") == "Billing"

    await admin.request("DELETE", "/api/v1/org/queues/1502")
    event = running.changed[-1]
    ctl.on_directory_changed(event.epoch, event.version)
    await _settle(runner)
    assert store.results == [] and store.name_for("1502") is None
    await admin.aclose()
    await conn.require_api().aclose()
