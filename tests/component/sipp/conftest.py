"""What the SIPp modules share: one demo PBX per module on 127.0.0.1 (``server``; the IPv6
module brings its own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.server_process import RunningServer, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One PBX for the module: every test makes its own calls and registrations."""
    running = start_server(tmp_path_factory.mktemp("pbx"), demo=True)
    try:
        yield running
    finally:
        running.stop()
