"""The ``call_recordings`` table (migration 0011), on the store's declarative base."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pbx_core.store._fit import FIT
from pbx_core.store.models import Base, UtcDateTime

__all__ = ["RecordingRow"]


class RecordingRow(Base):
    """One recording of a call, kept for ``owner`` (the user who started it); the audio is a
    WAV file under the data dir (``audio``, relative)."""

    __tablename__ = "call_recordings"
    __table_args__ = (Index("ix_call_recordings_owner_started", "owner", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(32))
    call_id: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    duration_s: Mapped[float] = mapped_column(Float)
    number: Mapped[str] = mapped_column(String(100), info=FIT)
    name: Mapped[str | None] = mapped_column(String(200), info=FIT)
    audio: Mapped[str] = mapped_column(String(500))
    size_bytes: Mapped[int] = mapped_column(Integer)
