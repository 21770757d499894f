"""Tables of call routing (migration 0007): each user's unconditional forwarding (C4) and the
call flow of each of their statuses (S9)."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from pbx_core.store.models import Base

__all__ = ["CallFlowRow", "ForwardingRow"]


class ForwardingRow(Base):
    """A user's forwarding (no row: off); the number stays when it is switched off."""

    __tablename__ = "forwarding"

    extension: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    number: Mapped[str | None] = mapped_column(String(32), nullable=True)


class CallFlowRow(Base):
    """What one status of a user does with calls (no row: "default")."""

    __tablename__ = "call_flows"

    extension: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(32), primary_key=True)
    flow: Mapped[str] = mapped_column(String(64))
