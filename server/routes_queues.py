"""ACD queues through the API (P9, S6, docs/queues.md).

A queue's members (its agents) and supervisors see it: its waiting callers, its agents and its
statistics tiles; an agent logs in, pauses and logs out, a supervisor does it for any member.
The queue call log is filtered by missed, answered and forwarded; a supervisor assigns a call to
an agent, who marks how far it is handled. Administrators (``manage_queues``) see and lead every
queue and create, change and remove queues under ``/api/v1/org/queues``. A queue the user has no
part in is not found (404).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Body, Depends, FastAPI, Query, Response

from pbx_core.acd.analytics import Period
from pbx_core.acd.calls import CallKind
from pbx_core.acd.connect import connect
from pbx_core.acd.model import AgentStatus, QueueConfig, config_from_dict, config_to_dict
from pbx_core.acd.service import MAX_CALLS
from pbx_core.acd.stats import agent_counts
from pbx_core.pbx import Pbx
from pbx_core.permissions import Permission, allowed, member_of
from pbx_core.routing.service import RoutingService
from pbx_core.store import UserRecord
from server.deps import CurrentUser, PbxDep, RowId, requires
from server.errors import ApiError
from server.queue_schemas import (
    AgentOut,
    AgentStateOut,
    AgentStatusIn,
    AnalyticsOut,
    QueueCallIn,
    QueueCallOut,
    QueueOut,
    QueueRole,
    QueueSummaryOut,
    StatsOut,
    WaitingOut,
)
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["install", "router"]

router = api_router(tags=["queues"])


def install(app: FastAPI, pbx: Pbx) -> None:
    """Start the queue engine on ``pbx``'s queues (opening hours in the organisation's time
    zone, that of the routing rules) and serve the queue routes. After call routing's."""
    routing = getattr(app.state, "routing", None)

    def local_now() -> datetime:
        if isinstance(routing, RoutingService):
            return datetime.now(ZoneInfo(routing.rules.org.time_zone))
        return datetime.now().astimezone()

    app.state.queue_engine = connect(pbx, local_now)
    app.include_router(router)


QueuesAdmin = Annotated[UserRecord, Depends(requires(Permission.MANAGE_QUEUES))]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    404: {"model": ErrorOut, "description": "no such queue, or not one of the user's"},
}
_ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    403: {"model": ErrorOut, "description": "not allowed to manage the queues"},
}


# -- who is what in a queue ----------------------------------------------------------------


def _is_admin(user: UserRecord) -> bool:
    return allowed(member_of(user), Permission.MANAGE_QUEUES)


def _leads(config: QueueConfig, user: UserRecord) -> bool:
    """A supervisor of the queue or an administrator: acts on any of its agents and calls."""
    return user.extension in config.supervisors or _is_admin(user)


def _role(config: QueueConfig, user: UserRecord) -> QueueRole | None:
    if _leads(config, user):
        return "supervisor"
    return "agent" if config.member(user.extension) is not None else None


def _queue_of(pbx: PbxDep, user: UserRecord, number: str) -> tuple[QueueConfig, QueueRole]:
    config = pbx.queues.queue(number)
    role = _role(config, user) if config is not None else None
    if config is None or role is None:
        raise ApiError(404, "not_found", f"there is no queue {number}")
    return config, role


def _my_status(pbx: PbxDep, config: QueueConfig, user: UserRecord) -> AgentStatus | None:
    state = pbx.queues.agents(config.number).get(user.extension)
    return state.status if state is not None else None


# -- an agent's and a supervisor's queues ----------------------------------------------------


@router.get("/api/v1/queues", response_model=list[QueueSummaryOut], responses=_ERRORS)
async def list_queues(pbx: PbxDep, user: CurrentUser) -> list[QueueSummaryOut]:
    """The user's queues (a member or a supervisor; an administrator: all), with their counts."""
    out: list[QueueSummaryOut] = []
    for config in pbx.queues.queues():
        role = _role(config, user)
        if role is None:
            continue
        live = pbx.queues.live_of(config.number)
        available, logged_in = agent_counts(pbx.queues.agents(config.number), live)
        out.append(
            QueueSummaryOut(
                number=config.number, name=config.name, role=role,
                my_status=_my_status(pbx, config, user),
                waiting=len(live.waiting) if live is not None else 0,
                agents_available=available, agents_logged_in=logged_in,
            )
        )  # fmt: skip
    return out


@router.get("/api/v1/queues/{number}", response_model=QueueOut, responses=_ERRORS)
async def get_queue(number: str, pbx: PbxDep, user: CurrentUser) -> QueueOut:
    """One queue: who waits (longest first), its agents and its statistics tiles."""
    config, role = _queue_of(pbx, user, number)
    queues = pbx.queues
    live, now = queues.live_of(number), queues.live_clock()
    stats = await queues.stats(number, datetime.now().astimezone())
    free = {a.extension: a.available for a in live.agents} if live is not None else {}
    agents = []
    for extension, state in queues.agents(number).items():
        member = config.member(extension)
        found = pbx.store.user_by_extension(extension)
        assert member is not None  # agents() lists the members
        agents.append(
            AgentOut(
                extension=extension, name=found.display_name if found else extension,
                status=state.status, available=free.get(extension, state.status == "logged_in"),
                skill=member.skill, priority=member.priority,
            )
        )  # fmt: skip
    waiting = [
        WaitingOut(
            call_id=w.call_id,
            caller=w.caller,
            caller_name=w.caller_name,
            waited_s=max(0.0, now - w.waiting_since),
        )
        for w in (live.waiting if live is not None else ())
    ]
    return QueueOut(
        number=config.number, name=config.name, metadata=config.metadata, role=role,
        my_status=_my_status(pbx, config, user), waiting=waiting, agents=agents,
        stats=StatsOut.of(stats),
    )  # fmt: skip


@router.get(
    "/api/v1/queues/{number}/analytics",
    response_model=AnalyticsOut,
    responses={**_ERRORS, 403: {"model": ErrorOut, "description": "not a supervisor"}},
)
async def get_analytics(
    number: str, pbx: PbxDep, user: CurrentUser, period: Period = "today"
) -> AnalyticsOut:
    """The queue's figures over ``period`` (today, yesterday, this_week, last_7_days,
    last_30_days; the server's calendar): calls, answered, given up, forwarded, waits, the
    service level (answered within 20 s), the busiest hour, and per agent. Supervisors and
    administrators."""
    config, role = _queue_of(pbx, user, number)
    if role != "supervisor":
        raise ApiError(403, "forbidden", f"the analytics of queue {number} are for supervisors")
    found = await pbx.queues.analytics(number, period, datetime.now().astimezone())
    names = {}
    for figures in found.agents:
        agent = pbx.store.user_by_extension(figures.extension)
        names[figures.extension] = agent.display_name if agent else figures.extension
    return AnalyticsOut.of(config.number, found, names)


@router.put(
    "/api/v1/queues/{number}/agents/{extension}",
    response_model=AgentStateOut,
    responses={**_ERRORS, 403: {"model": ErrorOut, "description": "not yours to change"}},
)
async def put_agent(
    number: str, extension: str, body: AgentStatusIn, pbx: PbxDep, user: CurrentUser
) -> AgentStateOut:
    """Log an agent in, pause them or log them out: yourself as a member; any member as the
    queue's supervisor or an administrator."""
    config = pbx.queues.queue(number)
    if config is None:
        raise ApiError(404, "not_found", f"there is no queue {number}")
    own = extension == user.extension and config.member(extension) is not None
    if not own and not _leads(config, user):
        raise ApiError(403, "forbidden", f"you may not change the agents of queue {number}")
    if config.member(extension) is None:
        raise ApiError(404, "not_found", f"{extension} is not a member of queue {number}")
    reason = "app" if extension == user.extension else "supervisor"
    state = pbx.queues.set_agent_status(number, extension, body.status, reason)
    return AgentStateOut(
        queue=number, extension=extension, status=state.status, reason=state.reason
    )


@router.get("/api/v1/queues/{number}/calls", response_model=list[QueueCallOut], responses=_ERRORS)
async def list_calls(
    number: str,
    pbx: PbxDep,
    user: CurrentUser,
    kind: CallKind | None = None,
    assigned_to_me: bool = False,
    limit: Annotated[int, Query(ge=1, le=MAX_CALLS)] = 100,
) -> list[QueueCallOut]:
    """The queue's calls, newest first: ``missed`` (the caller hung up, or was sent away with
    nowhere to go), ``answered``, ``forwarded`` (overflow to a number); ``assigned_to_me``:
    only those assigned to the user."""
    _queue_of(pbx, user, number)
    calls = await pbx.queues.calls(
        number, kind=kind, assigned_to=user.extension if assigned_to_me else None, limit=limit
    )
    return [QueueCallOut.of(c) for c in calls]


@router.put(
    "/api/v1/queues/{number}/calls/{id}",
    response_model=QueueCallOut,
    responses={
        **_ERRORS,
        403: {"model": ErrorOut, "description": "not assigned to the user"},
        422: {"model": ErrorOut, "description": "bad_queue_call: not a member, note too long"},
    },
)
async def put_call(
    number: str, id: RowId, body: QueueCallIn, pbx: PbxDep, user: CurrentUser
) -> QueueCallOut:
    """A supervisor (or administrator) assigns the call to a member and sets its handling and
    note; the agent it is assigned to changes the handling and the note."""
    config, _ = _queue_of(pbx, user, number)
    call = await pbx.queues.call(number, id)
    if call is None:
        raise ApiError(404, "not_found", f"queue {number} has no call {id}")
    if not _leads(config, user):
        if call.assigned_to != user.extension:
            raise ApiError(403, "forbidden", "you may only change calls assigned to you")
        if body.assigned_to != call.assigned_to:
            raise ApiError(403, "forbidden", "only a supervisor assigns calls")
    try:
        changed = await pbx.queues.update_call(
            number, id, assigned_to=body.assigned_to, handling=body.handling, note=body.note
        )
    except ValueError as exc:
        raise ApiError(422, "bad_queue_call", str(exc)) from exc
    if changed is None:
        raise ApiError(404, "not_found", f"queue {number} has no call {id}")
    return QueueCallOut.of(changed)


# -- the administrator's queues --------------------------------------------------------------

_EXAMPLE = {
    "number": "1502", "name": "Helpdesk", "code": "1502",
    "members": [{"extension": "202", "priority": 0, "skill": 3}], "supervisors": ["203"],
    "strategy": "priority", "ring_seconds": 20, "max_waiting": 10,
}  # fmt: skip


@router.get("/api/v1/org/queues", responses=_ADMIN_ERRORS)
async def get_org_queues(pbx: PbxDep, user: QueuesAdmin) -> list[dict[str, Any]]:
    """Every queue with all its settings (docs/queues.md), in the order they were created."""
    return [config_to_dict(c) for c in pbx.queues.queues()]


@router.put(
    "/api/v1/org/queues/{number}",
    responses={
        **_ADMIN_ERRORS,
        422: {"model": ErrorOut, "description": "bad_queue: what is wrong, in plain words"},
    },
)
async def put_org_queue(
    number: str,
    pbx: PbxDep,
    user: QueuesAdmin,
    body: Annotated[dict[str, Any], Body(openapi_examples={"queue": {"value": _EXAMPLE}})],
) -> dict[str, Any]:
    """Create the queue or replace all its settings (a setting left out takes its default).
    Members no longer listed are logged out."""
    if body.setdefault("number", number) != number:
        raise ApiError(422, "bad_queue", "the number in the path and in the body differ")
    try:
        config = await pbx.queues.put(config_from_dict(body))
    except ValueError as exc:
        raise ApiError(422, "bad_queue", str(exc)) from exc
    return config_to_dict(config)


@router.delete(
    "/api/v1/org/queues/{number}",
    status_code=204,
    responses={**_ADMIN_ERRORS, 404: {"model": ErrorOut, "description": "no such queue"}},
)
async def delete_org_queue(number: str, pbx: PbxDep, user: QueuesAdmin) -> Response:
    """Remove the queue and its agents' states (its call log stays)."""
    if not await pbx.queues.delete(number):
        raise ApiError(404, "not_found", f"there is no queue {number}")
    return Response(status_code=204)
