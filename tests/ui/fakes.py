"""Small stand-ins for the stores and controllers of `app/` (docs/desktop-app.md).

Stores are real QObjects with the contract's attributes and `changed = Signal(str)`;
controllers record every call in `calls` so tests can assert on them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.call_model import ActiveCall, CallAdded, CallChanged, CallRemoved, focus_call


class ConnectionState(enum.Enum):
    STARTING = "starting"
    SIGNING_IN = "signing_in"
    ONLINE = "online"
    OFFLINE = "offline"
    SERVER_RESTARTING = "server_restarting"
    SIGNED_OUT = "signed_out"


@dataclass(frozen=True, slots=True)
class Me:
    name: str
    extension: str
    email: str = ""
    department: str = ""
    roles: tuple[str, ...] = ("user",)


@dataclass(frozen=True, slots=True)
class RegistrationState:
    registered: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    direction: str
    number: str
    name: str | None
    started_at: datetime
    duration_s: int
    seen: bool = True


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    kind: str
    name: str
    extension: str | None
    numbers: list[str] = field(default_factory=list)
    department: str | None = None
    company: str | None = None
    presence: str | None = "available"
    line_state: str | None = "idle"


@dataclass(frozen=True, slots=True)
class AudioDevice:
    name: str


@dataclass(frozen=True, slots=True)
class Notice:
    level: str
    text: str


class _Store(QObject):
    changed = Signal(object)

    def set(self, what: str, **values: Any) -> None:
        for k, v in values.items():
            setattr(self, k, v)
        self.changed.emit(what)


class SessionStore(_Store):
    def __init__(self) -> None:
        super().__init__()
        self.state = ConnectionState.ONLINE
        self.message = ""
        self.mode = "embedded"
        self.me: Me | None = Me("Anna de Vries", "201", "anna@example.com", "Sales")
        self.registration = RegistrationState(True)


class HistoryStore(_Store):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[HistoryEntry] = []
        self.unseen_missed = 0


class DirectoryStore(_Store):
    def __init__(self) -> None:
        super().__init__()
        self.query = ""
        self.results: list[DirectoryEntry] = []


class PresenceStore(_Store):
    def __init__(self) -> None:
        super().__init__()
        self.status = "available"
        self.until: datetime | None = None

    def suggested_end(self, status: str) -> timedelta:
        return timedelta(minutes=90) if status == "lunch" else timedelta(hours=1)


class CallsStore(_Store):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[ActiveCall] = []

    @property
    def idle(self) -> bool:
        return not any(c.live for c in self.calls)

    def get(self, key: str) -> ActiveCall | None:
        return next((c for c in self.calls if c.key == key), None)

    def focus_call(self) -> ActiveCall | None:
        return focus_call([c for c in self.calls if c.live])

    def put(self, call: ActiveCall) -> None:
        before = self.get(call.key)
        if before is None:
            self.calls = [*self.calls, call]
            self.changed.emit(CallAdded(call))
        else:
            self.calls = [call if c.key == call.key else c for c in self.calls]
            self.changed.emit(CallChanged(before, call))

    def update(self, key: str, **changes: Any) -> None:
        self.put(replace(next(c for c in self.calls if c.key == key), **changes))

    def remove(self, key: str) -> None:
        self.calls = [c for c in self.calls if c.key != key]
        self.changed.emit(CallRemoved(key))


class AudioStore(_Store):
    def __init__(self) -> None:
        super().__init__()
        self.available = True
        self.reason = ""
        self.inputs = [AudioDevice("Built-in microphone"), AudioDevice("USB headset")]
        self.outputs = [AudioDevice("Built-in speakers"), AudioDevice("USB headset")]
        self.selected_input: str | None = "USB headset"
        self.selected_output: str | None = "USB headset"
        self.selected_ringer: str | None = "Built-in speakers"
        self.mic_level = 0.0


class Notices(QObject):
    posted = Signal(object)


class Recorder:
    """A controller that records each method call as (name, args)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, method: str) -> Any:
        if method.startswith("_"):
            raise AttributeError(method)

        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((method, args))

        return record


class FakeSettings:
    def __init__(self, first_start: bool = False) -> None:
        self.is_first_start = first_start
        self.language = ""
        self.diagnostics = False
        self.mode = "" if first_start else "embedded"
        self.server_url = ""
        self.username = ""


@dataclass
class FakeContext:
    settings: FakeSettings = field(default_factory=FakeSettings)
    session: SessionStore = field(default_factory=SessionStore)
    history: HistoryStore = field(default_factory=HistoryStore)
    directory: DirectoryStore = field(default_factory=DirectoryStore)
    presence: PresenceStore = field(default_factory=PresenceStore)
    calls: CallsStore = field(default_factory=CallsStore)
    audio: AudioStore = field(default_factory=AudioStore)
    notices: Notices = field(default_factory=Notices)
    session_ctl: Recorder = field(default_factory=lambda: Recorder("session"))
    calls_ctl: Recorder = field(default_factory=lambda: Recorder("calls"))
    presence_ctl: Recorder = field(default_factory=lambda: Recorder("presence"))
    directory_ctl: Recorder = field(default_factory=lambda: Recorder("directory"))
    history_ctl: Recorder = field(default_factory=lambda: Recorder("history"))
    settings_ctl: Recorder = field(default_factory=lambda: Recorder("settings"))


def sample_history(now: datetime | None = None) -> list[HistoryEntry]:
    """A few calls of the demo organisation, newest first."""
    t = now or datetime(2025, 3, 14, 15, 30, tzinfo=UTC)
    return [
        HistoryEntry(5, "missed", "202", "Bram Jansen", t - timedelta(minutes=12), 0, False),
        HistoryEntry(4, "incoming", "+31201234567", None, t - timedelta(hours=2), 185),
        HistoryEntry(3, "outgoing", "9000", "Echo test", t - timedelta(hours=5), 42),
        HistoryEntry(2, "missed", "203", "Carla Visser", t - timedelta(days=1), 0, False),
        HistoryEntry(1, "outgoing", "0612345678", None, t - timedelta(days=2), 754),
    ]


def sample_directory() -> list[DirectoryEntry]:
    return [
        DirectoryEntry("user", "Bram Jansen", "202", ["+31201234502"], "Sales", None, "available"),
        DirectoryEntry("user", "Bram de Boer", "205", [], "Support", None, "meeting", "in_call"),
        DirectoryEntry(
            "contact", "Brammetje BV", None, ["+31301112233"], None, "Brammetje BV", None, None
        ),
    ]
