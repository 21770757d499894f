"""F8: the number in messy clipboard texts, and texts that hold none."""

from __future__ import annotations

import pytest

from app.numbers import extract_number, is_extension

NUMBERS = [
    ("+31 (0)20-123 45 67", "+31201234567"),
    ("tel: 0045 33 12 34 56", "+4533123456"),
    ("tel:+31-20-555-0134", "+31205550134"),
    ("ext. 203", "203"),
    ("Chris Peters (toestel 203)", "203"),
    ("Call me at ext 2045 tomorrow", "2045"),
    ("203", "203"),
    ("  9000\n", "9000"),
    ("20 3", "203"),
    ("Bel me op 06-12345678!", "+31612345678"),
    ("0031201234567", "+31201234567"),
    ("(020) 7941200", "+31207941200"),
    ("020 - 555 0134", "+31205550134"),
    ("+1 (415) 555-2671", "+14155552671"),
    ("+44 (0)20 7946 0958", "+442079460958"),
    ("Lars Nielsen\nNordlys ApS\n+45 33 12 34 56 (office)\nlars@nordlys.example", "+4533123456"),
    ("mailto: a@b.nl, +44 20 7946 0958", "+442079460958"),
    ("sip:202@acme.local", "202"),
    ("Mobiel: 06 48 20 19 37, vast: 020 820 3040", "+31648201937"),
    ("\t+31\u00a020\u00a0555\u00a00134 ", "+31205550134"),
]

NO_NUMBER = [
    "",
    "   ",
    "hello",
    "1",
    "Meeting at 10:30 on 12 May 2024",
    "invoice 2024-06-18 total 1234.56",
    "Order no. 12345678",
    "version 1.2.3",
    "Room 12, floor 3",
    "https://example.com/path",
    "x" * 5000,
]


@pytest.mark.parametrize(("text", "number"), NUMBERS)
def test_number_is_found(text: str, number: str) -> None:
    assert extract_number(text) == number


@pytest.mark.parametrize("text", NO_NUMBER)
def test_no_number_gives_none(text: str) -> None:
    assert extract_number(text) is None


def test_default_region_decides_national_numbers() -> None:
    assert extract_number("020 7946 0958", default_region="GB") == "+442079460958"
    assert extract_number("33 12 34 56", default_region="dk") == "+4533123456"


def test_bad_region_is_refused() -> None:
    with pytest.raises(ValueError, match="default_region must be a two-letter country code: 'NLD'"):
        extract_number("203", default_region="NLD")


def test_is_extension() -> None:
    assert is_extension("20") and is_extension("123456")
    assert not is_extension("1") and not is_extension("1234567") and not is_extension("+203")
