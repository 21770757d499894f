"""The server process's scheduling priority (``--priority high``).

A PBX relays media: every 20 ms each call's packets must go out again, so when the machine is
busy the server needs its share of a core before batch work does (docs/benchmarks.md, "Media
relay": at 200 relayed calls on a loaded 2-core machine, the same process at nice -10 kept
its added jitter p99 at 4 ms instead of 35 ms to 1.7 s). As FreeSWITCH's ``-hp`` and
Asterisk's ``-p`` do, ``high`` raises the priority when the system allows it (root or
CAP_SYS_NICE on Linux; an administrator on Windows); otherwise the server runs on as it is
and says so in the log.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

__all__ = ["HIGH_NICE", "raise_priority"]

_log = logging.getLogger(__name__)

HIGH_NICE = -10
_ABOVE_NORMAL_PRIORITY_CLASS = 0x00008000


def raise_priority(level: str) -> bool:
    """Apply ``level`` ("normal" or "high") to this process; True if it now runs as asked."""
    if level != "high":
        return True
    if sys.platform == "win32":
        return _windows_above_normal()
    try:
        os.setpriority(os.PRIO_PROCESS, 0, HIGH_NICE)
    except OSError as exc:
        _log.warning(
            "--priority high: cannot raise the priority (%s); running at nice %d. Give the "
            "service CAP_SYS_NICE or set Nice=%d in its unit",
            exc.strerror or exc,
            os.getpriority(os.PRIO_PROCESS, 0),
            HIGH_NICE,
        )
        return False
    _log.info("running at high priority (nice %d)", HIGH_NICE)
    return True


def _windows_above_normal() -> bool:
    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]
    done = bool(
        kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), _ABOVE_NORMAL_PRIORITY_CLASS)
    )
    if done:
        _log.info("running at above-normal priority")
    else:
        _log.warning("--priority high: Windows refused to raise the priority; running as is")
    return done
