"""A migrated, empty store for the recording tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pbx_core.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    yield s
    s.close()
