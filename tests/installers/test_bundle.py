"""The frozen Linux program (installers/acmephone.spec): version, PBX entry, the app with its PBX.

A PyInstaller build takes minutes, so this runs on the bundle `make installers` left in
dist/AcmePhone, or builds one when ACME_TEST_INSTALLERS=1; otherwise it is skipped
(installers/README.md). The app runs under Xvfb with a fresh data folder; a pjsua2 agent
signed in as 202 calls the echo test 9000 through the frozen PBX and rings the app (201).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pbx_core.demo import demo_password
from tests.support.agent import Agent, AgentError
from tests.support.processes import pid_alive, wait_until

ROOT = Path(__file__).resolve().parents[2]
DIST_EXE = ROOT / "dist" / "AcmePhone" / "AcmePhone"
ENABLE = "ACME_TEST_INSTALLERS"

pytestmark = [
    pytest.mark.timeout(600),
    pytest.mark.pjsua,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
    pytest.mark.skipif(
        not DIST_EXE.exists() and not os.environ.get(ENABLE),
        reason=f"no dist/AcmePhone (make installers) and {ENABLE}=1 not set: the build is slow",
    ),
]


@pytest.fixture(scope="module")
def exe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if DIST_EXE.exists():
        return DIST_EXE
    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(ROOT / "installers" / "acmephone.spec")],
        check=True, cwd=ROOT,
    )  # fmt: skip
    return work / "dist" / "AcmePhone" / "AcmePhone"


def _project_version() -> str:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_version(exe: Path) -> None:
    out = subprocess.run([str(exe), "--version"], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == f"AcmePhone {_project_version()}"


@pytest.mark.parametrize("entry", [["--server"], ["-m", "server"]])
def test_server_entry_prints_ready_line(exe: Path, tmp_path: Path, entry: list[str]) -> None:
    """`-m server` is what the app's embedded launcher runs with sys.executable."""
    args = [str(exe), *entry, "--data-dir", str(tmp_path), "--demo", "--bind", "127.0.0.1"]
    with subprocess.Popen(
        [*args, "--sip-port", "0", "--http-port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            ready = json.loads(proc.stdout.readline())
            assert ready["ready"] is True
            assert ready["http"] > 0 and ready["sip_udp"] > 0
            assert (tmp_path / "server.json").exists()  # migrations ran, the store is open
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0


def test_unknown_module_refused(exe: Path) -> None:
    out = subprocess.run([str(exe), "-m", "app"], capture_output=True, text=True)
    assert out.returncode == 2
    assert "only 'server'" in out.stderr


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb not installed (Debian xvfb; make test installs it)")
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def _call(agent: Agent, uri: str, state: str, **match: object) -> int:
    call = int(agent.send("call", uri=uri)["call"])
    agent.wait_event("call_state", call=call, state=state, timeout=15, **match)
    return call


def test_app_runs_its_pbx_and_calls(exe: Path, tmp_path: Path, display: str) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("ACME_BENCH_MARK", None)
    with (tmp_path / "app.stderr").open("wb") as stderr:
        app = subprocess.Popen(
            [str(exe), "--demo", "--data-dir", str(data)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    server_json = data / "pbx" / "server.json"
    pbx_pid = 0
    try:
        wait_until(server_json.exists, 60, "the embedded PBX's server.json")
        info = json.loads(server_json.read_text())
        pbx_pid = int(info["pid"])
        with Agent(tmp_path / "agent", "b202") as agent:
            agent.send(
                "register", host="127.0.0.1", port=int(info["sip_udp"]), user="202",
                password=demo_password("202"),
            )  # fmt: skip
            agent.wait_event("registered", timeout=15)
            echo = _call(agent, "9000", "CONFIRMED")  # the frozen PBX answers and echoes
            agent.send("hangup", call=echo)
            agent.wait_event("call_state", call=echo, state="DISCONNECTED")
            ringing = _ring_the_app(agent)  # the app's pjsua2 (frozen) answers 180 Ringing
            agent.send("hangup", call=ringing)
            agent.wait_event("call_state", call=ringing, state="DISCONNECTED")
        assert app.poll() is None, (tmp_path / "app.stderr").read_text()
    finally:
        app.send_signal(signal.SIGTERM)
        code = app.wait(timeout=30)
    assert code == 0
    wait_until(lambda: not pbx_pid or not pid_alive(pbx_pid), 10, "the PBX child gone")


def _ring_the_app(agent: Agent) -> int:
    """Call 201 until the app has registered and rings (its first REGISTER may still be due)."""
    deadline = time.monotonic() + 30
    while True:
        call = int(agent.send("call", uri="201")["call"])
        try:
            agent.wait_event("call_state", call=call, state="EARLY", code=180, timeout=5)
            return call
        except AgentError:
            # not registered yet: the PBX's voicemail answers for 201 (or it refuses); end, retry
            with contextlib.suppress(AgentError):
                agent.send("hangup", call=call)
            agent.wait_event("call_state", call=call, state="DISCONNECTED", timeout=10)
            if time.monotonic() > deadline:
                raise
