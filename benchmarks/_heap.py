"""The server's Python heap during a soak: ask for tracemalloc snapshots, compare two of them.

The server traces its allocations when started with ``ACME_PBX_HEAP_SNAPSHOTS`` set
(server/heap_probe.py); SIGUSR1 makes it write the next snapshot into that folder.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ENV_FOLDER = "ACME_PBX_HEAP_SNAPSHOTS"  # server.heap_probe.ENV_FOLDER
_IGNORED = (
    tracemalloc.Filter(False, tracemalloc.__file__),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
    tracemalloc.Filter(False, "<unknown>"),
)


@dataclass(slots=True)
class HeapProbe:
    """Snapshots of one server process, numbered in the order they were asked for."""

    folder: Path
    pid: int
    taken: int = 0
    trimmed: int = 0

    def snapshot(self, timeout: float = 120.0) -> tuple[Path, int, int | None]:
        """Ask for the next snapshot; returns its file, the traced bytes and SQLite's own."""
        self.taken += 1
        done = self.folder / f"heap-{self.taken}.done"
        os.kill(self.pid, signal.SIGUSR1)
        deadline = time.monotonic() + timeout
        while not done.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server wrote no heap snapshot within {timeout:.0f} s")
            time.sleep(0.1)
        sizes = json.loads(done.read_text())
        return self.folder / f"heap-{self.taken}.snap", sizes["traced"], sizes["sqlite"]

    def trim(self, timeout: float = 30.0) -> None:
        """Ask the server to give its free heap back (malloc_trim) and wait until it has."""
        self.trimmed += 1
        done = self.folder / f"trim-{self.trimmed}.done"
        os.kill(self.pid, signal.SIGUSR2)
        deadline = time.monotonic() + timeout
        while not done.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not trim its heap within {timeout:.0f} s")
            time.sleep(0.1)


def _short(filename: str) -> str:
    if "/site-packages/" in filename:
        return filename.split("/site-packages/", 1)[1]
    if match := re.search(r"/lib/python3\.\d+/", filename):
        return filename[match.end() :]
    root = str(Path(__file__).resolve().parent.parent) + "/"
    return filename.removeprefix(root)


def compare(before: Path, after: Path, calls: int, top: int = 12) -> list[str]:
    """Markdown lines: the allocation sites that grew most between two snapshots, per call."""
    old = tracemalloc.Snapshot.load(str(before)).filter_traces(_IGNORED)
    new = tracemalloc.Snapshot.load(str(after)).filter_traces(_IGNORED)
    total = sum(s.size for s in new.statistics("filename")) - sum(
        s.size for s in old.statistics("filename")
    )
    lines = [
        f"Python heap (traced) {total / 1024:+.0f} KiB over {calls:,} calls "
        f"({total / max(1, calls):+.0f} bytes per call). Growth by allocation site:",
        "",
        "| site | KiB | blocks | bytes per call |",
        "|---|---|---|---|",
    ]
    for stat in new.compare_to(old, "lineno")[:top]:
        frame = stat.traceback[0]
        lines.append(
            f"| `{_short(frame.filename)}:{frame.lineno}` | {stat.size_diff / 1024:+.1f} "
            f"| {stat.count_diff:+d} | {stat.size_diff / max(1, calls):+.0f} |"
        )
    return lines


def tracebacks(before: Path, after: Path, top: int = 8, depth: int = 8) -> list[str]:
    """Plain text: the call paths of the sites that grew most (for reading, not the docs)."""
    old = tracemalloc.Snapshot.load(str(before)).filter_traces(_IGNORED)
    new = tracemalloc.Snapshot.load(str(after)).filter_traces(_IGNORED)
    out: list[str] = []
    grown = [s for s in new.compare_to(old, "traceback") if s.size_diff > 0]
    for stat in grown[:top]:
        out.append(f"{stat.size_diff / 1024:+.1f} KiB, {stat.count_diff:+d} blocks")
        for frame in list(stat.traceback)[-depth:]:
            out.append(f"    {_short(frame.filename)}:{frame.lineno}")
    return out
