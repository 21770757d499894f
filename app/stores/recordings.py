"""Call recording on demand (P17, docs/recording.md): the user's recordings and the calls being
recorded now.

Filled from ``GET /api/v1/recordings`` and kept current by the server's ``recording.started`` /
``recording.stopped`` events (:class:`app.controllers.recordings.RecordingsController`). Pure
state: every change is announced once on :attr:`RecordingsStore.changed` with the names of what
changed (``recordings``, ``live``, ``playing``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from app.server_events import parse_until

__all__ = ["LiveRecording", "Recording", "RecordingsStore"]


@dataclass(frozen=True, slots=True)
class Recording:
    """One kept recording: of which PBX call, when, how long, with whom."""

    id: int
    call_id: str
    started_at: dt.datetime
    duration_s: float
    number: str
    name: str | None

    @classmethod
    def from_api(cls, row: Mapping[str, object]) -> Recording:
        """One row of ``GET /api/v1/recordings``; ``ValueError`` names a bad field."""
        ident, call_id, number = row.get("id"), row.get("call_id"), row.get("number")
        if not isinstance(ident, int) or isinstance(ident, bool):
            raise ValueError("recording: id must be a number")
        if not isinstance(call_id, str) or not isinstance(number, str):
            raise ValueError("recording: call_id and number must be strings")
        started = parse_until(row.get("started_at"))
        if started is None:
            raise ValueError("recording: started_at must be an ISO-8601 time")
        duration = row.get("duration_s")
        if not isinstance(duration, int | float) or isinstance(duration, bool):
            raise ValueError("recording: duration_s must be a number")
        name = row.get("name")
        return cls(
            ident,
            call_id,
            started,
            float(duration),
            number,
            name if isinstance(name, str) and name else None,
        )


@dataclass(frozen=True, slots=True)
class LiveRecording:
    """A call of this app (by its key) that the user records or asked to: ``pbx_call_id`` once
    known, ``since`` (monotonic seconds) once the PBX said it records, ``busy`` while a start
    or stop is on its way."""

    key: str
    pbx_call_id: str | None = None
    since: float | None = None
    busy: bool = True

    @property
    def recording(self) -> bool:
        return self.since is not None


class RecordingsStore(QObject):
    """Recordings newest first and the live ones; ``changed(set[str])`` with what changed."""

    changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._recordings: dict[int, Recording] = {}
        self._live: dict[str, LiveRecording] = {}
        self.loaded = False
        self.playing: int | None = None

    # -- reading --------------------------------------------------------------------------
    @property
    def recordings(self) -> list[Recording]:
        """Every recording, newest first."""
        return sorted(self._recordings.values(), key=lambda r: (r.started_at, r.id), reverse=True)

    def get(self, ident: int) -> Recording | None:
        return self._recordings.get(ident)

    def live(self, key: str) -> LiveRecording | None:
        """The recording state of this app's call ``key`` (None: not recorded)."""
        return self._live.get(key)

    def key_of(self, pbx_call_id: str) -> str | None:
        """This app's call that the PBX knows as ``pbx_call_id``."""
        return next((k for k, v in self._live.items() if v.pbx_call_id == pbx_call_id), None)

    # -- the recordings -------------------------------------------------------------------
    def set_recordings(self, recordings: Iterable[Recording]) -> None:
        self._recordings = {r.id: r for r in recordings}
        self.loaded = True
        names = {"recordings"}
        if self.playing is not None and self.playing not in self._recordings:
            self.playing = None
            names.add("playing")
        self.changed.emit(names)

    def remove(self, ident: int) -> Recording | None:
        gone = self._recordings.pop(ident, None)
        if gone is None:
            return None
        names = {"recordings"}
        if self.playing == ident:
            self.playing = None
            names.add("playing")
        self.changed.emit(names)
        return gone

    def set_playing(self, ident: int | None) -> None:
        if ident != self.playing:
            self.playing = ident
            self.changed.emit({"playing"})

    # -- live recordings ------------------------------------------------------------------
    def asking(self, key: str, pbx_call_id: str | None = None) -> None:
        """A start or stop for call ``key`` is on its way."""
        found = self._live.get(key) or LiveRecording(key)
        self._set(replace(found, busy=True, pbx_call_id=pbx_call_id or found.pbx_call_id))

    def started(self, key: str, now: float) -> None:
        """The PBX records call ``key`` (its event or its answer: the first one counts)."""
        found = self._live.get(key) or LiveRecording(key)
        since = found.since if found.since is not None else now
        self._set(replace(found, since=since, busy=False))

    def stopped(self, key: str) -> None:
        """Not recorded any more (stopped, hung up, or the start failed)."""
        if self._live.pop(key, None) is not None:
            self.changed.emit({"live"})

    def _set(self, live: LiveRecording) -> None:
        if self._live.get(live.key) != live:
            self._live[live.key] = live
            self.changed.emit({"live"})

    def clear(self) -> None:
        """Signed out: nothing is known any more."""
        self._recordings, self._live, self.loaded, self.playing = {}, {}, False, None
        self.changed.emit({"recordings", "live", "playing"})
