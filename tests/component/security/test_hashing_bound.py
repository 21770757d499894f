"""Password hashing is bounded for every route that hashes: sign-ins and password changes
share the same slots (``--login-concurrency``), so neither can take the cores calls need.

A real PBX and its API on 127.0.0.1 (uvicorn in the test's loop); the accounts' argon2 hasher
is the real one, counting how many hashes run at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Literal

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher

from pbx_core.accounts import Accounts
from pbx_core.config import Limits, PbxConfig
from pbx_core.pbx import Pbx
from server.app import create_app
from server.runner import bind_http_socket
from tests.support.inprocess_server import InProcessServer


class _CountingHasher(PasswordHasher):
    """argon2id as the product uses it, remembering the most hashes that ran at once."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._running = 0
        self.most = 0

    @contextlib.contextmanager
    def _one(self) -> Iterator[None]:
        with self._lock:
            self._running += 1
            self.most = max(self.most, self._running)
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with self._one():
            return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self._one():
            return super().verify(hash, password)


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[str, _CountingHasher]]:
    limits = Limits(login_concurrency=1, api_max_failures=100)
    pbx = Pbx(PbxConfig(data_dir=tmp_path / "pbx", sip_port=0, limits=limits))
    hasher = _CountingHasher()
    pbx.accounts = Accounts(pbx.store, pbx.config.realm, hasher=hasher)
    await pbx.start(demo=True)
    sock = bind_http_socket("127.0.0.1", 0)
    server = InProcessServer(uvicorn.Config(create_app(pbx), log_config=None, lifespan="off"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            assert not serving.done()
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", hasher
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 10)
        await pbx.stop()
        sock.close()


async def _sign_in(api: httpx.AsyncClient, user: str) -> httpx.Response:
    return await api.post(
        "/api/v1/auth/login", json={"username": user, "password": f"Demo-{user}!"}
    )


async def test_password_changes_hash_in_the_sign_in_slots(
    served: tuple[str, _CountingHasher],
) -> None:
    base_url, hasher = served
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as api:
        tokens = {user: (await _sign_in(api, user)).json()["token"] for user in ("201", "202")}
        hasher.most = 0

        async def change(user: str) -> httpx.Response:
            return await api.put(
                "/api/v1/me/password",
                json={"current": "not-it", "new": "Another-pw-1!"},
                headers={"Authorization": f"Bearer {tokens[user]}"},
            )

        answers = await asyncio.gather(
            *(change(user) for user in ("201", "202") for _ in range(4)),
            _sign_in(api, "203"),
            _sign_in(api, "204"),
        )
    assert [a.status_code for a in answers] == [403] * 8 + [200, 200]
    assert hasher.most == 1
