"""Plans in the store (table ``plans``): plain functions run on the store's worker thread
(call them through ``store.aio.call`` from the loop)."""

from __future__ import annotations

import logging

from sqlalchemy import select

from pbx_core.calendar.model import Plan, is_repeat
from pbx_core.presence import is_status
from pbx_core.store import Store
from pbx_core.store.plan_models import PlanRow

__all__ = ["add_plan", "all_plans", "delete_plan", "update_plan"]

_log = logging.getLogger(__name__)


def _plan(row: PlanRow) -> Plan | None:
    if not is_status(row.status) or not is_repeat(row.repeat):
        _log.warning("plan %d ignored: status %r, repeat %r", row.id, row.status, row.repeat)
        return None
    return Plan(
        row.id,
        extension=row.extension,
        name=row.name,
        status=row.status,
        start=row.start_local,
        end=row.end_local,
        time_zone=row.time_zone,
        all_day=row.all_day,
        repeat=row.repeat,
        rrule=row.rrule,
        note=row.note,
    )


def _fill(row: PlanRow, plan: Plan) -> None:
    row.extension = plan.extension
    row.name = plan.name
    row.status = plan.status
    row.start_local = plan.start
    row.end_local = plan.end
    row.time_zone = plan.time_zone
    row.all_day = plan.all_day
    row.repeat = plan.repeat
    row.rrule = plan.rrule
    row.note = plan.note


def all_plans(store: Store) -> list[Plan]:
    """Every plan of every user, by id."""
    with store.transaction() as session:
        rows = session.scalars(select(PlanRow).order_by(PlanRow.id))
        return [p for p in (_plan(r) for r in rows) if p is not None]


def add_plan(store: Store, plan: Plan) -> Plan:
    """Store ``plan`` (its id is ignored); the stored plan with its new id."""
    with store.transaction() as session:
        row = PlanRow()
        _fill(row, plan)
        session.add(row)
        session.flush()
        stored = _plan(row)
        assert stored is not None
        return stored


def update_plan(store: Store, plan: Plan) -> bool:
    """Replace the plan with ``plan.id`` of the same user; False when there is none."""
    with store.transaction() as session:
        row = session.get(PlanRow, plan.id)
        if row is None or row.extension != plan.extension:
            return False
        _fill(row, plan)
        return True


def delete_plan(store: Store, extension: str, plan_id: int) -> bool:
    with store.transaction() as session:
        row = session.get(PlanRow, plan_id)
        if row is None or row.extension != extension:
            return False
        session.delete(row)
        return True
