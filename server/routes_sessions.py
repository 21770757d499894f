"""Routes of the signed-in user's password and sessions (issue 14 "API", feature P1).

``PUT /api/v1/me/password`` checks the current password (wrong ones count towards a temporary
block as wrong sign-ins do, per user, with the sign-in guard's limits), applies the password
policy (422 lists every broken rule), sets the one password of API and SIP, and ends the user's
other sessions. ``GET /api/v1/me/sessions`` lists the user's sessions by public id, and
``DELETE /api/v1/me/sessions/{id}`` ends one (its event WebSockets close with 4401).
A small ASGI middleware notes each request's user agent and source address, so a session issued
by sign-in remembers where it came from.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from pbx_core.errors import AuthError
from pbx_core.guard import FailureGuard, GuardPolicy
from pbx_core.password_policy import PasswordPolicyError
from server.auth import CLIENT, ClientInfo
from server.deps import BearerToken, CurrentUser, PbxDep, TokensDep
from server.errors import ApiError, error_response
from server.limits import HashSlots
from server.router import api_router
from server.schemas import ErrorOut
from server.session_store import persist_sessions

__all__ = ["install", "router"]

_log = logging.getLogger(__name__)


class PasswordChangeIn(BaseModel):
    current: str = Field(max_length=1000, description="the password in use now")
    new: str = Field(max_length=1000, description="the new password (see the password policy)")


class PasswordRejectedOut(ErrorOut):
    """422 of a new password: every rule of the policy it breaks."""

    problems: list[str] = Field(examples=[["the password must contain at least one digit (0-9)"]])
    codes: list[str] = Field(
        description="the broken rules' codes, in the order of problems: too_short, too_long, "
        "no_digit, no_lower, no_upper, no_special, bad_character",
        examples=[["no_digit"]],
    )


class SessionOut(BaseModel):
    id: str = Field(description="public id of the session (not its token)")
    created: datetime
    last_used: datetime
    expires: datetime
    user_agent: str | None
    source: str | None = Field(description="IP address the session signed in from")
    current: bool = Field(description="true for the session of this request's token")


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    422: {"model": ErrorOut, "description": "invalid request"},
}

router = api_router(tags=["me"], responses=_ERRORS)


def _guard(request: Request) -> FailureGuard:
    guard: FailureGuard = request.app.state.password_guard
    return guard


def _blocked(guard: FailureGuard, key: str) -> Response | None:
    """429 with ``Retry-After`` while ``key`` is blocked after wrong passwords."""
    wait = guard.retry_after((key,), time.monotonic())
    if wait is None:
        return None
    return error_response(
        429,
        "too_many_requests",
        "too many wrong passwords; try again later",
        {"Retry-After": str(max(1, int(wait + 0.999)))},
    )


@router.put(
    "/api/v1/me/password",
    status_code=204,
    response_class=Response,
    responses={
        403: {"model": ErrorOut, "description": "the current password is wrong"},
        422: {"model": PasswordRejectedOut, "description": "the new password breaks the policy"},
        429: {"model": ErrorOut, "description": "too many wrong passwords; see Retry-After"},
    },
)
async def change_password(
    body: PasswordChangeIn,
    request: Request,
    user: CurrentUser,
    token: BearerToken,
    pbx: PbxDep,
    tokens: TokensDep,
) -> Response:
    """Change the signed-in user's password (API and SIP); other sessions are signed out."""
    guard = _guard(request)
    key = "user:" + user.extension
    if (blocked := _blocked(guard, key)) is not None:
        return blocked
    slots: HashSlots = request.app.state.hash_slots
    # hashed in the sign-in's slots, so password changes cannot take the cores calls need
    async with slots.held(guard.failures(key, time.monotonic())):
        if (blocked := _blocked(guard, key)) is not None:  # blocked while this one waited
            return blocked
        try:
            await pbx.accounts.change_password(user, body.current, body.new)
        except AuthError as exc:
            for blocked_key in guard.failed((key,), time.monotonic()):
                _log.warning(
                    "password change: %s blocked after repeated wrong passwords", blocked_key
                )
            raise ApiError(403, "forbidden", str(exc)) from exc
        except PasswordPolicyError as exc:
            return JSONResponse(
                {
                    "error": "weak_password",
                    "message": "the new password does not meet the password policy",
                    "problems": exc.problems,
                    "codes": exc.codes,
                },
                status_code=422,
            )
    guard.succeeded(key)
    ended = tokens.revoke_user(user.id, keep=token)
    _log.info("password of %s changed; %d other session(s) ended", user.extension, ended)
    return Response(status_code=204)


@router.get("/api/v1/me/sessions", response_model=list[SessionOut])
async def sessions(user: CurrentUser, token: BearerToken, tokens: TokensDep) -> list[SessionOut]:
    """The signed-in user's sessions, newest first; ``current`` marks this one."""
    mine = tokens.session_id(token)
    return [
        SessionOut(
            id=s.id,
            created=s.created_at,
            last_used=s.last_used_at,
            expires=s.expires_at,
            user_agent=s.user_agent,
            source=s.source,
            current=s.id == mine,
        )
        for s in tokens.sessions_of(user.id)
    ]


@router.delete(
    "/api/v1/me/sessions/{session_id}",
    status_code=204,
    response_class=Response,
    responses={404: {"model": ErrorOut, "description": "no such session of this user"}},
)
async def end_session(
    user: CurrentUser,
    tokens: TokensDep,
    session_id: str = Path(max_length=100),
) -> Response:
    """End one of the signed-in user's sessions (this one too: that is signing out)."""
    if not tokens.revoke_id(user.id, session_id):
        raise ApiError(404, "not_found", "no such session")
    return Response(status_code=204)


class ClientNotes:
    """ASGI middleware: the request's user agent and source address, for sessions it issues."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        agent = next(
            (bytes(v).decode("latin-1") for k, v in scope.get("headers", ()) if k == b"user-agent"),
            None,
        )
        client = scope.get("client")
        reset = CLIENT.set(ClientInfo(agent, str(client[0]) if client else None))
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(reset)


def install(app: FastAPI) -> None:
    """Add these routes, the wrong-password guard and the client notes to ``app``, and keep its
    sessions in the PBX's database."""
    limits = app.state.pbx.config.limits
    app.state.password_guard = FailureGuard(
        GuardPolicy(
            max_failures=limits.api_max_failures,
            window=limits.auth_window_seconds,
            block_seconds=limits.api_block_seconds,
        )
    )
    persist_sessions(app.state.tokens, app.state.pbx.store)
    app.add_middleware(ClientNotes)
    app.include_router(router)
