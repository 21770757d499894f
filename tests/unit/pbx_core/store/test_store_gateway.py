"""The store's gateway (SQL on its worker thread) and its memory (users, credentials, bindings)."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from pbx_core.errors import StoreError
from pbx_core.store import BindingRecord, CallRecord, NewUser, Store
from pbx_core.store.gateway import WORKER_THREAD

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _new_user(ext: str) -> NewUser:
    return NewUser(ext, f"User {ext}", f"{ext}@acme.example", None, (), "h", "acme.local", "0", "1")


def _call(n: int) -> CallRecord:
    start = T0 + timedelta(minutes=n)
    return CallRecord(f"call-{n}", "201", "202", None, None, start, None, start, "cancelled")


def _binding(contact: str, expires_at: datetime) -> BindingRecord:
    return BindingRecord("201", contact, expires_at, "udp:127.0.0.1:5070", "c", 1, None)


@pytest.fixture
def sql_threads() -> Iterator[list[str]]:
    """The name of the thread of every SQL statement any engine runs while the test runs."""
    names: list[str] = []

    def on_execute(*_args: object) -> None:
        names.append(threading.current_thread().name)

    event.listen(Engine, "before_cursor_execute", on_execute)
    yield names
    event.remove(Engine, "before_cursor_execute", on_execute)


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    s = Store(store_url)
    await s.aio.open()
    await s.aio.add_user(_new_user("201"))
    yield s
    await s.aio.close()


def _on_worker(names: list[str]) -> bool:
    return bool(names) and all(name.startswith(WORKER_THREAD) for name in names)


async def test_opening_runs_the_migrations_on_the_worker_thread(
    tmp_path: Path, sql_threads: list[str]
) -> None:
    s = Store(f"sqlite:///{tmp_path / 'pbx.sqlite3'}")
    await s.aio.open()
    await s.aio.close()
    assert _on_worker(sql_threads)


async def test_a_store_call_from_the_loop_runs_on_the_worker_thread(
    store: Store, sql_threads: list[str]
) -> None:
    record_id = await store.aio.add_call_record(_call(1))
    history = await store.aio.call_history("201")
    assert [c.id for c in history] == [record_id]
    assert await store.aio.contacts() == []
    assert _on_worker(sql_threads)


async def test_users_credentials_and_bindings_are_answered_without_sql(
    store: Store, sql_threads: list[str]
) -> None:
    user = await store.aio.user_by_extension("201")
    assert user is not None
    assert await store.aio.user_by_id(user.id) == user
    assert store.user_by_extension("299") is None
    assert [u.extension for u in await store.aio.users()] == ["201"]
    credentials = store.sip_credentials("201")
    assert credentials is not None and credentials.realm == "acme.local"
    assert store.sip_credentials("299") is None
    assert await store.aio.load_bindings() == []
    assert sql_threads == []


async def test_memory_follows_the_stores_own_writes(store: Store) -> None:
    added = await store.aio.add_user(_new_user("200"))
    assert [u.extension for u in store.users()] == ["200", "201"]
    assert store.user_by_id(added.id) == added
    assert store.sip_credentials("200") is not None
    await store.aio.save_binding(_binding("sip:a@h", T0))
    await store.aio.save_binding(_binding("sip:b@h", T0 + timedelta(hours=1)))
    later = T0.astimezone(UTC) + timedelta(hours=2)
    await store.aio.save_binding(_binding("sip:a@h", later))
    assert [(b.contact, b.expires_at) for b in store.load_bindings()] == [
        ("sip:a@h", later),
        ("sip:b@h", T0 + timedelta(hours=1)),
    ]
    assert await store.aio.delete_expired_bindings(T0 + timedelta(hours=1)) == 1
    await store.aio.delete_binding("201", "sip:a@h")
    assert store.load_bindings() == []


async def test_memory_is_filled_again_when_the_store_opens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pbx.sqlite3'}"
    first = Store(url)
    first.open()
    first.add_user(_new_user("201"))
    first.save_binding(_binding("sip:a@h", T0))
    first.close()
    second = Store(url)
    await second.aio.open()
    try:
        assert [u.extension for u in second.users()] == ["201"]
        assert [b.contact for b in second.load_bindings()] == ["sip:a@h"]
    finally:
        await second.aio.close()
    with pytest.raises(StoreError, match="the store is not open"):
        second.user_by_extension("201")


async def test_a_queued_write_is_committed_before_the_store_closes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pbx.sqlite3'}"
    s = Store(url)
    await s.aio.open()
    for n in range(20):
        s.aio.add_call_record_soon(_call(n))
    await s.aio.close()
    again = Store(url)
    again.open()
    try:
        assert len(again.call_history("201", 100)) == 20
    finally:
        again.close()


async def test_a_failed_write_nobody_waits_for_is_logged(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    naive = CallRecord(
        "call-x", "201", "202", None, None, T0.replace(tzinfo=None), None, T0, "cancelled"
    )
    with caplog.at_level(logging.ERROR, logger="pbx_core.store.gateway"):
        store.aio.add_call_record_soon(naive)
        await store.aio.drain()
    assert "could not store the record of call call-x: database operation failed" in caplog.text
    assert await store.aio.call_history("201") == []


async def test_records_queued_while_the_worker_is_busy_are_inserted_together(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    busy = threading.Event()
    store.aio.soon("a wait", busy.wait, 5.0)
    naive = CallRecord(
        "call-x", "201", "202", None, None, T0.replace(tzinfo=None), None, T0, "cancelled"
    )
    for record in (_call(1), _call(2), naive, _call(3)):
        store.aio.add_call_record_soon(record)
    with caplog.at_level(logging.ERROR, logger="pbx_core.store.gateway"):
        busy.set()
        await store.aio.drain()
    history = await store.aio.call_history("201")
    assert sorted(r.call_id for r in history) == ["call-1", "call-2", "call-3"]
    assert "could not store the record of call call-x" in caplog.text
    assert "call-1" not in caplog.text


async def test_errors_reach_the_awaiting_caller(store: Store) -> None:
    with pytest.raises(StoreError, match=r"UNIQUE constraint failed: users\.|uq_users_"):
        await store.aio.add_user(_new_user("201"))
    with pytest.raises(ValueError, match="limit must be at least 1"):
        await store.aio.call_history("201", 0)
