"""The tables of routing rules (P5): each rule as its JSON text in its place in a list, and each
owner's routing settings (a user's mobile number; the organisation's time zone and the ring
delay before a status's call flow applies).

``owner`` is a user's extension, or ``ORG`` for the organisation's rules and settings.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pbx_core.store.models import Base

__all__ = ["ORG", "RoutingRuleRow", "RoutingSettingsRow"]

ORG = "*org*"


class RoutingRuleRow(Base):
    """One rule of ``owner`` in ``scope`` ("required", "overridable" or "own"), at ``position``."""

    __tablename__ = "routing_rules"

    owner: Mapped[str] = mapped_column(String(32), primary_key=True)
    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(Text)


class RoutingSettingsRow(Base):
    """A user's mobile number, or the organisation's time zone (for time-of-day rules) and ring
    delay before a status's call flow (S9)."""

    __tablename__ = "routing_settings"

    owner: Mapped[str] = mapped_column(String(32), primary_key=True)
    mobile: Mapped[str | None] = mapped_column(String(32), nullable=True)
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    call_flow_delay_s: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 0016
