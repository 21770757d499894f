"""The organisation's numbering, in memory and in the store: the number conversions (table
``number_conversions``, migration 0017) and the allowed destinations (table
``numbering_settings``, migration 0018). Read once at start; a change is written through the
store's worker thread (the loop never waits on SQL); a change of the conversions is told to
whoever listens (the directory gives every number its short forms again)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import delete, select

from pbx_core.numbering.destinations import (
    AllowedDestinations,
    OutsideType,
    allowed_from_dict,
    allowed_to_dict,
)
from pbx_core.numbering.rules import (
    Conversion,
    conversion_to_dict,
    conversions_from_list,
    convert,
    short_forms,
)
from pbx_core.permissions import Member
from pbx_core.store import Store
from pbx_core.store.numbering_models import NumberConversionRow, NumberingSettingRow

__all__ = ["NumberingBook"]

_log = logging.getLogger(__name__)

_ALLOWED = "allowed_destinations"


def _load(store: Store) -> tuple[list[str], str | None]:
    with store.transaction() as session:
        rows = session.scalars(select(NumberConversionRow).order_by(NumberConversionRow.position))
        bodies = [row.body for row in rows]
        allowed = session.get(NumberingSettingRow, _ALLOWED)
        return bodies, (allowed.body if allowed is not None else None)


def _save_setting(store: Store, name: str, body: str) -> None:
    with store.transaction() as session:
        row = session.get(NumberingSettingRow, name)
        if row is None:
            session.add(NumberingSettingRow(name=name, body=body))
        else:
            row.body = body


def _save(store: Store, bodies: Sequence[str]) -> None:
    with store.transaction() as session:
        session.execute(delete(NumberConversionRow))
        for position, body in enumerate(bodies):
            session.add(NumberConversionRow(position=position, body=body))


class NumberingBook:
    """Every number conversion of the PBX; :meth:`convert` is what a dialled number becomes."""

    def __init__(self, store: Store, region: str = "NL") -> None:
        self._store = store
        self.region = region
        self._conversions: tuple[Conversion, ...] = ()
        self._allowed = AllowedDestinations()
        self._allowed_stored = False
        self._listeners: list[Callable[[], None]] = []

    def load(self) -> None:
        bodies, allowed = _load(self._store)
        try:
            self._conversions = conversions_from_list(json.loads(b) for b in bodies)
        except ValueError:  # written by this code, so only a hand-edited table gets here
            _log.exception("the stored number conversions are unreadable; none are used")
            self._conversions = ()
        self._allowed_stored = allowed is not None
        try:
            self._allowed = allowed_from_dict(json.loads(allowed)) if allowed else self._allowed
        except ValueError:
            _log.exception("the stored allowed destinations are unreadable; the default applies")
            self._allowed = AllowedDestinations()

    @property
    def allowed(self) -> AllowedDestinations:
        return self._allowed

    def refusal(self, member: Member | None, number: str) -> OutsideType | None:
        """The number type ``member`` may not call ``number`` as (None: allowed)."""
        groups = () if member is None else (*member.groups, *filter(None, [member.department]))
        return self._allowed.refusal(groups, number, self.region)

    @property
    def conversions(self) -> tuple[Conversion, ...]:
        return self._conversions

    def convert(self, dialled: str) -> str:
        return convert(dialled, self._conversions)

    def short_forms(self, number: str) -> tuple[str, ...]:
        return short_forms(number, self._conversions)

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def seed(
        self, raw: Sequence[Mapping[str, object]], allowed: Mapping[str, object] | None = None
    ) -> None:
        """Set the conversions and the allowed destinations at start (the demo organisation)
        where none are stored yet."""
        if not self._conversions:
            conversions = conversions_from_list(raw)
            _save(self._store, [json.dumps(conversion_to_dict(c)) for c in conversions])
            self._conversions = conversions
        if allowed is not None and not self._allowed_stored:
            parsed = allowed_from_dict(allowed)
            _save_setting(self._store, _ALLOWED, json.dumps(allowed_to_dict(parsed)))
            self._allowed, self._allowed_stored = parsed, True

    async def replace_allowed(self, raw: Mapping[str, object]) -> AllowedDestinations:
        """Replace the allowed destinations (ValueError naming the fault, nothing saved)."""
        parsed = allowed_from_dict(raw)
        body = json.dumps(allowed_to_dict(parsed))
        await self._store.aio.call(_save_setting, self._store, _ALLOWED, body)
        self._allowed, self._allowed_stored = parsed, True
        _log.info("allowed destinations replaced: %s", body)
        return parsed

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
