"""Reconnect backoff: doubling, capped, reset after success."""

from __future__ import annotations

import pytest

from app.backoff import Backoff


def test_delays_double_up_to_the_cap_and_reset() -> None:
    backoff = Backoff(first=0.5, factor=2.0, cap=4.0)
    assert [backoff.next_delay() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert backoff.attempts == 6
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_jitter_stretches_but_never_passes_the_cap() -> None:
    backoff = Backoff(first=1.0, cap=3.0, jitter=lambda: 1.0)
    assert [backoff.next_delay() for _ in range(3)] == [1.25, 2.5, 3.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"first": 0.0}, "backoff needs 0 < first <= cap"),
        ({"first": 5.0, "cap": 1.0}, "backoff needs 0 < first <= cap"),
        ({"factor": 0.5}, "backoff factor must be at least 1"),
    ],
)
def test_bad_parameters_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Backoff(**kwargs)
