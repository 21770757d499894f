"""State for the UI: QObjects that publish typed changes into one hub (docs/desktop-app.md)."""

from __future__ import annotations

from app.stores.audio import AudioDevice, AudioStore
from app.stores.calls import ActiveCall, CallsStore
from app.stores.devices import DevicesStore
from app.stores.directory import DirectoryEntry, DirectoryStore
from app.stores.history import HistoryEntry, HistoryStore
from app.stores.parked import ParkedCall, ParkedStore
from app.stores.presence import STATUSES, PresenceStore
from app.stores.session import ConnectionState, Me, RegistrationState, SessionStore

__all__ = [
    "STATUSES",
    "ActiveCall",
    "AudioDevice",
    "AudioStore",
    "CallsStore",
    "ConnectionState",
    "DevicesStore",
    "DirectoryEntry",
    "DirectoryStore",
    "HistoryEntry",
    "HistoryStore",
    "Me",
    "ParkedCall",
    "ParkedStore",
    "PresenceStore",
    "RegistrationState",
    "SessionStore",
]
