"""Phone numbers for reading: national format in the user's region, international otherwise.

``+31201234567`` reads ``020 123 4567`` for a user in the Netherlands and ``+31 20 123 4567``
elsewhere; internal extensions (2 to 6 digits) and anything ``phonenumbers`` cannot parse are
shown as they are.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberFormat

from app.numbers import is_extension

__all__ = ["display_number"]


def display_number(number: str, region: str = "NL") -> str:
    """``number`` (E.164, national or an extension) formatted for reading in ``region``."""
    text = number.strip()
    if not text or is_extension(text) or len(region) != 2:
        return text
    try:
        parsed = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(parsed):
        return text
    home = phonenumbers.region_code_for_number(parsed) == region.upper()
    fmt = PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL
    return str(phonenumbers.format_number(parsed, fmt))
