"""A migrated, empty store for the recording tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pbx_core.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'pbx.sqlite3'}")
    s.open()
    yield s
    s.close()
