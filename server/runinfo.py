"""``server.json`` (the running server's ports and pid) and the one-server-per-data-dir lock.

The lock is an OS file lock on ``DIR/server.lock`` (released by the OS even on a crash), so two
servers can never share a data dir; the lock alone decides (a stale ``server.json`` naming a pid
that now belongs to another program does not stop a start); ``server.json`` names the pid that
holds it, for the message.
``server.json`` is written atomically (temporary file + rename) and removed on a clean stop.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import IO, Any

__all__ = [
    "AlreadyRunningError",
    "InstanceLock",
    "read_run_info",
    "remove_run_info",
    "write_run_info",
]

RUN_INFO = "server.json"
LOCK = "server.lock"


class AlreadyRunningError(Exception):
    """Another server holds the data dir."""


def read_run_info(data_dir: Path) -> dict[str, Any] | None:
    try:
        info = json.loads((data_dir / RUN_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def write_run_info(data_dir: Path, info: dict[str, Any]) -> None:
    target = data_dir / RUN_INFO
    temp = data_dir / f".{RUN_INFO}.{os.getpid()}.tmp"
    temp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    os.replace(temp, target)


def remove_run_info(data_dir: Path) -> None:
    """Remove ``server.json`` if it is this process's."""
    info = read_run_info(data_dir)
    if info is not None and info.get("pid") == os.getpid():
        with contextlib.suppress(FileNotFoundError):
            (data_dir / RUN_INFO).unlink()


class InstanceLock:
    """Exclusive hold on a data dir for the life of this process."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock, or raise AlreadyRunningError naming the other server's pid."""
        handle = open(self._data_dir / LOCK, "a+", encoding="utf-8")  # noqa: SIM115
        try:
            _lock(handle)
        except OSError:
            handle.close()
            info = read_run_info(self._data_dir)
            other = info.get("pid") if info else None
            raise AlreadyRunningError(
                self._message(other if isinstance(other, int) else None)
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                _unlock(self._file)
            self._file.close()
            self._file = None

    def _message(self, pid: int | None) -> str:
        who = f"another server (pid {pid})" if pid else "another server"
        return f"{who} is already running on data dir {self._data_dir}"


def _lock(handle: IO[str]) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(handle: IO[str]) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
