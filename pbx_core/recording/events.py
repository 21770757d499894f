"""Bus events of call recording, for the user who records only (``audience``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from pbx_core.events import Event

__all__ = ["RecordingStarted", "RecordingStopped"]


@dataclass(frozen=True, slots=True)
class RecordingStarted(Event):
    """``extension`` started recording call ``call_id`` (the API's ``recording.started``)."""

    kind: ClassVar[str] = "recording.started"
    call_id: str
    extension: str
    started_at: datetime

    @property
    def audience(self) -> frozenset[str]:
        return frozenset((self.extension,))


@dataclass(frozen=True, slots=True)
class RecordingStopped(Event):
    """``extension``'s recording of ``call_id`` ended (``reason``: "stopped", "hangup",
    "max-length"); ``id`` is the stored recording, None when nothing could be kept."""

    kind: ClassVar[str] = "recording.stopped"
    call_id: str
    extension: str
    id: int | None
    duration_s: float
    reason: str

    @property
    def audience(self) -> frozenset[str]:
        return frozenset((self.extension,))
