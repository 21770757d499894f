"""Recordings in the store: the migration makes the model's table; newest first; retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from pbx_core.recording import repository as repo
from pbx_core.store import Store
from pbx_core.store.models import Base

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _new(owner: str, minutes: int) -> repo.NewRecording:
    return repo.NewRecording(
        owner=owner,
        call_id=f"call-{minutes}",
        started_at=T0 + timedelta(minutes=minutes),
        duration_s=12.5,
        number="201",
        name="Anna de Vries",
        audio=f"recordings/{owner}/{minutes}.wav",
        size_bytes=1000,
    )


def test_the_migration_creates_exactly_the_table_of_the_model(store: Store) -> None:
    url = str(store._engine.url) if store._engine is not None else ""
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_a_users_recordings_newest_first_and_deleted_one_by_one(store: Store) -> None:
    first = repo.add_recording(store, _new("202", 0))
    second = repo.add_recording(store, _new("202", 5))
    repo.add_recording(store, _new("203", 7))
    assert [r.id for r in repo.recordings(store, "202")] == [second.id, first.id]
    assert repo.recording(store, first.id) == first
    assert repo.delete_recording(store, first.id) == first
    assert repo.delete_recording(store, first.id) is None
    assert [r.id for r in repo.recordings(store, "202")] == [second.id]


def test_recordings_older_than_the_retention_are_deleted(store: Store) -> None:
    old = repo.add_recording(store, _new("202", 0))
    kept = repo.add_recording(store, _new("202", 60 * 24 * 10))
    gone = repo.expired(store, T0 + timedelta(days=10, minutes=1), retention_days=5)
    assert gone == [old]
    assert repo.recordings(store, "202") == [kept]
