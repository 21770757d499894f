from __future__ import annotations

import pytest

from pbx_core import password_policy as pp
from pbx_core.demo import DEMO_USERS, demo_password


@pytest.mark.parametrize(
    "password",
    [
        "Demo-201!",
        "Abcdef1!",
        "A1b" + "c" * 26 + "~",
        "Zz9\\`,.;",
        *(f"Passw0rd{c}" for c in pp.SPECIAL_CHARACTERS),
    ],
)
def test_acceptable_passwords(password: str) -> None:
    assert pp.check_password(password) == []
    pp.require_valid_password(password)


def test_demo_passwords_satisfy_the_policy() -> None:
    for user in DEMO_USERS:
        assert pp.check_password(demo_password(user.extension)) == []


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("Ab1!xyz", [pp.TOO_SHORT]),
        ("Ab1!" + "x" * 27, [pp.TOO_LONG]),
        ("Abcdefg!", [pp.NO_DIGIT]),
        ("ABCDEF1!", [pp.NO_LOWER]),
        ("abcdef1!", [pp.NO_UPPER]),
        ("Abcdef12", [pp.NO_SPECIAL]),
        ("Abcdef1! é", [pp.BAD_CHARACTER]),
        ('Abcdef1"', [pp.NO_SPECIAL, pp.BAD_CHARACTER]),
        ("", [pp.TOO_SHORT, pp.NO_DIGIT, pp.NO_LOWER, pp.NO_UPPER, pp.NO_SPECIAL]),
        ("abc", [pp.TOO_SHORT, pp.NO_DIGIT, pp.NO_UPPER, pp.NO_SPECIAL]),
    ],
)
def test_every_broken_rule_is_reported(password: str, problems: list[str]) -> None:
    assert pp.check_password(password) == problems
    with pytest.raises(pp.PasswordPolicyError) as raised:
        pp.require_valid_password(password)
    assert raised.value.problems == problems


def test_messages_are_plain_sentences() -> None:
    assert pp.TOO_SHORT == "the password must be at least 8 characters long"
    assert pp.TOO_LONG == "the password must be at most 30 characters long"
    assert pp.NO_SPECIAL.endswith("! # $ % & ( ) * + - . / : ; < = > ? @ [ ] ^ _ { | } ~ \\ ` ,")


def test_length_bounds_are_inclusive() -> None:
    assert pp.check_password("Ab1!" + "x" * 4) == []
    assert pp.check_password("Ab1!" + "x" * 26) == []
