"""One way to make an API router: every route's schema lists what any route may answer besides
its own (tests/component/security/test_odd_input.py checks the OpenAPI schema)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import APIRouter

from server.schemas import ErrorOut

__all__ = ["api_router"]

# a request the PBX refuses (or a body that is not JSON), and a body above the size limit
# (server/limits.py)
_COMMON: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "bad request"},
    413: {"model": ErrorOut, "description": "request body too large"},
}


def api_router(
    *,
    prefix: str = "",
    tags: list[str | Enum] | None = None,
    responses: dict[int | str, dict[str, Any]] | None = None,
) -> APIRouter:
    """An APIRouter whose routes all document 400 and 413 (besides ``responses``)."""
    return APIRouter(prefix=prefix, tags=tags, responses={**_COMMON, **(responses or {})})
