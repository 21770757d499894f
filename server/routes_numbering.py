"""Numbering through the API (P7, docs/routing.md "Number conversions"): the organisation's
list of prefix rewrites and its allowed destinations by group, read and replaced by admins."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from pbx_core.numbering.destinations import OutsideType, allowed_to_dict
from pbx_core.numbering.rules import MAX_CONVERSIONS, conversion_to_dict
from server.deps import PbxDep
from server.errors import ApiError
from server.router import api_router
from server.routes_routing import AdminUser  # the same right: manage_org_routing
from server.schemas import ErrorOut

__all__ = ["router"]

router = api_router(tags=["numbering"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    403: {"model": ErrorOut, "description": "not an admin"},
    422: {
        "model": ErrorOut,
        "description": "what cannot be (bad_conversion, bad_allowed_destinations)",
    },
}


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


class AllowedDestinationsBody(BaseModel):
    """Which outside numbers a user may call: the lists of their department and user groups
    together, ``default`` when none of their groups has one. Extensions and emergency numbers
    are always allowed."""

    default: list[OutsideType] = Field(examples=[["national", "mobile"]])
    groups: dict[str, list[OutsideType]] = Field(
        default_factory=dict, examples=[{"Sales": ["national", "mobile", "international"]}]
    )


def _allowed_out(pbx: PbxDep) -> AllowedDestinationsBody:
    return AllowedDestinationsBody.model_validate(allowed_to_dict(pbx.numbering.allowed))


@router.get(
    "/api/v1/org/allowed-destinations", response_model=AllowedDestinationsBody, responses=_ERRORS
)
async def get_allowed(pbx: PbxDep, user: AdminUser) -> AllowedDestinationsBody:
    """Which outside numbers the users may call, by group (admins)."""
    return _allowed_out(pbx)


@router.put(
    "/api/v1/org/allowed-destinations", response_model=AllowedDestinationsBody, responses=_ERRORS
)
async def put_allowed(
    body: AllowedDestinationsBody, pbx: PbxDep, user: AdminUser
) -> AllowedDestinationsBody:
    """Replace the allowed destinations (admins)."""
    try:
        await pbx.numbering.replace_allowed(body.model_dump())
    except ValueError as exc:
        raise ApiError(422, "bad_allowed_destinations", str(exc)) from exc
    return _allowed_out(pbx)
