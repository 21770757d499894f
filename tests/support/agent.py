"""Controller for the pjsua2 test agent (tests/agents/pjsua_agent.py) in a subprocess.

Each agent is its own process, so two of them are two independent phones. Commands go out as
JSON lines and wait for their reply; events are queued as they arrive and taken out by
`Agent.wait_event`, which matches on name and fields and, on timeout, fails with the events it
did see and the tail of the agent's pjsua log (`Agent.wait_call_state` also stops waiting when
the call ends instead).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["AGENT_SCRIPT", "Agent", "AgentError", "start_agent"]

AGENT_SCRIPT = Path(__file__).resolve().parent.parent / "agents" / "pjsua_agent.py"
_START_TIMEOUT = 20.0


class AgentError(AssertionError):
    """The agent refused a command, exited, or an awaited event did not come."""


class Agent:
    """One pjsua2 user agent process; use as a context manager or call `close()`."""

    def __init__(
        self,
        workdir: Path,
        name: str,
        *,
        codecs: tuple[str, ...] = (),
        only_listed: bool = False,
        auto_ring: bool = True,
        sip_port: int = 0,
        extra_args: tuple[str, ...] = (),
        script: Path | None = None,  # an agent with more commands (tests/agents/*_agent.py)
    ) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.log_path = workdir / f"{name}.pjsua.log"
        self.stderr_path = workdir / f"{name}.stderr.log"
        args = [sys.executable, str(script or AGENT_SCRIPT), "--log-file", str(self.log_path)]
        args += ["--name", name, "--sip-port", str(sip_port)]
        for codec in codecs:
            args += ["--codec", codec]
        if only_listed:
            args.append("--only-listed")
        if not auto_ring:
            args.append("--no-auto-ring")
        args += extra_args
        self._stderr: IO[bytes] = self.stderr_path.open("wb")
        self._proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._events: list[dict[str, Any]] = []
        self._replies: dict[int, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._eof = False
        self._reader = threading.Thread(target=self._read, name=f"agent-{name}", daemon=True)
        self._reader.start()
        try:
            ready = self.wait_event("ready", timeout=_START_TIMEOUT)
        except AgentError:
            self.close()
            raise
        self.sip_port: int = int(ready["sip_port"])
        self.tcp_port: int = int(ready["tcp_port"])
        self.pid: int = int(ready["pid"])

    # -- I/O ----------------------------------------------------------------------------

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            with contextlib.suppress(ValueError):
                obj = json.loads(line)
                if isinstance(obj, dict):
                    obj["_t"] = time.monotonic()
                    self._inbox.put(obj)
        self._inbox.put(None)

    def _pump(self, deadline: float) -> bool:
        """Move one message from the pipe into events/replies; False when the time is up."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            obj = self._inbox.get(timeout=min(remaining, 0.5))
        except queue.Empty:
            return True
        self._file(obj)
        return True

    def _file(self, obj: dict[str, Any] | None) -> None:
        if obj is None:
            self._eof = True
        elif "reply" in obj and isinstance(obj.get("id"), int):
            self._replies[obj["id"]] = obj
        else:
            self._events.append(obj)

    # -- public API ---------------------------------------------------------------------

    def send(self, cmd: str, *, timeout: float = 10.0, **fields: Any) -> dict[str, Any]:
        """Run a command and return its reply; raises AgentError if the agent refuses it."""
        ident = next(self._ids)
        line = json.dumps({"cmd": cmd, "id": ident, **fields})
        if self._proc.stdin is None or self._proc.poll() is not None:
            raise AgentError(self._explain(f"{self.name}: agent is not running for {cmd!r}"))
        try:
            self._proc.stdin.write(line + "\n")
            self._proc.stdin.flush()
        except OSError as exc:
            raise AgentError(self._explain(f"{self.name}: cannot send {cmd!r}: {exc}")) from exc
        deadline = time.monotonic() + timeout
        while ident not in self._replies:
            if self._eof or not self._pump(deadline):
                raise AgentError(self._explain(f"{self.name}: no reply to {line}"))
        reply = self._replies.pop(ident)
        if not reply.get("ok"):
            raise AgentError(self._explain(f"{self.name}: {cmd} failed: {reply.get('error')}"))
        return reply

    def wait_event(self, name: str, *, timeout: float = 10.0, **match: Any) -> dict[str, Any]:
        """Take the oldest queued event called `name` whose fields equal `match`.

        Events that do not match stay queued for later waits.
        """
        wanted = ", ".join([name, *(f"{k}={v!r}" for k, v in match.items())])
        return self._wait(
            lambda e: e.get("event") == name and all(e.get(k) == v for k, v in match.items()),
            wanted,
            timeout,
        )

    def wait_call_state(self, call: int, *states: str, timeout: float = 10.0) -> dict[str, Any]:
        """The oldest queued ``call_state`` of `call` in one of `states` or DISCONNECTED.

        A call that ends instead of reaching the state ends the wait at once; the caller looks
        at ``state`` and ``code``.
        """
        ends = {*states, "DISCONNECTED"}
        return self._wait(
            lambda e: (
                e.get("event") == "call_state" and e.get("call") == call and e.get("state") in ends
            ),
            f"call_state, call={call}, state in {sorted(ends)}",
            timeout,
        )

    def _wait(
        self, matches: Callable[[dict[str, Any]], bool], wanted: str, timeout: float
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self._events):
                if matches(event):
                    return self._events.pop(i)
            if self._eof or not self._pump(deadline):
                state = "exited" if self._eof else f"{timeout} s passed"
                raise AgentError(self._explain(f"{self.name}: no event {wanted} ({state})"))

    def drain(self) -> list[dict[str, Any]]:
        """Return and forget the queued events (before a step whose events must be fresh)."""
        while True:
            try:
                self._file(self._inbox.get_nowait())
            except queue.Empty:
                break
        events, self._events = self._events, []
        return events

    def log_tail(self, lines: int = 40) -> str:
        texts = []
        for path in (self.stderr_path, self.log_path):
            with contextlib.suppress(OSError):
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                texts.append(f"--- {path.name} ---\n" + "\n".join(tail))
        return "\n".join(texts)

    def _explain(self, message: str) -> str:
        seen = "\n".join(json.dumps(e) for e in self._events[-20:]) or "(none)"
        return f"{message}\nqueued events:\n{seen}\n{self.log_tail()}"

    def close(self, timeout: float = 10.0) -> int:
        """Ask the agent to quit, kill it if it does not, and return its exit code."""
        if self._proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                assert self._proc.stdin is not None
                self._proc.stdin.write(json.dumps({"cmd": "quit", "id": 0}) + "\n")
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        with contextlib.suppress(OSError, ValueError):
            if self._proc.stdin is not None:
                self._proc.stdin.close()
        self._reader.join(5)
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._stderr.close()
        return int(self._proc.returncode)

    @property
    def returncode(self) -> int | None:
        return self._proc.poll()

    def __enter__(self) -> Agent:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@contextlib.contextmanager
def start_agent(workdir: Path, name: str, **options: Any) -> Iterator[Agent]:
    """An agent for the length of a `with` block (or a yield fixture)."""
    agent = Agent(workdir, name, **options)
    try:
        yield agent
    finally:
        agent.close()
