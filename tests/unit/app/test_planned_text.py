"""A colleague's next planned status on the desktop: ``planned`` parsed once at the edge (the
directory row and ``presence.updated``; bad input refused with the reason), and the "Next: …"
line in English and Dutch with the locale's short time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication

from app.planned_status import PlannedStatus, parse_planned
from app.presence_text import next_planned_text, presence_line
from app.server_events import PresenceUpdated, parse_event
from app.stores.directory import DirectoryEntry
from ui.i18n import Translations

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)  # a Thursday
UTC = dt.UTC
MEETING = PlannedStatus("meeting", NOW.replace(hour=14), NOW.replace(hour=15))
LUNCH = PlannedStatus("lunch", NOW.replace(day=4, hour=12), NOW.replace(day=4, hour=12, minute=30))
WIRE = [
    {"status": "lunch", "start": "2026-12-04T12:00:00Z", "end": "2026-12-04T12:30:00Z"},
    {"status": "meeting", "start": "2026-12-03T14:00:00+00:00", "end": "2026-12-03T15:00:00Z"},
]


@pytest.fixture
def language(qapp: object, request: pytest.FixtureRequest) -> Iterator[str]:
    app = QCoreApplication.instance()
    assert app is not None
    translations = Translations(app)
    translations.install(str(request.param))
    try:
        yield str(request.param)
    finally:
        translations.install("en")


def test_planned_is_parsed_earliest_first_and_bad_input_refused() -> None:
    assert parse_planned(WIRE) == (MEETING, LUNCH)
    assert parse_planned(None) == ()
    with pytest.raises(ValueError, match="status must be a presence status"):
        parse_planned([{"status": "sleeping", "start": "2026-12-03T14:00:00Z", "end": "x"}])
    with pytest.raises(ValueError, match="ISO-8601"):
        parse_planned([{"status": "meeting", "start": 5, "end": "2026-12-03T15:00:00Z"}])
    with pytest.raises(ValueError, match="must be a list"):
        parse_planned({"status": "meeting"})


def test_the_event_and_the_directory_row_carry_it() -> None:
    data: dict[str, object] = {
        "extension": "202",
        "registered": True,
        "line": "idle",
        "status": "available",
        "until": None,
        "role": "work",
        "note": None,
        "activity": "available",
        "forwarding": None,
        "planned": WIRE,
    }
    event = parse_event({"type": "presence.updated", "data": data})
    assert isinstance(event, PresenceUpdated) and event.planned == (MEETING, LUNCH)
    with pytest.raises(ValueError, match="planned must be a list of planned statuses"):
        parse_event({"type": "presence.updated", "data": {**data, "planned": "soon"}})
    row = {
        "kind": "user",
        "name": "Bram Jansen",
        "extension": "202",
        "numbers": [{"label": "extension", "number": "202"}],
        "presence": {"status": "available", "planned": WIRE},
        "registered": True,
    }
    assert DirectoryEntry.from_api(row).planned == (MEETING, LUNCH)
    broken = {**row, "presence": {"status": "available", "planned": [{"status": "x"}]}}
    kept = DirectoryEntry.from_api(broken)  # the row stays; no upcoming status shown
    assert (kept.name, kept.planned) == ("Bram Jansen", ())


@pytest.mark.parametrize(
    ("language", "today", "tomorrow"),
    [
        (
            "en",
            "Next: In a meeting 2:00\u202fPM\u20133:00\u202fPM",
            "Next: At lunch tomorrow 12:00\u202fPM\u201312:30\u202fPM",
        ),
        (
            "nl",
            "Hierna: In vergadering 14:00\u201315:00",
            "Hierna: Aan de lunch morgen 12:00\u201312:30",
        ),
    ],
    indirect=["language"],
)
def test_the_next_one_in_words(language: str, today: str, tomorrow: str) -> None:
    assert next_planned_text((MEETING, LUNCH), NOW, UTC) == today
    assert next_planned_text((LUNCH,), NOW, UTC) == tomorrow
    started = NOW.replace(hour=14, minute=5)  # the meeting runs now: it is the status
    assert next_planned_text((MEETING, LUNCH), started, UTC) == tomorrow
    assert next_planned_text((), NOW, UTC) is None


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_the_presence_line_carries_the_next_one(language: str) -> None:
    bram = DirectoryEntry(
        "user", "Bram", "202", (), None, None, "available", "idle", True, planned=(MEETING,)
    )
    line = presence_line(bram, NOW, UTC)
    assert line is not None and line.next == "Next: In a meeting 2:00\u202fPM\u20133:00\u202fPM"
