from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pbx_core.bus import EventBus
from pbx_core.errors import NotFound
from pbx_core.events import Event, PresenceChanged
from pbx_core.presence import Presence, PresenceService
from pbx_core.store import NewUser, Store
from tests.support.clock import SettableClock

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    for ext in ("201", "202"):
        s.add_user(NewUser(ext, f"User {ext}", f"{ext}@a.example", None, (), "h", "r", "0", "1"))
    yield s
    s.close()


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def bus(events: list[Event]) -> EventBus:
    b = EventBus()
    b.subscribe(events.append)
    return b


def test_default_is_available(store: Store, bus: EventBus) -> None:
    assert PresenceService(store, bus).get("201") == Presence("available", None)


async def test_set_publishes_and_persists(store: Store, bus: EventBus, events: list[Event]) -> None:
    clock = SettableClock(T0)
    service = PresenceService(store, bus, clock=clock)
    until = T0 + timedelta(hours=1)
    assert await service.set("201", "meeting", until) == Presence("meeting", until)
    assert events == [PresenceChanged("201", "meeting", until)]  # type: ignore[arg-type]
    reloaded = PresenceService(store, bus, clock=clock)
    await reloaded.load()
    assert reloaded.get("201") == Presence("meeting", until)


async def test_status_returns_to_available_when_end_time_passes(
    store: Store, bus: EventBus, events: list[Event]
) -> None:
    clock = SettableClock(T0)
    service = PresenceService(store, bus, clock=clock)
    await service.set("201", "lunch", T0 + timedelta(minutes=30))
    await service.set("202", "vacation", T0 + timedelta(days=3))
    clock.now = T0 + timedelta(minutes=30)
    assert service.expire_due() == ["201"]
    assert service.get("201") == Presence("available")
    assert service.get("202").status == "vacation"
    assert events[-1] == PresenceChanged("201", "available", None)  # type: ignore[arg-type]


async def test_read_after_end_time_is_never_stale(store: Store, bus: EventBus) -> None:
    clock = SettableClock(T0)
    service = PresenceService(store, bus, clock=clock)
    await service.set("201", "dnd", T0 + timedelta(minutes=5))
    clock.now = T0 + timedelta(minutes=6)
    assert service.get("201") == Presence("available")
    await store.aio.drain()
    assert store.load_presence()[0].status == "available"


async def test_status_that_ended_while_down_is_cleared_on_load(store: Store, bus: EventBus) -> None:
    clock = SettableClock(T0)
    await PresenceService(store, bus, clock=clock).set("201", "meeting", T0 + timedelta(minutes=1))
    clock.now = T0 + timedelta(hours=2)
    later = PresenceService(store, bus, clock=clock)
    await later.load()
    assert later.get("201") == Presence("available")


async def test_timer_ends_status_on_the_loop(store: Store, bus: EventBus) -> None:
    service = PresenceService(store, bus)
    ended = asyncio.get_running_loop().create_future()

    def on_event(event: Event) -> None:
        if isinstance(event, PresenceChanged) and event.status == "available":
            ended.set_result(event)

    bus.subscribe(on_event)
    await service.set("201", "meeting", datetime.now(UTC) + timedelta(milliseconds=100))
    event = await asyncio.wait_for(ended, timeout=5)
    assert event.extension == "201"
    service.stop()


@pytest.mark.parametrize(
    ("status", "until", "message"),
    [
        ("sleeping", None, "unknown presence status 'sleeping'; use one of available, meeting"),
        ("meeting", datetime(2026, 3, 2, 10, 0), "until must include a time zone"),
        ("meeting", T0 - timedelta(seconds=1), "until must be in the future"),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    store: Store,
    bus: EventBus,
    events: list[Event],
    status: str,
    until: datetime | None,
    message: str,
) -> None:
    service = PresenceService(store, bus, clock=SettableClock(T0))
    with pytest.raises(ValueError, match=message):
        await service.set("201", status, until)
    assert events == []
    assert store.load_presence() == []


async def test_unknown_user_is_not_found(store: Store, bus: EventBus) -> None:
    with pytest.raises(NotFound, match="no user with extension 299"):
        await PresenceService(store, bus).set("299", "lunch")


async def test_available_drops_the_end_time(store: Store, bus: EventBus) -> None:
    service = PresenceService(store, bus, clock=SettableClock(T0))
    assert await service.set("201", "available", T0 + timedelta(hours=1)) == Presence("available")
