"""The queue service over a real store (pbx_core/acd/service.py): what it refuses changes
nothing, the demo queues are created once, and an unreadable stored queue is left out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pbx_core.acd.events import QueueAgentChanged, QueueChanged
from pbx_core.acd.model import config_from_dict
from pbx_core.acd.service import QueueService
from pbx_core.bus import EventBus
from pbx_core.demo import DEMO_QUEUE_LOGINS, DEMO_QUEUES
from pbx_core.events import Event
from pbx_core.store import NewUser, Store
from pbx_core.store.queue_models import QueueRow


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    for ext in ("201", "202", "203", "204"):
        s.add_user(NewUser(ext, f"User {ext}", f"{ext}@a.example", None, (), "h", "r", "0", "1"))
    s.add_user(NewUser("205", "Admin", "205@a.example", None, ("admin",), "h", "r", "0", "1"))
    yield s
    s.close()


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def service(store: Store, events: list[Event]) -> QueueService:
    bus = EventBus()
    bus.subscribe(events.append)
    queues = QueueService(store, bus)
    queues.load()
    queues.seed(DEMO_QUEUES, DEMO_QUEUE_LOGINS)
    return queues


def test_the_demo_queues_are_created_once(store: Store, service: QueueService) -> None:
    assert [q.number for q in service.queues()] == ["1500", "1501"]
    service.seed([{"number": "1600", "name": "Again"}])  # queues exist: nothing happens
    again = QueueService(store, EventBus())
    again.load()
    again.seed([{"number": "1600", "name": "Again"}])
    assert [q.number for q in again.queues()] == ["1500", "1501"]
    assert {e: a.status for e, a in again.agents("1500").items()} == {
        "202": "logged_in",
        "201": "logged_out",
    }
    assert again.by_code("1501") == again.queue("1501")


async def test_a_refused_queue_changes_nothing(
    store: Store, service: QueueService, events: list[Event]
) -> None:
    with pytest.raises(ValueError, match="member 299 is not a user's extension"):
        await service.put(
            config_from_dict({"number": "1502", "name": "X", "members": [{"extension": "299"}]})
        )
    with pytest.raises(ValueError, match="code 1501 is already the code of queue 1501"):
        await service.put(config_from_dict({"number": "1502", "name": "X", "code": "1501"}))
    assert events == [] and service.queue("1502") is None
    reread = QueueService(store, EventBus())
    reread.load()
    assert [q.number for q in reread.queues()] == ["1500", "1501"]

    await service.put(config_from_dict({"number": "1502", "name": "Night"}))
    assert events == [QueueChanged("1502", removed=False, readers=("205",))]
    assert await service.delete("1502") and not await service.delete("1502")


def test_only_a_member_of_a_queue_is_an_agent(service: QueueService, events: list[Event]) -> None:
    with pytest.raises(ValueError, match="there is no queue 1599"):
        service.set_agent_status("1599", "201", "logged_in", "app")
    with pytest.raises(ValueError, match="204 is not a member of queue 1500"):
        service.set_agent_status("1500", "204", "logged_in", "app")
    with pytest.raises(ValueError, match="status must be"):
        service.set_agent_status("1500", "201", "away", "app")  # type: ignore[arg-type]
    assert events == []
    state = service.set_agent_status("1500", "201", "paused", "app")
    assert service.agents("1500")["201"] == state
    readers = ("201", "202", "203", "205")  # members, the supervisor, the admin
    assert events == [QueueAgentChanged("1500", "201", "paused", "app", readers=readers)]
    service.set_agent_status("1500", "201", "paused", "code")  # no change: nothing told
    assert len(events) == 1


def test_an_unreadable_stored_queue_is_left_out(store: Store) -> None:
    QueueService(store, EventBus()).seed(DEMO_QUEUES)
    with store.transaction() as session:
        row = session.get(QueueRow, "1501")
        assert row is not None
        row.body = '{"number": "1501", "name": ""}'  # as only a hand edit can leave it
    queues = QueueService(store, EventBus())
    queues.load()
    assert [q.number for q in queues.queues()] == ["1500"]
