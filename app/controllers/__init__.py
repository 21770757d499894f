"""Controllers: what the UI calls; work runs as asyncio tasks, failures become notices."""

from __future__ import annotations

from app.controllers.calls import CallsController
from app.controllers.devices import DevicesController
from app.controllers.directory import DirectoryController
from app.controllers.history import HistoryController
from app.controllers.parked import ParkedController
from app.controllers.presence import PresenceController
from app.controllers.session import SessionController
from app.controllers.settings import SettingsController

__all__ = [
    "CallsController",
    "DevicesController",
    "DirectoryController",
    "HistoryController",
    "ParkedController",
    "PresenceController",
    "SessionController",
    "SettingsController",
]
