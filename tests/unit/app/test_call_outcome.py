"""Every way a call ends maps to one outcome, and every outcome has translated words."""

from __future__ import annotations

import pytest

from app.call_outcome import FAILED, Outcome, outcome_of_record, outcome_of_sip
from app.outcome_text import is_failed, outcome_label, outcome_sentence


@pytest.mark.parametrize(
    ("code", "rang", "expected"),
    [
        (404, False, "not_found"),
        (484, False, "not_found"),
        (604, False, "not_found"),
        (480, False, "not_signed_in"),
        (480, True, "no_answer"),
        (408, True, "no_answer"),
        (408, False, "unreachable"),
        (486, True, "busy"),
        (600, False, "busy"),
        (603, True, "declined"),
        (487, True, "cancelled"),
        (403, False, "refused"),
        (407, False, "refused"),
        (488, False, "no_common_audio"),
        (503, False, "unreachable"),
        (0, False, "unreachable"),
        (500, False, "server_error"),
        (502, True, "server_error"),
        (415, False, "failed"),
    ],
)
def test_outgoing_unanswered(code: int, rang: bool, expected: Outcome) -> None:
    assert outcome_of_sip(code, incoming=False, answered=False, rang=rang) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [(487, "caller_gave_up"), (603, "you_declined"), (486, "you_declined"), (200, "missed")],
)
def test_incoming_unanswered(code: int, expected: Outcome) -> None:
    assert outcome_of_sip(code, incoming=True, answered=False) == expected


def test_answered_calls_complete_unless_the_connection_broke() -> None:
    assert outcome_of_sip(200, incoming=False, answered=True) == "completed"
    assert outcome_of_sip(487, incoming=True, answered=True) == "completed"
    assert outcome_of_sip(408, incoming=False, answered=True) == "connection_lost"
    assert outcome_of_sip(503, incoming=True, answered=True) == "connection_lost"


@pytest.mark.parametrize(
    ("direction", "answered", "reason", "expected"),
    [
        ("outgoing", True, "hangup", "completed"),
        ("incoming", True, "hangup", "completed"),
        ("outgoing", False, "not-found", "not_found"),
        ("outgoing", False, "not-registered", "not_signed_in"),
        ("outgoing", False, "busy", "busy"),
        ("outgoing", False, "unavailable", "busy"),
        ("outgoing", False, "declined", "declined"),
        ("outgoing", False, "no-answer", "no_answer"),
        ("outgoing", False, "cancelled", "cancelled"),
        ("outgoing", False, "no-ack", "connection_lost"),
        ("outgoing", False, "", "no_answer"),
        ("outgoing", False, "something-new", "failed"),
        ("missed", False, "cancelled", "caller_gave_up"),
        ("missed", False, "busy", "you_declined"),
        ("missed", False, "declined", "you_declined"),
        ("missed", False, "not-registered", "you_not_signed_in"),
        ("missed", False, "no-answer", "missed"),
        ("missed", False, "unavailable", "missed"),
    ],
)
def test_history_records(direction: str, answered: bool, reason: str, expected: Outcome) -> None:
    assert outcome_of_record(direction, answered, reason) == expected


def test_sentences_name_the_other_party_and_the_number() -> None:
    assert outcome_sentence("not_found", "999", "999") == "Number 999 does not exist"
    assert (
        outcome_sentence("not_signed_in", "Chris Bakker", "204")
        == "Chris Bakker is not signed in on any phone"
    )
    assert (
        outcome_sentence("caller_gave_up", "Bram Jansen", "202")
        == "Bram Jansen hung up before you answered"
    )
    assert outcome_label("busy") == "Busy"


def test_every_outcome_has_words() -> None:
    outcomes: tuple[Outcome, ...] = Outcome.__args__  # type: ignore[attr-defined]
    for outcome in outcomes:
        assert "{" not in outcome_sentence(outcome, "Bram", "202")
        assert outcome_label(outcome) or outcome == "completed"
        assert is_failed(outcome) == (outcome in FAILED)
    assert not is_failed("missed") and not is_failed(None) and is_failed("busy")
