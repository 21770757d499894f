"""The window opens with the last known user, status and history, never with wrong defaults."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from app.bus import ChangeHub
from app.cache import StartupCache
from app.stores.history import HistoryEntry, HistoryStore
from app.stores.presence import PresenceStore
from app.stores.session import Me, SessionStore

_NOW = dt.datetime(2030, 3, 14, 9, 0, tzinfo=dt.UTC)
_ANNA = Me("Anna de Vries", "201", "anna@example.com", "Sales", ("user",))
_CALL = HistoryEntry(7, "missed", "202", "Bram Jansen", _NOW - dt.timedelta(hours=1), 0, False)


def _stores() -> tuple[SessionStore, PresenceStore, HistoryStore]:
    hub = ChangeHub()  # as in the app: the stores publish into one hub
    return SessionStore(hub), PresenceStore(hub), HistoryStore(hub)


def _filled(path: Path, account: str = "embedded||201") -> StartupCache:
    cache = StartupCache(path, lambda: account)
    session, presence, history = _stores()
    cache.follow(session, presence, history)
    session.set_me(_ANNA)
    presence.set_presence("meeting", _NOW + dt.timedelta(hours=2))
    history.set_entries([_CALL])
    return cache


def test_the_next_start_shows_the_last_known_state(tmp_path: Path) -> None:
    _filled(tmp_path / "cache.json")
    session, presence, history = _stores()
    restored = StartupCache(tmp_path / "cache.json", lambda: "embedded||201").restore(
        session, presence, history, now=_NOW
    )
    assert restored
    assert session.me == _ANNA
    assert (presence.status, presence.until) == ("meeting", _NOW + dt.timedelta(hours=2))
    assert history.entries == [_CALL] and history.unseen_missed == 1


def test_a_status_that_has_ended_is_not_shown(tmp_path: Path) -> None:
    _filled(tmp_path / "cache.json")
    session, presence, history = _stores()
    later = _NOW + dt.timedelta(hours=3)
    StartupCache(tmp_path / "cache.json", lambda: "embedded||201").restore(
        session, presence, history, now=later
    )
    assert session.me == _ANNA and presence.status == "available"


def test_another_account_or_a_damaged_file_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    _filled(path)
    session, presence, history = _stores()
    other = StartupCache(path, lambda: "remote|https://pbx.example.com|301")
    assert not other.restore(session, presence, history, now=_NOW)
    assert session.me is None and history.entries == []
    path.write_text("{not json", encoding="utf-8")
    assert not StartupCache(path, lambda: "embedded||201").restore(*_stores(), now=_NOW)


def test_signing_out_removes_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    cache = StartupCache(path, lambda: "embedded||201")
    session, presence, history = _stores()
    cache.follow(session, presence, history)
    session.set_me(_ANNA)
    assert json.loads(path.read_text(encoding="utf-8"))["me"]["name"] == "Anna de Vries"
    session.set_me(None)
    assert not path.exists()
