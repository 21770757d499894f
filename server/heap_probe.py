"""A development probe of the server's Python heap: tracemalloc snapshots on SIGUSR1.

Off unless ``ACME_PBX_HEAP_SNAPSHOTS`` names a folder. Then SIGUSR2 gives free heap back
to the system (:func:`pbx_core.memory.release_free_memory`, ``trim-<n>.done`` when done), and
unless ``ACME_PBX_HEAP_FRAMES`` is 0 the server traces Python allocations from its start (that
many frames per allocation, default 8) and each
SIGUSR1 writes ``heap-<n>.snap`` there (``tracemalloc.Snapshot.dump``), numbered from 1, then
``heap-<n>.done`` once the snapshot is complete, with the traced bytes and the bytes SQLite
holds in its own allocator (page caches), which tracing does not see. ``benchmarks/soak.py
--heap`` compares the snapshots of two points of a soak. Tracing slows the server down by about
half and takes memory of its own: it is for measuring, never for production.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import itertools
import json
import logging
import os
import signal
import tracemalloc
from pathlib import Path

from pbx_core.memory import release_free_memory

__all__ = ["ENV_FOLDER", "install_heap_probe", "sqlite_memory", "write_snapshot"]

ENV_FOLDER = "ACME_PBX_HEAP_SNAPSHOTS"
_ENV_FRAMES = "ACME_PBX_HEAP_FRAMES"

_log = logging.getLogger(__name__)


def sqlite_memory() -> int | None:
    """Bytes SQLite holds in its own allocator (page caches, statements), which tracemalloc
    does not see; None where the library does not say."""
    try:
        import _sqlite3

        used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
    except (ImportError, OSError, AttributeError):
        return None
    used.restype = ctypes.c_int64
    return int(used())


def write_snapshot(folder: Path, number: int) -> Path:
    """Collect garbage, dump a snapshot as ``heap-<number>.snap``; ``heap-<number>.done`` (the
    traced bytes and SQLite's, as JSON) marks it whole."""
    gc.collect()
    path = folder / f"heap-{number}.snap"
    tracemalloc.take_snapshot().dump(str(path))
    sizes = {"traced": tracemalloc.get_traced_memory()[0], "sqlite": sqlite_memory()}
    (folder / f"heap-{number}.done").write_text(json.dumps(sizes) + "\n")
    return path


def install_heap_probe(loop: asyncio.AbstractEventLoop) -> Path | None:
    """Start tracing and answer SIGUSR1 with a snapshot when the environment asks for it."""
    value = os.environ.get(ENV_FOLDER)
    if not value or not hasattr(signal, "SIGUSR1"):
        return None
    folder = Path(value)
    folder.mkdir(parents=True, exist_ok=True)
    trims = itertools.count(1)

    def trim() -> None:
        released = release_free_memory()
        (folder / f"trim-{next(trims)}.done").write_text(json.dumps(released) + "\n")

    loop.add_signal_handler(signal.SIGUSR2, trim)
    frames = int(os.environ.get(_ENV_FRAMES, "8"))
    if frames <= 0:
        _log.warning("heap probe without tracing: SIGUSR2 gives free heap back (%s)", folder)
        return folder
    tracemalloc.start(frames)
    numbers = itertools.count(1)

    def snapshot() -> None:
        path = write_snapshot(folder, next(numbers))
        _log.info("heap snapshot written: %s", path)

    loop.add_signal_handler(signal.SIGUSR1, snapshot)
    _log.warning("tracing Python allocations (development probe); snapshots in %s", folder)
    return folder
