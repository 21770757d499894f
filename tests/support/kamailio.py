"""Kamailio in front of PBX nodes for tests: deploy/kamailio/kamailio.cfg on a free loopback port.

``start_front(workdir, nodes)`` writes the nodes into a dispatcher list, starts Kamailio as an
ordinary foreground process (``-DD -E``, its pid and runtime files in ``workdir``, never a
system service) and returns once it listens. ``Front.log()`` reads what it logged (stderr goes
to ``workdir/kamailio.log``); ``Front.stop()`` ends it. ``make test`` installs Kamailio
(``DEB_TEST`` in the Makefile).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.support.sipp import free_port

__all__ = ["CONFIG", "Front", "kamailio_available", "start_front"]

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "kamailio" / "kamailio.cfg"
_START_TIMEOUT = 15.0


def kamailio_available() -> bool:
    return shutil.which("kamailio") is not None or Path("/usr/sbin/kamailio").is_file()


def _binary() -> str:
    return shutil.which("kamailio") or "/usr/sbin/kamailio"


@dataclass(slots=True)
class Front:
    """A running Kamailio: where phones send SIP, and its log."""

    process: subprocess.Popen[bytes]
    port: int
    workdir: Path

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def log(self) -> str:
        return (self.workdir / "kamailio.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_front(
    workdir: Path, nodes: Sequence[tuple[str, int]], *, node_timeout_ms: int = 2000
) -> Front:
    """Start Kamailio with deploy/kamailio/kamailio.cfg in front of ``nodes`` (UDP)."""
    workdir.mkdir(parents=True, exist_ok=True)
    listing = workdir / "dispatcher.list"
    listing.write_text("".join(f"1 sip:{host}:{port}\n" for host, port in nodes))
    port = free_port()
    args = [_binary(), "-f", str(CONFIG), "-DD", "-E", "-n", "1", "-m", "64", "-M", "16"]
    args += ["-P", str(workdir / "kamailio.pid"), "-Y", str(workdir)]
    args += ["-A", f"LISTEN=udp:127.0.0.1:{port}", "-A", f'DISPATCHER_LIST="{listing}"']
    args += ["-A", f"NODE_TIMEOUT={node_timeout_ms}", "-A", "PING_INTERVAL=1"]
    with (workdir / "kamailio.log").open("wb") as log:
        process = subprocess.Popen(
            args, cwd=workdir, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    front = Front(process, port, workdir)
    deadline = time.monotonic() + _START_TIMEOUT
    while "Listening on" not in front.log() or "udp_server" not in front.log():
        if process.poll() is not None or time.monotonic() > deadline:
            front.stop()
            raise RuntimeError(f"Kamailio did not start:\n{front.log()[-3000:]}")
        time.sleep(0.1)
    return front
