"""The table of number conversions (P7): each conversion as its JSON text at its place in the
organisation's list (migration 0017)."""

from __future__ import annotations

from sqlalchemy import Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from pbx_core.store.models import Base

__all__ = ["NumberConversionRow"]


class NumberConversionRow(Base):
    """One number conversion of the organisation, at ``position`` in its list."""

    __tablename__ = "number_conversions"

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    body: Mapped[str] = mapped_column(Text)
