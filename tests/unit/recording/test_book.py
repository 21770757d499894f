"""Who records which call: one recording per call and user, 409 and 404 as errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pbx_core.errors import Conflict, NotFound
from pbx_core.recording.book import ActiveRecording, RecordingBook

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _active(call_id: str, extension: str) -> ActiveRecording[str]:
    return ActiveRecording(call_id, extension, T0, "201", "Anna", handle=f"tap-{extension}")


def test_each_party_records_for_themself_and_a_second_start_is_refused() -> None:
    book: RecordingBook[str] = RecordingBook()
    book.start(_active("c1", "202"))
    book.start(_active("c1", "201"))
    with pytest.raises(Conflict, match="call c1 is already being recorded by 202"):
        book.start(_active("c1", "202"))
    assert {a.extension for a in book.of_call("c1")} == {"201", "202"}
    assert len(book) == 2


def test_stop_returns_the_recording_and_a_new_start_is_a_new_one() -> None:
    book: RecordingBook[str] = RecordingBook()
    book.start(_active("c1", "202"))
    assert book.stop("c1", "202").handle == "tap-202"
    with pytest.raises(NotFound, match="202 is not recording call c1"):
        book.stop("c1", "202")
    book.start(_active("c1", "202"))
    assert book.get("c1", "202") is not None and book.get("c2", "202") is None
