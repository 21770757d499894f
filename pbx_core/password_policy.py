"""The password policy of user accounts (feature P1): what a new password must contain.

8 to 30 characters with at least one digit, one lower case letter, one upper case letter and one
special character from the set the user administration names (``SPECIAL_CHARACTERS``). A check
returns every rule a password breaks, as plain English sentences, so a form can show them all at
once rather than one per attempt, each with a short code (``RULES``) a client shows in its own
language. Pure: no I/O, used wherever a password is set.
"""

from __future__ import annotations

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "RULES",
    "SPECIAL_CHARACTERS",
    "PasswordPolicyError",
    "broken_rules",
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
NO_SPECIAL = "the password must contain at least one special character: " + " ".join(
    SPECIAL_CHARACTERS
)
BAD_CHARACTER = (
    "the password may contain only letters, digits and the special characters "
    + " ".join(SPECIAL_CHARACTERS)
)


RULES: dict[str, str] = {
    "too_short": TOO_SHORT,
    "too_long": TOO_LONG,
    "no_digit": NO_DIGIT,
    "no_lower": NO_LOWER,
    "no_upper": NO_UPPER,
    "no_special": NO_SPECIAL,
    "bad_character": BAD_CHARACTER,
}
"""Each rule's code (the API's ``codes``, a contract) and its sentence, in checking order."""


class PasswordPolicyError(ValueError):
    """A new password breaks the policy; ``problems`` lists every broken rule, ``codes`` their
    codes in the same order."""

    def __init__(self, problems: list[str], codes: list[str] | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.codes = codes or [c for c, text in RULES.items() if text in problems]


def broken_rules(password: str) -> list[str]:
    """The codes of every rule ``password`` breaks, in a fixed order; empty when acceptable."""
    broken: list[str] = []
    if len(password) < MIN_LENGTH:
        broken.append("too_short")
    if len(password) > MAX_LENGTH:
        broken.append("too_long")
    if not any(c in "0123456789" for c in password):
        broken.append("no_digit")
    if not any("a" <= c <= "z" for c in password):
        broken.append("no_lower")
    if not any("A" <= c <= "Z" for c in password):
        broken.append("no_upper")
    if not any(c in SPECIAL_CHARACTERS for c in password):
        broken.append("no_special")
    if any(not _allowed(c) for c in password):
        broken.append("bad_character")
    return broken


def check_password(password: str) -> list[str]:
    """Every rule ``password`` breaks, in a fixed order; empty when it is acceptable."""
    return [RULES[code] for code in broken_rules(password)]


def require_valid_password(password: str) -> None:
    """Raise :class:`PasswordPolicyError` unless ``password`` satisfies the policy."""
    codes = broken_rules(password)
    if codes:
        raise PasswordPolicyError([RULES[code] for code in codes], codes)


def _allowed(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in SPECIAL_CHARACTERS)
