"""The API's presence statuses are the PBX's one list (pbx_core.presence), not a copy."""

from __future__ import annotations

from typing import get_args

from fastapi import FastAPI

from pbx_core.presence import STATUSES, PresenceStatus
from server import routes, schemas


def _openapi() -> dict[str, object]:
    app = FastAPI()
    app.include_router(routes.router)
    return app.openapi()


def _enum(schema: dict[str, object], model: str) -> list[object]:
    components = schema["components"]
    assert isinstance(components, dict)
    status = components["schemas"][model]["properties"]["status"]
    assert isinstance(status, dict)
    enum = status["enum"]
    assert isinstance(enum, list)
    return enum


def test_openapi_presence_enum_is_the_pbx_list() -> None:
    schema = _openapi()
    assert _enum(schema, "PresenceIn") == list(STATUSES)
    assert _enum(schema, "PresenceOut") == list(STATUSES)


def test_schema_uses_the_pbx_type() -> None:
    assert schemas.PresenceStatus is PresenceStatus
    assert get_args(schemas.PresenceStatus) == STATUSES
    assert STATUSES[0] == "available"
