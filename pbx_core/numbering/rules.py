"""Number conversion (P7, seed 004 "Nummerkonverteringer"): what a dialled number becomes.

A conversion matches numbers that start with its ``prefix`` followed by exactly ``digits`` digits
(any count when ``digits`` is None), optionally only where those digits fall in one of its
``ranges`` ("07-15": 207 to 215 with the prefix "2"), and replaces the prefix with ``rewrite``:
"20" followed by 1 digit, rewritten to "+458877317", turns 207 into +4588773177. Emergency numbers
(112, 114) are never converted. When several conversions match, the longest prefix wins, then the
first in the list.

The same conversions read backwards give each number its short forms (at most
:data:`SHORT_MAX` digits): +4533123456 is found in the directory by "656" when "6" followed by
2 digits becomes "+45331234". Pure: no store, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "EMERGENCY",
    "MAX_CONVERSIONS",
    "SHORT_MAX",
    "Conversion",
    "DigitRange",
    "conversion_from_dict",
    "conversion_to_dict",
    "conversions_from_list",
    "convert",
    "short_forms",
]

EMERGENCY: frozenset[str] = frozenset({"112", "114"})
"""Dialled as they are, whatever the conversions say (seed 004: 112 and 114)."""

MAX_CONVERSIONS = 200
SHORT_MAX = 6
"""A short number has at most this many digits (as extensions)."""

_PREFIX_SIGNS = frozenset("0123456789")
_REWRITE_SIGNS = frozenset("+0123456789")


@dataclass(frozen=True, slots=True)
class DigitRange:
    """The digits after the prefix, read as a number, from ``low`` to ``high`` (inclusive)."""

    low: int
    high: int

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"


@dataclass(frozen=True, slots=True)
class Conversion:
    """``prefix`` followed by ``digits`` digits (None: any count) becomes ``rewrite`` + digits."""

    prefix: str
    digits: int | None
    rewrite: str
    ranges: tuple[DigitRange, ...] = ()

    def __post_init__(self) -> None:
        if not self.prefix or not set(self.prefix) <= _PREFIX_SIGNS or len(self.prefix) > 15:
            raise ValueError("the prefix is 1 to 15 digits")
        if self.digits is not None and not 1 <= self.digits <= 15:
            raise ValueError("the digits that follow are 1 to 15")
        body = self.rewrite[1:] if self.rewrite.startswith("+") else self.rewrite
        if len(self.rewrite) > 16 or not set(self.rewrite) <= _REWRITE_SIGNS or "+" in body:
            raise ValueError("the rewrite is digits, with an optional + in front")
        if self.ranges and self.digits is None:
            raise ValueError("ranges need a count of digits")
        for r in self.ranges:
            if self.digits is not None and not 0 <= r.low <= r.high < 10**self.digits:
                raise ValueError(f"range {r} does not fit {self.digits} digits")

    def rest_of(self, dialled: str) -> str | None:
        """The digits after the prefix when ``dialled`` matches, else None."""
        if not dialled.startswith(self.prefix):
            return None
        rest = dialled[len(self.prefix) :]
        if not rest.isdigit() or not rest.isascii():
            return None
        if self.digits is not None and len(rest) != self.digits:
            return None
        if self.ranges and not any(r.low <= int(rest) <= r.high for r in self.ranges):
            return None
        return rest


def convert(dialled: str, conversions: Sequence[Conversion]) -> str:
    """What ``dialled`` becomes: the longest matching prefix's rewrite, or ``dialled`` itself."""
    if dialled in EMERGENCY or not dialled.isdigit():
        return dialled
    best: tuple[Conversion, str] | None = None
    for conversion in conversions:
        rest = conversion.rest_of(dialled)
        if rest is not None and (best is None or len(conversion.prefix) > len(best[0].prefix)):
            best = conversion, rest
    if best is None or not best[0].rewrite:  # no rewrite: the prefix stays as dialled
        return dialled
    return best[0].rewrite + best[1]


def short_forms(number: str, conversions: Sequence[Conversion]) -> tuple[str, ...]:
    """The short numbers (at most :data:`SHORT_MAX` digits) that ``number`` is dialled by."""
    found: list[str] = []
    for conversion in conversions:
        if conversion.digits is None or not conversion.rewrite:
            continue
        if len(conversion.prefix) + conversion.digits > SHORT_MAX:
            continue
        if not number.startswith(conversion.rewrite):
            continue
        short = conversion.prefix + number[len(conversion.rewrite) :]
        if short not in found and short not in EMERGENCY and convert(short, conversions) == number:
            found.append(short)
    return tuple(found)


def _range_from(text: object) -> DigitRange:
    if not isinstance(text, str) or text.count("-") != 1:
        raise ValueError(f"a range is written low-high, not {text!r}")
    low, high = (part.strip() for part in text.split("-"))
    if not (low.isdigit() and high.isdigit()) or int(low) > int(high):
        raise ValueError(f"a range is written low-high, not {text!r}")
    return DigitRange(int(low), int(high))


def conversion_from_dict(data: Mapping[str, object]) -> Conversion:
    """A conversion from its JSON form (``prefix``, ``digits``, ``rewrite``, ``ranges``)."""
    unknown = set(data) - {"prefix", "digits", "rewrite", "ranges"}
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r}")
    prefix, digits, rewrite = data.get("prefix"), data.get("digits"), data.get("rewrite", "")
    ranges = data.get("ranges", [])
    if not isinstance(prefix, str):
        raise ValueError("prefix is required (digits)")
    if digits is not None and (not isinstance(digits, int) or isinstance(digits, bool)):
        raise ValueError("digits is a whole number or null")
    if not isinstance(rewrite, str):
        raise ValueError("rewrite is text")
    if not isinstance(ranges, list):
        raise ValueError('ranges is a list such as ["07-15"]')
    return Conversion(prefix, digits, rewrite, tuple(_range_from(r) for r in ranges))


def conversion_to_dict(conversion: Conversion) -> dict[str, object]:
    width = conversion.digits or 0
    return {
        "prefix": conversion.prefix,
        "digits": conversion.digits,
        "rewrite": conversion.rewrite,
        "ranges": [f"{r.low:0{width}d}-{r.high:0{width}d}" for r in conversion.ranges],
    }


def conversions_from_list(raw: Iterable[Mapping[str, object]]) -> tuple[Conversion, ...]:
    """Every conversion of a list, or ValueError naming the first bad one (1-based)."""
    items = list(raw)
    if len(items) > MAX_CONVERSIONS:
        raise ValueError(f"at most {MAX_CONVERSIONS} conversions")
    out = []
    for index, item in enumerate(items, 1):
        try:
            out.append(conversion_from_dict(item))
        except ValueError as exc:
            raise ValueError(f"conversion {index}: {exc}") from exc
    return tuple(out)
