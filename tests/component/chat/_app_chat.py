"""The desktop's chat core signed in to a demo server: the API client, the chat store and its
controller (as the app wires them), and the notices the controller reports errors to."""

from __future__ import annotations

import asyncio

from app.api import ApiClient
from app.connection import Connection
from app.controllers.chat import ChatController
from app.notices import Notices
from app.stores.chat import ChatStore
from app.tasks import TaskRunner
from tests.support.server_process import RunningServer

__all__ = ["app_chat"]


async def app_chat(
    server: RunningServer, extension: str
) -> tuple[ApiClient, ChatStore, ChatController, Notices]:
    """``extension`` signed in with the demo password; the caller closes the API client."""
    api = ApiClient(server.base_url)
    await api.login(extension, f"Demo-{extension}!")
    notices = Notices()
    store = ChatStore()
    runner = TaskRunner(asyncio.get_running_loop(), notices)
    ctl = ChatController(store, Connection(api=api, extension=extension), runner)
    return api, store, ctl, notices
