"""Start the real server (``python -m server``) as a subprocess for component tests.

``start_server(tmp_path, demo=True)`` returns once the ready line arrived, with the ports. The
server's stderr goes to ``<data dir>/../server-stderr-N.log`` so a full pipe can never block it;
``RunningServer.stderr()`` reads it for assertions and failure messages.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["RunningServer", "ServerFailedError", "start_server"]

READY_TIMEOUT = 30.0
_counter = itertools.count(1)


class ServerFailedError(RuntimeError):
    """The server exited or printed no ready line in time."""


@dataclass(slots=True)
class RunningServer:
    process: subprocess.Popen[str]
    data_dir: Path
    ready: dict[str, Any]
    stderr_path: Path
    stdout_lines: list[str] = field(default_factory=list)

    @property
    def http_port(self) -> int:
        return int(self.ready["http"])

    @property
    def sip_udp_port(self) -> int:
        return int(self.ready["sip_udp"])

    @property
    def sip_tcp_port(self) -> int:
        return int(self.ready["sip_tcp"])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.http_port}"

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM and wait; kills after ``timeout`` (and then raises). Returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise ServerFailedError(f"server did not stop in {timeout} s") from None
        if self.process.stdout is not None:
            rest = self.process.stdout.read()
            self.stdout_lines.extend(line for line in rest.splitlines() if line)
            self.process.stdout.close()
        return self.process.returncode

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def server_command(data_dir: Path, *, demo: bool, extra_args: Sequence[str] = ()) -> list[str]:
    cmd = [sys.executable, "-m", "server", "--data-dir", str(data_dir)]
    cmd += ["--bind", "127.0.0.1", "--sip-port", "0", "--http-port", "0"]
    if demo:
        cmd.append("--demo")
    return cmd + list(extra_args)


def launch(cmd: Sequence[str], stderr_path: Path) -> subprocess.Popen[str]:
    """Popen the server with stdout piped and stderr to a file, from the project root."""
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with open(stderr_path, "w", encoding="utf-8") as err:
        return subprocess.Popen(
            list(cmd),
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )


def read_ready_line(process: subprocess.Popen[str], timeout: float = READY_TIMEOUT) -> str:
    """The first stdout line; ServerFailedError if the process exits or is silent too long."""
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stream: IO[str] = process.stdout
    reader = threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True)
    reader.start()
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        raise ServerFailedError(f"no ready line within {timeout} s") from None
    if not line:
        process.wait(5)
        raise ServerFailedError(f"server exited with {process.returncode} before ready")
    return line


def start_server(
    tmp_path: Path,
    *,
    demo: bool = True,
    data_dir: Path | None = None,
    extra_args: Sequence[str] = (),
) -> RunningServer:
    """Start ``python -m server`` on free loopback ports and wait for its ready line."""
    data_dir = data_dir or tmp_path / "pbx"
    stderr_path = tmp_path / f"server-stderr-{next(_counter)}.log"
    process = launch(server_command(data_dir, demo=demo, extra_args=extra_args), stderr_path)
    try:
        line = read_ready_line(process)
        ready = json.loads(line)
    except BaseException as exc:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        message = stderr_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise ServerFailedError(f"{exc}\n--- server stderr ---\n{message}") from exc
    return RunningServer(process, data_dir, ready, stderr_path, [line.rstrip("\n")])
