"""Number conversions (P7): matching by prefix, digit count and ranges; the longest prefix wins;
emergency numbers untouched; short forms are the conversions read backwards."""

from __future__ import annotations

import pytest

from pbx_core.numbering.rules import (
    Conversion,
    DigitRange,
    conversion_from_dict,
    conversion_to_dict,
    conversions_from_list,
    convert,
    short_forms,
)

SEED_EXAMPLE = Conversion("20", 1, "+458877317")  # seed 004: "20X" -> "+458877317X"
NATIONAL = Conversion("0", 9, "+31")
INTERNATIONAL = Conversion("00", None, "+")


def test_the_seeds_example_rewrites_the_prefix() -> None:
    assert convert("207", [SEED_EXAMPLE]) == "+4588773177"


def test_the_count_of_digits_must_be_exact() -> None:
    assert convert("20", [SEED_EXAMPLE]) == "20"
    assert convert("2071", [SEED_EXAMPLE]) == "2071"


def test_ranges_limit_the_digits_after_the_prefix() -> None:
    rule = Conversion("2", 2, "+4520", (DigitRange(7, 15), DigitRange(17, 29)))
    assert convert("207", [rule]) == "+452007"
    assert convert("215", [rule]) == "+452015"
    assert convert("216", [rule]) == "216"
    assert convert("229", [rule]) == "+452029"
    assert convert("206", [rule]) == "206"


def test_the_longest_prefix_wins_whatever_the_order() -> None:
    assert convert("0031201234567", [NATIONAL, INTERNATIONAL]) == "+31201234567"
    assert convert("0201234567", [INTERNATIONAL, NATIONAL]) == "+31201234567"


def test_emergency_numbers_and_feature_codes_are_never_converted() -> None:
    everything = Conversion("1", 2, "+451")
    assert convert("112", [everything]) == "112"
    assert convert("114", [everything]) == "114"
    assert convert("113", [everything]) == "+45113"
    assert convert("*9*202*", [Conversion("0", None, "+")]) == "*9*202*"


def test_no_rewrite_keeps_the_number_as_dialled() -> None:
    assert convert("1813", [Conversion("1", 3, "")]) == "1813"


def test_short_forms_read_the_conversions_backwards() -> None:
    rules = [Conversion("6", 2, "+45331234"), NATIONAL, INTERNATIONAL, SEED_EXAMPLE]
    assert short_forms("+4533123456", rules) == ("656",)
    assert short_forms("+4588773177", rules) == ("207",)
    assert short_forms("+31201234567", rules) == ()  # 0201234567 is no short number
    assert short_forms("+4533123499", [Conversion("6", 2, "+45331234", (DigitRange(0, 59),))]) == ()


def test_a_short_form_that_a_longer_prefix_takes_elsewhere_is_not_one() -> None:
    rules = [Conversion("6", 2, "+45331234"), Conversion("65", 1, "+4520")]
    assert short_forms("+4533123456", rules) == ()
    assert short_forms("+45206", rules) == ("656",)


def test_the_json_form_round_trips_with_leading_zeros_in_ranges() -> None:
    data = {"prefix": "2", "digits": 2, "rewrite": "+4520", "ranges": ["07-15"]}
    rule = conversion_from_dict(data)
    assert rule.ranges == (DigitRange(7, 15),)
    assert conversion_to_dict(rule) == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"prefix": "", "digits": 1}, "prefix"),
        ({"prefix": "2a", "digits": 1}, "prefix"),
        ({"prefix": "2", "digits": 0}, "digits"),
        ({"prefix": "2", "digits": True}, "digits"),
        ({"prefix": "2", "digits": 1, "rewrite": "+45+1"}, "rewrite"),
        ({"prefix": "2", "digits": None, "ranges": ["1-2"]}, "ranges need"),
        ({"prefix": "2", "digits": 1, "ranges": ["5-3"]}, "low-high"),
        ({"prefix": "2", "digits": 1, "ranges": ["0-10"]}, "does not fit"),
        ({"prefix": "2", "digits": 1, "colour": "red"}, "unknown field"),
    ],
)
def test_bad_conversions_are_refused_with_a_reason(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        conversion_from_dict(data)


def test_a_list_names_its_first_bad_conversion() -> None:
    with pytest.raises(ValueError, match="conversion 2: "):
        conversions_from_list([{"prefix": "1", "digits": 1}, {"prefix": "x"}])
