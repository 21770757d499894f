"""Waiting on other processes from a test: is a pid alive, wait until a condition holds."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["pid_alive", "wait_until"]


def pid_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its reaper does not run)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    return True


def wait_until(predicate: Callable[[], bool], within: float, what: str) -> None:
    """Poll ``predicate`` every 0.1 s; AssertionError naming ``what`` after ``within`` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {within} s: {what}")
