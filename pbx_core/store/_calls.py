"""Call records in the store: written once a call ends, each user's history, hiding a call.

Functions over an open :class:`~sqlalchemy.orm.Session`; :class:`pbx_core.store.Store` runs each
in one transaction.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pbx_core.store.models import CallHiddenRow, CallRecordRow, UserRow
from pbx_core.store.records import CallReason, CallRecord

__all__ = ["add_call_record", "call_history", "hide_call"]


def add_call_record(session: Session, record: CallRecord) -> int:
    row = CallRecordRow(
        call_id=record.call_id,
        caller=record.caller,
        callee=record.callee,
        caller_name=record.caller_name,
        callee_name=record.callee_name,
        started_at=record.started_at,
        answered_at=record.answered_at,
        ended_at=record.ended_at,
        answered=record.answered,
        reason=record.reason,
        ended_by=record.ended_by,
        sip_status=record.sip_status,
    )
    session.add(row)
    session.flush()
    return row.id


def call_history(session: Session, extension: str, limit: int) -> list[CallRecord]:
    hidden = (
        select(CallHiddenRow.call_record_id)
        .join(UserRow, UserRow.id == CallHiddenRow.user_id)
        .where(UserRow.extension == extension)
    )
    rows = session.scalars(
        select(CallRecordRow)
        .where(or_(CallRecordRow.caller == extension, CallRecordRow.callee == extension))
        .where(CallRecordRow.id.not_in(hidden))
        .order_by(CallRecordRow.started_at.desc(), CallRecordRow.id.desc())
        .limit(limit)
    )
    return [_call(row) for row in rows]


def hide_call(session: Session, user_id: int, record_id: int) -> bool:
    user = session.get(UserRow, user_id)
    row = session.get(CallRecordRow, record_id)
    if user is None or row is None or user.extension not in (row.caller, row.callee):
        return False
    if session.get(CallHiddenRow, (user_id, record_id)) is None:
        session.add(CallHiddenRow(user_id=user_id, call_record_id=record_id))
    return True


def _call(row: CallRecordRow) -> CallRecord:
    return CallRecord(
        id=row.id,
        call_id=row.call_id,
        caller=row.caller,
        callee=row.callee,
        caller_name=row.caller_name,
        callee_name=row.callee_name,
        started_at=row.started_at,
        answered_at=row.answered_at,
        ended_at=row.ended_at,
        reason=cast(CallReason, row.reason),
        ended_by=row.ended_by,
        sip_status=row.sip_status,
    )
