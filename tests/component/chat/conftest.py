"""A demo server subprocess shared by the chat API tests of one module, and signed-in clients."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

_ROOT = Path(__file__).resolve().parents[3]
if str(_ROOT) not in sys.path:  # ``tests.support`` lives at the project root
    sys.path.insert(0, str(_ROOT))

from tests.support.server_process import RunningServer, start_server  # noqa: E402


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = start_server(tmp_path_factory.mktemp("server"), demo=True)
    yield server
    server.stop()


@dataclass
class User:
    """A signed-in API client of one demo user."""

    extension: str
    api: httpx.AsyncClient
    token: str

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.api.get(path, params=params or None)
        assert response.status_code == 200, response.text
        return response.json()

    async def post(self, path: str, body: Any = None, status: int = 200) -> Any:
        response = await self.api.post(path, json=body)
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    def events(self, server: RunningServer) -> Events:
        return Events(f"{server.ws_url}/api/v1/events?token={self.token}")


class Events:
    """One WebSocket event stream; ``next(type)`` skips other events until one of ``type``."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._ws: ClientConnection | None = None

    async def __aenter__(self) -> Events:
        self._ws = await connect(self._url)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def next(self, *types: str) -> dict[str, Any]:
        assert self._ws is not None
        while True:
            event: dict[str, Any] = json.loads(await asyncio.wait_for(self._ws.recv(), 10.0))
            if event["type"] in types:
                return event


async def sign_in(server: RunningServer, extension: str) -> User:
    api = httpx.AsyncClient(base_url=server.base_url, timeout=10)
    response = await api.post(
        "/api/v1/auth/login", json={"username": extension, "password": f"Demo-{extension}!"}
    )
    assert response.status_code == 200, response.text
    token = response.json()["token"]
    api.headers["Authorization"] = f"Bearer {token}"
    return User(extension, api, token)


@pytest.fixture
async def users(demo_server: RunningServer) -> AsyncIterator[dict[str, User]]:
    signed = {ext: await sign_in(demo_server, ext) for ext in ("201", "202", "203")}
    yield signed
    for user in signed.values():
        await user.api.aclose()
