"""The update notice against a feed served on 127.0.0.1: newer, required, nothing new, broken."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.updates import FeedEntry, UpdateChecker, UpdateStore, compare_versions, parse_feed

FEED = {
    "version": "0.3.0",
    "url": "https://acme.example/download",
    "notes": "Call recording.\nFaster start.",
    "minimum_version": "0.1.0",
    "downloads": {
        "msi": "https://acme.example/AcmePhone-0.3.0.msi",
        "exe": "https://acme.example/AcmePhone-0.3.0-setup.exe",
        "dmg": "https://acme.example/AcmePhone-0.3.0.dmg",
    },
}


class Feed:
    """A feed on the loopback: ``body`` is served at ``/<channel>.json``; requests are kept."""

    def __init__(self) -> None:
        self.body: bytes = json.dumps(FEED).encode()
        self.status = 200
        self.paths: list[str] = []
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                feed.paths.append(self.path)
                self.send_response(feed.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(feed.body)))
                self.end_headers()
                self.wfile.write(feed.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, channel: str = "stable") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{channel}.json"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def feed() -> Iterator[Feed]:
    served = Feed()
    yield served
    served.close()


async def test_a_newer_version_is_announced_never_installed(feed: Feed) -> None:
    store = UpdateStore("0.1.0")
    changes: list[object] = []
    store.hub.subscribe(lambda published: changes.extend(sorted(published.names)))
    checker = UpdateChecker(store, feed.url("beta"))
    entry = await checker.check()
    assert entry is not None and store.available == entry
    assert entry.version == "0.3.0"
    assert entry.notes == "Call recording.\nFaster start."
    assert entry.url == "https://acme.example/download"
    assert dict(entry.downloads)["msi"] == "https://acme.example/AcmePhone-0.3.0.msi"
    assert not store.required
    assert changes == ["update"]
    assert feed.paths == ["/beta.json"]


async def test_below_the_minimum_it_must_be_updated(feed: Feed) -> None:
    feed.body = json.dumps({**FEED, "minimum_version": "0.2.0"}).encode()
    store = UpdateStore("0.1.0")
    await UpdateChecker(store, feed.url()).check()
    assert store.required and store.available is not None
    store.current = "0.2.0"
    await UpdateChecker(store, feed.url()).check()
    assert not store.required  # the minimum itself is still supported


async def test_the_same_version_says_nothing(feed: Feed) -> None:
    store = UpdateStore("0.3.0")
    entry = await UpdateChecker(store, feed.url()).check()
    assert entry is not None and store.latest == entry
    assert store.available is None and not store.required


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, b"{}"), (200, b"not json"), (200, b'{"url": "https://x"}'), (200, b"[1]")],
)
async def test_a_broken_feed_is_logged_and_changes_nothing(
    feed: Feed, status: int, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    feed.status, feed.body = status, body
    store = UpdateStore("0.1.0")
    assert await UpdateChecker(store, feed.url()).check() is None
    assert store.available is None and store.latest is None
    assert "update check of" in caplog.text


async def test_checked_at_start_and_again_after_the_interval(feed: Feed) -> None:
    store = UpdateStore("0.1.0")
    checker = UpdateChecker(store, feed.url(), interval_s=0.01)
    checker.start(asyncio.get_running_loop())
    for _ in range(400):
        if len(feed.paths) >= 2:
            break
        await asyncio.sleep(0.025)
    await checker.stop()
    assert len(feed.paths) >= 2
    assert store.available is not None


async def test_no_feed_no_check() -> None:
    checker = UpdateChecker(UpdateStore("0.1.0"), "")
    checker.start(asyncio.get_running_loop())
    await checker.stop()
    assert checker.checks == 0


def test_feed_parsing_errors() -> None:
    with pytest.raises(ValueError, match=r"^update feed: version is missing$"):
        parse_feed({"url": "https://x"})
    with pytest.raises(ValueError, match=r"^update feed: url must be an http\(s\) URL$"):
        parse_feed({"version": "1.0", "url": "file:///etc/passwd"})
    with pytest.raises(ValueError, match=r"^update feed: downloads must map names to URLs$"):
        parse_feed({"version": "1.0", "downloads": ["x"]})
    with pytest.raises(ValueError, match=r"^not a version: 'latest'$"):
        parse_feed({"version": "latest"})
    assert parse_feed({"version": "1.0"}) == FeedEntry("1.0")


@pytest.mark.parametrize(
    ("a", "b", "result"),
    [
        ("0.10.0", "0.9.1", 1),
        ("1.0", "1.0.0", 0),
        ("1.0.0rc1", "1.0.0", -1),
        ("v2.0", "1.9", 1),
        ("0.1.0", "0.1.1", -1),
    ],
)
def test_versions_compare_by_number(a: str, b: str, result: int) -> None:
    assert compare_versions(a, b) == result
