"""Forwarding and call flows in the store (tables ``forwarding``, ``call_flows``): plain
functions over a :class:`~pbx_core.store.Store`, run through ``store.aio.call`` from the loop."""

from __future__ import annotations

from sqlalchemy import delete, select

from pbx_core.store import Store
from pbx_core.store.models import CallFlowRow, ForwardingRow

__all__ = ["all_call_flows", "all_forwarding", "set_call_flows", "set_forwarding"]


def all_forwarding(store: Store) -> dict[str, tuple[bool, str | None]]:
    """Every user's forwarding: extension -> (enabled, number)."""
    with store.transaction() as session:
        rows = session.scalars(select(ForwardingRow)).all()
        return {row.extension: (row.enabled, row.number) for row in rows}


def set_forwarding(store: Store, extension: str, enabled: bool, number: str | None) -> None:
    with store.transaction() as session:
        row = session.get(ForwardingRow, extension)
        if row is None:
            session.add(ForwardingRow(extension=extension, enabled=enabled, number=number))
        else:
            row.enabled, row.number = enabled, number


def all_call_flows(store: Store) -> dict[str, dict[str, str]]:
    """Every user's call flows: extension -> status -> flow text."""
    out: dict[str, dict[str, str]] = {}
    with store.transaction() as session:
        for row in session.scalars(select(CallFlowRow)).all():
            out.setdefault(row.extension, {})[row.status] = row.flow
    return out


def set_call_flows(store: Store, extension: str, flows: dict[str, str]) -> None:
    """Replace ``extension``'s call flows ("default" ones are not stored)."""
    with store.transaction() as session:
        session.execute(delete(CallFlowRow).where(CallFlowRow.extension == extension))
        for status, flow in sorted(flows.items()):
            if flow != "default":
                session.add(CallFlowRow(extension=extension, status=status, flow=flow))
