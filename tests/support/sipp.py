"""Run SIPp (Debian sip-tester 3.6) scenarios from tests/component/sipp/scenarios.

`run_scenario` runs one SIPp process for one call and returns its exit code, error log and
message trace. `call_between` orchestrates a call between two SIPp processes through a server:
it registers the callee on a chosen port, starts the callee's UAS scenario on that port in the
background, then runs the caller's UAC scenario. Users and passwords reach the scenarios through
an injection file, one ``user;password;target`` line per call (fields 0, 1 and 2).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

__all__ = [
    "SCENARIOS",
    "SippError",
    "SippProcess",
    "SippResult",
    "SippUser",
    "call_between",
    "free_port",
    "run_scenario",
    "sipp_available",
    "start_scenario",
    "write_users_csv",
]

SCENARIOS = Path(__file__).resolve().parent.parent / "component" / "sipp" / "scenarios"
_SIPP = "sipp"


class SippError(AssertionError):
    """A SIPp run did not end as expected; the message carries its logs."""


@dataclass(frozen=True, slots=True)
class SippUser:
    """One injection line: who SIPp is, its SIP password and whom it calls."""

    user: str
    password: str
    target: str = ""

    def line(self) -> str:
        for value in (self.user, self.password, self.target):
            if ";" in value or "\n" in value:
                raise ValueError(f"injection field holds a separator: {value!r}")
        return f"{self.user};{self.password};{self.target}"


@dataclass(frozen=True, slots=True)
class SippResult:
    """How one SIPp process ended (exit 0: every call succeeded)."""

    scenario: str
    returncode: int
    errors: str
    messages: str
    output: str = field(repr=False)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def describe(self) -> str:
        return (
            f"sipp {self.scenario} exited with {self.returncode}\n"
            f"--- errors ---\n{self.errors[-4000:]}\n"
            f"--- messages ---\n{self.messages[-6000:]}\n"
            f"--- output ---\n{self.output[-2000:]}"
        )

    def check(self) -> SippResult:
        """Raise SippError with the logs unless the run succeeded."""
        if not self.ok:
            raise SippError(self.describe())
        return self


def sipp_available() -> bool:
    return shutil.which(_SIPP) is not None


def free_port(kind: int = socket.SOCK_DGRAM, host: str = "127.0.0.1") -> int:
    """A port that is free on ``host`` (loopback) right now (for UDP by default)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, kind) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def write_users_csv(path: Path, users: Sequence[SippUser]) -> Path:
    """Write a SIPp injection file, read in order (one line per call)."""
    path.write_text("SEQUENTIAL\n" + "".join(u.line() + "\n" for u in users))
    return path


class SippProcess:
    """One SIPp process running a scenario; `wait()` collects its result."""

    def __init__(
        self,
        scenario: str,
        workdir: Path,
        *,
        remote: tuple[str, int] | None = None,
        users: Sequence[SippUser] = (),
        local_port: int | None = None,
        transport: str = "udp",
        calls: int = 1,
        timeout_s: float = 20.0,
        extra_args: Sequence[str] = (),
        host: str = "127.0.0.1",
    ) -> None:
        path = SCENARIOS / f"{scenario}.xml"
        if not path.is_file():
            raise ValueError(f"unknown SIPp scenario: {scenario}")
        if transport not in ("udp", "tcp"):
            raise ValueError(f"unknown transport: {transport}")
        workdir.mkdir(parents=True, exist_ok=True)
        self.scenario = scenario
        self.local_port = local_port if local_port is not None else free_port(host=host)
        stem = f"{scenario}-{self.local_port}"
        self._errors = workdir / f"{stem}.errors.log"
        self._messages = workdir / f"{stem}.messages.log"
        self._output = workdir / f"{stem}.out.log"
        self.timeout_s = timeout_s
        args = [_SIPP, "-sf", str(path), "-m", str(calls), "-i", host]
        args += ["-p", str(self.local_port), "-mp", str(free_port(host=host))]
        args += ["-t", "u1" if transport == "udp" else "t1", "-nostdin", "-aa"]
        args += ["-timeout", f"{timeout_s:g}s", "-timeout_error", "-max_retrans", "5"]
        args += ["-trace_err", "-error_file", str(self._errors)]
        args += ["-trace_msg", "-message_file", str(self._messages)]
        if users:
            args += ["-inf", str(write_users_csv(workdir / f"{stem}.users.csv", users))]
        args += list(extra_args)
        if remote is not None:
            remote_host = f"[{remote[0]}]" if ":" in remote[0] else remote[0]
            args.append(f"{remote_host}:{remote[1]}")
        self._out = self._output.open("wb")
        self._proc = subprocess.Popen(
            args, cwd=workdir, stdin=subprocess.DEVNULL, stdout=self._out, stderr=self._out
        )

    def wait(self, timeout: float | None = None) -> SippResult:
        """Wait for the end of the run (by default a little longer than SIPp's own timeout)."""
        try:
            code = self._proc.wait(self.timeout_s + 10 if timeout is None else timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            code = self._proc.wait(5)
        self._out.close()
        return SippResult(
            scenario=self.scenario,
            returncode=code,
            errors=_read(self._errors),
            messages=_read(self._messages),
            output=_read(self._output),
        )

    def kill(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(5)
        self._out.close()

    def __enter__(self) -> SippProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.kill()


def _read(path: Path) -> str:
    with contextlib.suppress(OSError):
        return path.read_text(errors="replace")
    return ""


def start_scenario(scenario: str, workdir: Path, **options: object) -> SippProcess:
    """Start a scenario in the background (a UAS waiting for calls)."""
    return SippProcess(scenario, workdir, **options)  # type: ignore[arg-type]


def run_scenario(scenario: str, workdir: Path, **options: object) -> SippResult:
    """Run a scenario to its end and return how it ended."""
    return SippProcess(scenario, workdir, **options).wait()  # type: ignore[arg-type]


def call_between(
    workdir: Path,
    server: tuple[str, int],
    caller: SippUser,
    callee: SippUser,
    *,
    uac: str = "uac_call_bye",
    uas: str = "uas_answer",
    transport: str = "udp",
    register_callee: bool = True,
    timeout_s: float = 20.0,
    host: str = "127.0.0.1",
) -> tuple[SippResult, SippResult]:
    """Register `callee` (unless told not to), let it wait with `uas`, call it with `uac`;
    every SIPp on ``host`` (``::1`` for IPv6).

    Returns (caller result, callee result); neither is checked.
    """
    port = free_port(host=host)
    if register_callee:
        run_scenario(
            "register_auth",
            workdir,
            remote=server,
            users=[callee],
            local_port=port,
            transport=transport,
            timeout_s=timeout_s,
            host=host,
        ).check()
    with start_scenario(
        uas, workdir, local_port=port, transport=transport, timeout_s=timeout_s, host=host
    ) as waiting:
        caller_result = run_scenario(
            uac,
            workdir,
            remote=server,
            users=[caller],
            transport=transport,
            timeout_s=timeout_s,
            host=host,
        )
        callee_result = waiting.wait()
    return caller_result, callee_result
