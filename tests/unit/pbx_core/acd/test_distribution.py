"""The queue machine (pbx_core/acd/distribution.py): offers, misses, wrap-up, overflow."""

from __future__ import annotations

import random

from pbx_core.acd.distribution import REST_SECONDS, Phase, QueueMachine
from pbx_core.acd.model import AgentStatus, QueueConfig, QueueMember
from pbx_core.acd.queue_events import (
    AgentBusy,
    AgentPresent,
    AgentReachable,
    AgentStatusSet,
    Announce,
    Answered,
    Arrived,
    CallDone,
    Left,
    LogCall,
    OfferFailed,
    Overflow,
    QueueAction,
    Reconfigured,
    Ring,
    SetAgentStatus,
    Tick,
)

MEMBERS = (QueueMember("201", 0, 3), QueueMember("202", 1, 5), QueueMember("203", 2, 1))


def _machine(statuses: dict[str, AgentStatus] | None = None, **settings: object) -> QueueMachine:
    config = QueueConfig("1500", "Support", members=MEMBERS, **settings)  # type: ignore[arg-type]
    logged_in: dict[str, AgentStatus] = {m.extension: "logged_in" for m in MEMBERS}
    return QueueMachine.start(config, statuses if statuses is not None else logged_in, 0.0)


def _rings(actions: list[QueueAction]) -> list[tuple[str, tuple[str, ...]]]:
    return [(a.call_id, a.extensions) for a in actions if isinstance(a, Ring)]


def test_priority_order_rings_the_first_agent_and_the_answer_connects() -> None:
    machine = _machine()
    actions = machine.handle(Arrived("c1", "0201234567", "Caller"), 1.0)
    assert _rings(actions) == [("c1", ("201",))]
    actions = machine.handle(Answered("c1", "201"), 5.0)
    assert machine.callers["c1"].phase is Phase.CONNECTED
    [log] = [a for a in actions if isinstance(a, LogCall)]
    assert (log.outcome, log.agent, log.waited_s) == ("answered", "201", 4.0)


def test_skill_strategy_offers_the_highest_skill_first() -> None:
    machine = _machine(strategy="skill")
    assert _rings(machine.handle(Arrived("c1", "x"), 1.0)) == [("c1", ("202",))]


def test_longest_idle_first_among_equals() -> None:
    members = (QueueMember("201", 0, 3), QueueMember("202", 0, 3))
    config = QueueConfig("1500", "Support", members=members, wrap_up_seconds=0)
    machine = QueueMachine.start(config, {"201": "logged_in", "202": "logged_in"}, 0.0)
    machine.handle(AgentBusy("201", True), 1.0)
    machine.handle(AgentBusy("201", False), 2.0)  # 201 idle since 2, 202 since 0
    assert _rings(machine.handle(Arrived("c1", "x"), 3.0)) == [("c1", ("202",))]


def test_without_longest_idle_the_priority_order_decides() -> None:
    members = (QueueMember("201", 0, 3), QueueMember("202", 1, 3))
    config = QueueConfig("1500", "Support", members=members, longest_idle=False)
    machine = QueueMachine.start(config, {"201": "logged_in", "202": "logged_in"}, 5.0)
    machine.handle(AgentBusy("202", True), 1.0)
    machine.handle(AgentBusy("202", False), 2.0)
    assert _rings(machine.handle(Arrived("c1", "x"), 3.0)) == [("c1", ("201",))]


def test_skill_ties_without_longest_idle_are_drawn_by_lot() -> None:
    members = (QueueMember("201", 0, 4), QueueMember("202", 1, 4))
    picked = set()
    for seed in range(20):
        config = QueueConfig(
            "1500", "Support", members=members, strategy="skill", longest_idle=False
        )
        machine = QueueMachine.start(config, {"201": "logged_in", "202": "logged_in"}, 0.0)
        machine.rng = random.Random(seed)
        picked.add(_rings(machine.handle(Arrived("c1", "x"), 1.0))[0][1])
    assert picked == {("201",), ("202",)}


def test_parallel_agents_ring_together_and_the_others_stop_on_answer() -> None:
    machine = _machine(parallel=2)
    assert _rings(machine.handle(Arrived("c1", "x"), 1.0)) == [("c1", ("201", "202"))]
    machine.handle(Answered("c1", "202"), 2.0)
    # 201 is free again for the next caller; 202 serves c1
    assert _rings(machine.handle(Arrived("c2", "y"), 3.0)) == [("c2", ("201", "203"))]


def test_only_available_agents_are_offered() -> None:
    machine = _machine({"201": "paused", "202": "logged_out", "203": "logged_in"})
    machine.handle(AgentBusy("203", True), 0.5)
    assert _rings(machine.handle(Arrived("c1", "x"), 1.0)) == []
    assert machine.callers["c1"].phase is Phase.WAITING
    assert _rings(machine.handle(AgentBusy("203", False), 2.0)) == [("c1", ("203",))]


def test_presence_and_registration_count_when_the_queue_says_so() -> None:
    machine = _machine({"201": "logged_in"})
    machine.handle(AgentPresent("201", False), 0.5)
    assert _rings(machine.handle(Arrived("c1", "x"), 1.0)) == []
    machine.handle(AgentReachable("201", False), 1.5)
    assert _rings(machine.handle(AgentPresent("201", True), 2.0)) == []
    assert _rings(machine.handle(AgentReachable("201", True), 3.0)) == [("c1", ("201",))]
    other = _machine({"201": "logged_in"}, presence_affects=False)
    other.handle(AgentPresent("201", False), 0.5)
    assert _rings(other.handle(Arrived("c1", "x"), 1.0)) == [("c1", ("201",))]


def test_no_answer_in_the_ring_time_offers_the_next_agent_and_counts_a_miss() -> None:
    machine = _machine(ring_seconds=20)
    machine.handle(Arrived("c1", "x"), 0.0)
    assert machine.next_due(1.0) == 20.0
    actions = machine.handle(Tick(), 20.0)
    # the first agent stops ringing and the second rings: the last word is the second
    assert _rings(actions) == [("c1", ()), ("c1", ("202",))]
    assert machine.agents["201"].missed_in_row == 1


def test_a_missed_agent_rests_before_being_offered_again() -> None:
    machine = _machine({"201": "logged_in"}, ring_seconds=10)
    machine.handle(Arrived("c1", "x"), 0.0)
    assert _rings(machine.handle(OfferFailed("c1"), 3.0)) == []
    assert machine.next_due(3.0) == 3.0 + REST_SECONDS
    assert _rings(machine.handle(Tick(), 3.0 + REST_SECONDS)) == [("c1", ("201",))]


def test_missed_offers_in_a_row_log_the_agent_out() -> None:
    machine = _machine({"201": "logged_in"}, missed_before_logout=2, ring_seconds=10)
    machine.handle(Arrived("c1", "x"), 0.0)
    machine.handle(Tick(), 10.0)
    actions = machine.handle(Tick(), 10.0 + REST_SECONDS)  # rings again
    assert _rings(actions) == [("c1", ("201",))]
    actions = machine.handle(Tick(), 20.0 + REST_SECONDS)
    assert SetAgentStatus("201", "logged_out", "missed") in actions
    assert machine.agents["201"].status == "logged_out"


def test_an_answer_resets_the_misses_and_wrap_up_follows_the_call() -> None:
    machine = _machine({"201": "logged_in"}, wrap_up_seconds=30)
    machine.handle(Arrived("c1", "x"), 0.0)
    machine.handle(OfferFailed("c1"), 1.0)
    machine.handle(Tick(), 1.0 + REST_SECONDS)
    machine.handle(Answered("c1", "201"), 8.0)
    assert machine.agents["201"].missed_in_row == 0
    machine.handle(Arrived("c2", "y"), 9.0)
    machine.handle(CallDone("c1"), 60.0)
    assert _rings(machine.handle(Tick(), 70.0)) == []  # still wrapping up
    assert machine.next_due(70.0) == 90.0
    assert _rings(machine.handle(Tick(), 90.0)) == [("c2", ("201",))]


def test_a_caller_who_hangs_up_is_logged_abandoned_and_stops_the_ringing() -> None:
    machine = _machine()
    machine.handle(Arrived("c1", "x", "Xavier"), 0.0)
    actions = machine.handle(Left("c1"), 7.0)
    assert _rings(actions) == [("c1", ())]
    [log] = [a for a in actions if isinstance(a, LogCall)]
    assert (log.outcome, log.caller_name, log.waited_s) == ("abandoned", "Xavier", 7.0)
    assert "c1" not in machine.callers
    assert machine.agents["201"].offered is None


def test_a_full_queue_is_busy_or_goes_to_its_overflow_number() -> None:
    machine = _machine({}, max_waiting=1)
    assert machine.handle(Arrived("c1", "x"), 0.0) == []
    actions = machine.handle(Arrived("c2", "y"), 1.0)
    assert actions[0] == Overflow("c2", "full", None)
    assert isinstance(actions[1], LogCall) and actions[1].overflow_reason == "full"
    forwarding = _machine({}, max_waiting=1, full_forward="204")
    forwarding.handle(Arrived("c1", "x"), 0.0)
    assert forwarding.handle(Arrived("c2", "y"), 1.0)[0] == Overflow("c2", "full", "204")


def test_the_longest_wait_makes_the_queue_full() -> None:
    machine = _machine({}, max_longest_wait_seconds=60)
    machine.handle(Arrived("c1", "x"), 0.0)
    assert machine.handle(Arrived("c2", "y"), 30.0) == []
    assert machine.handle(Arrived("c3", "z"), 61.0)[0] == Overflow("c3", "full", None)


def test_no_agents_logged_in_overflows_only_with_a_number() -> None:
    machine = _machine({}, no_agents_forward="204")
    assert machine.handle(Arrived("c1", "x"), 0.0)[0] == Overflow("c1", "no_agents", "204")
    waiting = _machine({})
    assert waiting.handle(Arrived("c1", "x"), 0.0) == []
    assert "c1" in waiting.callers


def test_waiting_too_long_goes_to_the_timeout_number() -> None:
    machine = _machine({}, max_wait_seconds=120, timeout_forward="204")
    machine.handle(Arrived("c1", "x"), 0.0)
    assert machine.next_due(0.0) == 30.0  # the first announcement comes first
    actions = machine.handle(Tick(), 120.0)
    assert Overflow("c1", "timeout", "204") in actions
    assert "c1" not in machine.callers
    keep = _machine({}, max_wait_seconds=120)  # no number: the caller keeps waiting
    keep.handle(Arrived("c1", "x"), 0.0)
    assert not any(isinstance(a, Overflow) for a in keep.handle(Tick(), 500.0))


def test_too_many_attempts_go_to_the_attempts_number() -> None:
    machine = _machine({"201": "logged_in"}, max_attempts=2, attempts_forward="205")
    machine.handle(Arrived("c1", "x"), 0.0)
    machine.handle(OfferFailed("c1"), 1.0)
    machine.handle(Tick(), 1.0 + REST_SECONDS)
    actions = machine.handle(OfferFailed("c1"), 10.0)
    assert Overflow("c1", "attempts", "205") in actions


def test_announcements_say_the_place_in_line_and_the_expected_wait() -> None:
    machine = _machine({"201": "logged_in"}, announce_every_seconds=30, announce_wait=True)
    machine.handle(Arrived("a", "x"), 0.0)
    machine.handle(Answered("a", "201"), 90.0)  # one answered wait of 90 s
    machine.handle(Arrived("c1", "x"), 100.0)
    machine.handle(Arrived("c2", "y"), 101.0)
    actions = machine.handle(Tick(), 131.0)
    announces = [a for a in actions if isinstance(a, Announce)]
    assert announces == [Announce("c1", 1, 2), Announce("c2", 2, 3)]
    silent = _machine({}, announce_position=False)
    silent.handle(Arrived("c1", "x"), 0.0)
    assert not any(isinstance(a, Announce) for a in silent.handle(Tick(), 31.0))


def test_an_agent_who_pauses_while_ringing_hands_the_caller_on() -> None:
    machine = _machine(parallel=1)
    machine.handle(Arrived("c1", "x"), 0.0)
    actions = machine.handle(AgentStatusSet("201", "paused"), 2.0)
    assert _rings(actions)[-1] == ("c1", ("202",))


def test_removing_a_member_withdraws_them() -> None:
    machine = _machine()
    machine.handle(Arrived("c1", "x"), 0.0)
    config = QueueConfig("1500", "Support", members=MEMBERS[1:])
    actions = machine.handle(Reconfigured(config), 1.0)
    assert "201" not in machine.agents
    assert _rings(actions)[-1] == ("c1", ("202",))


def test_the_live_view_lists_callers_in_order_and_the_agents() -> None:
    machine = _machine({"201": "logged_in", "202": "paused"})
    machine.handle(Arrived("c1", "x", "Xavier"), 0.0)
    machine.handle(Arrived("c2", "y"), 1.0)
    live = machine.live(2.0)
    assert [w.call_id for w in live.waiting] == ["c1", "c2"]
    assert live.waiting[0].ringing == ("201",)
    statuses = {a.extension: (a.status, a.available) for a in live.agents}
    assert statuses == {
        "201": ("logged_in", False),
        "202": ("paused", False),
        "203": ("logged_out", False),
    }


def test_a_caller_outside_the_opening_hours_goes_to_the_closed_number() -> None:
    machine = _machine(closed_forward="204")
    actions = machine.handle(Arrived("c1", "x", closed=True), 0.0)
    assert actions[0] == Overflow("c1", "closed", "204")
    assert "c1" not in machine.callers
    assert _rings(actions) == []


def test_an_answer_that_crosses_the_end_of_the_ring_time_still_connects() -> None:
    machine = _machine({"201": "logged_in"}, ring_seconds=10)
    machine.handle(Arrived("c1", "x"), 0.0)
    machine.handle(Tick(), 10.0)  # the ring time ran out ...
    actions = machine.handle(Answered("c1", "201"), 10.1)  # ... as the phone answered
    assert machine.callers["c1"].phase is Phase.CONNECTED
    assert [a.outcome for a in actions if isinstance(a, LogCall)] == ["answered"]
