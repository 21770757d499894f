"""A change of the user's own password (``PUT /api/v1/me/password``), told in plain words.

Pure: what the form checks before asking (both new fields alike, different from the current
one) and what the server's answer means for the user, in the app's language (the server names a
weak password's broken rules by code; see docs/api.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import AppError, ServerRejected
from app.stores._base import tr

__all__ = ["PasswordOutcome", "outcome_of", "rule_text", "typed_problems"]


@dataclass(frozen=True, slots=True)
class PasswordOutcome:
    """``changed``, or the sentences that say why not (every broken rule at once)."""

    changed: bool
    problems: tuple[str, ...] = ()


def rule_text(code: str) -> str | None:
    """The rule a weak password broke, in the app's language; None for a code not known here."""
    texts = {
        "too_short": tr("At least 8 characters."),
        "too_long": tr("At most 30 characters."),
        "no_digit": tr("At least one digit (0-9)."),
        "no_lower": tr("At least one lower case letter (a-z)."),
        "no_upper": tr("At least one upper case letter (A-Z)."),
        "no_special": tr("At least one special character, such as ! # $ % & * + - . : ; ? @ _"),
        "bad_character": tr("Only letters, digits and the special characters."),
    }
    return texts.get(code)


def typed_problems(current: str, new: str, repeated: str) -> tuple[str, ...]:
    """What is wrong with the form before it is sent; empty when it may be sent."""
    if not current or not new:
        return (tr("Fill in your current password and a new one."),)
    if new != repeated:
        return (tr("The new password and its repetition differ."),)
    if new == current:
        return (tr("The new password is the same as the current one."),)
    return ()


def outcome_of(error: AppError | None) -> PasswordOutcome:
    """What the server's answer (None: 204) means for the user."""
    if error is None:
        return PasswordOutcome(True)
    if isinstance(error, ServerRejected):
        if error.status == 403:
            return PasswordOutcome(False, (tr("Your current password is not right."),))
        if error.status == 429:
            return PasswordOutcome(
                False, (tr("Too many wrong passwords. Try again in a few minutes."),)
            )
        if error.status == 422 and error.codes:
            texts = [rule_text(code) for code in error.codes]
            if all(texts):
                heading = tr("The new password needs:")
                return PasswordOutcome(False, (heading, *(t for t in texts if t)))
    return PasswordOutcome(False, (str(error),))
