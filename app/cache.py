"""The last known state, so the window opens with it instead of a wrong default.

At start-up the app needs 1 to 3 s to reach the server; until then the stores would say "?",
"Available" and "No calls yet". :class:`StartupCache` keeps the signed-in user, their status and
the call history in a small JSON file in the data folder (``cache.json``), fills the stores from
it before the first window shows, and writes it again whenever those stores change. It belongs
to one account (mode, server, user): another account, a sign-out or a damaged file starts empty.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from app.bus import Changes
from app.presence_status import is_status
from app.server_events import parse_until
from app.stores.history import HistoryEntry, HistoryStore
from app.stores.presence import PresenceStore
from app.stores.session import Me, SessionStore

__all__ = ["CACHE_FILE", "StartupCache"]

CACHE_FILE = "cache.json"
_VERSION = 1
_MAX_ENTRIES = 200
_log = logging.getLogger(__name__)


class StartupCache:
    """Reads and writes ``cache.json`` for the account that ``account()`` names."""

    def __init__(self, path: Path, account: Callable[[], str]) -> None:
        self.path = path
        self._account = account
        self._session: SessionStore | None = None
        self._presence: PresenceStore | None = None
        self._history: HistoryStore | None = None

    def load(self) -> dict[str, Any]:
        """The cached state of this account; empty when missing, damaged or another account's."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            _log.warning("start-up cache not read: %s", exc)
            return {}
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            return {}
        return data if data.get("account") == self._account() else {}

    def restore(
        self,
        session: SessionStore,
        presence: PresenceStore,
        history: HistoryStore,
        now: dt.datetime | None = None,
    ) -> bool:
        """Fill the stores from the cache; True when there was something to show."""
        data = self.load()
        me = _me(data.get("me"))
        if me is None:
            return False
        session.set_me(me)
        status = data.get("status")
        until = _until(data.get("until"))
        moment = now or dt.datetime.now(dt.UTC)
        if is_status(status) and (until is None or until > moment):
            presence.set_presence(status, until)
        history.set_entries(_entries(data.get("history")))
        return True

    def follow(self, session: SessionStore, presence: PresenceStore, history: HistoryStore) -> None:
        """Write the cache again whenever the user, their status or the history changes.

        The three stores publish into one hub (``AppContext.changes``); the cache subscribes to it.
        """
        if presence.hub is not session.hub or history.hub is not session.hub:
            raise ValueError("the followed stores must publish into one change hub")
        self._session, self._presence, self._history = session, presence, history
        session.hub.subscribe(self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        if (
            changes.touches("session", "me")
            or changes.touches("presence", "status")
            or changes.touches("history", "entries")
        ):
            self.save()

    def save(self) -> None:
        """Write what the followed stores hold; a signed-out user leaves no cache behind."""
        session, presence, history = self._session, self._presence, self._history
        if session is None or presence is None or history is None:
            return
        if session.me is None:
            self.clear()
            return
        data = {
            "version": _VERSION,
            "account": self._account(),
            "me": asdict(session.me),
            "status": presence.status,
            "until": presence.until.isoformat() if presence.until else None,
            "history": [_entry_json(e) for e in history.entries[:_MAX_ENTRIES]],
        }
        try:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(self.path)
        except OSError as exc:
            _log.warning("start-up cache not written: %s", exc)

    def clear(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            _log.warning("start-up cache not removed: %s", exc)


def _me(value: object) -> Me | None:
    if not isinstance(value, dict):
        return None
    try:
        return Me.from_api(value)
    except (KeyError, TypeError, ValueError):
        return None


def _until(value: object) -> dt.datetime | None:
    try:
        return parse_until(value)
    except ValueError:
        return None


def _entry_json(entry: HistoryEntry) -> dict[str, Any]:
    row = asdict(entry)
    for key, value in row.items():
        if isinstance(value, dt.datetime):
            row[key] = value.isoformat()
    return row


def _entries(value: object) -> list[HistoryEntry]:
    """History rows as cached; a row this version cannot read is left out."""
    if not isinstance(value, list):
        return []
    known = {f.name: f for f in fields(HistoryEntry)}
    entries = []
    for row in value:
        if not isinstance(row, dict):
            continue
        try:
            args = {k: v for k, v in row.items() if k in known}
            args["started_at"] = parse_until(args.get("started_at"))
            if args["started_at"] is None:
                continue
            entries.append(HistoryEntry(**args))
        except (TypeError, ValueError):
            continue
    return entries
