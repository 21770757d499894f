"""How the app words the server's refusals: a blocked sign-in says when to try again."""

from __future__ import annotations

import httpx

from app.api import _error_for
from app.errors import AuthFailed, ServerRejected


def _response(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"error": "too_many_requests", "message": "too many failed sign-ins"}
    return httpx.Response(status, headers=headers, json=body)


def test_a_blocked_sign_in_says_when_to_try_again() -> None:
    error = _error_for(_response(429, {"Retry-After": "42"}), "/api/v1/auth/login")
    assert isinstance(error, AuthFailed)
    assert str(error) == "Too many wrong passwords. Try again in 42 seconds."
    vague = _error_for(_response(429), "/api/v1/auth/login")
    assert str(vague) == "Too many wrong passwords. Try again in a minute."


def test_a_wrong_password_and_other_refusals_keep_their_words() -> None:
    wrong = _error_for(_response(401), "/api/v1/auth/login")
    assert isinstance(wrong, AuthFailed) and str(wrong) == "Wrong user name or password."
    other = _error_for(_response(429), "/api/v1/chats")
    assert isinstance(other, ServerRejected) and other.status == 429
