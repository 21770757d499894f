"""Free text from outside clipped to its column, the same on every backend.

SQLite keeps a string of any length in a ``VARCHAR(n)``; PostgreSQL refuses one longer than
``n``. Columns whose text comes from peers or imported files and is only shown (a phone's
User-Agent, a caller's display name, an imported contact's company) carry ``info=FIT`` and are
clipped to their length before every insert and update, so both backends store the same and a
long header never costs a registration or a call record. Keys and lookup columns never carry it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Table, event
from sqlalchemy.orm import Mapper

__all__ = ["FIT", "fit_limits", "fit_text_columns", "fit_values"]

FIT: dict[Any, Any] = {"fit": True}


def fit_text_columns(base: type[Any]) -> None:
    """Clip the ``FIT`` columns of every mapped class under ``base`` on insert and update."""
    event.listen(base, "before_insert", _clip, propagate=True)
    event.listen(base, "before_update", _clip, propagate=True)


def _clip(mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    for column in mapper.columns:
        length = column.type.length if isinstance(column.type, String) else None
        if not column.info.get("fit") or not length:
            continue
        key = mapper.get_property_by_column(column).key
        value = getattr(target, key)
        if isinstance(value, str) and len(value) > length:
            setattr(target, key, value[:length])


def fit_limits(table: Table) -> dict[str, int]:
    """The ``FIT`` columns of ``table`` and their lengths: for writes that bypass the ORM."""
    return {
        column.name: column.type.length
        for column in table.columns
        if column.info.get("fit") and isinstance(column.type, String) and column.type.length
    }


def fit_values(limits: dict[str, int], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with each text of a ``FIT`` column (``limits``) clipped to its length."""
    for name, length in limits.items():
        value = values.get(name)
        if isinstance(value, str) and len(value) > length:
            values[name] = value[:length]
    return values
