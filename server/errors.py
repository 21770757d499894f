"""HTTP errors of the API: every 4xx/5xx body is ``{"error": code, "message": plain words}``.

PBX core errors are mapped to HTTP here, in one place::

    AuthError   -> 401 unauthorized
    Forbidden   -> 403 forbidden
    NotFound    -> 404 not_found
    Conflict    -> 409 conflict
    StoreError  -> 503 store_unavailable
    other PbxError -> 400 bad_request
    request validation -> 422 invalid_request
    OverflowError (a date or time beyond what the calendar holds, e.g. year 9999 at -23:59)
                -> 422 invalid_request
    a method the path does not take -> 405 method_not_allowed, with every method it takes
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from pbx_core.errors import AuthError, Conflict, Forbidden, NotFound, PbxError, StoreError

__all__ = ["ApiError", "error_response", "install_error_handlers"]

_log = logging.getLogger(__name__)

_PBX_ERRORS: tuple[tuple[type[PbxError], int, str], ...] = (
    (AuthError, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (StoreError, 503, "store_unavailable"),
)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
    429: "too_many_requests",
}


_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options"})


class ApiError(Exception):
    """An error the API answers with ``status`` and ``{"error": code, "message": message}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def _validation_message(errors: Sequence[Any]) -> str:
    parts = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        msg = str(err.get("msg", "invalid value"))
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts) or "invalid request"


def _allowed(request: Request) -> str:
    """Every method the request's path takes, from the API's own schema (Starlette names only
    the first matching route's methods, so a path with GET and PUT answered ``Allow: GET``)."""
    methods: set[str] = set()
    path = request.url.path
    for template, operations in request.app.openapi().get("paths", {}).items():
        if compile_path(template)[0].fullmatch(path):
            methods |= {m.upper() for m in operations if m in _METHODS}
    return ", ".join(sorted(methods))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same JSON shape."""

    async def on_api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.status, exc.code, exc.message, headers)

    async def on_pbx_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, PbxError)
        status, code = next(
            ((st, cd) for kind, st, cd in _PBX_ERRORS if isinstance(exc, kind)),
            (400, "bad_request"),
        )
        if status >= 500:
            _log.error("%s %s failed: %s", request.method, request.url.path, exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return error_response(status, code, str(exc), headers)

    async def on_validation(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(422, "invalid_request", _validation_message(exc.errors()))

    async def on_overflow(request: Request, exc: Exception) -> JSONResponse:
        # date arithmetic on an input at the edge of the calendar (years 1 and 9999)
        _log.info("%s %s: out of range: %s", request.method, request.url.path, exc)
        return error_response(422, "invalid_request", "a date or time is out of range")

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed(request)
        return error_response(exc.status_code, code, message, headers or None)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(PbxError, on_pbx_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(OverflowError, on_overflow)
    app.add_exception_handler(StarletteHTTPException, on_http)
