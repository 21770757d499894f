"""A colleague's presence in words: the status end today, tomorrow or another day, in English
and Dutch, with the locale's short time (3:00 PM, 15:00); "Not signed in"; the line state
before the status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication

from app.presence_text import presence_line, status_with_end, until_text
from app.stores.directory import DirectoryEntry
from ui.i18n import Translations

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)  # a Thursday
UTC = dt.UTC


def _colleague(**changes: object) -> DirectoryEntry:
    base: dict[str, object] = {
        "kind": "user",
        "name": "Bram Jansen",
        "extension": "202",
        "numbers": ("202",),
        "department": "Sales",
        "company": None,
        "presence": "available",
        "line_state": "idle",
        "registered": True,
    }
    base.update(changes)
    return DirectoryEntry(**base)  # type: ignore[arg-type]


@pytest.fixture
def language(qapp: object, request: pytest.FixtureRequest) -> Iterator[str]:
    app = QCoreApplication.instance()
    assert app is not None
    translations = Translations(app)
    code = str(request.param)
    translations.install(code)
    try:
        yield code
    finally:
        translations.install("en")


@pytest.mark.parametrize(
    ("language", "today", "tomorrow", "later"),
    [
        (
            "en",
            "In a meeting until 3:00\u202fPM",
            "At lunch until tomorrow 12:30\u202fPM",
            "On vacation until Tue 8 Dec 5:00\u202fPM",
        ),
        (
            "nl",
            "In vergadering tot 15:00",
            "Aan de lunch tot morgen 12:30",
            "Op vakantie tot di 8 dec 17:00",
        ),
    ],
    indirect=["language"],
)
def test_a_status_end_is_as_short_as_is_clear(
    language: str, today: str, tomorrow: str, later: str
) -> None:
    assert status_with_end("meeting", NOW.replace(hour=15), NOW, UTC) == today
    assert status_with_end("lunch", NOW + dt.timedelta(days=1, hours=2, minutes=30), NOW, UTC) == (
        tomorrow
    )
    assert status_with_end("vacation", NOW.replace(day=8, hour=17), NOW, UTC) == later


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_the_end_is_in_the_viewer_time_zone_and_names_another_year(language: str) -> None:
    amsterdam = dt.timezone(dt.timedelta(hours=1))
    assert until_text(NOW.replace(hour=14), NOW, amsterdam) == "3:00\u202fPM"
    # 23:30 UTC is already tomorrow in Amsterdam
    assert until_text(NOW.replace(hour=23, minute=30), NOW, amsterdam) == "tomorrow 12:30\u202fAM"
    assert (
        until_text(NOW.replace(year=2027, month=1, day=4), NOW, UTC)
        == "Mon 4 Jan 2027 10:00\u202fAM"
    )


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_an_ended_or_open_status_shows_no_end(language: str) -> None:
    assert status_with_end("meeting", None, NOW, UTC) == "In a meeting"
    assert status_with_end("meeting", NOW - dt.timedelta(minutes=1), NOW, UTC) == "In a meeting"
    assert status_with_end("available", NOW.replace(hour=15), NOW, UTC) == "Available"


@pytest.mark.parametrize(
    ("language", "signed_out", "in_call", "on_hold", "forwarded"),
    [
        (
            "en",
            "Not signed in",
            "In a call · In a meeting until 3:00\u202fPM",
            "On hold",
            "Available · Calls forwarded to 204",
        ),
        (
            "nl",
            "Niet ingelogd",
            "In gesprek · In vergadering tot 15:00",
            "In de wacht",
            "Beschikbaar · Gesprekken doorgeschakeld naar 204",
        ),
    ],
    indirect=["language"],
)
def test_the_presence_line_of_a_colleague(
    language: str, signed_out: str, in_call: str, on_hold: str, forwarded: str
) -> None:
    gone = presence_line(_colleague(registered=False, note="Back Monday"), NOW, UTC)
    assert gone is not None
    assert (gone.text, gone.signed_in, gone.note) == (signed_out, False, "Back Monday")
    busy = presence_line(
        _colleague(presence="meeting", until=NOW.replace(hour=15), line_state="in_call"), NOW, UTC
    )
    assert busy is not None and busy.text == in_call
    held = presence_line(_colleague(line_state="on_hold", role="private"), NOW, UTC)
    assert held is not None and (held.text, held.private) == (on_hold, True)
    away = presence_line(_colleague(forwarding="204"), NOW, UTC)  # C4: colleagues see it
    assert away is not None and away.text == forwarded


def test_contacts_have_no_presence_line() -> None:
    contact = _colleague(kind="contact", extension=None)
    assert presence_line(contact, NOW, UTC) is None


def test_a_directory_row_keeps_the_end_note_and_role() -> None:
    row = {
        "kind": "user",
        "name": "Bram Jansen",
        "extension": "202",
        "numbers": [{"label": "extension", "number": "202"}],
        "presence": {
            "status": "meeting",
            "until": "2026-12-03T15:00:00Z",
            "role": "private",
            "note": "Back at three",
            "forwarding": "204",
        },
        "line_state": "idle",
        "registered": True,
    }
    entry = DirectoryEntry.from_api(row)
    assert (entry.until, entry.note, entry.role, entry.forwarding) == (
        NOW.replace(hour=15),
        "Back at three",
        "private",
        "204",
    )


def test_presence_updated_is_parsed_into_its_typed_event() -> None:
    from app.server_events import PresenceUpdated, parse_event

    event = parse_event(
        {
            "type": "presence.updated",
            "data": {
                "extension": "202",
                "registered": True,
                "line": "on_hold",
                "status": "meeting",
                "until": "2026-12-03T15:00:00+00:00",
                "role": "work",
                "note": "Back at three",
                "activity": "in_call",
                "forwarding": "204",
            },
        }
    )
    assert event == PresenceUpdated(
        "202",
        True,
        "on_hold",
        "meeting",
        NOW.replace(hour=15),
        "work",
        "Back at three",
        "in_call",
        "204",
    )
