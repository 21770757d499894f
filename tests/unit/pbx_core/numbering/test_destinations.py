"""Allowed destinations: number types in the organisation's country, and which types a caller's
groups may call (extensions and emergency numbers always)."""

from __future__ import annotations

import pytest

from pbx_core.numbering.destinations import (
    AllowedDestinations,
    allowed_from_dict,
    allowed_to_dict,
    number_type,
)


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("202", "internal"),
        ("*9*202*", "internal"),
        ("9000", "internal"),
        ("112", "emergency"),
        ("114", "emergency"),
        ("+31201234567", "national"),
        ("+31612345678", "mobile"),
        ("+31900123456", "premium"),
        ("+4533123456", "international"),
        ("+442071234567", "international"),
        ("+999123456789", "international"),
    ],
)
def test_number_types_in_the_netherlands(number: str, kind: str) -> None:
    assert number_type(number, "NL") == kind


def test_the_country_decides_what_is_national() -> None:
    assert number_type("+4533123456", "DK") == "national"
    assert number_type("+31201234567", "DK") == "international"


def test_a_user_may_call_what_any_of_their_groups_allows_else_the_default() -> None:
    allowed = AllowedDestinations(
        frozenset({"national"}),
        {"Sales": frozenset({"international"}), "Night desk": frozenset({"mobile"})},
    )
    assert allowed.refusal(["Support"], "+31612345678", "NL") == "mobile"
    assert allowed.refusal(["Support"], "+31201234567", "NL") is None
    assert allowed.refusal(["Sales"], "+4533123456", "NL") is None
    assert allowed.refusal(["Sales"], "+31201234567", "NL") == "national"  # the group's list only
    assert allowed.refusal(["Sales", "Night desk"], "+31612345678", "NL") is None
    assert allowed.refusal([], "+31900123456", "NL") == "premium"


def test_extensions_and_emergency_numbers_are_always_allowed() -> None:
    nothing = AllowedDestinations(frozenset())
    assert nothing.refusal([], "202", "NL") is None
    assert nothing.refusal([], "112", "NL") is None


def test_the_json_form_round_trips_in_a_fixed_order() -> None:
    data = {"default": ["mobile", "national"], "groups": {"Sales": ["international", "mobile"]}}
    parsed = allowed_from_dict(data)
    assert allowed_to_dict(parsed) == {
        "default": ["national", "mobile"],
        "groups": {"Sales": ["mobile", "international"]},
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"default": ["abroad"]}, "unknown number type 'abroad'"),
        ({"default": "national"}, "a list of number types"),
        ({"groups": {"Sales": ["moon"]}}, "group 'Sales'"),
        ({"groups": {"": ["national"]}}, "1 to 64 characters"),
        ({"extra": 1}, "unknown field"),
    ],
)
def test_bad_lists_are_refused_with_a_reason(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        allowed_from_dict(data)
