"""Tests marked ``own_process`` run each in a fresh Python process of their own.

pjsua2 keeps library state between the engines one process creates and destroys: after several,
a new engine's first INVITE is refused (PJ_EINVALIDOP), or the library aborts or crashes, and a
crash takes the whole test run with it. The app has one engine per process, so every test that
builds an engine (or the app core around one) in the test process gets a process of its own.

The parent runs ``python -m pytest <node id>`` with ``ACME_OWN_PROCESS=1`` set, so the child runs
the test in place, and reports the child's outcome as the test's: passed, skipped (with the
child's reason) or failed (with the child's output, also when it crashed).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _pytest.reports import TestReport

MARKER = "own_process"
_CHILD = "ACME_OWN_PROCESS"
_SLACK_S = 60  # interpreter start, imports and the child's own teardown
_SKIPPED = re.compile(r"^SKIPPED \[\d+\] (?P<where>[^:]+):(?P<line>\d+): (?P<reason>.*)$", re.M)


def in_child() -> bool:
    return os.environ.get(_CHILD) == "1"


def _timeout_of(item: pytest.Item, default: float) -> float:
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        return float(marker.args[0])
    return default


def widen_timeouts(items: list[pytest.Item], default: float) -> None:
    """The parent waits the test's own timeout plus the child's start-up."""
    for item in items:
        if item.get_closest_marker(MARKER) is not None:
            seconds = _timeout_of(item, default) + _SLACK_S
            item.add_marker(pytest.mark.timeout(seconds), append=False)


def run_in_child(item: pytest.Item, rootdir: Path, default_timeout: float) -> None:
    """Runs *item* in a child process and logs its reports as this process's."""
    ihook = item.ihook
    ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", item.nodeid]
    # the test's own warning filters hold for its whole process: a warning raised while the
    # child's session ends (an object collected late) is judged by them too
    for marker in item.iter_markers("filterwarnings"):
        command += [f"-W{arg}" for arg in marker.args]
    env = {**os.environ, _CHILD: "1"}
    try:
        child = subprocess.run(
            command,
            cwd=rootdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=_timeout_of(item, default_timeout) + _SLACK_S - 5,
        )
        output, code = child.stdout + child.stderr, child.returncode
    except subprocess.TimeoutExpired as exc:
        output = _text(exc.stdout) + _text(exc.stderr) + "\n(the child process timed out)"
        code = -1
    duration = time.monotonic() - started
    outcome, longrepr = _outcome(code, output)
    for when in ("setup", "call", "teardown"):
        phase_outcome = outcome if when == "call" else "passed"
        report = TestReport(
            item.nodeid,
            item.location,
            keywords=dict.fromkeys(item.keywords, 1),
            outcome=phase_outcome,  # type: ignore[arg-type]
            longrepr=longrepr if when == "call" else None,
            when=when,  # type: ignore[arg-type]
            sections=[],
            duration=duration if when == "call" else 0.0,
        )
        if outcome == "skipped" and when == "setup":
            report.outcome = "skipped"
            report.longrepr = longrepr
            ihook.pytest_runtest_logreport(report=report)
            break
        ihook.pytest_runtest_logreport(report=report)
    ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode(errors="replace")


def _outcome(code: int, output: str) -> tuple[str, object]:
    if code == 0 and re.search(r"\b1 passed\b", output):
        return "passed", None
    skipped = _SKIPPED.search(output)
    if code == 0 and skipped is not None:
        where, line, reason = skipped["where"], int(skipped["line"]), skipped["reason"]
        return "skipped", (where, line, reason)
    tail = output[-12000:]
    return "failed", f"the test failed in its own process (exit code {code}):\n{tail}"
