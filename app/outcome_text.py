"""The words for each call outcome (:data:`app.call_outcome.Outcome`), translated.

One sentence for the call window and the history details, one short label for a history row.
"""

from __future__ import annotations

from app.call_outcome import FAILED, Outcome
from app.stores._base import tr

__all__ = ["is_failed", "outcome_label", "outcome_sentence"]


def is_failed(outcome: Outcome | None) -> bool:
    """The call did not work (shown in red with its reason)."""
    return outcome in FAILED


def outcome_sentence(outcome: Outcome, who: str, number: str) -> str:
    """The sentence for the call window and the details: ``who`` is the name or the number."""
    texts: dict[Outcome, str] = {
        "completed": tr("Call ended"),
        "not_found": tr("Number {number} does not exist"),
        "not_signed_in": tr("{who} is not signed in on any phone"),
        "busy": tr("{who} is busy"),
        "declined": tr("{who} declined the call"),
        "no_answer": tr("{who} did not answer"),
        "cancelled": tr("You hung up before {who} answered"),
        "caller_gave_up": tr("{who} hung up before you answered"),
        "you_declined": tr("You declined the call"),
        "you_not_signed_in": tr("You were not signed in on any phone"),
        "missed": tr("Missed call"),
        "refused": tr("The phone system refused this call"),
        "unreachable": tr("The phone system could not be reached. Check your network."),
        "server_error": tr("The phone system had a problem with this call. Try again."),
        "no_common_audio": tr("The other phone cannot handle our audio formats"),
        "connection_lost": tr("The connection was lost"),
        "failed": tr("The call did not go through"),
    }
    return texts[outcome].format(who=who, number=number)


def outcome_label(outcome: Outcome) -> str:
    """A short label for a history row."""
    texts: dict[Outcome, str] = {
        "completed": "",
        "not_found": tr("Number does not exist"),
        "not_signed_in": tr("Not signed in"),
        "busy": tr("Busy"),
        "declined": tr("Declined"),
        "no_answer": tr("No answer"),
        "cancelled": tr("Cancelled"),
        "caller_gave_up": tr("Hung up before you answered"),
        "you_declined": tr("Declined"),
        "you_not_signed_in": tr("You were not signed in"),
        "missed": tr("Missed call"),
        "refused": tr("Refused"),
        "unreachable": tr("Network problem"),
        "server_error": tr("Phone system error"),
        "no_common_audio": tr("No common audio format"),
        "connection_lost": tr("Connection lost"),
        "failed": tr("Failed"),
    }
    return texts[outcome]
