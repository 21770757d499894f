"""The demo PBX and its API on 127.0.0.1 inside the test's loop (uvicorn, a real store), for the
permission probes; signed-in clients for the demo users."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from pbx_core.config import PbxConfig
from pbx_core.demo import demo_password
from pbx_core.pbx import Pbx
from server.app import create_app
from server.runner import bind_http_socket
from tests.support.inprocess_server import InProcessServer

__all__ = ["Office", "forbidden_only", "no_leak", "office"]


@dataclass(slots=True)
class Office:
    pbx: Pbx
    app: FastAPI
    base_url: str

    async def token(self, extension: str) -> str:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=10) as api:
            answer = await api.post(
                "/api/v1/auth/login",
                json={"username": extension, "password": demo_password(extension)},
            )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["token"])

    @contextlib.asynccontextmanager
    async def client(self, extension: str) -> AsyncIterator[httpx.AsyncClient]:
        """An API client signed in as ``extension``."""
        headers = {"Authorization": f"Bearer {await self.token(extension)}"}
        async with httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=10) as api:
            yield api


@contextlib.asynccontextmanager
async def office(data_dir: Path) -> AsyncIterator[Office]:
    """The demo organisation's PBX, its SIP on a free UDP port and its API on a free port."""
    pbx = Pbx(PbxConfig(data_dir=data_dir, sip_port=0))
    await pbx.start(demo=True)
    sock = bind_http_socket("127.0.0.1", 0)
    app = create_app(pbx)
    server = InProcessServer(
        uvicorn.Config(app, log_config=None, lifespan="off", ws="websockets-sansio")
    )
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            assert not serving.done()
            await asyncio.sleep(0.01)
        yield Office(pbx, app, f"http://127.0.0.1:{sock.getsockname()[1]}")
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 10)
        await pbx.stop()
        sock.close()


def no_leak(answer: httpx.Response, *secrets: str) -> None:
    """The answer names none of ``secrets`` (another user's data) anywhere, headers included."""
    seen = answer.text + "".join(f"{k}: {v}\n" for k, v in answer.headers.items())
    for secret in secrets:
        assert secret not in seen, f"{answer.request.method} {answer.request.url} shows {secret!r}"


def forbidden_only(answer: httpx.Response, message: str) -> None:
    """403 whose body is the error and its fixed message, and nothing else."""
    request = f"{answer.request.method} {answer.request.url.path}"
    assert answer.status_code == 403, f"{request}: {answer.status_code} {answer.text}"
    assert answer.json() == {"error": "forbidden", "message": message}, request
