"""The replay decision: what a reconnecting client missed, or why it must reload."""

from __future__ import annotations

import json

import pytest

from server.event_log import EventLog, Resync

EVERYONE = None


def _log(capacity: int, *audiences: frozenset[str] | None) -> EventLog:
    log = EventLog(capacity, epoch="e1")
    for seq, audience in enumerate(audiences, start=1):
        log.record(seq, f"m{seq}", audience)
    return log


def test_the_events_after_since_in_order() -> None:
    log = _log(10, EVERYONE, EVERYONE, EVERYONE, EVERYONE)
    assert log.after(1, "201") == ["m2", "m3", "m4"]
    assert log.after(0, "201") == ["m1", "m2", "m3", "m4"]


def test_nothing_missed_is_an_empty_replay() -> None:
    assert _log(10, EVERYONE, EVERYONE).after(2, "201") == []
    assert EventLog(10, epoch="e1").after(0, "201") == []


def test_only_the_events_for_that_user() -> None:
    log = _log(10, EVERYONE, frozenset({"202", "203"}), frozenset({"201", "202"}), EVERYONE)
    assert log.after(0, "201") == ["m1", "m3", "m4"]
    assert log.after(0, "203") == ["m1", "m2", "m4"]
    assert log.after(0, None) == ["m1", "m4"]


def test_since_older_than_what_is_kept_is_too_old() -> None:
    log = _log(3, *[EVERYONE] * 6)  # keeps 4, 5, 6
    assert log.after(3, "201") == ["m4", "m5", "m6"], "the last one seen is not needed"
    assert log.after(2, "201") == Resync("too old", 6, "e1")


def test_a_log_that_keeps_nothing_can_only_say_nothing_missed() -> None:
    log = _log(0, EVERYONE, EVERYONE)
    assert log.after(2, "201") == []
    assert log.after(1, "201") == Resync("too old", 2, "e1")


def test_since_ahead_of_the_server_means_it_restarted() -> None:
    assert _log(10, EVERYONE).after(5, "201") == Resync("server restarted", 1, "e1")


def test_another_epoch_means_it_restarted() -> None:
    log = _log(10, EVERYONE, EVERYONE, EVERYONE)
    assert log.after(1, "201", "e0") == Resync("server restarted", 3, "e1")
    assert log.after(1, "201", "e1") == ["m2", "m3"]


def test_asking_changes_nothing() -> None:
    log = _log(10, EVERYONE, EVERYONE)
    assert log.after(0, "201") == log.after(0, "201") == ["m1", "m2"]
    assert log.last_seq == 2


def test_numbers_come_one_by_one() -> None:
    log = _log(10, EVERYONE)
    with pytest.raises(ValueError, match=r"^event 3 does not follow event 1$"):
        log.record(3, "m3", EVERYONE)


def test_a_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^event buffer size must not be negative$"):
        EventLog(-1)


def test_the_resync_message() -> None:
    assert json.loads(Resync("too old", 9, "e1").message()) == {
        "seq": 9,
        "type": "resync",
        "data": {"reason": "too old", "epoch": "e1"},
    }


def test_many_calls_of_events_keep_only_the_capacity() -> None:
    log = EventLog(50, epoch="e1")
    for seq in range(1, 20_001):  # about 2,000 calls' worth
        log.record(seq, f"m{seq}", frozenset({"201"}) if seq % 2 else EVERYONE)
    assert log.after(19_950, None) == [f"m{seq}" for seq in range(19_952, 20_001, 2)]
    assert log.after(19_950, "201") == [f"m{seq}" for seq in range(19_951, 20_001)]
    assert log.after(19_949, "201") == Resync("too old", 20_000, "e1")
