"""A migrated store with five colleagues (201-205), for the chat tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pbx_core.store import NewUser, Store


def _user(ext: str) -> NewUser:
    return NewUser(
        extension=ext,
        display_name=f"User {ext}",
        email=f"user{ext}@acme.example",
        department="Sales",
        roles=(),
        password_hash="$argon2id$fake",
        realm="acme.local",
        ha1_md5="0" * 32,
        ha1_sha256="1" * 64,
    )


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    for ext in ("201", "202", "203", "204", "205"):
        s.add_user(_user(ext))
    yield s
    s.close()
