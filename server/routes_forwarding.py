"""Call routing through the API: the signed-in user's forwarding (C4) and the call flow of
each status (S9), docs/routing.md. A change comes on the WebSocket as ``forwarding.changed``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI
from pydantic import BaseModel, Field

from pbx_core.pbx import Pbx
from pbx_core.routing.attach import attach
from pbx_core.routing.service import RoutingService
from server.deps import CurrentUser, state_service
from server.errors import ApiError
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["install", "router"]

router = api_router(tags=["routing"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    422: {"model": ErrorOut, "description": "a bad number, status or call flow"},
    503: {"model": ErrorOut, "description": "call routing is not available on this PBX"},
}


def install(app: FastAPI, pbx: Pbx) -> None:
    """Attach call routing to ``pbx`` and serve its routes."""
    app.state.routing = attach(pbx)
    app.include_router(router)


get_routing = state_service(
    "routing", RoutingService, "routing_off", "call routing is not available on this PBX"
)


RoutingDep = Annotated[RoutingService, Depends(get_routing)]


class ForwardingBody(BaseModel):
    enabled: bool = Field(description="calls to you go to ``number``")
    number: str | None = Field(
        default=None, description="an extension or an outside number; kept while off"
    )


@router.get("/api/v1/me/forwarding", response_model=ForwardingBody, responses=_ERRORS)
async def get_forwarding(user: CurrentUser, routing: RoutingDep) -> ForwardingBody:
    """Whether your calls are forwarded, and where (also ``*21*<number>*`` / ``#21#*``)."""
    found = routing.forwarding(user.extension)
    return ForwardingBody(enabled=found.enabled, number=found.number)


@router.put("/api/v1/me/forwarding", response_model=ForwardingBody, responses=_ERRORS)
async def put_forwarding(
    body: ForwardingBody, user: CurrentUser, routing: RoutingDep
) -> ForwardingBody:
    """Forward your calls to ``number`` (``enabled``), or stop forwarding."""
    try:
        found = await routing.set_forwarding(user.extension, body.enabled, body.number)
    except ValueError as exc:
        raise ApiError(422, "bad_number", str(exc)) from exc
    return ForwardingBody(enabled=found.enabled, number=found.number)


class CallFlowsBody(BaseModel):
    flows: dict[str, str] = Field(
        description='status -> "default", "voicemail" or "forward to <number>"'
    )


@router.get("/api/v1/me/call-flows", response_model=CallFlowsBody, responses=_ERRORS)
async def get_call_flows(user: CurrentUser, routing: RoutingDep) -> CallFlowsBody:
    """What each of your statuses does with calls (seed 000: call flow per status)."""
    return CallFlowsBody(flows=routing.call_flows(user.extension))


@router.put("/api/v1/me/call-flows", response_model=CallFlowsBody, responses=_ERRORS)
async def put_call_flows(
    body: CallFlowsBody, user: CurrentUser, routing: RoutingDep
) -> CallFlowsBody:
    """Set the call flow of the given statuses (the others keep theirs)."""
    try:
        flows = await routing.set_call_flows(user.extension, body.flows)
    except ValueError as exc:
        raise ApiError(422, "bad_call_flow", str(exc)) from exc
    return CallFlowsBody(flows=flows)
