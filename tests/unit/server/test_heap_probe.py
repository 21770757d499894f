"""The heap probe is off unless its variable is set; when on, SIGUSR1 writes a snapshot that
tracemalloc can load back, with the traced and SQLite byte counts beside it, and SIGUSR2 gives
free heap back."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import tracemalloc
from pathlib import Path

import pytest

from server.heap_probe import ENV_FOLDER, install_heap_probe, sqlite_memory, write_snapshot


def test_off_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_FOLDER, raising=False)
    loop = asyncio.new_event_loop()
    try:
        assert install_heap_probe(loop) is None
    finally:
        loop.close()
    assert not tracemalloc.is_tracing()


def test_snapshot_and_sizes(tmp_path: Path) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (x TEXT)")
    tracemalloc.start(1)
    try:
        path = write_snapshot(tmp_path, 3)
    finally:
        tracemalloc.stop()
        db.close()
    assert path == tmp_path / "heap-3.snap"
    sizes = json.loads((tmp_path / "heap-3.done").read_text())
    assert sizes["traced"] > 0
    assert sizes["sqlite"] is None or sizes["sqlite"] > 0
    assert tracemalloc.Snapshot.load(str(path)).traces is not None


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="no SIGUSR1 on this system")
def test_sigusr1_writes_numbered_snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_FOLDER, str(tmp_path / "heap"))
    monkeypatch.setenv("ACME_PBX_HEAP_FRAMES", "1")

    async def run() -> Path | None:
        folder = install_heap_probe(asyncio.get_running_loop())
        try:
            for number in (1, 2):
                os.kill(os.getpid(), signal.SIGUSR1)
                for _ in range(200):
                    if (tmp_path / "heap" / f"heap-{number}.done").exists():
                        break
                    await asyncio.sleep(0.01)
        finally:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGUSR1)
            asyncio.get_running_loop().remove_signal_handler(signal.SIGUSR2)
            tracemalloc.stop()
        return folder

    assert asyncio.run(run()) == tmp_path / "heap"
    assert sorted(p.name for p in (tmp_path / "heap").iterdir()) == [
        "heap-1.done",
        "heap-1.snap",
        "heap-2.done",
        "heap-2.snap",
    ]


def test_sqlite_memory_counts_the_page_cache() -> None:
    before = sqlite_memory()
    if before is None:
        pytest.skip("this SQLite does not report its memory")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (x TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [("x" * 100,)] * 5000)
    during = sqlite_memory()
    db.close()
    assert during is not None and during > before + 300_000


@pytest.mark.skipif(not hasattr(signal, "SIGUSR2"), reason="no SIGUSR2 on this system")
def test_without_frames_it_only_trims(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_FOLDER, str(tmp_path))
    monkeypatch.setenv("ACME_PBX_HEAP_FRAMES", "0")

    async def run() -> bool:
        loop = asyncio.get_running_loop()
        install_heap_probe(loop)
        try:
            tracing = tracemalloc.is_tracing()
            os.kill(os.getpid(), signal.SIGUSR2)
            for _ in range(200):
                if (tmp_path / "trim-1.done").exists():
                    break
                await asyncio.sleep(0.01)
        finally:
            loop.remove_signal_handler(signal.SIGUSR2)
        return tracing

    assert asyncio.run(run()) is False
    assert json.loads((tmp_path / "trim-1.done").read_text()) in (True, False)
    assert not list(tmp_path.glob("*.snap"))
