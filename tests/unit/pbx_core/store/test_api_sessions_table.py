from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from pbx_core.accounts import Accounts
from pbx_core.store import Store
from pbx_core.store.sessions import StoredSession, delete_sessions, load_sessions, save_session

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    Accounts(s, "acme.local", hasher=hasher).create_user(
        extension="201", display_name="Anna", email="anna@acme.example", password="Demo-201!"
    )
    yield s
    s.close()


def _session(key: str, expires: datetime) -> StoredSession:
    return StoredSession(key, "id-" + key[:16], 1, "201", T0, T0, expires, "Softphone", "127.0.0.1")


def test_sessions_are_saved_updated_loaded_and_deleted(store: Store) -> None:
    live = _session("a" * 64, T0 + timedelta(hours=12))
    save_session(store, live)
    save_session(store, _session("b" * 64, T0 + timedelta(minutes=1)))
    used = T0 + timedelta(minutes=5)
    save_session(store, replace(live, last_used_at=used, expires_at=used + timedelta(hours=12)))
    loaded = load_sessions(store, T0 + timedelta(minutes=2))
    assert [s.token_hash for s in loaded] == ["a" * 64]
    assert loaded[0].last_used_at == used and loaded[0].user_agent == "Softphone"
    assert load_sessions(store, T0) == loaded, "the expired row was deleted"
    delete_sessions(store, ["a" * 64])
    assert load_sessions(store, T0) == []
