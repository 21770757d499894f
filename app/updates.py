"""The update notice: a JSON feed checked at start and daily; nothing is ever installed.

The feed (``update_url`` with ``{channel}`` filled in, :mod:`app.machine_config`)::

    {"version": "0.2.0", "url": "https://acme.example/download", "notes": "What is new.",
     "minimum_version": "0.1.0",
     "downloads": {"exe": "https://…/setup.exe", "msi": "https://…/.msi", "dmg": "https://…/.dmg",
                   "linux": "https://…/linux-x86_64.tar.gz"}}

``version`` is required; the rest is optional. A newer ``version`` fills :class:`UpdateStore`
("Version X is available" with the notes and the link); a running version below
``minimum_version`` is marked :attr:`UpdateStore.required` (it must be updated). ``downloads``
are the installers admins see in Help → Download installers. The check is an httpx request on the
app's loop; a feed that cannot be reached or read is logged and tried again the next day.
The UI shows what the store holds: a banner in the main window and one message in the
system's notification area per version.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import httpx

from app.bus import ChangeHub
from app.stores._base import Store

__all__ = [
    "CHECK_INTERVAL_S",
    "FeedEntry",
    "UpdateChecker",
    "UpdateStore",
    "app_version",
    "compare_versions",
    "parse_feed",
]

CHECK_INTERVAL_S = 24 * 3600.0
_TIMEOUT_S = 15.0
_MAX_BODY = 256 * 1024
_VERSION = re.compile(r"^\s*v?(\d+(?:\.\d+)*)(.*)$")
_log = logging.getLogger(__name__)


def app_version() -> str:
    """The running version (package metadata); ``0`` when not installed."""
    try:
        return metadata.version("acme-softphone")
    except metadata.PackageNotFoundError:
        return "0"


def _key(version: str) -> tuple[tuple[int, ...], int, str]:
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"not a version: {version!r}")
    numbers = tuple(int(n) for n in match.group(1).split("."))
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers = numbers[:-1]
    suffix = match.group(2).strip(" .-+")
    # 1.2.0 > 1.2.0rc1 / 1.2.0-beta.1: a release sorts after its pre-releases
    return numbers, 0 if suffix else 1, suffix


def compare_versions(a: str, b: str) -> int:
    """-1, 0 or 1 as ``a`` is older than, equal to or newer than ``b`` (``1.10`` > ``1.9``)."""
    ka, kb = _key(a), _key(b)
    return (ka > kb) - (ka < kb)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One version the feed offers."""

    version: str
    url: str = ""
    notes: str = ""
    minimum_version: str = ""
    downloads: tuple[tuple[str, str], ...] = ()
    """(kind, url): ``exe``, ``msi``, ``dmg``, ``linux`` as the feed lists them."""


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"update feed: {key} must be a string")
    return value.strip()


def parse_feed(body: object) -> FeedEntry:
    """The feed's JSON object checked; ValueError with the exact reason."""
    if not isinstance(body, dict):
        raise ValueError("update feed: not a JSON object")
    version = _text(body, "version")
    if not version:
        raise ValueError("update feed: version is missing")
    _key(version)
    minimum = _text(body, "minimum_version")
    if minimum:
        _key(minimum)
    downloads = body.get("downloads") or {}
    if not isinstance(downloads, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in downloads.items()
    ):
        raise ValueError("update feed: downloads must map names to URLs")
    links = tuple((k, v) for k, v in downloads.items() if v.startswith(("https://", "http://")))
    url = _text(body, "url")
    if url and not url.startswith(("https://", "http://")):
        raise ValueError("update feed: url must be an http(s) URL")
    return FeedEntry(version, url, _text(body, "notes"), minimum, links)


class UpdateStore(Store):
    """What the last check found; publishes ``Changes("updates", {"update"})``.

    :attr:`available`: a newer version (or None); :attr:`required`: this version is below the
    feed's minimum; :attr:`latest`: the feed's last entry, newer or not (its ``downloads``).
    """

    name = "updates"

    def __init__(self, current: str | None = None, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.current = current or app_version()
        self.available: FeedEntry | None = None
        self.required = False
        self.latest: FeedEntry | None = None

    def set_entry(self, entry: FeedEntry | None) -> None:
        self.latest = entry
        newer = entry is not None and compare_versions(entry.version, self.current) > 0
        self.available = entry if newer else None
        self.required = bool(
            entry is not None
            and entry.minimum_version
            and compare_versions(self.current, entry.minimum_version) < 0
        )
        self._publish({"update"})


class UpdateChecker:
    """Checks the feed at :meth:`start` and every :data:`CHECK_INTERVAL_S`; never installs."""

    def __init__(
        self,
        store: UpdateStore,
        feed_url: str,
        *,
        interval_s: float = CHECK_INTERVAL_S,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.store = store
        self.feed_url = feed_url
        self._interval = interval_s
        self._transport = transport
        self._task: asyncio.Task[None] | None = None
        self.checks = 0

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Check now and then daily on ``loop``; nothing when no feed is configured."""
        if not self.feed_url:
            _log.info("no update feed configured; updates are not checked")
            return
        if self._task is None:
            self._task = loop.create_task(self._run(), name="update check")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            await self.check()
            await asyncio.sleep(self._interval)

    async def check(self) -> FeedEntry | None:
        """One check: the feed read and the store updated; None when it could not be read."""
        self.checks += 1
        try:
            async with httpx.AsyncClient(
                transport=self._transport, timeout=_TIMEOUT_S, follow_redirects=True
            ) as client:
                response = await client.get(self.feed_url, headers={"Accept": "application/json"})
                response.raise_for_status()
                if len(response.content) > _MAX_BODY:
                    raise ValueError("update feed: larger than 256 KiB")
                entry = parse_feed(response.json())
        except (httpx.HTTPError, ValueError) as exc:
            _log.warning("update check of %s failed: %s", self.feed_url, exc)
            return None
        self.store.set_entry(entry)
        if self.store.available is not None:
            _log.info("version %s is available (running %s)", entry.version, self.store.current)
        return entry
