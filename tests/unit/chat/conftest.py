"""A migrated store with five colleagues (201-205), for the chat tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pbx_core.store import NewUser, Store
from tests.support.users import new_user


def _user(ext: str) -> NewUser:
    return new_user(ext)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    for ext in ("201", "202", "203", "204", "205"):
        s.add_user(_user(ext))
    yield s
    s.close()
