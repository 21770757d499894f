"""Upcoming planned statuses in the one presence model: which occurrences a view lists, when
the list changes by the clock alone, the PIDF timed statuses (RFC 4481), and the board
recomputing a view when a plan changes or an occurrence comes within the window."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pbx_core.bus import EventBus
from pbx_core.calendar.model import Plan
from pbx_core.calendar.service import PlanService
from pbx_core.calendar.upcoming import next_change, upcoming
from pbx_core.events import Event
from pbx_core.presence import Presence, PresenceService
from pbx_core.presence_board import PresenceBoard
from pbx_core.presence_view import PlannedStatus, PresenceUpdated, compute_view
from pbx_core.signaling.event_bodies import pidf
from pbx_core.store import NewUser, Store
from tests.support.clock import SettableClock

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)
TS = "urn:ietf:params:xml:ns:pidf:timed-status"
NS = {
    "p": "urn:ietf:params:xml:ns:pidf",
    "dm": "urn:ietf:params:xml:ns:pidf:data-model",
    "ts": TS,
    "rpid": "urn:ietf:params:xml:ns:pidf:rpid",
    "ap": "urn:x-acme:params:xml:ns:presence",
}


def _plan(
    plan_id: int, start: datetime, hours: float = 1, status: str = "meeting", **kw: object
) -> Plan:
    local = start.astimezone(UTC).replace(tzinfo=None)
    return Plan(
        plan_id,
        str(kw.pop("extension", "202")),
        f"Plan {plan_id}",
        status,  # type: ignore[arg-type]
        local,
        local + timedelta(hours=hours),
        "UTC",
        note="private words",
        **kw,  # type: ignore[arg-type]
    )


def test_only_starts_within_24_hours_earliest_first() -> None:
    plans = [
        _plan(1, NOW + 5 * HOUR, status="lunch"),
        _plan(2, NOW + 2 * HOUR),
        _plan(3, NOW + 25 * HOUR, status="vacation"),  # beyond the window
        _plan(4, NOW - timedelta(days=3)),  # long over
    ]
    assert upcoming(plans, NOW) == (
        PlannedStatus("meeting", NOW + 2 * HOUR, NOW + 3 * HOUR),
        PlannedStatus("lunch", NOW + 5 * HOUR, NOW + 6 * HOUR),
    )


def test_the_running_occurrence_is_not_listed_but_its_next_repeat_is() -> None:
    daily = _plan(1, NOW - HOUR, hours=2, repeat="daily")  # runs now, again tomorrow
    assert upcoming([daily], NOW) == (PlannedStatus("meeting", NOW + 23 * HOUR, NOW + 25 * HOUR),)


def test_at_most_three() -> None:
    hourly = _plan(1, NOW + timedelta(minutes=10), hours=0.5, repeat="custom", rrule="FREQ=HOURLY")
    listed = upcoming([hourly], NOW)
    assert [p.start for p in listed] == [NOW + timedelta(minutes=10) + i * HOUR for i in range(3)]


def test_next_change_is_an_entry_into_the_window_or_a_start() -> None:
    later = _plan(1, NOW + 30 * HOUR, extension="201")  # enters the window at NOW + 6 h
    soon = _plan(2, NOW + 8 * HOUR, extension="202")  # listed; leaves the list at its start
    first = next_change([later, soon], NOW)
    assert first is not None
    assert (first.at, first.extensions) == (NOW + 6 * HOUR, frozenset({"201"}))
    second = next_change([later, soon], first.at)
    assert second is not None
    assert (second.at, second.extensions) == (NOW + 8 * HOUR, frozenset({"202"}))
    assert next_change([_plan(3, NOW + 72 * HOUR)], NOW) is None  # too far to matter yet


def test_view_and_event_carry_the_planned_statuses() -> None:
    planned = (PlannedStatus("meeting", NOW + 2 * HOUR, NOW + 3 * HOUR),)
    view = compute_view("202", Presence("available"), registered=True, calls=[], planned=planned)
    assert view.planned == planned
    assert PresenceUpdated.of(view).planned == planned


def test_pidf_carries_timed_statuses() -> None:
    planned = (
        PlannedStatus("meeting", NOW + 2 * HOUR, NOW + 3 * HOUR),
        PlannedStatus("lunch", NOW + 5 * HOUR, NOW + 6 * HOUR),
    )
    view = compute_view("202", Presence("available"), registered=True, calls=[], planned=planned)
    root = ET.fromstring(pidf(view, "pbx.example"))
    timed = root.findall("dm:person/ts:timed-status", NS)
    assert [(t.get("from"), t.get("until")) for t in timed] == [
        ("2026-12-07T11:30:00+00:00", "2026-12-07T12:30:00+00:00"),
        ("2026-12-07T14:30:00+00:00", "2026-12-07T15:30:00+00:00"),
    ]
    assert [t.findtext("ap:status", namespaces=NS) for t in timed] == ["meeting", "lunch"]
    meeting = [e.tag.split("}")[1] for e in timed[0].findall("rpid:activities/*", NS)]
    assert meeting == ["busy", "meeting"]
    assert b"private words" not in pidf(view, "pbx.example")
    plain = compute_view("202", Presence("available"), registered=True, calls=[])
    assert ET.fromstring(pidf(plain, "x")).findall("dm:person/ts:timed-status", NS) == []


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    s.add_user(NewUser("202", "Bram", "202@a.example", None, (), "h", "r", "0", "1"))
    yield s
    s.close()


@pytest.fixture
def clock() -> SettableClock[datetime]:
    return SettableClock(NOW)


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
async def plans(
    store: Store, bus: EventBus, clock: SettableClock[datetime]
) -> AsyncIterator[PlanService]:
    presence = PresenceService(store, bus, clock=clock)
    s = PlanService(store, bus, presence, clock=clock)
    await s.start()
    yield s
    s.stop()
    presence.stop()


def _board(bus: EventBus) -> PresenceBoard:
    return PresenceBoard(
        bus, is_user=lambda ext: ext == "202", registered=lambda ext: True, calls=list, parked=list
    )


async def _next_update(queue: asyncio.Queue[PresenceUpdated]) -> PresenceUpdated:
    return await asyncio.wait_for(queue.get(), 10)


def _updates(bus: EventBus) -> asyncio.Queue[PresenceUpdated]:
    queue: asyncio.Queue[PresenceUpdated] = asyncio.Queue()

    def keep(event: Event) -> None:
        if isinstance(event, PresenceUpdated):
            queue.put_nowait(event)

    bus.subscribe(keep)
    return queue


async def test_board_shows_a_new_plan_at_once(plans: PlanService, bus: EventBus) -> None:
    board = _board(bus)
    board.follow_plans(plans)
    assert board.view("202").planned == ()
    updates = _updates(bus)
    await plans.create(_plan(0, NOW + 2 * HOUR))
    update = await _next_update(updates)
    assert update.planned == (PlannedStatus("meeting", NOW + 2 * HOUR, NOW + 3 * HOUR),)
    assert board.current("202").planned == update.planned
    board.close()


async def test_board_timer_shows_an_occurrence_entering_the_window(
    plans: PlanService, bus: EventBus, clock: SettableClock[datetime]
) -> None:
    start = NOW + 30 * HOUR
    await plans.create(_plan(0, start))
    clock.now = start - 24 * HOUR - timedelta(seconds=0.2)  # 0.2 s before it comes within
    board = _board(bus)
    assert board.current("202").planned == ()
    board.follow_plans(plans)
    assert board.flush() == {}  # nothing within the window yet
    assert board.plan_moment is not None and board.plan_moment.at == start - 24 * HOUR
    updates = _updates(bus)
    clock.now = start - 24 * HOUR
    update = await _next_update(updates)
    assert update.planned == (PlannedStatus("meeting", start, start + HOUR),)
    assert board.plan_moment is not None and board.plan_moment.at == start  # re-armed
    board.close()
