"""Pickup through the API: the PBX rings the signed-in user's phones for a parked call or a
colleague's ringing call (docs/call-control.md); a phone does the same by dialling the slot,
``*9*<ext>*`` or ``*8*``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, Field

from pbx_core.permissions import Permission, member_of
from pbx_core.store import UserRecord
from server.deps import CurrentUser, PbxDep, requires
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["router"]

router = api_router()

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    404: {"model": ErrorOut, "description": "no such parked or ringing call"},
    409: {"model": ErrorOut, "description": "someone is already picking the call up"},
    422: {"model": ErrorOut, "description": "invalid request"},
}

ParkedPicker = Annotated[UserRecord, Depends(requires(Permission.PICK_UP_PARKED))]


class PickupIn(BaseModel):
    extension: str | None = Field(
        default=None,
        min_length=1,
        max_length=32,
        description="the colleague whose ringing call to take; none: the oldest call ringing "
        "in your department (group pickup)",
    )


class PickupOut(BaseModel):
    call_id: str = Field(description="the call your phones now ring for")


@router.post(
    "/api/v1/parked/{slot}/pickup",
    status_code=202,
    response_model=PickupOut,
    tags=["calls"],
    responses={**_ERRORS, 403: {"model": ErrorOut, "description": "may not pick up parked calls"}},
)
async def pick_up_parked(slot: str, user: ParkedPicker, pbx: PbxDep) -> PickupOut:
    """Take the call parked in ``slot`` (7001-7019): your phones ring, the parked party is
    connected when you answer; unanswered, it goes back into the lot."""
    return PickupOut(call_id=pbx.telephony.pick_up_parked(slot, user.extension))


@router.post(
    "/api/v1/pickup",
    status_code=202,
    response_model=PickupOut,
    tags=["calls"],
    responses={**_ERRORS, 403: {"model": ErrorOut, "description": "another department's call"}},
)
async def pick_up_ringing(body: PickupIn, user: CurrentUser, pbx: PbxDep) -> PickupOut:
    """Take a colleague's ringing call: your phones ring too and the first phone to answer
    gets it. Colleagues of your department; admins anyone's (docs/permissions.md)."""
    call_id = pbx.telephony.pick_up_ringing(member_of(user), body.extension)
    return PickupOut(call_id=call_id)
