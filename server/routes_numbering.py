"""Number conversions through the API (P7, docs/routing.md "Number conversions"): the
organisation's list of prefix rewrites, read and replaced by admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, Field

from pbx_core.numbering.rules import MAX_CONVERSIONS, conversion_to_dict
from pbx_core.permissions import Permission
from pbx_core.store import UserRecord
from server.deps import PbxDep, requires
from server.errors import ApiError
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["router"]

router = api_router(tags=["numbering"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    403: {"model": ErrorOut, "description": "not an admin"},
    422: {"model": ErrorOut, "description": "a conversion that cannot be (bad_conversion)"},
}

AdminUser = Annotated[UserRecord, Depends(requires(Permission.MANAGE_ORG_ROUTING))]


class ConversionBody(BaseModel):
    """``prefix`` followed by ``digits`` digits (null: any count), limited to ``ranges`` of those
    digits ("07-15"), becomes ``rewrite`` followed by the digits."""

    prefix: str = Field(examples=["6"], max_length=15)
    digits: int | None = Field(default=None, examples=[2])
    rewrite: str = Field(default="", examples=["+45331234"], max_length=16)
    ranges: list[str] = Field(default_factory=list, examples=[["00-59"]], max_length=20)


class ConversionsBody(BaseModel):
    """The organisation's number conversions; 112 and 114 are never converted."""

    conversions: list[ConversionBody] = Field(max_length=MAX_CONVERSIONS)


def _out(pbx: PbxDep) -> ConversionsBody:
    items = [conversion_to_dict(c) for c in pbx.numbering.conversions]
    return ConversionsBody.model_validate({"conversions": items})


@router.get("/api/v1/org/number-conversions", response_model=ConversionsBody, responses=_ERRORS)
async def get_conversions(pbx: PbxDep, user: AdminUser) -> ConversionsBody:
    """What dialled numbers become, in the order they are listed (admins)."""
    return _out(pbx)


@router.put("/api/v1/org/number-conversions", response_model=ConversionsBody, responses=_ERRORS)
async def put_conversions(body: ConversionsBody, pbx: PbxDep, user: AdminUser) -> ConversionsBody:
    """Replace the organisation's number conversions (admins); all or nothing."""
    try:
        await pbx.numbering.replace([c.model_dump() for c in body.conversions])
    except ValueError as exc:
        raise ApiError(422, "bad_conversion", str(exc)) from exc
    return _out(pbx)
