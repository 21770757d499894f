"""CSV and vCard: round trips, the template, and broken files rejected with line numbers."""

from __future__ import annotations

import pytest

from pbx_core.contacts import (
    TEMPLATE,
    ContactDraft,
    ImportRejectedError,
    Number,
    RejectedRow,
    detect_format,
    parse_csv,
    parse_vcards,
    write_csv,
    write_vcards,
)

DRAFTS = [
    ContactDraft(
        "Jan de Boer",
        "Boer Installatie BV",
        "Sales",
        "Account manager",
        "jan@boer.example",
        "Dorpsstraat 1, 1234 AB Ons Dorp",
        (Number("mobile", "+31612345678"), Number("work", "+31201234567")),
        "vip",
    ),
    ContactDraft("Kim", numbers=(Number("other", "204"),), type="blocked"),
    ContactDraft(
        'Søren Ærø, "the Dane"',
        company="Nordlys; ApS",
        numbers=(
            Number("work", "+4533123456"),
            Number("work", "+4533123457"),
            Number("home", "+4520123456"),
        ),
        type="favourite",
    ),
    ContactDraft("Nobody Special"),
]


def test_csv_round_trip_keeps_every_field_and_the_primary_number() -> None:
    text = write_csv(DRAFTS)
    assert text.splitlines()[0] == (
        "name,company,department,job_title,email,address,work,mobile,home,other,primary,type"
    )
    assert parse_csv(text) == DRAFTS


def test_the_csv_template_is_an_importable_example() -> None:
    (draft,) = parse_csv(TEMPLATE)
    assert draft.name == "Jan de Boer"
    assert draft.primary == Number("work", "+31201234567")
    assert draft.type == "favourite"


def test_csv_numbers_are_normalised_and_semicolons_and_any_column_order_read() -> None:
    text = "Type;Mobile;Name;Primary\r\nVIP;06 1234 5678;Piet;mobile\r\n;;Els;\r\n"
    assert parse_csv(text) == [
        ContactDraft("Piet", numbers=(Number("mobile", "+31612345678"),), type="vip"),
        ContactDraft("Els"),
    ]


def test_a_broken_csv_is_rejected_with_each_bad_line() -> None:
    text = (
        "name,work,type,email\n"
        "Good One,020 555 0134,,\n"
        '"Two\nLines",0205550135,,\n'  # a quoted cell over lines 3-4
        ",0205550136,,\n"  # line 5: no name
        "Bad Number,12ab34567890123,,\n"  # line 6
        "\n"
        "Wrong Type,,friend,\n"  # line 8
        "Bad Mail,,,no-at-sign\n"  # line 9
    )
    with pytest.raises(ImportRejectedError) as caught:
        parse_csv(text)
    assert [r.line for r in caught.value.rows] == [5, 6, 8, 9]
    assert caught.value.rows[0] == RejectedRow(5, "a contact needs a name")
    assert caught.value.rows[1].message.startswith("work: not a phone number")
    assert "type: 'friend'" in caught.value.rows[2].message
    assert str(caught.value).startswith("4 rows rejected, nothing imported: line 5: ")


def test_a_csv_with_an_unknown_column_is_rejected_at_line_one() -> None:
    with pytest.raises(ImportRejectedError) as caught:
        parse_csv("naam,telefoon\nJan,0201234567\n")
    assert caught.value.rows == (
        RejectedRow(
            1,
            "unknown column 'naam'; the columns are name, company, department, job_title, "
            "email, address, work, mobile, home, other, primary, type",
        ),
    )


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_round_trip(version: str) -> None:
    text = write_vcards(DRAFTS, version)  # type: ignore[arg-type]
    assert text.count("BEGIN:VCARD") == 4
    assert f"VERSION:{version}" in text
    assert parse_vcards(text) == DRAFTS


def test_vcard_4_numbers_are_tel_uris_with_pref() -> None:
    text = write_vcards(DRAFTS[:1], "4.0")
    assert "TEL;PREF=1;TYPE=cell;VALUE=uri:tel:+31612345678" in text
    assert "CATEGORIES:vip" in text
    assert "ORG:Boer Installatie BV;Sales" in text


def test_a_foreign_vcard_3_is_read() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Visser;Jan;;;\r\n"
        "TEL;TYPE=WORK,VOICE:020 555 0134\r\nTEL;TYPE=CELL,PREF:+31 6 1234 5678\r\n"
        "ADR;TYPE=WORK:;;Keizersgracht 1;Amsterdam;;1015 CJ;Nederland\r\n"
        "CATEGORIES:Favorite\r\nEND:VCARD\r\n"
    )
    assert parse_vcards(text) == [
        ContactDraft(
            "Jan Visser",
            address="Keizersgracht 1, Amsterdam, 1015 CJ, Nederland",
            numbers=(Number("mobile", "+31612345678"), Number("work", "+31205550134")),
            type="favourite",
        )
    ]


def test_a_broken_vcard_file_is_rejected_with_each_bad_card() -> None:
    good = write_vcards(DRAFTS[:1], "3.0").replace("\r\n", "\n")
    lines_in_good = good.count("\n")
    text = (
        good  # lines 1..n
        + "BEGIN:VCARD\nVERSION:3.0\nTEL:0201234567\nEND:VCARD\n"  # no name
        + "BEGIN:VCARD\nVERSION:3.0\nFN:Bad Tel\nTEL:call me\nEND:VCARD\n"
        + "BEGIN:VCARD\nVERSION:3.0\nFN Broken\nEND:VCARD\n"  # not a content line
        + "BEGIN:VCARD\nFN:Unfinished\n"
    )
    n = lines_in_good
    with pytest.raises(ImportRejectedError) as caught:
        parse_vcards(text)
    rows = caught.value.rows
    assert [r.line for r in rows] == [n + 1, n + 5, n + 12, n + 14]
    assert rows[0].message == "a contact needs a name"
    assert rows[1].message.startswith("TEL: not a phone number")
    assert rows[2].message == "not a valid vCard line"
    assert rows[3].message == "no END:VCARD at the end of the file"


def test_format_is_detected_from_the_first_line() -> None:
    assert detect_format("\n BEGIN:VCARD\r\n") == "vcard"
    assert detect_format("name,work\n") == "csv"
