"""One app per user and data folder: a second start hands ``--dial`` to the first and exits.

Two real QLocalSocket ends in this process, then two real ``python -m app`` processes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from pytestqt.qtbot import QtBot

from app.single_instance import Request, SingleInstance, server_name
from tests.support.processes import wait_until

pytestmark = pytest.mark.timeout(90)


def test_names_differ_per_user_and_data_folder(tmp_path: Path) -> None:
    a = server_name(tmp_path / "a", "anna")
    assert a == server_name(tmp_path / "a", "anna")
    assert a != server_name(tmp_path / "b", "anna")
    assert a != server_name(tmp_path / "a", "bram")
    assert a.startswith("AcmePhone-") and len(a) < 40


def test_request_round_trip_and_bad_lines() -> None:
    request = Request("tel:+31201234567", show=False)
    assert Request.decode(request.encode().strip()) == request
    with pytest.raises(ValueError, match=r"^hand-off: not a JSON line$"):
        Request.decode(b"{")
    with pytest.raises(ValueError, match=r"^hand-off: dial must be a string and show a boolean$"):
        Request.decode(b'{"dial": 203}')


def test_a_later_start_hands_its_request_to_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    name = server_name(tmp_path, "tester")
    first = SingleInstance(name)
    later = SingleInstance(name)
    assert not later.hand_off(Request("203"))  # nobody listens yet: this one would run
    assert first.listen()
    received: list[Request] = []
    first.received.connect(received.append)
    try:
        assert later.hand_off(Request("tel:+31201234567"))
        assert later.hand_off(Request(show=True))
        qtbot.waitUntil(lambda: len(received) == 2, timeout=5000)
        assert received == [Request("tel:+31201234567", True), Request("", True)]
    finally:
        first.close()
    assert not later.hand_off(Request("203"))  # the first is gone


@pytest.mark.skipif(sys.platform == "win32", reason="a stale socket file exists on Unix only")
def test_a_socket_left_by_a_crashed_app_is_taken_over(tmp_path: Path) -> None:
    name = server_name(tmp_path, "tester")
    path = Path(QDir.tempPath()) / name
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # what a killed app leaves: the file, nobody listening
    stale.close()
    try:
        later = SingleInstance(name)
        assert not later.hand_off(Request("203"))
        assert later.listen()
        assert SingleInstance(name).hand_off(Request("203"))
        later.close()
    finally:
        path.unlink(missing_ok=True)


def _start_app(data: Path, *args: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "app", "--data-dir", str(data), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGTERM ends the app")
def test_two_processes_dial_through_the_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app_log = data / "logs" / "app.log"
    first = _start_app(data, log=tmp_path / "first.stderr")
    try:
        wait_until(
            lambda: app_log.exists() and "listening for later starts" in app_log.read_text(),
            40,
            "the first app listens",
        )
        second = subprocess.run(
            [sys.executable, "-m", "app", "--data-dir", str(data), "tel:%2B31201234567"],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            timeout=40,
            check=False,
        )
        assert second.returncode == 0, second.stderr.decode()
        wait_until(
            lambda: "dialling tel:+31201234567 once signed in" in app_log.read_text(),
            20,
            "the first app took the number",
        )
        assert "received from a new start: Request(dial='tel:+31201234567', show=True)" in (
            app_log.read_text()
        )
        assert first.poll() is None  # the first runs on; the second only handed over
    finally:
        first.send_signal(signal.SIGTERM)
        code = first.wait(30)
    assert code == 0
