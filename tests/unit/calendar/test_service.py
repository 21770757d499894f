"""Plans through the service and the store, the driver stepped by hand on a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from pbx_core.bus import EventBus
from pbx_core.calendar.model import Plan
from pbx_core.calendar.service import PlansChanged, PlanService
from pbx_core.errors import NotFound
from pbx_core.events import Event
from pbx_core.presence import Presence, PresenceService
from pbx_core.store import NewUser, Store
from pbx_core.store.models import Base
from tests.support.clock import SettableClock

T0 = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    for ext in ("201", "202"):
        s.add_user(NewUser(ext, f"User {ext}", f"{ext}@a.example", None, (), "h", "r", "0", "1"))
    yield s
    s.close()


@pytest.fixture
def clock() -> SettableClock[datetime]:
    return SettableClock(T0)


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def bus(events: list[Event]) -> EventBus:
    b = EventBus()
    b.subscribe(events.append)
    return b


@pytest.fixture
async def service(
    store: Store, bus: EventBus, clock: SettableClock[datetime]
) -> AsyncIterator[PlanService]:
    presence = PresenceService(store, bus, clock=clock)
    s = PlanService(store, bus, presence, clock=clock)
    await s.start()
    yield s
    s.stop()
    presence.stop()


def meeting(start_hour: int = 9, end_hour: int = 10, **kw: object) -> Plan:
    fields: dict[str, object] = {
        "extension": "201",
        "name": "Team meeting",
        "status": "meeting",
        "time_zone": "Europe/Amsterdam",
    }
    fields.update(kw)
    return Plan(
        0,
        start=datetime(2026, 12, 7, start_hour),
        end=datetime(2026, 12, 7, end_hour),
        **fields,  # type: ignore[arg-type]
    )


def test_the_migrations_create_exactly_the_tables_of_the_models(store: Store) -> None:
    url = str(store._engine.url) if store._engine is not None else ""
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


async def test_create_stores_publishes_and_reports_overlaps(
    service: PlanService, events: list[Event]
) -> None:
    first = await service.create(meeting())
    assert first.overlaps == []
    second = await service.create(meeting(9, 11, name="Dentist", status="not_present"))
    assert second.overlaps == [first.plan.id]
    assert [e for e in events if isinstance(e, PlansChanged)] == [
        PlansChanged("201", first.plan.id, "created"),
        PlansChanged("201", second.plan.id, "created"),
    ]
    window = service.window("201", T0, T0 + timedelta(days=1))
    assert [p.id for p, _ in window] == [first.plan.id, second.plan.id]
    assert service.window("202", T0, T0 + timedelta(days=1)) == []


async def test_another_users_plan_cannot_be_changed(service: PlanService) -> None:
    saved = await service.create(meeting())
    with pytest.raises(NotFound):
        await service.delete("202", saved.plan.id)
    with pytest.raises(ValueError, match="end must be after start"):
        await service.update(replace(meeting(10, 9), id=saved.plan.id))


async def test_the_driver_sets_the_status_at_the_start_and_available_at_the_end(
    store: Store, bus: EventBus, clock: SettableClock[datetime]
) -> None:
    presence = PresenceService(store, bus, clock=clock)
    service = PlanService(store, bus, presence, clock=clock)
    await service.start()
    saved = await service.create(meeting())
    await service.driver.step()
    assert service.driver.next_at == T0 + timedelta(hours=1)
    clock.now = T0 + timedelta(hours=1)
    await service.driver.step()
    assert presence.get("201") == Presence("meeting", T0 + timedelta(hours=2))
    assert service.driver.running_plan("201") == saved.plan
    clock.now = T0 + timedelta(hours=2)
    await service.driver.step()
    assert presence.get("201").status == "available"
    service.stop()

    # a restart in the middle of the next day's plan applies it at once
    await service.create(meeting(9, 10, repeat="daily"))
    clock.now = T0 + timedelta(days=1, hours=1, minutes=30)
    restarted = PlanService(store, bus, presence, clock=clock)
    await restarted.start()
    assert presence.get("201") == Presence("meeting", T0 + timedelta(days=1, hours=2))
    restarted.stop()
    presence.stop()


async def test_a_status_chosen_during_the_plan_stays_at_its_end(
    service: PlanService, clock: SettableClock[datetime], store: Store, bus: EventBus
) -> None:
    await service.create(meeting())
    clock.now = T0 + timedelta(hours=1)
    await service.driver.step()
    presence = service.driver._presence
    await presence.set("201", "lunch")
    clock.now = T0 + timedelta(hours=2)
    await service.driver.step()
    assert presence.get("201").status == "lunch"
