"""API sign-in guessing is blocked (429 + Retry-After, lifting by itself); big bodies get 413."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx

from tests.support.server_process import RunningServer

LOGIN = "/api/v1/auth/login"


def _login(api: httpx.Client, user: str, password: str) -> httpx.Response:
    return api.post(LOGIN, json={"username": user, "password": password})


def test_guessing_a_password_is_blocked_then_lifts(api: httpx.Client) -> None:
    for _ in range(3):
        assert _login(api, "202", "guess").status_code == 401
    blocked = _login(api, "202", "Demo-202!")  # the right password, during the block
    assert blocked.status_code == 429
    assert blocked.json()["error"] == "too_many_requests"
    assert int(blocked.headers["retry-after"]) >= 1
    assert _login(api, "203", "Demo-203!").status_code == 200  # other users sign in
    deadline = time.monotonic() + 15
    while (response := _login(api, "202", "Demo-202!")).status_code == 429:
        assert time.monotonic() < deadline, "the block never lifted"
        time.sleep(0.2)
    assert response.status_code == 200


def test_a_block_is_logged(limited_server: RunningServer, api: httpx.Client) -> None:
    for _ in range(3):
        assert _login(api, "204", "guess").status_code == 401
    assert _login(api, "204", "guess").status_code == 429
    assert "API sign-in: user:204 blocked after repeated failures" in limited_server.stderr()


def test_a_user_name_is_blocked_however_it_is_spelled(api: httpx.Client) -> None:
    for name in ("Sam@acme.example", "sam@acme.example", "SAM@acme.example"):
        assert _login(api, name, "guess").status_code == 401
    assert _login(api, " sam@ACME.example", "guess").status_code == 429


def test_a_large_body_is_refused_with_413(api: httpx.Client) -> None:
    response = api.post(
        LOGIN, content=b"{" + b" " * 100_000 + b"}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_a_large_chunked_body_is_refused_with_413(api: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b" " * 1000

    response = api.put(
        "/api/v1/me/presence", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_the_server_keeps_answering(limited_server: RunningServer, api: httpx.Client) -> None:
    assert api.get("/api/health").status_code == 200
    assert "Traceback" not in limited_server.stderr()


def test_a_source_cannot_hide_behind_x_forwarded_for(api: httpx.Client) -> None:
    """Many user names from one address, each with another X-Forwarded-For: that address is
    blocked all the same (the header names no source the server believes)."""
    codes = [
        api.post(
            LOGIN,
            json={"username": f"nobody{n}", "password": "guess"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(30)  # --api-max-failures 3: an address may fail 12 times
    ]
    assert set(codes) == {401, 429}
    deadline = time.monotonic() + 15
    while _login(api, "nobody", "guess").status_code == 429:  # leave no block behind
        assert time.monotonic() < deadline, "the block never lifted"
        time.sleep(0.2)
