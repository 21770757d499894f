"""A queue's settings in their JSON form, and whether a queue fits the organisation
(pbx_core/acd/model.py, pbx_core/acd/validation.py): every refusal names what is wrong."""

from __future__ import annotations

import pytest

from pbx_core.acd.model import (
    OpenHours,
    QueueConfig,
    QueueMember,
    config_from_dict,
    config_to_dict,
)
from pbx_core.acd.validation import PBX_NUMBERS, queue_problem

USERS = frozenset({"201", "202", "203", "204", "205"})


def support(**changes: object) -> QueueConfig:
    body: dict[str, object] = {
        "number": "1500", "name": "Support", "code": "1500",
        "members": [{"extension": "202", "priority": 0}, {"extension": "201", "priority": 1}],
        "supervisors": ["203"],
    }  # fmt: skip
    body.update(changes)
    return config_from_dict(body)


def test_every_setting_comes_back_from_its_json_form() -> None:
    config = QueueConfig(
        number="1501", name="Sales", code="77", metadata="Sales NL", hidden_from_search=True,
        members=(QueueMember("201", 0, 5), QueueMember("204", 1, 3)), supervisors=("203",),
        strategy="skill", longest_idle=False, parallel=2, ring_seconds=15.0,
        wrap_up_seconds=0.0, missed_before_logout=None, presence_affects=False, max_waiting=4,
        max_longest_wait_seconds=120.0, full_forward="204", max_wait_seconds=600.0,
        timeout_forward="+31201234567", no_agents_forward="9101", max_attempts=6,
        attempts_forward="205", welcome=False, wait_music="ringing",
        announce_every_seconds=0.0, announce_position=False, announce_wait=True,
        hours=(OpenHours((0, 1, 2, 3, 4), "08:30", "17:00"),), closed_on_holidays=True,
        closed_forward="9101",
    )  # fmt: skip
    assert config_from_dict(config_to_dict(config)) == config


def test_settings_left_out_take_their_defaults() -> None:
    config = config_from_dict({"number": "1502", "name": "Helpdesk"})
    assert config == QueueConfig("1502", "Helpdesk")
    assert config.feature_code == "1502" and config.shown_name == "Helpdesk"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"number": "1"}, "number must be 2 to 15 digits"),
        ({"name": " "}, "name must not be empty"),
        ({"code": "15a"}, "code must be 1 to 8 digits"),
        ({"colour": "red"}, "unknown field colour"),
        ({"strategy": "random"}, "strategy must be priority or skill"),
        ({"members": [{"extension": "202"}, {"extension": "202"}]}, "member 202 is listed twice"),
        ({"members": [{"extension": "202", "skill": 6}]}, "skill must be a whole number"),
        ({"supervisors": "203"}, "supervisors must be a list of extensions"),
        ({"ring_seconds": 2}, "ring_seconds must be a number of seconds from 5 to 300"),
        ({"announce_every_seconds": 5}, "announce_every_seconds must be 0 (never) or at least"),
        ({"full_forward": "reception"}, "full_forward must be a phone number or extension"),
        ({"welcome": "yes"}, "welcome must be true or false"),
    ],
)
def test_a_bad_setting_is_named(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        support(**change)


def test_a_queue_of_users_with_a_free_number_and_code_fits() -> None:
    assert queue_problem(support(), USERS, []) is None
    replaced = support(name="Support NL")  # the stored one of the same number is replaced
    assert queue_problem(replaced, USERS, [support()]) is None


@pytest.mark.parametrize("number", ["7000", "7001", "7019", "8000", "8009", "9000", "9100"])
def test_the_pbxs_own_numbers_are_refused(number: str) -> None:
    assert number in PBX_NUMBERS
    problem = queue_problem(support(number=number, code=""), USERS, [])
    assert problem == f"{number} is one of the PBX's own numbers"


@pytest.mark.parametrize(
    ("change", "others", "problem"),
    [
        ({"number": "202", "code": ""}, [], "202 is a user's extension"),
        ({"members": [{"extension": "299"}]}, [], "member 299 is not a user's extension"),
        ({"supervisors": ["298"]}, [], "supervisor 298 is not a user's extension"),
        ({"full_forward": "1500"}, [], "full_forward must not be the queue itself"),
        ({"attempts_forward": "1500"}, [], "attempts_forward must not be the queue itself"),
        ({}, ["1501:1500"], "code 1500 is already the code of queue 1501"),
        ({"code": ""}, ["1501:1500"], "code 1500 is already the code of queue 1501"),
        ({"code": "1501"}, ["1501:"], "code 1501 is already the code of queue 1501"),
    ],
)
def test_what_does_not_fit_the_organisation_is_named(
    change: dict[str, object], others: list[str], problem: str
) -> None:
    existing = [
        config_from_dict({"number": n, "name": "Other", "code": c})
        for n, c in (o.split(":") for o in others)
    ]
    assert queue_problem(support(**change), USERS, existing) == problem
