"""``python -m app --demo``: SIGTERM stops the embedded PBX too; SIGKILL of the app takes the
child with it (Linux death signal)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import pid_alive, wait_until

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="death signal is Linux-only"),
]


def _start(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with (tmp_path / "app.stderr").open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "--demo", "--data-dir", str(data)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    server_json = data / "pbx" / "server.json"
    try:
        wait_until(server_json.exists, 40, "server.json of the embedded PBX")
    except AssertionError:
        proc.kill()
        proc.wait()
        raise
    return proc, int(json.loads(server_json.read_text())["pid"])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_no_child_outlives_the_app(tmp_path: Path, sig: signal.Signals) -> None:
    proc, child = _start(tmp_path)
    assert pid_alive(child)
    proc.send_signal(sig)
    code = proc.wait(30)
    assert code == (0 if sig == signal.SIGTERM else -signal.SIGKILL)
    wait_until(lambda: not pid_alive(child), 15, "the embedded PBX exited")
