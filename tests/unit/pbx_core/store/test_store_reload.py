"""Two stores on one database, as two cluster nodes: ``reload`` brings the other's writes into
memory (users, credentials, bindings with their Path); on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pbx_core.store import BindingRecord, Store
from tests.support.users import new_user

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def nodes(store_url: str) -> Iterator[tuple[Store, Store]]:
    a, b = Store(store_url), Store(store_url)
    a.open()
    b.open()
    yield a, b
    b.close()
    a.close()


def test_reload_brings_the_other_nodes_users_and_bindings(nodes: tuple[Store, Store]) -> None:
    a, b = nodes
    a.add_user(new_user("201", name="Anna de Vries"))
    binding = BindingRecord(
        extension="201",
        contact="sip:201@192.0.2.10:5062",
        expires_at=T0 + timedelta(seconds=300),
        source="udp:192.0.2.1:5060",
        call_id="reg-1",
        cseq=2,
        user_agent="phone",
        path="<sip:192.0.2.1:5060;lr>",
    )
    a.save_binding(binding)
    assert b.user_by_extension("201") is None  # memory: not seen yet
    assert b.load_bindings() == []
    assert b.reload() == [binding]
    assert b.user_by_extension("201") is not None
    assert b.sip_credentials("201") is not None
    a.delete_binding("201", binding.contact)
    assert b.reload() == []
