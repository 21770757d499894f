"""The directory's changes feed (``GET /api/v1/directory/changes``): fetch one page, parse it.

A client with a version of the directory asks only for what changed after it; a PBX from before
the feed answers 404 and the caller falls back to the first 500 entries of the search.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from app.api import ApiClient
from app.directory_index import SyncPage
from app.errors import ServerRejected
from app.stores.directory import DirectoryEntry

__all__ = ["fetch_page", "page_from_json"]

CHANGES_PATH = "/api/v1/directory/changes"
_log = logging.getLogger(__name__)


async def fetch_page(api: object, since: int | None, epoch: str | None) -> SyncPage | None:
    """The changes after ``since`` of ``epoch``; None when this server or client has no feed."""
    if not isinstance(api, ApiClient):
        return None
    params: dict[str, str | int] = {}
    if since is not None and epoch is not None:
        params = {"since": since, "epoch": epoch}
    try:
        data = await api._request("GET", CHANGES_PATH, params=params)
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
    return SyncPage(epoch, version, full, tuple(entries), removed)
