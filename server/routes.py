"""REST routes of API v1: health, sign-in, the signed-in user, call history, presence.

The directory's routes live in ``server/directory_routes.py``.

Every route is a coroutine, so it runs on the event loop with the PBX it talks to (presence
timers, the bus and its WebSocket queues, the call registry are loop-only); the store is reached
through ``pbx.store.aio``, so no route makes the loop wait on SQL.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query

from pbx_core.pbx import Pbx
from pbx_core.permissions import Permission, allowed, member_of, reach
from pbx_core.store import CallRecord, UserRecord
from pbx_core.telephony import Party
from server.deps import BearerToken, CurrentUser, PbxDep, RowId, TokensDep
from server.errors import ApiError
from server.router import api_router
from server.schemas import (
    ActiveCallOut,
    AttendedTransferIn,
    CallOut,
    ColleaguePresenceOut,
    ConferenceOut,
    DeviceOut,
    ErrorOut,
    HealthOut,
    LoginIn,
    LoginOut,
    MeOut,
    MoveIn,
    ParkedCallOut,
    PartyOut,
    PresenceIn,
    PresenceOut,
    QualityOut,
    TransferIn,
)

__all__ = ["router"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    422: {"model": ErrorOut, "description": "invalid request"},
}

_Q_HELP = "name, first name, department, company or number (spaces and dashes ignored)"

router = api_router()


@router.get("/api/health", response_model=HealthOut, tags=["health"])
async def health(pbx: PbxDep) -> HealthOut:
    """Liveness: answers as soon as the server is ready."""
    telephony = pbx.telephony
    return HealthOut(
        sip_udp=telephony.sip_udp_port,
        sip_tcp=telephony.sip_tcp_port,
        sip_tls=telephony.sip_tls_port,
        sip_ws=telephony.sip_ws_port,
    )


@router.post(
    "/api/v1/auth/login",
    response_model=LoginOut,
    tags=["auth"],
    responses={
        401: {"model": ErrorOut, "description": "wrong user name or password"},
        429: {"model": ErrorOut, "description": "too many failed sign-ins; see Retry-After"},
    },
)
async def login(body: LoginIn, pbx: PbxDep, tokens: TokensDep) -> LoginOut:
    """Sign in with extension or e-mail and password; returns a bearer token."""
    user = await pbx.accounts.authenticate(body.username, body.password)
    token = tokens.issue(user.id, user.extension)
    return LoginOut(
        token=token, expires_in=int(tokens.ttl.total_seconds()), extension=user.extension
    )


@router.post("/api/v1/auth/logout", status_code=204, tags=["auth"], responses=_ERRORS)
async def logout(user: CurrentUser, token: BearerToken, tokens: TokensDep) -> None:
    """End this token's session (other sessions of the user stay signed in)."""
    del user
    tokens.revoke(token)


@router.get("/api/v1/me", response_model=MeOut, tags=["me"], responses=_ERRORS)
async def me(user: CurrentUser, pbx: PbxDep) -> MeOut:
    """The signed-in user with their presence."""
    return MeOut(
        id=user.id,
        name=user.display_name,
        extension=user.extension,
        email=user.email,
        department=user.department,
        roles=list(user.roles),
        presence=presence_out(pbx, user.extension),
        pick_up_from=_pick_up_from(pbx, user),
    )


def _pick_up_from(pbx: Pbx, user: UserRecord) -> list[str] | None:
    reached = reach(member_of(user), Permission.PICK_UP, pbx.store.users())
    return None if reached is None else list(reached)


@router.get(
    "/api/v1/presence",
    response_model=list[ColleaguePresenceOut],
    tags=["presence"],
    responses=_ERRORS,
)
async def everyones_presence(user: CurrentUser, pbx: PbxDep) -> list[ColleaguePresenceOut]:
    """Every colleague's presence now (what ``presence.updated`` events carry): for a client
    that was away long enough to have missed some of them (``resync``), of each colleague whose
    presence the user may see (docs/permissions.md)."""
    watcher = member_of(user)
    return [
        ColleaguePresenceOut(extension=u.extension, **presence_out(pbx, u.extension).model_dump())
        for u in pbx.store.users()
        if allowed(watcher, Permission.SEE_PRESENCE, member_of(u))
    ]


@router.get("/api/v1/me/presence", response_model=PresenceOut, tags=["me"], responses=_ERRORS)
async def get_presence(user: CurrentUser, pbx: PbxDep) -> PresenceOut:
    return presence_out(pbx, user.extension)


@router.put("/api/v1/me/presence", response_model=PresenceOut, tags=["me"], responses=_ERRORS)
async def put_presence(body: PresenceIn, user: CurrentUser, pbx: PbxDep) -> PresenceOut:
    """Set the signed-in user's status, optionally until a time (then back to available)."""
    until = body.until
    if until is not None and until.tzinfo is None:
        raise ApiError(422, "invalid_request", "until must include a time zone, e.g. Z or +01:00")
    try:
        await pbx.presence.set(user.extension, body.status, until)
        if body.role is not None or body.note is not None:
            await pbx.presence.set_details(user.extension, role=body.role, note=body.note)
    except ValueError as exc:
        raise ApiError(422, "invalid_request", str(exc)) from exc
    return presence_out(pbx, user.extension)


@router.get("/api/v1/calls", response_model=list[CallOut], tags=["calls"], responses=_ERRORS)
async def calls(
    user: CurrentUser,
    pbx: PbxDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[CallOut]:
    """The signed-in user's call history, newest first."""
    history = await pbx.store.aio.call_history(user.extension, limit)
    others = [_other(user.extension, c) for c in history]
    names = await pbx.directory.names_for_numbers(others)
    return [_call_out(names, user.extension, c) for c in history]


@router.delete(
    "/api/v1/calls/{call_id}",
    status_code=204,
    tags=["calls"],
    responses={
        **_ERRORS,
        404: {"model": ErrorOut, "description": "no such call in the user's history"},
    },
)
async def hide_call(call_id: RowId, user: CurrentUser, pbx: PbxDep) -> None:
    """Remove a call from the signed-in user's history; the other party still sees it."""
    if not await pbx.store.aio.hide_call(user.id, call_id):
        raise ApiError(404, "not_found", f"no call {call_id} in your history")


@router.get(
    "/api/v1/active-calls", response_model=list[ActiveCallOut], tags=["calls"], responses=_ERRORS
)
async def active_calls(user: CurrentUser, pbx: PbxDep) -> list[ActiveCallOut]:
    """The signed-in user's calls in progress (ringing, answered, parked by nobody else)."""
    return [
        ActiveCallOut(
            call_id=c.call_id,
            caller=c.caller,
            callee=c.callee,
            answered=c.answered,
            parties=[_party_out(p) for p in c.parties],
            parked_slot=c.parked_slot,
            room=c.room,
        )
        for c in pbx.telephony.active_calls(user.extension)
    ]


_CALL_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    409: {"model": ErrorOut, "description": "the call is not yours or cannot be transferred now"},
}


@router.post(
    "/api/v1/active-calls/{call_id}/transfer",
    status_code=202,
    tags=["calls"],
    responses=_CALL_ERRORS,
)
async def transfer(call_id: str, body: TransferIn, user: CurrentUser, pbx: PbxDep) -> None:
    """Blind transfer: the other party rings ``to`` and you leave the call (7000 parks it)."""
    pbx.telephony.transfer(call_id, user.extension, body.to)


@router.post(
    "/api/v1/active-calls/{call_id}/attended-transfer",
    status_code=202,
    tags=["calls"],
    responses=_CALL_ERRORS,
)
async def attended_transfer(
    call_id: str, body: AttendedTransferIn, user: CurrentUser, pbx: PbxDep
) -> None:
    """Attended transfer: the other parties of this call and ``with_call_id`` talk; you leave."""
    pbx.telephony.attended_transfer(call_id, body.with_call_id, user.extension)


@router.get("/api/v1/me/devices", response_model=list[DeviceOut], tags=["me"], responses=_ERRORS)
async def devices(user: CurrentUser, pbx: PbxDep) -> list[DeviceOut]:
    """The signed-in user's registered phones (desk phone, softphones), newest first."""
    return [DeviceOut.model_validate(d) for d in pbx.telephony.devices(user.extension)]


@router.post(
    "/api/v1/active-calls/{call_id}/move",
    status_code=202,
    tags=["calls"],
    responses=_CALL_ERRORS,
)
async def move(call_id: str, body: MoveIn, user: CurrentUser, pbx: PbxDep) -> None:
    """Move your side of the call to another of your phones: it rings, and the other party is
    connected when you answer there (take it back with ``*7*`` from the first phone)."""
    pbx.telephony.move(call_id, user.extension, body.device_id)


@router.post(
    "/api/v1/active-calls/{call_id}/conference",
    response_model=ConferenceOut,
    tags=["calls"],
    responses=_CALL_ERRORS,
)
async def merge(
    call_id: str, body: AttendedTransferIn, user: CurrentUser, pbx: PbxDep
) -> ConferenceOut:
    """Merge this call and ``with_call_id`` into one conference (up to 32 parties): everyone
    hears everyone else. To add a party, call them, then merge."""
    room = pbx.telephony.merge(call_id, body.with_call_id, user.extension)
    return ConferenceOut(room=room)


@router.get("/api/v1/parked", response_model=list[ParkedCallOut], tags=["calls"], responses=_ERRORS)
async def parked(user: CurrentUser, pbx: PbxDep) -> list[ParkedCallOut]:
    """Calls waiting in park slots (a blind transfer to 7000 parks a call), in slot order."""
    return [ParkedCallOut.model_validate(p) for p in pbx.telephony.parked_calls()]


def _party_out(party: Party) -> PartyOut:
    q = party.quality
    quality = None
    if q is not None:
        quality = QualityOut(
            packets_received=q.packets_received,
            packets_lost=q.packets_lost,
            fraction_lost=round(q.fraction_lost, 4),
            jitter_ms=round(q.jitter_ms, 1),
            round_trip_ms=round(q.round_trip_ms, 1) if q.round_trip_ms is not None else None,
            mos=round(q.mos, 2),
        )
    return PartyOut(extension=party.extension, name=party.name, state=party.state, quality=quality)


def presence_out(pbx: Pbx, extension: str) -> PresenceOut:
    """The computed view (pbx_core.presence_view), the same SIP NOTIFY and the events carry."""
    view = pbx.telephony.presence_view(extension)
    return PresenceOut.model_validate(
        {
            "status": view.status,
            "until": view.until,
            "role": view.role,
            "note": view.note,
            "activity": view.activity,
            "line": view.line,
            "registered": view.registered,
            "forwarding": view.forwarding,
            "planned": [{"status": p.status, "start": p.start, "end": p.end} for p in view.planned],
        }
    )


def _other(extension: str, c: CallRecord) -> str:
    return c.callee if c.caller == extension else c.caller


def _call_out(names: dict[str, str | None], extension: str, c: CallRecord) -> CallOut:
    outgoing = c.caller == extension
    other = _other(extension, c)
    stored_name = c.callee_name if outgoing else c.caller_name
    direction: Literal["incoming", "outgoing", "missed"] = (
        "outgoing" if outgoing else ("incoming" if c.answered else "missed")
    )
    duration = 0
    if c.answered and c.answered_at is not None:
        duration = max(0, round((c.ended_at - c.answered_at).total_seconds()))
    assert c.id is not None  # read back from the store
    return CallOut(
        id=c.id,
        call_id=c.call_id,
        direction=direction,
        number=other,
        name=names.get(other) or stored_name,
        caller=c.caller,
        callee=c.callee,
        started_at=c.started_at,
        answered_at=c.answered_at,
        ended_at=c.ended_at,
        answered=c.answered,
        duration=duration,
        reason=c.reason,
        ended_by=c.ended_by,
        sip_status=c.sip_status,
    )
