"""Call records as one SQL Core ``INSERT`` of many rows in one transaction.

A record is written when a call ends; at a few hundred calls a second the ORM's unit of work
(and a commit per record) was a tenth of a call's CPU. The store's worker inserts the records
that gathered while it was busy at once (:meth:`pbx_core.store.gateway.StoreGateway.
add_call_record_soon`). Free text is clipped as :mod:`pbx_core.store._fit` does for the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from pbx_core.store._fit import fit_limits, fit_values
from pbx_core.store.models import CallRecordRow
from pbx_core.store.records import CallRecord

__all__ = ["insert_call_records"]

_TABLE = cast(Table, CallRecordRow.__table__)
_LIMITS = fit_limits(_TABLE)
_INSERT = insert(_TABLE)


def insert_call_records(session: Session, records: Sequence[CallRecord]) -> None:
    """Insert ``records`` in ``session``'s transaction (the caller commits)."""
    if records:
        session.execute(_INSERT, [_values(r) for r in records])


def _values(r: CallRecord) -> dict[str, Any]:
    return fit_values(
        _LIMITS,
        {
            "call_id": r.call_id,
            "caller": r.caller,
            "callee": r.callee,
            "caller_name": r.caller_name,
            "callee_name": r.callee_name,
            "started_at": r.started_at,
            "answered_at": r.answered_at,
            "ended_at": r.ended_at,
            "answered": r.answered,
            "reason": r.reason,
            "ended_by": r.ended_by,
            "sip_status": r.sip_status,
        },
    )
