"""An event WebSocket is closed with 4401 when its session lapses unrenewed, not only on sign-out.

A real PBX and its API on 127.0.0.1 (uvicorn in the test's loop) with sessions of a few seconds.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from pbx_core.config import PbxConfig
from pbx_core.pbx import Pbx
from server.app import create_app
from server.auth import TokenStore
from server.runner import bind_http_socket
from tests.support.inprocess_server import InProcessServer

SESSION = timedelta(seconds=3)


@pytest.fixture
async def base_url(tmp_path: Path) -> AsyncIterator[str]:
    pbx = Pbx(PbxConfig(data_dir=tmp_path / "pbx", sip_port=0))
    await pbx.start(demo=True)
    sock = bind_http_socket("127.0.0.1", 0)
    app = create_app(pbx, tokens=TokenStore(SESSION))
    server = InProcessServer(
        uvicorn.Config(app, log_config=None, lifespan="off", ws="websockets-sansio")
    )
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            assert not serving.done()
            await asyncio.sleep(0.01)
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 10)
        await pbx.stop()
        sock.close()


async def test_a_socket_is_closed_when_its_session_expires(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=f"http://{base_url}", timeout=10) as api:
        login = await api.post(
            "/api/v1/auth/login", json={"username": "201", "password": "Demo-201!"}
        )
    assert login.status_code == 200
    token = login.json()["token"]
    async with connect(f"ws://{base_url}/api/v1/events") as ws:
        await ws.send(json.dumps({"token": token}))
        subscribed = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert subscribed["type"] == "subscribed"  # live: the token was valid
        with pytest.raises(ConnectionClosed) as closed:
            while True:  # nothing renews the session from here on
                await asyncio.wait_for(ws.recv(), 15)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401
