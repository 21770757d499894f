"""The tables of ACD queues (P9, migration 0019): each queue's settings as the JSON of
:func:`pbx_core.acd.model.config_to_dict` at its place in the list, each agent's login state per
queue (kept over a restart of the PBX), and the log of the calls that came to a queue with how
they ended and who handles them afterwards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pbx_core.store.models import Base, UtcDateTime

__all__ = ["QueueAgentRow", "QueueCallRow", "QueueRow"]


class QueueRow(Base):
    """One queue: ``body`` is its settings as JSON, ``position`` its place in the list."""

    __tablename__ = "queues"

    number: Mapped[str] = mapped_column(String(15), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class QueueAgentRow(Base):
    """A member's login state in one queue (``logged_out``, ``logged_in``, ``paused``)."""

    __tablename__ = "queue_agents"

    queue: Mapped[str] = mapped_column(String(15), primary_key=True)
    extension: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class QueueCallRow(Base):
    """One call that came to a queue: when it arrived, how it ended (``answered`` by ``agent``,
    ``abandoned`` by the caller, or ``overflow`` for ``overflow_reason`` to ``forwarded_to``),
    and its follow-up: ``handling`` by ``assigned_to`` with a ``note``."""

    __tablename__ = "queue_calls"
    __table_args__ = (Index("ix_queue_calls_queue_arrived_at", "queue", "arrived_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(String(128))
    queue: Mapped[str] = mapped_column(String(15))
    caller: Mapped[str] = mapped_column(String(64))
    caller_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    arrived_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    agent: Mapped[str | None] = mapped_column(String(32), nullable=True)
    outcome: Mapped[str] = mapped_column(String(16))
    overflow_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    forwarded_to: Mapped[str | None] = mapped_column(String(32), nullable=True)
    waited_s: Mapped[float] = mapped_column(Float)
    handling: Mapped[str] = mapped_column(String(16), default="unhandled")
    assigned_to: Mapped[str | None] = mapped_column(String(32), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
