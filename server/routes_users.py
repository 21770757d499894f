"""The organisation's users for its administrator (permission ``manage_users``,
docs/permissions.md): the list with each user's roles, and a change of one user's roles.

Roles are ``user`` (always), ``agent``, ``supervisor`` and ``admin``; other names are user groups
(seed 004). The organisation keeps at least one administrator: taking the role from the last
one is refused (409), so nobody locks the organisation out of its own settings.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, Field

from pbx_core.events import UserRolesChanged
from pbx_core.ids import Extension
from pbx_core.permissions import Permission, Role
from pbx_core.store import UserRecord
from server.deps import PbxDep, requires
from server.errors import ApiError
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["router"]

_log = logging.getLogger(__name__)

router = api_router(tags=["users"])

UsersAdmin = Annotated[UserRecord, Depends(requires(Permission.MANAGE_USERS))]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    403: {"model": ErrorOut, "description": "not allowed to manage users"},
}


class UserOut(BaseModel):
    id: int
    extension: str
    name: str
    email: str
    department: str | None
    roles: list[str]


class RolesIn(BaseModel):
    roles: list[
        Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$", description="a role or group")]
    ] = Field(max_length=20, description="user, agent, supervisor, admin, or a user group name")


def _out(user: UserRecord) -> UserOut:
    return UserOut(
        id=user.id,
        extension=user.extension,
        name=user.display_name,
        email=user.email,
        department=user.department,
        roles=list(user.roles),
    )


@router.get("/api/v1/users", response_model=list[UserOut], responses=_ERRORS)
async def users(admin: UsersAdmin, pbx: PbxDep) -> list[UserOut]:
    """Every user of the organisation by extension, with their roles."""
    del admin
    return [_out(u) for u in pbx.store.users()]


@router.put(
    "/api/v1/users/{extension}/roles",
    response_model=UserOut,
    responses={
        **_ERRORS,
        404: {"model": ErrorOut, "description": "no such user"},
        409: {"model": ErrorOut, "description": "the last administrator keeps the role"},
        422: {"model": ErrorOut, "description": "invalid request"},
    },
)
async def set_roles(extension: str, body: RolesIn, admin: UsersAdmin, pbx: PbxDep) -> UserOut:
    """Replace a user's roles (``user`` is always kept); the user's rights change at once."""
    user = pbx.store.user_by_extension(extension)
    if user is None:
        raise ApiError(404, "not_found", f"no user {extension}")
    admins = [u for u in pbx.store.users() if Role.ADMIN.value in u.roles]
    if Role.ADMIN.value not in body.roles and [u.extension for u in admins] == [extension]:
        raise ApiError(
            409, "conflict", "the organisation needs an administrator; make another first"
        )
    changed = await pbx.store.aio.set_roles(extension, body.roles)
    if changed is None:
        raise ApiError(404, "not_found", f"no user {extension}")
    _log.info("roles of %s set to %s by %s", extension, ", ".join(changed.roles), admin.extension)
    pbx.bus.publish(UserRolesChanged(Extension(extension)))
    return _out(changed)
