"""The organisation's number conversions, in memory and in the store (table
``number_conversions``, migration 0017). Read once at start; a change is written through the
store's worker thread (the loop never waits on SQL) and then told to whoever listens (the
directory gives every number its short forms again)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import delete, select

from pbx_core.numbering.rules import (
    Conversion,
    conversion_to_dict,
    conversions_from_list,
    convert,
    short_forms,
)
from pbx_core.store import Store
from pbx_core.store.numbering_models import NumberConversionRow

__all__ = ["NumberingBook"]

_log = logging.getLogger(__name__)


def _load(store: Store) -> list[str]:
    with store.transaction() as session:
        rows = session.scalars(select(NumberConversionRow).order_by(NumberConversionRow.position))
        return [row.body for row in rows]


def _save(store: Store, bodies: Sequence[str]) -> None:
    with store.transaction() as session:
        session.execute(delete(NumberConversionRow))
        for position, body in enumerate(bodies):
            session.add(NumberConversionRow(position=position, body=body))


class NumberingBook:
    """Every number conversion of the PBX; :meth:`convert` is what a dialled number becomes."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._conversions: tuple[Conversion, ...] = ()
        self._listeners: list[Callable[[], None]] = []

    def load(self) -> None:
        bodies = _load(self._store)
        try:
            self._conversions = conversions_from_list(json.loads(b) for b in bodies)
        except ValueError:  # written by this code, so only a hand-edited table gets here
            _log.exception("the stored number conversions are unreadable; none are used")
            self._conversions = ()

    @property
    def conversions(self) -> tuple[Conversion, ...]:
        return self._conversions

    def convert(self, dialled: str) -> str:
        return convert(dialled, self._conversions)

    def short_forms(self, number: str) -> tuple[str, ...]:
        return short_forms(number, self._conversions)

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def seed(self, raw: Sequence[Mapping[str, object]]) -> None:
        """Set the conversions at start (the demo organisation) when none are stored yet."""
        if self._conversions:
            return
        conversions = conversions_from_list(raw)
        _save(self._store, [json.dumps(conversion_to_dict(c)) for c in conversions])
        self._conversions = conversions

    async def replace(self, raw: Sequence[Mapping[str, object]]) -> tuple[Conversion, ...]:
        """Replace the whole list (ValueError naming the first bad conversion, nothing saved)."""
        conversions = conversions_from_list(raw)
        bodies = [json.dumps(conversion_to_dict(c)) for c in conversions]
        await self._store.aio.call(_save, self._store, bodies)
        self._conversions = conversions
        _log.info("number conversions replaced: %d", len(conversions))
        for listener in self._listeners:
            listener()
        return conversions
