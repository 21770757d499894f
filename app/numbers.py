"""Find the phone number in text from the clipboard (F8) or typed in the dialer.

Numbers are normalised to E.164 with ``phonenumbers`` (``PhoneNumberMatcher``, VALID leniency,
the user's default region for national forms such as ``020-123 45 67``); the international
prefix (``0045 …``), the Dutch/UK ``(0)`` trunk notation and ``tel:`` URIs (RFC 3966) are
understood. Internal extensions (2 to 6 digits) are kept as dialled when the text is just the
extension or names it (``ext. 203``, ``toestel 203``).
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

__all__ = ["extract_number", "is_extension"]

_MAX_TEXT = 2000
_EXTENSION = re.compile(r"^\d{2,6}$")
_EXT_NAMED = re.compile(
    r"(?:\b(?:ext|extension|extn|x|toestel|tst|intern|internal|tel|phone|bel|call)\b\.?"
    r"|\bext\.|#)\s*[:.]?\s*(\d{2,6})\b",
    re.IGNORECASE,
)
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/]{5,}$")
_TEL_URI = re.compile(r"\btel:\s*", re.IGNORECASE)
_SIP_USER = re.compile(r"\bsips?:(\+?\d{2,15})@", re.IGNORECASE)


def is_extension(text: str) -> bool:
    """True for an internal extension: 2 to 6 digits, nothing else."""
    return _EXTENSION.fullmatch(text) is not None


def extract_number(text: str, default_region: str = "NL") -> str | None:
    """The first phone number in ``text``: E.164, or a short extension as dialled; else None."""
    if len(default_region) != 2:
        raise ValueError(f"default_region must be a two-letter country code: {default_region!r}")
    region = default_region.upper()
    cleaned = _TEL_URI.sub(" ", text[:_MAX_TEXT]).strip()
    if not cleaned:
        return None
    sip_user = _SIP_USER.search(cleaned)
    if sip_user is not None:
        cleaned = sip_user.group(1)
    compact = re.sub(r"[\s\-.]", "", cleaned)
    if is_extension(compact):
        return compact
    for match in PhoneNumberMatcher(cleaned, region, leniency=Leniency.VALID):
        return phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
    if _PHONE_CHARS.fullmatch(cleaned):
        possible = _parse_possible(cleaned, region)
        if possible is not None:
            return possible
    named = _EXT_NAMED.search(cleaned)
    if named is not None:
        return named.group(1)
    return None


def _parse_possible(text: str, region: str) -> str | None:
    """A text made only of number characters that is a possible (if unassigned) number."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
