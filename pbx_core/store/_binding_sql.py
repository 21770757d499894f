"""Binding writes as SQL Core statements: many saves and removals in one transaction.

A REGISTER's binding is written on every refresh, and at a few hundred REGISTERs a second the
ORM's select-then-flush (and one commit per binding) was most of what a REGISTER cost. Here a
save is one ``UPDATE`` by (extension, contact), followed by an ``INSERT`` only when no row
matched, on SQLite and PostgreSQL alike; the caller commits a whole batch at once. The
User-Agent is clipped to its column here, as :mod:`pbx_core.store._fit` does for ORM writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import String, Table, bindparam, delete, insert, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from pbx_core.store.models import BindingRow
from pbx_core.store.records import BindingRecord

__all__ = ["BindingWrite", "write_bindings"]

BindingWrite = BindingRecord | tuple[str, str]
"""A binding to insert or update, or the (extension, contact) of one to remove."""

_TABLE = cast(Table, BindingRow.__table__)
_AGENT_LENGTH = cast(String, _TABLE.c.user_agent.type).length or 0
_FIELDS = ("expires_at", "source", "call_id", "cseq", "user_agent", "path")
_WHERE = (
    _TABLE.c.extension == bindparam("b_extension"),
    _TABLE.c.contact == bindparam("b_contact"),
)
_UPDATE = update(_TABLE).where(*_WHERE).values({f: bindparam(f"b_{f}") for f in _FIELDS})
_INSERT = insert(_TABLE).values(
    {f: bindparam(f"b_{f}") for f in ("extension", "contact", *_FIELDS)}
)
_DELETE = delete(_TABLE).where(*_WHERE)


def write_bindings(session: Session, writes: Sequence[BindingWrite]) -> None:
    """Perform ``writes`` in order in ``session``'s transaction (the caller commits)."""
    for write in writes:
        if isinstance(write, BindingRecord):
            params = _params(write)
            result = cast(CursorResult[Any], session.execute(_UPDATE, params))
            if result.rowcount == 0:
                session.execute(_INSERT, params)
        else:
            extension, contact = write
            session.execute(_DELETE, {"b_extension": extension, "b_contact": contact})


def _params(b: BindingRecord) -> dict[str, object]:
    agent = b.user_agent
    if agent is not None and _AGENT_LENGTH and len(agent) > _AGENT_LENGTH:
        agent = agent[:_AGENT_LENGTH]
    return {
        "b_extension": b.extension,
        "b_contact": b.contact,
        "b_expires_at": b.expires_at,
        "b_source": b.source,
        "b_call_id": b.call_id,
        "b_cseq": b.cseq,
        "b_user_agent": agent,
        "b_path": b.path,
    }
