"""The recordings store (pure state), the rows of ``GET /api/v1/recordings`` and the
``recording.*`` events as the event stream parses them; the controller's event handling."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from app.bus import Changes
from app.call_rows import CallRemoved
from app.connection import Connection
from app.controllers.recordings import RecordingsController
from app.notices import Notices
from app.server_events import RecordingStarted, RecordingStopped, parse_event
from app.stores.recordings import Recording, RecordingsStore
from app.tasks import TaskRunner

T0 = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def _row(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": 3,
        "call_id": "c-1",
        "started_at": "2026-12-04T09:00:00+00:00",
        "duration_s": 12.5,
        "number": "201",
        "name": "Anna de Vries",
    }
    row.update(over)
    return row


def test_a_row_of_the_api_and_its_bad_fields() -> None:
    assert Recording.from_api(_row()) == Recording(3, "c-1", T0, 12.5, "201", "Anna de Vries")
    assert Recording.from_api(_row(name=None)).name is None
    with pytest.raises(ValueError, match="recording: id must be a number"):
        Recording.from_api(_row(id="3"))
    with pytest.raises(ValueError, match="started_at must be an ISO-8601 time"):
        Recording.from_api(_row(started_at=None))


def test_the_live_state_of_a_call_from_asking_to_stopped() -> None:
    store = RecordingsStore()
    seen: list[object] = []
    store.changed.connect(seen.append)
    store.asking("k1")
    live = store.live("k1")
    assert live is not None and live.busy and not live.recording
    store.asking("k1", "pbx-1")
    assert store.key_of("pbx-1") == "k1"
    store.started("k1", 10.0)
    store.started("k1", 12.0)  # the event and the answer: the first one counts
    live = store.live("k1")
    assert live is not None and live.recording and live.since == 10.0 and not live.busy
    store.stopped("k1")
    assert store.live("k1") is None and store.key_of("pbx-1") is None
    assert seen and all(names == {"live"} for names in seen)


def test_recordings_newest_first_and_removed() -> None:
    store = RecordingsStore()
    store.set_recordings(
        [
            Recording(1, "a", T0, 1, "201", None),
            Recording(2, "b", T0 + dt.timedelta(1), 1, "2", None),
        ]
    )
    assert [r.id for r in store.recordings] == [2, 1]
    store.set_playing(1)
    assert store.remove(1) is not None and store.playing is None
    assert store.remove(1) is None


def test_the_events_as_the_stream_parses_them() -> None:
    started = parse_event(
        {
            "type": "recording.started",
            "data": {"call_id": "c-1", "extension": "201", "started_at": "2026-12-04T09:00:00Z"},
        }
    )
    assert started == RecordingStarted("c-1", "201", T0)
    stopped = parse_event(
        {
            "type": "recording.stopped",
            "data": {
                "call_id": "c-1",
                "extension": "201",
                "id": None,
                "duration_s": 0.0,
                "reason": "hangup",
            },
        }
    )
    assert stopped == RecordingStopped("c-1", "201", None, "hangup")
    with pytest.raises(ValueError, match=r"recording\.stopped event: id must be a whole number"):
        parse_event(
            {
                "type": "recording.stopped",
                "data": {"call_id": "c", "extension": "201", "id": "x", "reason": "stopped"},
            }
        )


def test_the_controller_follows_the_events_and_the_calls(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    try:
        store, conn = RecordingsStore(), Connection()
        conn.extension = "201"
        ctl = RecordingsController(
            store, conn, TaskRunner(loop, Notices()), Notices(), None, tmp_path, clock=lambda: 5.0
        )
        store.asking("k1", "pbx-1")
        ctl.on_started(RecordingStarted("pbx-1", "202", T0))  # someone else's recording
        assert not store.live("k1").recording  # type: ignore[union-attr]
        ctl.on_started(RecordingStarted("pbx-1", "201", T0))
        assert store.live("k1").since == 5.0  # type: ignore[union-attr]
        ctl.on_stopped(RecordingStopped("pbx-1", "201", 7, "hangup"))  # offline: no reload
        assert store.live("k1") is None
        store.asking("k2", "pbx-2")
        ctl.on_changes(Changes("calls", frozenset({"calls"}), (CallRemoved("k2"),)))
        assert store.live("k2") is None
    finally:
        loop.close()
