from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from pbx_core import store as store_pkg
from pbx_core.errors import StoreError
from pbx_core.store import (
    BindingRecord,
    CallRecord,
    ContactNumber,
    NewContact,
    NewUser,
    PresenceRecord,
    Store,
)
from pbx_core.store._engine import make_engine
from tests.support.users import new_user

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _new_user(ext: str, name: str = "Anna de Vries", roles: tuple[str, ...] = ()) -> NewUser:
    return new_user(ext, "Sales", roles, name)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    yield s
    s.close()


def _binding(
    ext: str = "201", contact: str = "sip:201@127.0.0.1:5070", **kw: object
) -> BindingRecord:
    b = BindingRecord(
        extension=ext,
        contact=contact,
        expires_at=T0 + timedelta(seconds=3600),
        source="udp:127.0.0.1:5070",
        call_id="abc@host",
        cseq=1,
        user_agent="pjsua",
    )
    return replace(b, **kw)  # type: ignore[arg-type]


def _call(n: int, caller: str, callee: str, answered: bool = True) -> CallRecord:
    start = T0 + timedelta(minutes=n)
    return CallRecord(
        call_id=f"call-{n}",
        caller=caller,
        callee=callee,
        caller_name=None,
        callee_name=None,
        started_at=start,
        answered_at=start + timedelta(seconds=5) if answered else None,
        ended_at=start + timedelta(seconds=65),
        reason="hangup" if answered else "cancelled",
    )


def test_open_creates_a_migrated_wal_database(tmp_path: Path) -> None:
    path = tmp_path / "data" / "pbx.sqlite3"
    store = Store(f"sqlite:///{path}")
    store.open()
    store.close()
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
        (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    assert {"users", "sip_credentials", "bindings", "call_records", "contacts"} <= tables
    assert "call_hidden" in tables
    assert mode == "wal"
    assert revision == _head_revision()


def _migrate(url: str, step: Callable[[Config, str], None], revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(store_pkg.__file__).parent / "migrations"))
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)
    finally:
        engine.dispose()


def _schema(url: str) -> tuple[set[str], set[str]]:
    """The tables, and the columns of call_records."""
    engine = make_engine(url)
    try:
        found = inspect(engine)
        return set(found.get_table_names()), {c["name"] for c in found.get_columns("call_records")}
    finally:
        engine.dispose()


def test_a_0001_database_is_upgraded_and_keeps_its_call_records(store_url: str) -> None:
    _migrate(store_url, command.upgrade, "0001")
    engine = make_engine(store_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO call_records (call_id, caller, callee, started_at, answered_at, "
                "ended_at, answered, reason) VALUES ('old', '201', '202', '2026-03-02 09:00:00', "
                "NULL, '2026-03-02 09:00:30', :no, 'busy')"
            ),
            {"no": False},
        )
    engine.dispose()
    store = Store(store_url)
    store.open()
    try:
        (old,) = store.call_history("201")
        assert (old.call_id, old.reason, old.ended_by) == ("old", "busy", None)
        assert old.sip_status is None
        new = replace(_call(1, "201", "202"), ended_by="202", sip_status=200)
        store.add_call_record(new)
        assert store.call_history("201")[0].ended_by == "202"
        assert store.call_history("201")[0].sip_status == 200
    finally:
        store.close()
    _migrate(store_url, command.downgrade, "0001")
    tables, columns = _schema(store_url)
    assert "call_hidden" not in tables
    assert "ended_by" not in columns and "sip_status" not in columns


def test_every_migration_goes_down_to_nothing_and_up_again(store_url: str) -> None:
    store = Store(store_url)
    store.open()
    store.add_user(_new_user("201"))
    store.close()
    _migrate(store_url, command.downgrade, "base")
    engine = make_engine(store_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    _migrate(store_url, command.upgrade, "head")
    tables, _columns = _schema(store_url)
    assert {"users", "call_records", "api_sessions"} <= tables


def test_reopening_keeps_data_and_does_not_migrate_twice(store_url: str) -> None:
    url = store_url
    first = Store(url)
    first.open()
    first.add_user(_new_user("201"))
    first.close()
    second = Store(url)
    second.open()
    assert [u.extension for u in second.users()] == ["201"]
    second.close()


def test_users_and_credentials_round_trip(store: Store) -> None:
    added = store.add_user(_new_user("205", "Eva Smit", roles=("admin",)))
    assert store.user_by_extension("205") == added
    assert added.roles == ("admin",)
    assert store.user_by_id(added.id) == added
    creds = store.sip_credentials("205")
    assert creds is not None
    assert (creds.extension, creds.realm, creds.ha1_md5) == ("205", "acme.local", "0" * 32)
    assert store.sip_credentials("299") is None
    assert store.user_by_extension("299") is None


def test_login_record_by_extension_or_email_any_case(store: Store) -> None:
    store.add_user(_new_user("201"))
    by_ext = store.login_record("201")
    by_mail = store.login_record("USER201@Acme.Example")
    assert by_ext is not None and by_mail is not None
    assert by_ext == by_mail
    assert by_ext.password_hash == "$argon2id$fake"
    assert store.login_record("nobody") is None


def test_duplicate_extension_raises_store_error_and_changes_nothing(store: Store) -> None:
    store.add_user(_new_user("201"))
    clash = replace(_new_user("201"), email="other@acme.example")
    # SQLite and PostgreSQL word it their own way; both name the constraint
    unique = r"UNIQUE constraint failed: users\.extension|unique constraint \"uq_users_extension"
    with pytest.raises(StoreError, match=unique):
        store.add_user(clash)
    assert store.login_record("other@acme.example") is None
    assert store.user_count() == 1


def test_binding_for_unknown_extension_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match=r"FOREIGN KEY constraint failed|fk_bindings_extension"):
        store.save_binding(_binding("299"))
    assert store.load_bindings() == []


def test_binding_upsert_on_extension_and_contact(store: Store) -> None:
    store.add_user(_new_user("201"))
    store.save_binding(_binding())
    refreshed = _binding(cseq=2, expires_at=T0 + timedelta(seconds=7200), user_agent=None)
    store.save_binding(refreshed)
    store.save_binding(_binding(contact="sip:201@127.0.0.1:5080"))
    bindings = store.load_bindings()
    assert len(bindings) == 2
    assert bindings[0] == refreshed
    assert bindings[0].expires_at.tzinfo is UTC


def test_delete_binding_and_expired_bindings(store: Store) -> None:
    store.add_user(_new_user("201"))
    store.save_binding(_binding(contact="sip:a@h", expires_at=T0))
    store.save_binding(_binding(contact="sip:b@h", expires_at=T0 + timedelta(seconds=1)))
    store.save_binding(_binding(contact="sip:c@h", expires_at=T0 + timedelta(seconds=60)))
    assert store.delete_expired_bindings(T0 + timedelta(seconds=1)) == 2
    assert [b.contact for b in store.load_bindings()] == ["sip:c@h"]
    store.delete_binding("201", "sip:c@h")
    assert store.load_bindings() == []


def test_naive_datetime_is_a_store_error(store: Store) -> None:
    store.add_user(_new_user("201"))
    with pytest.raises(StoreError, match="timezone-aware"):
        store.save_binding(_binding(expires_at=datetime(2026, 1, 1)))
    assert store.load_bindings() == []


def test_call_history_newest_first_for_caller_or_callee(store: Store) -> None:
    ids = [
        store.add_call_record(_call(1, "201", "202")),
        store.add_call_record(_call(3, "203", "201", answered=False)),
        store.add_call_record(_call(2, "202", "203")),
        store.add_call_record(_call(4, "201", "9000")),
    ]
    history = store.call_history("201")
    assert [c.id for c in history] == [ids[3], ids[1], ids[0]]
    assert history[1].answered is False and history[1].answered_at is None
    assert history[0].started_at == T0 + timedelta(minutes=4)
    assert [c.id for c in store.call_history("201", limit=1)] == [ids[3]]


def test_a_hidden_call_leaves_only_that_users_history(store: Store) -> None:
    anna = store.add_user(_new_user("201"))
    bram = store.add_user(_new_user("202", "Bram Jansen"))
    chris = store.add_user(_new_user("203", "Chris Peters"))
    first = store.add_call_record(_call(1, "201", "202"))
    second = store.add_call_record(_call(2, "202", "201"))
    assert store.hide_call(anna.id, first) is True
    assert store.hide_call(anna.id, first) is True  # twice is fine
    assert [c.id for c in store.call_history("201")] == [second]
    assert [c.id for c in store.call_history("202")] == [second, first]
    assert store.hide_call(chris.id, second) is False  # not a call of theirs
    assert store.hide_call(bram.id, 999) is False  # no such call
    assert store.hide_call(999, second) is False  # no such user
    assert [c.id for c in store.call_history("202")] == [second, first]


def test_contacts_keep_their_numbers_in_order(store: Store) -> None:
    numbers = (ContactNumber("work", "+31205550100"), ContactNumber("mobile", "+31612345678"))
    added = store.add_contact(NewContact("Jan Visser", "Visser Logistiek", None, numbers))
    assert store.contacts() == [added]
    assert added.numbers == numbers


def test_contacts_read_page_by_page_in_name_order(store: Store) -> None:
    for n, name in enumerate(["Eva", "Bram", "Anna", "Bram", "Dirk", "Cees", "Anna"]):
        numbers = tuple(ContactNumber(f"l{i}", f"+3120555{n:02d}{i:02d}") for i in range(n % 3))
        store.add_contact(NewContact(name, None, None, numbers))
    pages, after = [], None
    while page := store.contacts_page(after, limit=3):
        pages.append(page)
        after = (page[-1].name, page[-1].id)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [c for p in pages for c in p] == store.contacts()  # same records, same order


def test_presence_is_saved_and_replaced(store: Store) -> None:
    store.add_user(_new_user("201"))
    store.save_presence(PresenceRecord("201", "meeting", T0))
    store.save_presence(PresenceRecord("201", "lunch", None))
    assert store.load_presence() == [PresenceRecord("201", "lunch", None)]


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'pbx.sqlite3'}")
    with pytest.raises(StoreError, match="the store is not open"):
        store.users()


def test_unwritable_location_raises_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = Store(f"sqlite:///{blocker / 'pbx.sqlite3'}")
    with pytest.raises(StoreError, match="cannot open the database"):
        store.open()


def _head_revision() -> str:
    """The newest migration's revision (the one ``Store`` upgrades to)."""
    versions = (
        Path(__file__).resolve().parents[4] / "pbx_core" / "store" / "migrations" / "versions"
    )
    numbers = sorted(p.name.split("_")[0] for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
    return numbers[-1]


def test_long_text_from_phones_is_clipped_to_its_column_on_every_backend(
    store: Store, store_url: str
) -> None:
    store.add_user(_new_user("201"))
    agent = "Yealink SIP-T54W " + "x" * 400  # a header SQLite would keep and PostgreSQL refuse
    store.save_binding(_binding(user_agent=agent))
    reopened = Store(store_url)  # read back from the database, not the first store's memory
    reopened.open()
    try:
        (saved,) = reopened.load_bindings()
        assert saved.user_agent == agent[:300]
        name = "Jansen " * 50
        reopened.add_call_record(replace(_call(1, "201", "202"), caller_name=name))
        assert reopened.call_history("201")[0].caller_name == name[:200]
    finally:
        reopened.close()
