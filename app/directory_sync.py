"""The directory's changes feed (``GET /api/v1/directory/changes``): fetch one page, parse it.

A client with a version of the directory asks only for what changed after it; a PBX from before
the feed answers 404 and the caller falls back to the first 500 entries of the search.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping

from app.api import ApiClient
from app.directory_index import SyncPage
from app.errors import ServerRejected
from app.stores.directory import DirectoryEntry

__all__ = [
    "PAGE_SIZE",
    "ServerRestarted",
    "fetch_changes",
    "fetch_page",
    "following_pages",
    "page_from_json",
]

CHANGES_PATH = "/api/v1/directory/changes"
PAGE_SIZE = 2000  # entries per answer: each one small and quick, whatever the directory's size
FIRST_PAGE_TIMEOUT_S = 60.0  # the PBX may still be reading a big directory from its database


class ServerRestarted(Exception):  # noqa: N818 - an event, not a failure
    """The server's epoch changed between two pages of one sync: start the sync again."""


_log = logging.getLogger(__name__)


async def fetch_changes(
    api: object, since: int | None, epoch: str | None, *, page_size: int = PAGE_SIZE
) -> SyncPage | None:
    """Every page of the changes after ``since`` of ``epoch`` as one; None without a feed."""
    first = await fetch_page(api, since, epoch, limit=page_size)
    if first is None:
        return None
    entries = list(first.entries)
    async for page in following_pages(api, first, since, epoch, page_size=page_size):
        entries.extend(page.entries)
    return SyncPage(first.epoch, first.version, first.full, tuple(entries), first.removed)


async def following_pages(
    api: object, first: SyncPage, since: int | None, epoch: str | None, *, page_size: int
) -> AsyncIterator[SyncPage]:
    """The pages after ``first``; :class:`ServerRestarted` when the epoch changes between two
    of them (the caller starts the sync again)."""
    page: SyncPage | None = first
    while page is not None and page.next is not None:
        page = await fetch_page(api, since, epoch, after=page.next, limit=page_size)
        if page is None or page.epoch != first.epoch:
            raise ServerRestarted("the directory's server restarted during the sync")
        yield page


async def fetch_page(
    api: object, since: int | None, epoch: str | None, *, after: int = 0, limit: int = PAGE_SIZE
) -> SyncPage | None:
    """One page of the changes after ``since`` of ``epoch``; None when there is no feed."""
    if not isinstance(api, ApiClient):
        return None
    params: dict[str, str | int] = {"limit": limit}
    if since is not None and epoch is not None:
        params.update(since=since, epoch=epoch)
    if after:
        params["after"] = after
    try:
        slow: dict[str, float] = {} if after else {"timeout": FIRST_PAGE_TIMEOUT_S}
        data = await api.request("GET", CHANGES_PATH, params=params, **slow)
    except ServerRejected as exc:
        if exc.status == 404:
            return None
        raise
    return page_from_json(data)


def page_from_json(data: object) -> SyncPage:
    """One page of the feed; rows that do not parse are skipped (and logged), not fatal."""
    if not isinstance(data, Mapping):
        raise ValueError("directory changes: the answer is not an object")
    epoch, version, full = data.get("epoch"), data.get("version"), data.get("full")
    if not isinstance(epoch, str) or not isinstance(version, int) or not isinstance(full, bool):
        raise ValueError("directory changes: epoch, version and full are required")
    entries: list[DirectoryEntry] = []
    for row in data.get("entries") or ():
        try:
            entries.append(DirectoryEntry.from_api(row))
        except (ValueError, KeyError, TypeError) as exc:
            _log.warning("skipping a directory row: %s", exc)
    removed = tuple(str(k) for k in data.get("removed") or ())
    following = data.get("next")
    cursor = following if isinstance(following, int) else None
    return SyncPage(epoch, version, full, tuple(entries), removed, cursor)
