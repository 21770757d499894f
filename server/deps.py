"""FastAPI dependencies: the PBX, the token store and the signed-in user of a request.

All are coroutines: FastAPI runs plain functions in a thread pool, and the token store and the
PBX belong to the event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar, cast

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pbx_core.pbx import Pbx
from pbx_core.permissions import WHAT, Permission, allowed, member_of
from pbx_core.store import UserRecord
from server.auth import TokenStore
from server.errors import ApiError

__all__ = [
    "BearerToken",
    "CurrentUser",
    "PbxDep",
    "Requires",
    "RowId",
    "TokensDep",
    "get_pbx",
    "get_tokens",
    "requires",
    "state_service",
]

RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="a stored row's id")]
"""An id in a path: a number the store can hold (a larger one is 422, not a database error)."""

_bearer = HTTPBearer(auto_error=False, description="token from POST /api/v1/auth/login")


async def get_pbx(request: Request) -> Pbx:
    return cast(Pbx, request.app.state.pbx)


async def get_tokens(request: Request) -> TokenStore:
    return cast(TokenStore, request.app.state.tokens)


PbxDep = Annotated[Pbx, Depends(get_pbx)]
TokensDep = Annotated[TokenStore, Depends(get_tokens)]


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None:
        raise ApiError(401, "unauthorized", "sign in first: send Authorization: Bearer <token>")
    return credentials.credentials


BearerToken = Annotated[str, Depends(bearer_token)]


async def current_user(pbx: PbxDep, tokens: TokensDep, token: BearerToken) -> UserRecord:
    session = tokens.resolve(token)
    if session is None:
        raise ApiError(401, "unauthorized", "the token is invalid or has expired; sign in again")
    user = await pbx.store.aio.user_by_id(session.user_id)
    if user is None:
        tokens.revoke(token)
        raise ApiError(401, "unauthorized", "the account no longer exists")
    return user


CurrentUser = Annotated[UserRecord, Depends(current_user)]


class Requires:
    """A dependency for a route that acts on the organisation: the signed-in user, or 403
    ``forbidden`` when their roles do not hold ``permission`` organisation-wide
    (pbx_core/permissions.py). Checked before the body is, so a refusal tells nothing more."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, user: CurrentUser) -> UserRecord:
        if not allowed(member_of(user), self.permission):
            raise ApiError(403, "forbidden", f"you may not {WHAT[self.permission]}")
        return user


def requires(permission: Permission) -> Requires:
    """``Depends(requires(Permission.X))``: see :class:`Requires`."""
    return Requires(permission)


_Service = TypeVar("_Service")


def state_service(
    name: str, kind: type[_Service], code: str, message: str
) -> Callable[[Request], Awaitable[_Service]]:
    """A dependency for a service a route module attached at start (``app.state.<name>``):
    503 ``code`` with ``message`` when this PBX runs without it."""

    async def get(request: Request) -> _Service:
        service = getattr(request.app.state, name, None)
        if not isinstance(service, kind):
            raise ApiError(503, code, message)
        return service

    return get
