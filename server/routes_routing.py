"""Routing rules through the API (P5, docs/routing.md "Routing rules"): your own rules and mobile
number, the effective list with each rule's scope, and the organisation's rules (admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from pbx_core.permissions import Permission
from pbx_core.store import UserRecord
from server.deps import CurrentUser, requires
from server.errors import ApiError
from server.router import api_router
from server.routes_forwarding import RoutingDep
from server.routing_schemas import (
    EffectiveRoutingOut,
    MyRoutingRulesBody,
    OrgRoutingRulesBody,
    RuleBody,
)
from server.schemas import ErrorOut

__all__ = ["router"]

router = api_router(tags=["routing"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    422: {"model": ErrorOut, "description": "a rule that cannot be (bad_routing_rule)"},
    503: {"model": ErrorOut, "description": "call routing is not available on this PBX"},
}
_ADMIN_ERRORS = {**_ERRORS, 403: {"model": ErrorOut, "description": "not an admin"}}

AdminUser = Annotated[UserRecord, Depends(requires(Permission.MANAGE_ORG_ROUTING))]


def _dicts(rules: list[RuleBody]) -> list[dict[str, object]]:
    return [rule.model_dump(mode="json") for rule in rules]


@router.get("/api/v1/me/routing-rules", response_model=MyRoutingRulesBody, responses=_ERRORS)
async def get_my_rules(user: CurrentUser, routing: RoutingDep) -> MyRoutingRulesBody:
    """Your own routing rules, in the order they are tried, and your mobile number."""
    book = routing.rules
    body = {"mobile": book.mobile(user.extension), "rules": book.own_dicts(user.extension)}
    return MyRoutingRulesBody.model_validate(body)


@router.put("/api/v1/me/routing-rules", response_model=MyRoutingRulesBody, responses=_ERRORS)
async def put_my_rules(
    body: MyRoutingRulesBody, user: CurrentUser, routing: RoutingDep
) -> MyRoutingRulesBody:
    """Replace your own routing rules (and your mobile number)."""
    try:
        await routing.rules.set_own(user.extension, _dicts(body.rules), body.mobile)
    except ValueError as exc:
        raise ApiError(422, "bad_routing_rule", str(exc)) from exc
    return await get_my_rules(user, routing)


@router.get("/api/v1/me/routing", response_model=EffectiveRoutingOut, responses=_ERRORS)
async def get_my_routing(user: CurrentUser, routing: RoutingDep) -> EffectiveRoutingOut:
    """Where your calls go: every rule and built-in row in the order they are tried."""
    return EffectiveRoutingOut.model_validate(
        {
            "time_zone": routing.rules.org.time_zone,
            "mobile": routing.rules.mobile(user.extension),
            "rules": routing.effective_rules(user.extension),
        }
    )


@router.get(
    "/api/v1/org/routing-rules", response_model=OrgRoutingRulesBody, responses=_ADMIN_ERRORS
)
async def get_org_rules(routing: RoutingDep, user: AdminUser) -> OrgRoutingRulesBody:
    """The organisation's required and overridable rules, its time zone and the ring delay
    before a status's call flow (admins)."""
    book = routing.rules
    return OrgRoutingRulesBody.model_validate(
        {
            "time_zone": book.org.time_zone,
            "call_flow_delay_s": book.org.call_flow_delay_s,
            "required": book.org_dicts("required"),
            "overridable": book.org_dicts("overridable"),
        }
    )


@router.put(
    "/api/v1/org/routing-rules", response_model=OrgRoutingRulesBody, responses=_ADMIN_ERRORS
)
async def put_org_rules(
    body: OrgRoutingRulesBody, routing: RoutingDep, user: AdminUser
) -> OrgRoutingRulesBody:
    """Replace the organisation's rules, time zone and call flow delay (admins)."""
    try:
        await routing.rules.set_org(
            _dicts(body.required),
            _dicts(body.overridable),
            body.time_zone,
            body.call_flow_delay_s,
        )
    except ValueError as exc:
        raise ApiError(422, "bad_routing_rule", str(exc)) from exc
    return await get_org_rules(routing, user)
