"""The password policy of user accounts (feature P1): what a new password must contain.

8 to 30 characters with at least one digit, one lower case letter, one upper case letter and one
special character from the set the user administration names (``SPECIAL_CHARACTERS``). A check
returns every rule a password breaks, as plain English sentences, so a form can show them all at
once rather than one per attempt. Pure: no I/O, used wherever a password is set.
"""

from __future__ import annotations

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "SPECIAL_CHARACTERS",
    "PasswordPolicyError",
    "check_password",
    "require_valid_password",
]

MIN_LENGTH = 8
MAX_LENGTH = 30
SPECIAL_CHARACTERS = "!#$%&()*+-./:;<=>?@[]^_{|}~\\`,"

TOO_SHORT = f"the password must be at least {MIN_LENGTH} characters long"
TOO_LONG = f"the password must be at most {MAX_LENGTH} characters long"
NO_DIGIT = "the password must contain at least one digit (0-9)"
NO_LOWER = "the password must contain at least one lower case letter (a-z)"
NO_UPPER = "the password must contain at least one upper case letter (A-Z)"
NO_SPECIAL = (
    "the password must contain at least one special character: " + " ".join(SPECIAL_CHARACTERS)
)
BAD_CHARACTER = (
    "the password may contain only letters, digits and the special characters "
    + " ".join(SPECIAL_CHARACTERS)
)


class PasswordPolicyError(ValueError):
    """A new password breaks the policy; ``problems`` lists every broken rule."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check_password(password: str) -> list[str]:
    """Every rule ``password`` breaks, in a fixed order; empty when it is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(TOO_SHORT)
    if len(password) > MAX_LENGTH:
        problems.append(TOO_LONG)
    if not any(c in "0123456789" for c in password):
        problems.append(NO_DIGIT)
    if not any("a" <= c <= "z" for c in password):
        problems.append(NO_LOWER)
    if not any("A" <= c <= "Z" for c in password):
        problems.append(NO_UPPER)
    if not any(c in SPECIAL_CHARACTERS for c in password):
        problems.append(NO_SPECIAL)
    if any(not _allowed(c) for c in password):
        problems.append(BAD_CHARACTER)
    return problems


def require_valid_password(password: str) -> None:
    """Raise :class:`PasswordPolicyError` unless ``password`` satisfies the policy."""
    problems = check_password(password)
    if problems:
        raise PasswordPolicyError(problems)


def _allowed(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in SPECIAL_CHARACTERS)
