"""Planned statuses of the signed-in user through the API (docs/calendar.md).

Times of a plan are wall-clock times in its ``time_zone`` (an offset on the way in is converted
to that zone); occurrences come back in UTC. Invalid plans (a bad RRULE, an end before the
start) are answered with 422 and the reason; a plan that runs at the same time as others of
the user is kept, and the answer names those in ``overlaps``. Changes publish
``plans.changed`` on the event stream, to the owner's clients only.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from pbx_core.calendar.model import MAX_NOTE_CHARS, Occurrence, Plan, Repeat, rule_of, zone
from pbx_core.calendar.service import PlanService, Saved
from pbx_core.permissions import Permission, allowed, member_of
from pbx_core.presence import PresenceStatus
from server.deps import CurrentUser, PbxDep, RowId
from server.errors import ApiError
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["router"]

router = api_router(tags=["plans"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    404: {"model": ErrorOut, "description": "no such plan of yours"},
    422: {"model": ErrorOut, "description": "invalid plan (bad RRULE, end before start, ...)"},
}
_DEFAULT_WINDOW = timedelta(days=31)


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    status: PresenceStatus
    start: datetime = Field(description="wall-clock time in time_zone (all day: the first day)")
    end: datetime = Field(description="exclusive; all day: the last day or the midnight after it")
    all_day: bool = False
    time_zone: str = Field(default="UTC", max_length=64, description="IANA name")
    repeat: Repeat = "none"
    rrule: str | None = Field(
        default=None, max_length=500, description="RFC 5545 RRULE, for repeat=custom"
    )
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


class OccurrenceOut(BaseModel):
    start: datetime
    end: datetime


WallClock = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
            "description": "a wall-clock time in the plan's time_zone, without an offset",
            "examples": ["2026-12-07T09:00:00"],
        }
    ),
]
"""A plan's start or end as the user set it: a local time of its zone (no offset: a repeating
plan keeps its hour across daylight-saving changes)."""


class PlanOut(BaseModel):
    id: int
    name: str
    status: PresenceStatus
    start: WallClock
    end: WallClock
    all_day: bool
    time_zone: str
    repeat: Repeat
    rrule: str | None = Field(description="the RRULE the plan repeats by; null: once")
    note: str | None
    occurrences: list[OccurrenceOut] = Field(
        default_factory=list, description="runs in the asked window, UTC"
    )
    overlaps: list[int] = Field(
        default_factory=list, description="ids of your plans that run at the same time"
    )

    @classmethod
    def of(
        cls, plan: Plan, overlaps: list[int], occurrences: list[Occurrence] | None = None
    ) -> PlanOut:
        return cls(
            id=plan.id,
            name=plan.name,
            status=plan.status,
            start=plan.start,
            end=plan.end,
            all_day=plan.all_day,
            time_zone=plan.time_zone,
            repeat=plan.repeat,
            rrule=rule_of(plan),
            note=plan.note,
            occurrences=[OccurrenceOut(start=o.start, end=o.end) for o in occurrences or []],
            overlaps=overlaps,
        )


def _local(value: datetime, time_zone: str) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(zone(time_zone)).replace(tzinfo=None)


def _plan(body: PlanIn, extension: str, plan_id: int = 0) -> Plan:
    try:
        start = _local(body.start, body.time_zone)
        end = _local(body.end, body.time_zone)
    except ValueError as exc:
        raise ApiError(422, "invalid_request", str(exc)) from exc
    if body.all_day:
        midnight = datetime.min.time()
        first = datetime.combine(start.date(), midnight)
        last = datetime.combine(end.date(), midnight)
        if end != last or last <= first:  # a last day (inclusive) rather than the midnight after
            last += timedelta(days=1)
        start, end = first, last
    note = " ".join(body.note.split()) if body.note else None
    return Plan(
        plan_id,
        extension=extension,
        name=body.name.strip(),
        status=body.status,
        start=start,
        end=end,
        time_zone=body.time_zone,
        all_day=body.all_day,
        repeat=body.repeat,
        rrule=body.rrule if body.repeat == "custom" else None,
        note=note or None,
    )


def _aware(value: datetime | None, name: str, default: datetime) -> datetime:
    if value is None:
        return default
    if value.tzinfo is None:
        raise ApiError(422, "invalid_request", f"{name} must include a time zone, e.g. Z")
    return value.astimezone(UTC)


def _service(pbx: PbxDep) -> PlanService:
    return pbx.plans


def _out(saved: Saved) -> PlanOut:
    return PlanOut.of(saved.plan, saved.overlaps)


From = Annotated[datetime | None, Query(alias="from", description="default: now")]
To = Annotated[datetime | None, Query(alias="to", description="default: from + 31 days")]


def _window(
    service: PlanService, extension: str, start: datetime | None, end: datetime | None
) -> list[PlanOut]:
    window_start = _aware(start, "from", datetime.now(UTC))
    window_end = _aware(end, "to", window_start + _DEFAULT_WINDOW)
    try:
        found = service.window(extension, window_start, window_end)
    except ValueError as exc:
        raise ApiError(422, "invalid_request", str(exc)) from exc
    return [PlanOut.of(p, service.overlaps(p), occurrences) for p, occurrences in found]


@router.get("/api/v1/me/plans", response_model=list[PlanOut], responses=_ERRORS)
async def list_plans(
    user: CurrentUser, pbx: PbxDep, start: From = None, end: To = None
) -> list[PlanOut]:
    """Your plans that run in the window, each with its occurrences there and its overlaps."""
    return _window(_service(pbx), user.extension, start, end)


@router.get(
    "/api/v1/users/{extension}/plans",
    response_model=list[PlanOut],
    responses={
        **_ERRORS,
        403: {"model": ErrorOut, "description": "not a colleague whose plans you may see"},
        404: {"model": ErrorOut, "description": "no such user"},
    },
)
async def colleague_plans(
    extension: str, user: CurrentUser, pbx: PbxDep, start: From = None, end: To = None
) -> list[PlanOut]:
    """A colleague's plans in the window (read only): admins see anyone's, a supervisor their
    department's (permission ``see_plans``, docs/permissions.md)."""
    owner = pbx.store.user_by_extension(extension)
    if owner is None:
        raise ApiError(404, "not_found", f"no user {extension}")
    if not allowed(member_of(user), Permission.SEE_PLANS, member_of(owner)):
        raise ApiError(403, "forbidden", f"you may not see the planned statuses of {extension}")
    return _window(_service(pbx), extension, start, end)


@router.post("/api/v1/me/plans", response_model=PlanOut, status_code=201, responses=_ERRORS)
async def create_plan(body: PlanIn, user: CurrentUser, pbx: PbxDep) -> PlanOut:
    """Plan a status; ``overlaps`` names your plans that run at the same time."""
    try:
        return _out(await _service(pbx).create(_plan(body, user.extension)))
    except ValueError as exc:
        raise ApiError(422, "invalid_request", str(exc)) from exc


@router.put("/api/v1/me/plans/{plan_id:int}", response_model=PlanOut, responses=_ERRORS)
async def update_plan(plan_id: RowId, body: PlanIn, user: CurrentUser, pbx: PbxDep) -> PlanOut:
    """Replace one of your plans."""
    try:
        return _out(await _service(pbx).update(_plan(body, user.extension, plan_id)))
    except ValueError as exc:
        raise ApiError(422, "invalid_request", str(exc)) from exc


@router.delete("/api/v1/me/plans/{plan_id:int}", status_code=204, responses=_ERRORS)
async def delete_plan(plan_id: RowId, user: CurrentUser, pbx: PbxDep) -> None:
    """Delete one of your plans (a running one ends: back to available)."""
    await _service(pbx).delete(user.extension, plan_id)
