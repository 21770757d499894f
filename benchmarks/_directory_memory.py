"""Memory of the directory with 100,000 entries, in-process: the app's copy and the PBX's index.

``.venv/bin/python benchmarks/_directory_memory.py [--count 100000] [--no-trace]``

The PBX side: a fresh SQLite store with the demo organisation and ``count`` realistic contacts
(``_search_corpus.py``), then :class:`pbx_core.directory.Directory` loads and indexes them (the
store's read included) and answers the changes feed in pages of 2,000 as the API does. The app
side: the same rows as the feed's JSON, parsed page by page into :class:`LocalDirectory` and
prepared for the first keystroke. For each stage: tracemalloc current and peak (MiB, Python
allocations) and the RSS growth of this process; ``--no-trace`` gives RSS without
tracemalloc's own overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

from _search_corpus import contacts, seed  # benchmarks/ is the script folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Meter:
    """Prints one line per stage: Python heap now and at its peak, RSS growth since the start."""

    def __init__(self, trace: bool) -> None:
        self.trace = trace
        self.rss0 = rss_mib()
        self.rows: list[tuple[str, float, float, float]] = []

    def start(self) -> None:
        gc.collect()
        self.rss0 = rss_mib()
        if self.trace:
            tracemalloc.start()

    def mark(self, stage: str) -> None:
        gc.collect()
        current, peak = tracemalloc.get_traced_memory() if self.trace else (0, 0)
        if self.trace:
            tracemalloc.reset_peak()
        row = (stage, current / MIB, peak / MIB, rss_mib() - self.rss0)
        self.rows.append(row)
        print(f"  {stage:<44} heap {row[1]:7.1f}  peak {row[2]:7.1f}  RSS +{row[3]:6.1f} MiB")

    def stop(self) -> None:
        if self.trace:
            tracemalloc.stop()


def pbx_side(count: int, trace: bool) -> None:
    from argon2 import PasswordHasher

    from pbx_core.accounts import Accounts
    from pbx_core.bus import EventBus
    from pbx_core.demo import load_demo
    from pbx_core.directory import Directory
    from pbx_core.presence import PresenceService
    from pbx_core.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "pbx.sqlite3"
        store = Store(f"sqlite:///{db}")
        store.open()
        load_demo(store, Accounts(store, "acme.local", hasher=PasswordHasher(1, 8, 1)))
        seed(db, count)
        directory = Directory(store, PresenceService(store, EventBus()), lambda _ext: "idle")
        print(f"PBX: {count:,} contacts")
        meter = Meter(trace)

        async def run() -> None:
            meter.start()
            after = None  # the store's read alone, page by page on its worker thread
            while page := await store.aio.contacts_page(after):
                after = (page[-1].name, page[-1].id)
            meter.mark("store read alone, page by page (records discarded)")
            await directory.load()
            meter.mark("loaded and indexed (store read included)")
            await directory.search("sorensen")
            await directory.search("+31 20 5")
            meter.mark("after a text and a number query")
            after, pages = 0, 0
            while True:
                got = await directory.changes(None, None, after=after, limit=2000)
                pages += 1
                if got.next is None:
                    break
                after = got.next
            meter.mark(f"after the changes feed ({pages} pages)")

        asyncio.run(run())
        meter.stop()
        store.close()


def _rows(count: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, (name, company, email, numbers) in enumerate(contacts(count), start=1):
        out.append({
            "kind": "contact", "id": i, "name": name, "company": company, "email": email,
            "numbers": [{"label": label, "number": n} for label, n in numbers],
        })  # fmt: skip
    return out


def app_side(count: int, trace: bool) -> None:
    from app.directory_index import LocalDirectory, SyncPage
    from app.directory_sync import page_from_json
    from app.memory import release_free_memory
    from app.stores.directory import DirectoryStore

    rows = _rows(count)
    pages = [
        json.dumps({"epoch": "e", "version": 1, "full": True, "entries": rows[i : i + 2000],
                    "next": i + 2000 if i + 2000 < count else None}).encode()
        for i in range(0, count, 2000)
    ]  # fmt: skip
    del rows
    print(f"App: {count:,} contacts, {len(pages)} pages of the feed")
    meter = Meter(trace)
    meter.start()
    store = DirectoryStore()
    target = LocalDirectory()
    for raw in pages:  # page by page, as the directory controller applies them
        page = page_from_json(json.loads(raw))
        target.apply(SyncPage(page.epoch, page.version, False, page.entries, ()))
        del page
    store.index = target
    del target
    meter.mark("local index filled (page by page)")
    store.index.prepare()
    release_free_memory()  # as the directory controller does after a full sync
    meter.mark("prepared (joined texts), free memory given back")
    store.index.search("sorensen")
    store.index.search("+31 20 5")
    store.index.name_for("+31205550134")
    meter.mark("after a text and a number query")
    meter.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--no-trace", action="store_true")
    parser.add_argument("--side", choices=("app", "pbx", "both"), default="both")
    args = parser.parse_args()
    if args.side in ("pbx", "both"):
        pbx_side(args.count, not args.no_trace)
    if args.side in ("app", "both"):
        app_side(args.count, not args.no_trace)


if __name__ == "__main__":
    main()
