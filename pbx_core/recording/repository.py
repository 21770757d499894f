"""Recordings in the store (table ``call_recordings``), run on its worker thread.

Plain functions over a :class:`~pbx_core.store.Store`: call them through ``store.aio.call``
from the loop. Audio files live under ``<data dir>/recordings/<owner>/``; a row keeps the path
relative to the data dir.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from pbx_core.recording.models import RecordingRow
from pbx_core.store import Store

__all__ = [
    "NewRecording",
    "StoredRecording",
    "add_recording",
    "delete_recording",
    "expired",
    "recording",
    "recordings",
]


@dataclass(frozen=True, slots=True)
class NewRecording:
    owner: str
    call_id: str
    started_at: datetime
    duration_s: float
    number: str
    name: str | None
    audio: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class StoredRecording:
    id: int
    owner: str
    call_id: str
    started_at: datetime
    duration_s: float
    number: str
    name: str | None
    audio: str
    size_bytes: int


def _recording(row: RecordingRow) -> StoredRecording:
    return StoredRecording(
        row.id,
        row.owner,
        row.call_id,
        row.started_at,
        row.duration_s,
        row.number,
        row.name,
        row.audio,
        row.size_bytes,
    )


def add_recording(store: Store, new: NewRecording) -> StoredRecording:
    with store.transaction() as session:
        row = RecordingRow(
            owner=new.owner,
            call_id=new.call_id,
            started_at=new.started_at,
            duration_s=new.duration_s,
            number=new.number,
            name=new.name,
            audio=new.audio,
            size_bytes=new.size_bytes,
        )
        session.add(row)
        session.flush()
        return _recording(row)


def recordings(store: Store, owner: str) -> list[StoredRecording]:
    """The owner's recordings, newest first."""
    with store.transaction() as session:
        rows = session.scalars(
            select(RecordingRow)
            .where(RecordingRow.owner == owner)
            .order_by(RecordingRow.started_at.desc(), RecordingRow.id.desc())
        )
        return [_recording(row) for row in rows]


def recording(store: Store, recording_id: int) -> StoredRecording | None:
    with store.transaction() as session:
        row = session.get(RecordingRow, recording_id)
        return _recording(row) if row is not None else None


def delete_recording(store: Store, recording_id: int) -> StoredRecording | None:
    """Remove the row; the recording as it was (its file is the caller's to delete)."""
    with store.transaction() as session:
        row = session.get(RecordingRow, recording_id)
        if row is None:
            return None
        gone = _recording(row)
        session.delete(row)
        return gone


def expired(store: Store, now: datetime, retention_days: float) -> list[StoredRecording]:
    """Delete recordings older than the retention; the deleted ones (to remove files)."""
    cutoff = now - timedelta(days=retention_days)
    with store.transaction() as session:
        rows = list(session.scalars(select(RecordingRow).where(RecordingRow.started_at < cutoff)))
        gone = [_recording(row) for row in rows]
        if rows:
            session.execute(delete(RecordingRow).where(RecordingRow.id.in_([r.id for r in rows])))
        return gone
