"""The tables of numbering (P7): each number conversion as its JSON text at its place in the
organisation's list (migration 0017), and numbering settings by name as JSON, such as the allowed
destinations (migration 0018)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pbx_core.store.models import Base

__all__ = ["NumberConversionRow", "NumberingSettingRow"]


class NumberConversionRow(Base):
    """One number conversion of the organisation, at ``position`` in its list."""

    __tablename__ = "number_conversions"

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    body: Mapped[str] = mapped_column(Text)


class NumberingSettingRow(Base):
    """One numbering setting of the organisation (``allowed_destinations``) as JSON."""

    __tablename__ = "numbering_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
