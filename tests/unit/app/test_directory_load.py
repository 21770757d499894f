"""The full directory is tried again while the server is not there yet, then given up."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from app.connection import Connection
from app.controllers import directory as directory_module
from app.controllers.directory import DirectoryController
from app.errors import ServerUnreachable
from app.notices import Notices
from app.stores.directory import DirectoryStore
from app.tasks import TaskRunner

_BRAM = {
    "kind": "user",
    "name": "Bram Jansen",
    "extension": "202",
    "numbers": [{"label": "extension", "number": "202"}],
}


class _Api:
    """Answers like the server's ``GET /api/v1/directory``."""

    async def directory(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        return [_BRAM]

    async def request(self, method: str, path: str, **_kw: Any) -> object:
        assert (method, path) == ("GET", "/api/v1/presence")
        return [
            {
                "extension": "202",
                "status": "meeting",
                "until": None,
                "role": "work",
                "note": "Back at three",
                "activity": "meeting",
                "line": "idle",
                "registered": True,
                "forwarding": None,
            }
        ]


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(directory_module, "LOAD_RETRY_DELAYS_S", (0.01, 0.01, 0.01))


async def test_directory_arrives_once_the_server_is_there() -> None:
    store, conn = DirectoryStore(), Connection()
    controller = DirectoryController(store, conn, TaskRunner(asyncio.get_running_loop(), Notices()))
    loading = asyncio.create_task(controller._load())
    await asyncio.sleep(0.015)  # the first try found no connection
    conn.api = cast(Any, _Api())
    await loading
    assert [e.name for e in store.everyone] == ["Bram Jansen"]
    assert store.everyone[0].note == "Back at three", "presence as it is now"


async def test_directory_gives_up_after_the_last_try() -> None:
    store, conn = DirectoryStore(), Connection()
    controller = DirectoryController(store, conn, TaskRunner(asyncio.get_running_loop(), Notices()))
    with pytest.raises(ServerUnreachable):
        await controller._load()
    assert store.everyone == []
