from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.support.server_process import launch, read_ready_line, server_command, start_server


def test_ready_line_server_json_and_clean_stop(tmp_path: Path) -> None:
    server = start_server(tmp_path, demo=True)
    ready = json.loads(server.stdout_lines[0])
    assert ready["ready"] is True
    for key in ("sip_udp", "sip_tcp", "http"):
        assert isinstance(ready[key], int) and 0 < ready[key] < 65536
    info = json.loads((server.data_dir / "server.json").read_text())
    assert info["pid"] == server.process.pid
    assert {k: info[k] for k in ("sip_udp", "sip_tcp", "http")} == {
        k: ready[k] for k in ("sip_udp", "sip_tcp", "http")
    }
    assert httpx.get(f"{server.base_url}/api/health").json()["status"] == "ok"
    assert server.stop() == 0
    assert server.stdout_lines == [server.stdout_lines[0]]  # stdout carries only the ready line
    assert not (server.data_dir / "server.json").exists()
    log = (server.data_dir / "logs" / "server.log").read_text()
    assert "ready" in log and "stopped" in log
    assert "stopped" in server.stderr()


def test_demo_is_loaded_once_and_kept(tmp_path: Path) -> None:
    data_dir = tmp_path / "pbx"
    first = start_server(tmp_path, data_dir=data_dir, demo=True)
    first.stop()
    with start_server(tmp_path, data_dir=data_dir, demo=True) as second:
        token = httpx.post(
            f"{second.base_url}/api/v1/auth/login",
            json={"username": "205", "password": "Demo-205!"},
        ).json()["token"]
        entries = httpx.get(
            f"{second.base_url}/api/v1/directory",
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    assert sorted(e["extension"] for e in entries if e["kind"] == "user") == [
        "201",
        "202",
        "203",
        "204",
        "205",
    ]
    assert "already has users" in second.stderr()


def test_without_demo_nobody_can_sign_in(tmp_path: Path) -> None:
    with start_server(tmp_path, demo=False) as server:
        response = httpx.post(
            f"{server.base_url}/api/v1/auth/login",
            json={"username": "201", "password": "Demo-201!"},
        )
    assert response.status_code == 401


def test_second_server_on_the_same_data_dir_refuses(tmp_path: Path) -> None:
    with start_server(tmp_path, demo=False) as first:
        err = tmp_path / "second.err"
        second = launch(server_command(first.data_dir, demo=False), err)
        assert second.wait(30) == 1
        assert second.stdout is not None and second.stdout.read() == ""
        second.stdout.close()
        message = err.read_text()
        assert f"another server (pid {first.process.pid}) is already running" in message
        assert json.loads((first.data_dir / "server.json").read_text())["pid"] == first.process.pid


def test_busy_http_port_is_a_clear_start_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        err = tmp_path / "server.err"
        cmd = [*server_command(tmp_path / "pbx", demo=False), "--http-port", str(port)]
        process = launch(cmd, err)
        assert process.wait(30) == 1
        assert process.stdout is not None and process.stdout.read() == ""
        process.stdout.close()
    assert f"cannot listen for HTTP on 127.0.0.1:{port}" in err.read_text()
    assert not (tmp_path / "pbx" / "server.json").exists()


def test_unusable_data_dir_is_a_clear_start_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    err = tmp_path / "server.err"
    process = launch(server_command(blocker / "pbx", demo=True), err)
    assert process.wait(30) == 1
    assert process.stdout is not None and process.stdout.read() == ""
    process.stdout.close()
    assert f"cannot use data dir {blocker / 'pbx'}" in err.read_text()


def test_stale_server_json_of_a_dead_process_does_not_block(tmp_path: Path) -> None:
    data_dir = tmp_path / "pbx"
    data_dir.mkdir()
    dead = launch(["true"], tmp_path / "dead.err")
    dead.wait()
    if dead.stdout is not None:
        dead.stdout.close()
    (data_dir / "server.json").write_text(json.dumps({"pid": dead.pid, "http": 1}))
    process = launch(server_command(data_dir, demo=False), tmp_path / "s.err")
    ready = json.loads(read_ready_line(process))
    assert json.loads((data_dir / "server.json").read_text())["http"] == ready["http"]
    process.terminate()
    assert process.wait(15) == 0
    if process.stdout is not None:
        process.stdout.close()
    assert os.path.exists(data_dir / "logs" / "server.log")


async def test_sigterm_with_an_open_event_socket_stops_cleanly(tmp_path: Path) -> None:
    server = start_server(tmp_path, demo=True)
    async with httpx.AsyncClient(base_url=server.base_url) as api:
        login = await api.post(
            "/api/v1/auth/login", json={"username": "201", "password": "Demo-201!"}
        )
    url = f"{server.ws_url}/api/v1/events?token={login.json()['token']}"
    async with connect(url) as ws:
        server.process.send_signal(signal.SIGTERM)
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
    assert await asyncio.to_thread(server.stop) == 0
    assert not (server.data_dir / "server.json").exists()
