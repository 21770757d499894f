"""Qt runs offscreen in app component tests; each test's garbage is collected when it ends.

An app core leaves reference cycles (stores, controllers, the loop's transports) that the
collector frees at some later moment; a ResourceWarning raised then would fail whichever test
happens to run. Collecting at each teardown blames a leak on the test that made it.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _collect_garbage_at_teardown() -> Iterator[None]:
    yield
    gc.collect()
