"""The table of planned statuses (S4, P4): one row per plan, in its own wall-clock time.

``start_local``/``end_local`` are naive on purpose: they are wall-clock times in ``time_zone``
(a weekly 09:00 stays 09:00 over a daylight-saving change), unlike the UTC columns elsewhere.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pbx_core.store.models import Base

__all__ = ["PlanRow"]


class PlanRow(Base):
    """A planned status of the user with ``extension``."""

    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_extension", "extension"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extension: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32))
    start_local: Mapped[datetime] = mapped_column(DateTime())
    end_local: Mapped[datetime] = mapped_column(DateTime())
    time_zone: Mapped[str] = mapped_column(String(64))
    all_day: Mapped[bool] = mapped_column(Boolean)
    repeat: Mapped[str] = mapped_column(String(16))
    rrule: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(String(500))
