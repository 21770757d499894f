"""The queues in the store (tables ``queues``, ``queue_agents``, ``queue_calls``, migration 0019).

Plain functions over :class:`~pbx_core.store.Store`, run on the store's worker thread
(``store.aio.call`` / ``soon``) by :class:`pbx_core.acd.service.QueueService`, which keeps the
queues and agent states in memory: these are read once at start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import delete, func, select

from pbx_core.acd.calls import CallKind, Handling, NewQueueCall, Outcome, QueueCall
from pbx_core.acd.model import AgentState, AgentStatus, OverflowReason
from pbx_core.store import Store
from pbx_core.store.queue_models import QueueAgentRow, QueueCallRow, QueueRow

__all__ = [
    "StoredQueue",
    "add_call",
    "delete_queue",
    "find_call",
    "list_calls",
    "load",
    "recent_calls",
    "save_agent",
    "save_queue",
    "update_call",
]


@dataclass(frozen=True, slots=True)
class StoredQueue:
    number: str
    body: str
    position: int


def load(store: Store) -> tuple[list[StoredQueue], list[AgentState]]:
    """Every queue in its order and every stored agent state."""
    with store.transaction() as session:
        queues = [
            StoredQueue(r.number, r.body, r.position)
            for r in session.scalars(select(QueueRow).order_by(QueueRow.position, QueueRow.number))
        ]
        agents = [
            AgentState(r.queue, r.extension, cast(AgentStatus, r.status), r.reason)
            for r in session.scalars(select(QueueAgentRow))
        ]
    return queues, agents


def save_queue(store: Store, number: str, body: str, position: int, now: datetime) -> None:
    """Insert the queue, or replace its settings (its place and creation time stay)."""
    with store.transaction() as session:
        row = session.get(QueueRow, number)
        if row is None:
            session.add(QueueRow(number=number, body=body, position=position, created_at=now))
        else:
            row.body = body


def delete_queue(store: Store, number: str) -> None:
    """Remove the queue and its agents' states; its call log stays."""
    with store.transaction() as session:
        session.execute(delete(QueueAgentRow).where(QueueAgentRow.queue == number))
        session.execute(delete(QueueRow).where(QueueRow.number == number))


def save_agent(store: Store, state: AgentState, now: datetime) -> None:
    with store.transaction() as session:
        row = session.get(QueueAgentRow, (state.queue, state.extension))
        if row is None:
            session.add(
                QueueAgentRow(
                    queue=state.queue, extension=state.extension, status=state.status,
                    reason=state.reason, changed_at=now,
                )
            )  # fmt: skip
        else:
            row.status, row.reason, row.changed_at = state.status, state.reason, now


def add_call(store: Store, call: NewQueueCall) -> int:
    """Log a queue call; its id."""
    with store.transaction() as session:
        row = QueueCallRow(
            call_id=call.call_id, queue=call.queue, caller=call.caller,
            caller_name=call.caller_name, arrived_at=call.arrived_at,
            answered_at=call.answered_at, ended_at=call.ended_at, agent=call.agent,
            outcome=call.outcome, overflow_reason=call.overflow_reason,
            forwarded_to=call.forwarded_to, waited_s=call.waited_s, handling="unhandled",
            assigned_to=None, note="",
        )  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def _call(r: QueueCallRow) -> QueueCall:
    return QueueCall(
        id=r.id, call_id=r.call_id, queue=r.queue, caller=r.caller, caller_name=r.caller_name,
        arrived_at=r.arrived_at, answered_at=r.answered_at, ended_at=r.ended_at, agent=r.agent,
        outcome=cast(Outcome, r.outcome),
        overflow_reason=cast(OverflowReason | None, r.overflow_reason),
        forwarded_to=r.forwarded_to, waited_s=r.waited_s, handling=cast(Handling, r.handling),
        assigned_to=r.assigned_to, note=r.note,
    )  # fmt: skip


def list_calls(
    store: Store, number: str, kind: CallKind | None, assigned_to: str | None, limit: int
) -> list[QueueCall]:
    """The newest ``limit`` calls of queue ``number``, newest first, of ``kind`` (None: all),
    assigned to ``assigned_to`` (None: anyone's or no one's)."""
    query = select(QueueCallRow).where(QueueCallRow.queue == number)
    if kind == "answered":
        query = query.where(QueueCallRow.outcome == "answered")
    elif kind == "forwarded":
        query = query.where(
            QueueCallRow.outcome == "overflow", func.coalesce(QueueCallRow.forwarded_to, "") != ""
        )
    elif kind == "missed":
        query = query.where(
            (QueueCallRow.outcome == "abandoned")
            | (
                (QueueCallRow.outcome == "overflow")
                & (func.coalesce(QueueCallRow.forwarded_to, "") == "")
            )
        )
    if assigned_to is not None:
        query = query.where(QueueCallRow.assigned_to == assigned_to)
    query = query.order_by(QueueCallRow.arrived_at.desc(), QueueCallRow.id.desc()).limit(limit)
    with store.transaction() as session:
        return [_call(r) for r in session.scalars(query)]


def find_call(store: Store, number: str, call_id: int) -> QueueCall | None:
    with store.transaction() as session:
        row = session.get(QueueCallRow, call_id)
        return _call(row) if row is not None and row.queue == number else None


def update_call(
    store: Store,
    number: str,
    call_id: int,
    assigned_to: str | None,
    handling: Handling,
    note: str,
) -> QueueCall | None:
    """Set a logged call's follow-up; None when queue ``number`` has no call ``call_id``."""
    with store.transaction() as session:
        row = session.get(QueueCallRow, call_id)
        if row is None or row.queue != number:
            return None
        row.assigned_to, row.handling, row.note = assigned_to, handling, note
        session.flush()
        return _call(row)


def recent_calls(store: Store, number: str, since: datetime) -> Sequence[QueueCall]:
    """The calls of queue ``number`` that arrived at ``since`` or later, oldest first."""
    query = (
        select(QueueCallRow)
        .where(QueueCallRow.queue == number, QueueCallRow.arrived_at >= since)
        .order_by(QueueCallRow.arrived_at, QueueCallRow.id)
    )
    with store.transaction() as session:
        return [_call(r) for r in session.scalars(query)]
