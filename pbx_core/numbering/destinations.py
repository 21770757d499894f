"""Allowed destinations (toll fraud, P7 number types): which outside numbers a user may call.

Every dialled number (after the number conversions) has a type: ``internal`` (an extension, a
service or a feature code: anything short or not a phone number), ``emergency`` (112, 114 and
what the region's plan calls emergency), and for E.164 numbers ``national`` or ``mobile`` (in the
organisation's country), ``international`` (another country) or ``premium`` (premium rate and
shared cost, e.g. 0900 in the Netherlands). Internal and emergency numbers are always allowed.
The rest is allowed as the caller's groups say: the lists of the user's department and user
groups together, or the organisation's default when none of their groups has a list. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

import phonenumbers
from phonenumbers import PhoneNumberType, shortnumberinfo

from pbx_core.numbering.rules import EMERGENCY

__all__ = [
    "DEFAULT_ALLOWED",
    "OUTSIDE_TYPES",
    "AllowedDestinations",
    "NumberType",
    "OutsideType",
    "allowed_from_dict",
    "allowed_to_dict",
    "number_type",
]

NumberType = Literal["internal", "emergency", "national", "mobile", "international", "premium"]
OutsideType = Literal["national", "mobile", "international", "premium"]
OUTSIDE_TYPES: tuple[OutsideType, ...] = get_args(OutsideType)

DEFAULT_ALLOWED: frozenset[OutsideType] = frozenset({"national", "mobile"})
"""Without any list: calls inside the country; abroad and premium rate need a group's list."""

_SHORT_MAX = 6
_PREMIUM = (PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST)


def number_type(number: str, region: str = "NL") -> NumberType:
    """The type of a dialled number as the PBX would send it out."""
    digits = number[1:] if number.startswith("+") else number
    if number in EMERGENCY or (
        digits.isdigit() and shortnumberinfo.is_emergency_number(number, region)
    ):
        return "emergency"
    if not digits.isdigit() or (not number.startswith("+") and len(digits) <= _SHORT_MAX):
        return "internal"
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return "international"  # not a number of any plan we know: treated as the dearest
    if phonenumbers.region_code_for_number(parsed) != region.upper():
        return "international"
    kind = phonenumbers.number_type(parsed)
    if kind in _PREMIUM:
        return "premium"
    if kind == PhoneNumberType.MOBILE:
        return "mobile"
    return "national"


@dataclass(frozen=True, slots=True)
class AllowedDestinations:
    """The organisation's default list and the lists of some groups (departments or user
    groups); a user may call what any of their groups' lists allows."""

    default: frozenset[OutsideType] = DEFAULT_ALLOWED
    groups: Mapping[str, frozenset[OutsideType]] = field(default_factory=dict)

    def allowed_for(self, groups: Iterable[str]) -> frozenset[OutsideType]:
        lists = [self.groups[g] for g in groups if g in self.groups]
        return frozenset().union(*lists) if lists else self.default

    def refusal(self, groups: Iterable[str], number: str, region: str) -> OutsideType | None:
        """The type that keeps a caller of ``groups`` from calling ``number``; None: allowed."""
        kind = number_type(number, region)
        allowed = self.allowed_for(groups)
        return next((t for t in OUTSIDE_TYPES if t == kind and t not in allowed), None)


def _types(value: object, where: str) -> frozenset[OutsideType]:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ValueError(f"{where}: a list of number types")
    unknown = sorted(set(value) - set(OUTSIDE_TYPES))
    if unknown:
        raise ValueError(f"{where}: unknown number type {unknown[0]!r} (one of {OUTSIDE_TYPES})")
    return frozenset(t for t in OUTSIDE_TYPES if t in value)


def allowed_from_dict(data: Mapping[str, object]) -> AllowedDestinations:
    """From ``{"default": [types], "groups": {"Sales": [types]}}``; ValueError names the fault."""
    unknown = set(data) - {"default", "groups"}
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r}")
    default = _types(data.get("default", sorted(DEFAULT_ALLOWED)), "default")
    raw_groups = data.get("groups", {})
    if not isinstance(raw_groups, Mapping):
        raise ValueError("groups: an object of group name to a list of number types")
    groups: dict[str, frozenset[OutsideType]] = {}
    for name, types in raw_groups.items():
        if not isinstance(name, str) or not name.strip() or len(name) > 64:
            raise ValueError("groups: a group's name is 1 to 64 characters")
        groups[name] = _types(types, f"group {name!r}")
    return AllowedDestinations(default, groups)


def allowed_to_dict(allowed: AllowedDestinations) -> dict[str, object]:
    def ordered(types: frozenset[OutsideType]) -> list[str]:
        return [t for t in OUTSIDE_TYPES if t in types]

    return {
        "default": ordered(allowed.default),
        "groups": {name: ordered(types) for name, types in sorted(allowed.groups.items())},
    }
