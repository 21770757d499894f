"""Queue calls through the PBX between pjsua2 phones (P9): a caller dials the queue, is answered
and waits; agents' phones ring in the queue's order (the INVITE names the queue in ``X-Queue``);
the first to answer talks to the caller (checked by who hears whom). An offer nobody takes moves
on to the next agent; a full queue is busy; a caller waiting too long goes to the overflow
number; ``*11*<code>*`` and ``**11*<code>*`` log an agent in and out.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from pbx_core.acd.attach import attach
from pbx_core.acd.driver import QueueDriver
from pbx_core.acd.model import AgentState, AgentStatus, OpenHours, QueueConfig, QueueMember
from pbx_core.acd.queue_events import LogCall
from tests.component.pbx.conftest import (
    Phone,
    Phones,
    ThreadedPbx,
    check_hearing,
    connect,
    ended,
    established,
    listen,
    threaded_pbx,
    transferred,
)

pytestmark = pytest.mark.pjsua

SUPPORT = QueueConfig(
    "1500",
    "Support",
    members=(QueueMember("202", 0), QueueMember("201", 1), QueueMember("203", 2)),
    ring_seconds=5,
    wrap_up_seconds=0,
    announce_every_seconds=0,
)


NOW = datetime(2026, 12, 4, 10, 0)  # a Friday morning in the organisation's time zone
CLOSED_NOW = (OpenHours((5, 6), "10:00", "14:00"),)  # weekends only


class Queues:
    """The queues' settings and agents for the driver, as the queue service keeps them."""

    def __init__(self) -> None:
        self.configs: dict[str, QueueConfig] = {}
        self.statuses: dict[tuple[str, str], AgentStatus] = {}
        self.log: list[tuple[str, LogCall]] = []
        self.driver: QueueDriver | None = None

    def queues(self) -> tuple[QueueConfig, ...]:
        return tuple(self.configs.values())

    def agents(self, number: str) -> dict[str, AgentState]:
        return {e: AgentState(q, e, s) for (q, e), s in self.statuses.items() if q == number}

    def set_status(self, number: str, extension: str, status: AgentStatus, reason: str) -> None:
        self.statuses[(number, extension)] = status
        if self.driver is not None:
            self.driver.agent_status(number, extension, status)

    def log_call(self, number: str, row: LogCall) -> None:
        self.log.append((number, row))

    def logged(self, outcome: str, timeout: float = 10.0) -> LogCall:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for _, row in self.log:
                if row.outcome == outcome:
                    return row
            time.sleep(0.05)
        raise AssertionError(f"no {outcome} row in the queue log: {self.log}")


@pytest.fixture(scope="module")
def acd_pbx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedPbx]:
    with threaded_pbx(tmp_path_factory.mktemp("acd-pbx")) as running:
        yield running


@pytest.fixture
def queues(acd_pbx: ThreadedPbx) -> Iterator[Queues]:
    """A fresh set of queues on the module's PBX (its driver attached on the PBX's loop)."""
    found = Queues()

    async def start() -> None:
        found.driver = attach(
            acd_pbx.pbx,
            found,
            set_status=found.set_status,
            log_call=found.log_call,
            local_now=lambda: NOW,
        )

    acd_pbx.run(start())
    yield found

    async def stop() -> None:
        if found.driver is not None:
            found.driver.stop()

    acd_pbx.run(stop())


@pytest.fixture
def phones(acd_pbx: ThreadedPbx, tmp_path: Path) -> Iterator[Phones]:
    import contextlib

    with contextlib.ExitStack() as stack:
        yield Phones(tmp_path, acd_pbx.sip_udp_port, stack)


def _configure(
    acd_pbx: ThreadedPbx,
    queues: Queues,
    config: QueueConfig,
    logged_in: tuple[str, ...],
    *more: QueueConfig,
    also_in: tuple[tuple[str, str], ...] = (),
) -> None:
    """The queues are ``config`` and ``more``; ``logged_in`` agents of ``config`` and the
    (queue, agent) pairs ``also_in`` are logged in; the driver reads them again."""
    queues.configs = {c.number: c for c in (config, *more)}
    queues.statuses = {(config.number, e): "logged_in" for e in logged_in}
    queues.statuses |= {pair: "logged_in" for pair in also_in}

    async def load() -> None:
        assert queues.driver is not None
        queues.driver.load()

    acd_pbx.run(load())


def _offered(agent: Phone) -> int:
    incoming = agent.wait_event("incoming_call", timeout=10)
    assert incoming["x_queue"] is not None and "Support" in incoming["x_queue"]
    assert "sip:1500@" in incoming["x_queue"]
    return int(incoming["call"])


def test_the_first_agent_rings_answers_and_talks_to_the_caller(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones, tmp_path: Path
) -> None:
    _configure(acd_pbx, queues, SUPPORT, ("202", "201"))
    caller, first, second = phones("204"), phones("202"), phones("201")
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)  # the queue answers: welcome, then music
    offered = _offered(first)
    first.send("answer", call=offered, code=200)
    established(first, offered)
    check_hearing(tmp_path, "queue-answered", {caller: [first], first: [caller], second: []})
    row = queues.logged("answered")
    assert (row.agent, row.caller) == ("202", "204")
    caller.send("hangup", call=placed)
    ended(first, offered)


def test_an_offer_nobody_takes_moves_on_to_the_next_agent(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones
) -> None:
    _configure(acd_pbx, queues, SUPPORT, ("202", "201"))
    caller, first, second = phones("204"), phones("202"), phones("201")
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)
    missed = _offered(first)
    ended(first, missed, timeout=12)  # the ring time (5 s) is over: cancelled
    offered = _offered(second)
    second.send("answer", call=offered, code=200)
    established(second, offered)
    assert queues.logged("answered").agent == "201"
    caller.send("hangup", call=placed)
    ended(second, offered)


def test_a_declined_offer_goes_to_the_next_agent(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones
) -> None:
    config = dataclasses.replace(SUPPORT, ring_seconds=30)
    _configure(acd_pbx, queues, config, ("202", "201"))
    caller, first, second = phones("204"), phones("202"), phones("201")
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)
    declined = _offered(first)
    first.send("answer", call=declined, code=486)
    offered = _offered(second)
    second.send("answer", call=offered, code=200)
    established(second, offered)
    caller.send("hangup", call=placed)
    ended(second, offered)


def test_a_full_queue_is_busy_and_a_caller_who_gives_up_is_abandoned(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones
) -> None:
    _configure(acd_pbx, queues, dataclasses.replace(SUPPORT, max_waiting=1), ())
    waiting, refused = phones("204"), phones("205")
    placed = int(waiting.send("call", uri="1500")["call"])
    established(waiting, placed)
    busy = int(refused.send("call", uri="1500")["call"])
    assert ended(refused, busy)["code"] == 486
    assert queues.logged("overflow").overflow_reason == "full"
    waiting.send("hangup", call=placed)
    assert queues.logged("abandoned").caller == "204"


def test_waiting_too_long_rings_the_overflow_number(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones, tmp_path: Path
) -> None:
    config = dataclasses.replace(SUPPORT, max_wait_seconds=10, timeout_forward="205")
    _configure(acd_pbx, queues, config, ())
    caller, overflow = phones("204"), phones("205")
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)
    incoming = overflow.wait_event("incoming_call", timeout=15)
    overflow.send("answer", call=int(incoming["call"]), code=200)
    established(overflow, int(incoming["call"]))
    check_hearing(tmp_path, "overflowed", {caller: [overflow], overflow: [caller]})
    row = queues.logged("overflow")
    assert (row.overflow_reason, row.forwarded_to) == ("timeout", "205")
    caller.send("hangup", call=placed)
    ended(overflow, int(incoming["call"]))


def test_queue_codes_log_an_agent_in_and_out(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones
) -> None:
    _configure(acd_pbx, queues, SUPPORT, ())
    agent, stranger = phones("203"), phones("205")
    call = int(agent.send("call", uri="*11*1500*")["call"])
    established(agent, call)
    ended(agent, call, timeout=15)  # the PBX confirms and hangs up
    assert queues.statuses[("1500", "203")] == "logged_in"
    call = int(agent.send("call", uri="**11*1500*")["call"])
    ended(agent, call, timeout=15)
    assert queues.statuses[("1500", "203")] == "logged_out"
    call = int(stranger.send("call", uri="*11*1500*")["call"])  # not a member
    ended(stranger, call, timeout=15)
    assert ("1500", "205") not in queues.statuses


def test_outside_the_opening_hours_the_caller_hears_closed_and_goodbye(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones
) -> None:
    _configure(acd_pbx, queues, dataclasses.replace(SUPPORT, hours=CLOSED_NOW), ("202",))
    caller, agent = phones("204"), phones("202")
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)  # answered to hear "we are closed", then the PBX hangs up
    ended(caller, placed, timeout=20)
    assert queues.logged("overflow").overflow_reason == "closed"
    assert not [e for e in agent.drain() if e.get("event") == "incoming_call"]


def test_outside_the_opening_hours_the_closed_number_rings(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones
) -> None:
    config = dataclasses.replace(SUPPORT, hours=CLOSED_NOW, closed_forward="205")
    _configure(acd_pbx, queues, config, ("202",))
    caller, night = phones("204"), phones("205")
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)
    incoming = int(night.wait_event("incoming_call", timeout=10)["call"])
    night.send("answer", call=incoming, code=200)
    established(night, incoming)
    row = queues.logged("overflow")
    assert (row.overflow_reason, row.forwarded_to) == ("closed", "205")
    caller.send("hangup", call=placed)
    ended(night, incoming)


@pytest.mark.parametrize(
    ("code", "hearing"),
    [
        ("*66*202*", {"204": ["202"], "202": ["204"], "203": ["204", "202"]}),  # listen
        ("*67*202*", {"204": ["202"], "202": ["204", "203"], "203": ["204", "202"]}),  # whisper
        ("*68*202*", {"204": ["202", "203"], "202": ["204", "203"], "203": ["204", "202"]}),
    ],
)
def test_the_supervisor_listens_whispers_or_barges_in(
    acd_pbx: ThreadedPbx,
    queues: Queues,
    phones: Phones,
    tmp_path: Path,
    code: str,
    hearing: dict[str, list[str]],
) -> None:
    config = dataclasses.replace(SUPPORT, members=(QueueMember("202", 0),), supervisors=("203",))
    _configure(acd_pbx, queues, config, ("202",))
    by_ext = {"204": phones("204"), "202": phones("202"), "203": phones("203")}
    caller, agent, supervisor = by_ext["204"], by_ext["202"], by_ext["203"]
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)
    offered = _offered(agent)
    agent.send("answer", call=offered, code=200)
    established(agent, offered)

    joined = int(supervisor.send("call", uri=code)["call"])
    established(supervisor, joined)
    expect = {by_ext[e]: [by_ext[h] for h in heard] for e, heard in hearing.items()}
    check_hearing(tmp_path, f"supervised-{code[1:3]}", expect)

    supervisor.send("hangup", call=joined)
    ended(supervisor, joined)
    check_hearing(tmp_path, "after", {caller: [agent], agent: [caller], supervisor: []})
    caller.send("hangup", call=placed)
    ended(agent, offered)


def test_only_a_supervisor_may_listen(acd_pbx: ThreadedPbx, queues: Queues, phones: Phones) -> None:
    config = dataclasses.replace(SUPPORT, members=(QueueMember("202", 0),), supervisors=("203",))
    _configure(acd_pbx, queues, config, ("202",))
    caller, agent, colleague = phones("204"), phones("202"), phones("201")
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)
    offered = _offered(agent)
    agent.send("answer", call=offered, code=200)
    established(agent, offered)
    refused = int(colleague.send("call", uri="*66*202*")["call"])
    assert ended(colleague, refused)["code"] == 403
    nothing = int(colleague.send("call", uri="*66*201*")["call"])  # no queue call there
    assert ended(colleague, nothing)["code"] == 404
    caller.send("hangup", call=placed)
    ended(agent, offered)


def _hears_until(
    phone: Phone, workdir: Path, wanted: str, *names: str, phases: int = 8
) -> list[str]:
    """Record ``phone`` phase after phase until ``wanted`` is heard; everything heard."""
    heard: list[str] = []
    for n in range(phases):
        heard += listen(phone, workdir, f"{wanted}-{n}", *names)
        if wanted in heard:
            return heard
    raise AssertionError(f"{phone.name} never hears {wanted}: {heard}")


def test_a_waiting_caller_hears_the_welcome_music_and_their_place_in_line(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones, tmp_path: Path
) -> None:
    config = dataclasses.replace(SUPPORT, announce_every_seconds=10)
    _configure(acd_pbx, queues, config, ())
    caller = phones("204")
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)
    names = ("queue-welcome", "music", "queue-position", "number-1")
    heard = listen(caller, tmp_path, "welcome", *names)
    assert heard.count("queue-welcome") >= len(heard) // 2, f"not the welcome: {heard}"
    heard = _hears_until(caller, tmp_path, "music", *names)
    heard = _hears_until(caller, tmp_path, "queue-position", *names)
    assert "number-1" in heard + listen(caller, tmp_path, "number", *names), heard
    caller.send("hangup", call=placed)
    assert queues.logged("abandoned").caller == "204"


def test_a_full_queue_overflows_into_another_queue(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones
) -> None:
    support = dataclasses.replace(SUPPORT, max_waiting=1, full_forward="1501")
    sales = QueueConfig("1501", "Sales", members=(QueueMember("201", 0),), ring_seconds=5)
    _configure(acd_pbx, queues, support, (), sales, also_in=(("1501", "201"),))
    first, second, sales_agent = phones("204"), phones("205"), phones("201")
    waiting = int(first.send("call", uri="1500")["call"])
    established(first, waiting)  # Support has nobody: the first caller waits there
    placed = int(second.send("call", uri="1500")["call"])
    established(second, placed)  # Support is full: the second waits in Sales
    incoming = sales_agent.wait_event("incoming_call", timeout=10)
    assert incoming["x_queue"] is not None and "Sales" in incoming["x_queue"]
    sales_agent.send("answer", call=int(incoming["call"]), code=200)
    established(sales_agent, int(incoming["call"]))
    assert queues.logged("answered").agent == "201"  # answered in Sales (waits for the row)
    rows = [(number, row.outcome) for number, row in queues.log]
    assert ("1500", "overflow") in rows and ("1501", "answered") in rows
    second.send("hangup", call=placed)
    first.send("hangup", call=waiting)
    ended(sales_agent, int(incoming["call"]))


def test_waiting_too_long_moves_the_caller_into_another_queue(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones
) -> None:
    support = dataclasses.replace(SUPPORT, max_wait_seconds=10, timeout_forward="1501")
    sales = QueueConfig("1501", "Sales", members=(QueueMember("201", 0),), ring_seconds=5)
    _configure(acd_pbx, queues, support, (), sales, also_in=(("1501", "201"),))
    caller, sales_agent = phones("204"), phones("201")
    placed = int(caller.send("call", uri="1500")["call"])
    established(caller, placed)
    incoming = sales_agent.wait_event("incoming_call", timeout=20)
    assert incoming["x_queue"] is not None and "Sales" in incoming["x_queue"]
    sales_agent.send("answer", call=int(incoming["call"]), code=200)
    established(sales_agent, int(incoming["call"]))
    row = next(row for number, row in queues.log if number == "1500")
    assert (row.outcome, row.overflow_reason, row.forwarded_to) == ("overflow", "timeout", "1501")
    caller.send("hangup", call=placed)
    ended(sales_agent, int(incoming["call"]))


def test_a_call_transferred_to_a_busy_colleague_waits_until_they_are_free(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones, tmp_path: Path
) -> None:
    _configure(acd_pbx, queues, SUPPORT, ())
    caller, desk, busy, other = phones("205"), phones("204"), phones("202"), phones("203")
    _, busy_call = connect(busy, other, "203")  # 202 is on the phone
    caller_call, desk_call = connect(caller, desk, "204")
    desk.send("transfer", call=desk_call, target="202")
    waiting = busy.wait_event("incoming_call", timeout=10)  # call waiting on the busy line
    busy.send("answer", call=waiting["call"], code=486)
    transferred(desk, desk_call)
    ended(desk, desk_call)
    heard = listen(caller, tmp_path, "camped", "queue-busy", "music")
    assert heard.count("queue-busy") >= len(heard) // 2, f"not told to hold: {heard}"

    busy.send("hangup", call=busy_call)  # free: the waiting call rings 202 now
    other.wait_event("call_state", state="DISCONNECTED")
    offered = int(busy.wait_event("incoming_call", timeout=15)["call"])
    busy.send("answer", call=offered, code=200)
    established(busy, offered)
    check_hearing(tmp_path, "camped-answered", {caller: [busy], busy: [caller]}, also=[desk])
    caller.send("hangup", call=caller_call)
    ended(busy, offered)


def test_a_call_transferred_to_a_colleague_who_declines_while_free_comes_back(
    acd_pbx: ThreadedPbx, queues: Queues, phones: Phones
) -> None:
    _configure(acd_pbx, queues, SUPPORT, ())
    caller, desk, colleague = phones("205"), phones("204"), phones("202")
    _, desk_call = connect(caller, desk, "204")
    desk.send("transfer", call=desk_call, target="202")
    declined = colleague.wait_event("incoming_call", timeout=10)
    colleague.send("answer", call=declined["call"], code=486)
    ended(desk, desk_call, timeout=15)
    recall = int(desk.wait_event("incoming_call", timeout=15)["call"])  # the recall, as before
    desk.send("answer", call=recall, code=200)
    established(desk, recall)
    desk.send("hangup", call=recall)
    caller.wait_event("call_state", state="DISCONNECTED")
