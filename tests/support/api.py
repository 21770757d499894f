"""Small helpers for talking to a started server's HTTP API in tests."""

from __future__ import annotations

import httpx

__all__ = ["bearer", "login"]


def login(api: httpx.Client, username: str, password: str) -> str:
    """Sign in and return the bearer token (asserts success)."""
    response = api.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    token = response.json()["token"]
    assert isinstance(token, str) and len(token) >= 32
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
