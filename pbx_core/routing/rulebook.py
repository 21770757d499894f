"""The routing rules of the organisation and of each user, in memory and in the store (tables
``routing_rules`` and ``routing_settings``, migration 0009), with each user's mobile number and
the organisation's time zone. Rules are kept in their JSON form in the store and parsed once,
here, by :func:`pbx_core.routing.rules.rule_from_dict` (the API's checks are the same)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select

from pbx_core.routing.rules import (
    MAX_RULES,
    Rule,
    RuleSet,
    ScopedRule,
    merged,
    rule_from_dict,
    rule_to_dict,
)
from pbx_core.store import Store
from pbx_core.store.routing_models import ORG, RoutingRuleRow, RoutingSettingsRow

__all__ = ["DEFAULT_TIME_ZONE", "MAX_CALL_FLOW_DELAY_S", "OrgRules", "RuleBook", "valid_mobile"]

DEFAULT_TIME_ZONE = "Europe/Amsterdam"
MAX_CALL_FLOW_DELAY_S = 120
_NUMBER_CHARS = frozenset("+0123456789")


@dataclass(frozen=True, slots=True)
class OrgRules:
    """The organisation's rules, the time zone its time-of-day conditions are read in, and how
    long a user's phones ring before the call flow of their status applies (S9; 0: at once)."""

    required: tuple[Rule, ...] = ()
    overridable: tuple[Rule, ...] = ()
    time_zone: str = DEFAULT_TIME_ZONE
    call_flow_delay_s: int = 0


def valid_mobile(number: str) -> bool:
    """A mobile number: digits with an optional leading + (2-20 digits)."""
    digits = number[1:] if number.startswith("+") else number
    return 2 <= len(digits) <= 20 and set(number) <= _NUMBER_CHARS and digits.isdigit()


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _parse_all(raw: Sequence[Mapping[str, object]], statuses: Iterable[str]) -> tuple[Rule, ...]:
    if len(raw) > MAX_RULES:
        raise ValueError(f"at most {MAX_RULES} rules")
    known = tuple(statuses)
    rules = []
    for index, item in enumerate(raw, 1):
        try:
            rules.append(rule_from_dict(item, known))
        except ValueError as exc:
            raise ValueError(f"rule {index}: {exc}") from exc
    return tuple(rules)


def _load(store: Store) -> tuple[dict[tuple[str, str], list[str]], dict[str, RoutingSettingsRow]]:
    with store.transaction() as session:
        rows = session.scalars(select(RoutingRuleRow).order_by(RoutingRuleRow.position)).all()
        settings = session.scalars(select(RoutingSettingsRow)).all()
        rules: dict[tuple[str, str], list[str]] = {}
        for row in rows:
            rules.setdefault((row.owner, row.scope), []).append(row.body)
        found = {
            s.owner: RoutingSettingsRow(
                owner=s.owner,
                mobile=s.mobile,
                time_zone=s.time_zone,
                call_flow_delay_s=s.call_flow_delay_s,
            )
            for s in settings
        }
        return rules, found


def _save(
    store: Store,
    owner: str,
    scopes: dict[str, list[str]],
    mobile: str | None,
    time_zone: str | None,
    call_flow_delay_s: int | None = None,
) -> None:
    with store.transaction() as session:
        for scope, bodies in scopes.items():
            session.execute(
                delete(RoutingRuleRow).where(
                    RoutingRuleRow.owner == owner, RoutingRuleRow.scope == scope
                )
            )
            for position, body in enumerate(bodies):
                session.add(RoutingRuleRow(owner=owner, scope=scope, position=position, body=body))
        row = session.get(RoutingSettingsRow, owner)
        if row is None:
            row = RoutingSettingsRow(owner=owner)
            session.add(row)
        row.mobile, row.time_zone, row.call_flow_delay_s = mobile, time_zone, call_flow_delay_s


class RuleBook:
    """Every routing rule of the PBX; read once at start, written through on each change."""

    def __init__(self, store: Store, statuses: Iterable[str]) -> None:
        self._store = store
        self._statuses = tuple(statuses)
        self._org = OrgRules()
        self._own: dict[str, tuple[Rule, ...]] = {}
        self._mobile: dict[str, str] = {}

    def load(self) -> None:
        rules, settings = _load(self._store)

        def parsed(owner: str, scope: str) -> tuple[Rule, ...]:
            bodies = rules.get((owner, scope), [])
            return tuple(rule_from_dict(json.loads(b), self._statuses) for b in bodies)

        org = settings.get(ORG)
        self._org = OrgRules(
            parsed(ORG, "required"),
            parsed(ORG, "overridable"),
            (org.time_zone if org is not None else None) or DEFAULT_TIME_ZONE,
            (org.call_flow_delay_s if org is not None else None) or 0,
        )
        owners = {owner for owner, scope in rules if owner != ORG and scope == "own"}
        self._own = {owner: parsed(owner, "own") for owner in owners}
        self._mobile = {o: s.mobile for o, s in settings.items() if o != ORG and s.mobile}

    # -- reading -------------------------------------------------------------------------

    @property
    def org(self) -> OrgRules:
        return self._org

    def own(self, extension: str) -> tuple[Rule, ...]:
        return self._own.get(extension, ())

    def own_dicts(self, extension: str) -> list[dict[str, object]]:
        return [rule_to_dict(r) for r in self.own(extension)]

    def org_dicts(self, scope: str) -> list[dict[str, object]]:
        """The organisation's ``required`` or ``overridable`` rules in their JSON form."""
        rules = self._org.required if scope == "required" else self._org.overridable
        return [rule_to_dict(r) for r in rules]

    def mobile(self, extension: str) -> str | None:
        return self._mobile.get(extension)

    def rules_for(self, extension: str) -> tuple[ScopedRule, ...]:
        """The merged list for ``extension``: required, own, overridable (docs/routing.md)."""
        org = self._org
        return merged(RuleSet(org.required, self.own(extension), org.overridable))

    def local_time(self, now: datetime) -> datetime:
        """``now`` (aware) on the organisation's clock, for time-of-day conditions."""
        return now.astimezone(_zone(self._org.time_zone))

    def utc_now(self) -> datetime:
        return datetime.now(UTC)

    # -- writing -------------------------------------------------------------------------

    async def set_own(
        self, extension: str, raw: Sequence[Mapping[str, object]], mobile: str | None
    ) -> tuple[Rule, ...]:
        """Replace ``extension``'s own rules and mobile number; ValueError with the reason."""
        rules = _parse_all(raw, self._statuses)
        if mobile is not None:
            mobile = mobile.strip() or None
        if mobile is not None and not valid_mobile(mobile):
            raise ValueError(f"not a mobile number (digits, a leading +): {mobile!r}")
        if mobile == extension:
            raise ValueError("your mobile number cannot be your own extension")
        if mobile is None and any(s.target == "mobile" for r in rules for s in r.steps):
            raise ValueError("a rule rings your mobile: set your mobile number")
        bodies = [json.dumps(rule_to_dict(r)) for r in rules]
        await self._store.aio.call(_save, self._store, extension, {"own": bodies}, mobile, None)
        self._own[extension] = rules
        if mobile is None:
            self._mobile.pop(extension, None)
        else:
            self._mobile[extension] = mobile
        return rules

    async def set_org(
        self,
        required: Sequence[Mapping[str, object]],
        overridable: Sequence[Mapping[str, object]],
        time_zone: str,
        call_flow_delay_s: int = 0,
    ) -> OrgRules:
        """Replace the organisation's rules, time zone and call flow delay; ValueError with the
        reason."""
        _zone(time_zone)
        if not 0 <= call_flow_delay_s <= MAX_CALL_FLOW_DELAY_S:
            raise ValueError(f"the call flow delay is 0-{MAX_CALL_FLOW_DELAY_S} seconds")
        try:
            req = _parse_all(required, self._statuses)
        except ValueError as exc:
            raise ValueError(f"required {exc}") from exc
        try:
            over = _parse_all(overridable, self._statuses)
        except ValueError as exc:
            raise ValueError(f"overridable {exc}") from exc
        scopes = {
            "required": [json.dumps(rule_to_dict(r)) for r in req],
            "overridable": [json.dumps(rule_to_dict(r)) for r in over],
        }
        store, delay = self._store, call_flow_delay_s
        await store.aio.call(_save, store, ORG, scopes, None, time_zone, delay)
        self._org = OrgRules(req, over, time_zone, delay)
        return self._org
