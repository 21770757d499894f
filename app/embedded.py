"""The PBX embedded in the desktop app: ``python -m server`` as a watched child process.

The child binds 127.0.0.1 on free ports (``--sip-port 0 --http-port 0``) and prints one JSON
ready line on stdout (docs/server.md). :class:`EmbeddedServer` reads it with a timeout, watches
the child, restarts it with backoff when it dies (reporting both through callbacks) and stops it
with SIGTERM, then SIGKILL, on quit.

No orphan: on Linux the child is started with ``PR_SET_PDEATHSIG`` (prctl(2)) so the kernel
sends it SIGTERM when the app dies, even by SIGKILL. macOS and Windows have no such flag; there
the child outlives an app killed hard until the next start (the server's instance lock then
refuses a second one on the same data folder and reports its pid). A Windows job object with
KILL_ON_JOB_CLOSE would close that gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import signal
import ssl
import sys
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

from app.backoff import Backoff
from app.errors import EmbeddedServerFailed
from app.stores._base import tr

__all__ = ["EmbeddedServer", "ServerInfo"]

_log = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1
_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """The facts of the child's ready line."""

    pid: int
    bind: str
    http_port: int
    sip_udp: int
    sip_tcp: int
    cert: str | None = None
    """With ``--https``: the server's certificate file (PEM), which the app pins."""
    cert_sha256: str | None = None

    @classmethod
    def from_ready(cls, ready: dict[str, Any]) -> ServerInfo:
        if ready.get("ready") is not True:
            raise ValueError(f"not a ready line: {ready!r}")
        https = ready.get("https") is True
        return cls(
            pid=int(ready["pid"]),
            bind=str(ready.get("bind", "127.0.0.1")),
            http_port=int(ready["http"]),
            sip_udp=int(ready["sip_udp"]),
            sip_tcp=int(ready["sip_tcp"]),
            cert=str(ready["cert"]) if https else None,
            cert_sha256=str(ready["cert_sha256"]) if https else None,
        )

    def tls_context(self) -> ssl.SSLContext | None:
        """For an https server: a context that trusts its certificate and nothing else (the
        pin); None for plain http. ValueError when the file is not the certificate the server
        announced."""
        if self.cert is None:
            return None
        pem = Path(self.cert).read_text(encoding="ascii")
        if sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest() != self.cert_sha256:
            raise ValueError(f"{self.cert} is not the certificate the server announced")
        context = ssl.create_default_context(cadata=pem)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    @property
    def base_url(self) -> str:
        scheme = "https" if self.cert is not None else "http"
        return f"{scheme}://{self.bind}:{self.http_port}"


def _death_signal_hook() -> Callable[[], None] | None:
    """A preexec_fn that makes the child die with us (Linux only); prepared before fork."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return hook


class EmbeddedServer:
    """Starts, watches, restarts and stops the PBX child process."""

    def __init__(
        self,
        data_dir: Path,
        *,
        demo: bool = True,
        on_ready: Callable[[ServerInfo], None] | None = None,
        on_exit: Callable[[int | None], None] | None = None,
        ready_timeout: float = 30.0,
        backoff: Backoff | None = None,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = data_dir
        self._demo = demo
        self._on_ready = on_ready
        self._on_exit = on_exit
        self._ready_timeout = ready_timeout
        self._backoff = backoff or Backoff(first=0.5, cap=10.0)
        self._extra = extra_args
        self._proc: asyncio.subprocess.Process | None = None
        self._info: ServerInfo | None = None
        self._watch: asyncio.Task[None] | None = None
        self._stopping = False
        self.restarts = 0

    @property
    def info(self) -> ServerInfo | None:
        """The running child's ports, or None while it is down or restarting."""
        return self._info

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def command(self) -> list[str]:
        args = [sys.executable, "-m", "server", "--data-dir", str(self.data_dir)]
        args += ["--bind", "127.0.0.1", "--sip-port", "0", "--http-port", "0", "--https"]
        if self._demo:
            args.append("--demo")
        return [*args, *self._extra]

    async def start(self) -> ServerInfo:
        """Start the child and wait for its ready line; raises EmbeddedServerFailed."""
        if self._watch is not None:
            raise RuntimeError("the embedded server is already started")
        self._stopping = False
        info = await self._spawn()
        self._watch = asyncio.get_running_loop().create_task(self._supervise())
        return info

    async def _spawn(self) -> ServerInfo:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        stderr_path = self.data_dir / "stderr.log"
        with stderr_path.open("ab") as stderr:
            try:
                proc = await asyncio.create_subprocess_exec(
                    *self.command(),
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=stderr,
                    preexec_fn=_death_signal_hook(),
                    cwd=_PROJECT_ROOT,
                )
            except OSError as exc:
                message = tr("The phone system could not be started: {0}").format(exc)
                raise EmbeddedServerFailed(message) from exc
        self._proc = proc
        try:
            info = await asyncio.wait_for(self._read_ready(proc), self._ready_timeout)
        except (TimeoutError, EmbeddedServerFailed) as exc:
            await self._terminate(proc, 5.0)
            tail = _tail(stderr_path)
            if isinstance(exc, TimeoutError):
                message = tr("The phone system did not start within {0} s.").format(
                    f"{self._ready_timeout:g}"
                )
            else:
                message = str(exc)
            raise EmbeddedServerFailed(f"{message} {tail}".strip()) from exc
        self._info = info
        _log.info("embedded PBX pid %d ready: http %d", info.pid, info.http_port)
        return info

    async def _read_ready(self, proc: asyncio.subprocess.Process) -> ServerInfo:
        assert proc.stdout is not None
        line = await proc.stdout.readline()
        if not line:
            code = await proc.wait()
            message = tr("The phone system stopped while starting (exit {0}).").format(code)
            raise EmbeddedServerFailed(message)
        try:
            return ServerInfo.from_ready(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            message = tr("The phone system said something unexpected: {0}").format(repr(line))
            raise EmbeddedServerFailed(message) from exc

    async def _supervise(self) -> None:
        """Wait for the child to exit; unless stopping, report it and start a new one."""
        while not self._stopping:
            proc = self._proc
            assert proc is not None
            code = await proc.wait()
            if self._stopping:
                return
            self._info = None
            _log.warning("embedded PBX exited with %s; restarting", code)
            self._notify(self._on_exit, code)
            while not self._stopping:
                await asyncio.sleep(self._backoff.next_delay())
                if self._stopping:
                    return
                try:
                    info = await self._spawn()
                except EmbeddedServerFailed as exc:
                    _log.error("restarting the embedded PBX failed: %s", exc)
                    continue
                self.restarts += 1
                self._backoff.reset()
                self._notify(self._on_ready, info)
                break

    @staticmethod
    def _notify(callback: Callable[[Any], None] | None, value: Any) -> None:
        if callback is None:
            return
        try:
            callback(value)
        except Exception:
            _log.exception("embedded server callback failed")

    async def stop(self, grace: float = 8.0) -> int | None:
        """SIGTERM the child, SIGKILL it after ``grace`` seconds; returns its exit code."""
        self._stopping = True
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
        proc = self._proc
        self._info = None
        if proc is None:
            return None
        return await self._terminate(proc, grace)

    @staticmethod
    async def _terminate(proc: asyncio.subprocess.Process, grace: float) -> int:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), grace)
            except TimeoutError:
                _log.warning("embedded PBX pid %d ignored SIGTERM; killing it", proc.pid)
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        if proc.stdout is not None:
            with contextlib.suppress(Exception):
                proc.stdout.feed_eof()
        return int(proc.returncode if proc.returncode is not None else -1)


def _tail(path: Path, lines: int = 3) -> str:
    with contextlib.suppress(OSError):
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return " / ".join(text[-lines:])
    return ""
