"""Stand-ins for the controllers of `app/`, implementing the Protocols of `app/protocols.py`.

The stores are the real ones (`app.stores`, plain QObjects), filled through their own setters;
only the live calls have a fake view (`FakeCalls`, a `CallsView` whose calls a test puts in any
state without SIP). Each fake controller records every call as (name, args) in `calls`, so
tests can assert on what the widgets asked for.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.bus import ChangeHub, Changes
from app.call_model import (
    ActiveCall,
    CallAdded,
    CallChange,
    CallChanged,
    CallRemoved,
    focus_call,
)
from app.devices import Device, MoveChoice, move_choices
from app.machine_config import MachineConfig
from app.notices import Notice, Notices
from app.presence_status import PresenceStatus
from app.stores import (
    AudioDevice,
    AudioStore,
    ConnectionState,
    DirectoryEntry,
    DirectoryStore,
    HistoryEntry,
    HistoryStore,
    Me,
    ParkedStore,
    PresenceStore,
    RegistrationState,
    SessionStore,
)
from app.stores.headset import HeadsetStore
from app.updates import UpdateStore

__all__ = [
    "ActiveCall",
    "ConnectionState",
    "FakeAutostart",
    "FakeCallActions",
    "FakeCalls",
    "FakeContext",
    "FakeDirectoryActions",
    "FakeHeadsetActions",
    "FakeHistoryActions",
    "FakePresenceActions",
    "FakeSessionActions",
    "FakeSettings",
    "FakeSettingsActions",
    "Notice",
    "sample_directory",
    "sample_history",
]


class FakeCalls(QObject):
    """A `CallsView` whose calls tests set directly (the real store moves only on SIP events).

    Like the real store it publishes ``Changes("calls", …)`` into its hub (the context's)."""

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__()
        self.hub = hub if hub is not None else ChangeHub()
        self.calls: list[ActiveCall] = []

    def _publish(self, change: CallChange) -> None:
        self.hub.publish(Changes("calls", frozenset({"calls"}), (change,)))

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
            self._publish(CallAdded(call))
        else:
            self.calls = [call if c.key == call.key else c for c in self.calls]
            self._publish(CallChanged(before, call))

    def update(self, key: str, **changes: Any) -> None:
        from dataclasses import replace

        self.put(replace(next(c for c in self.calls if c.key == key), **changes))

    def remove(self, key: str) -> None:
        self.calls = [c for c in self.calls if c.key != key]
        self._publish(CallRemoved(key))


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def _record(self, method: str, *args: Any) -> None:
        self.calls.append((method, args))


class FakeCallActions(_Recorder):
    def dial(self, text: str) -> None:
        self._record("dial", text)

    def call_clipboard(self, text: str) -> None:
        self._record("call_clipboard", text)

    def answer(self, key: str) -> None:
        self._record("answer", key)

    def decline(self, key: str) -> None:
        self._record("decline", key)

    def hangup(self, key: str) -> None:
        self._record("hangup", key)

    def set_mute(self, key: str, muted: bool) -> None:
        self._record("set_mute", key, muted)

    def hold(self, key: str) -> None:
        self._record("hold", key)

    def resume(self, key: str) -> None:
        self._record("resume", key)

    def send_dtmf(self, key: str, digits: str) -> None:
        self._record("send_dtmf", key, digits)

    def dismiss(self, key: str) -> None:
        self._record("dismiss", key)

    mobile: str | None = "+31612345678"
    phones: tuple[Device, ...] = ()
    own_ports: frozenset[int] = frozenset({5062})

    @property
    def move_choices(self) -> list[MoveChoice]:
        """The real choice logic over the fake's phones (port 5062 is this app's)."""
        return move_choices(self.phones, self.own_ports, None, self.mobile)

    def transfer(self, key: str, text: str) -> None:
        self._record("transfer", key, text)

    def consult(self, key: str, text: str) -> None:
        self._record("consult", key, text)

    def swap(self, key: str) -> None:
        self._record("swap", key)

    def complete_transfer(self, key: str) -> None:
        self._record("complete_transfer", key)

    def park(self, key: str) -> None:
        self._record("park", key)

    def move(self, key: str, choice: MoveChoice) -> None:
        self._record("move", key, choice)

    def invite(self, key: str, text: str) -> None:
        self._record("invite", key, text)

    def merge(self, key: str, other: str) -> None:
        self._record("merge", key, other)

    def remove_from_conference(self, key: str) -> None:
        self._record("remove_from_conference", key)

    def pickup(self, extension: str) -> None:
        self._record("pickup", extension)

    def pickup_parked(self, slot: str) -> None:
        self._record("pickup_parked", slot)

    def pick_up_again(self) -> None:
        self._record("pick_up_again")


class FakeSessionActions(_Recorder):
    def use_embedded(self) -> None:
        self._record("use_embedded")

    def sign_in(self, url: str, user: str, password: str, remember: bool = True) -> None:
        self._record("sign_in", url, user, password)

    def sign_out(self) -> None:
        self._record("sign_out")


class FakePresenceActions(_Recorder):
    def set_status(self, status: PresenceStatus, until: datetime | None) -> None:
        self._record("set_status", status, until)


class FakeDirectoryActions(_Recorder):
    def search(self, query: str) -> None:
        self._record("search", query)


class FakeHistoryActions(_Recorder):
    def refresh(self) -> None:
        self._record("refresh")

    def mark_seen(self) -> None:
        self._record("mark_seen")

    def hide(self, entry_id: int) -> None:
        self._record("hide", entry_id)


class FakeSettingsActions(_Recorder):
    def watch_devices(self, on: bool) -> None:
        self._record("watch_devices", on)

    def set_devices(self, input_: str | None, output: str | None, ringer: str | None) -> None:
        self._record("set_devices", input_, output, ringer)

    def test_output(self, device: str | None) -> None:
        self._record("test_output", device)

    def start_mic_test(self) -> None:
        self._record("start_mic_test")

    def stop_mic_test(self) -> None:
        self._record("stop_mic_test")

    def set_language(self, code: str) -> None:
        self._record("set_language", code)

    def set_diagnostics(self, enabled: bool) -> None:
        self._record("set_diagnostics", enabled)

    def set_notifications(self, enabled: bool) -> None:
        self._record("set_notifications", enabled)

    def set_mobile_number(self, text: str) -> None:
        self._record("set_mobile_number", text)


class FakeHeadsetActions(_Recorder):
    def set_enabled(self, enabled: bool) -> None:
        self._record("set_enabled", enabled)

    def select(self, device_id: str) -> None:
        self._record("select", device_id)


class FakeAutostart(QObject):
    """An `AutostartActions` that records the choices and follows them."""

    changed = Signal(bool)

    def __init__(self, enabled: bool = True, locked: bool = False) -> None:
        super().__init__()
        self.enabled = enabled
        self.locked = locked
        self.calls: list[bool] = []

    def set_enabled(self, on: bool) -> None:
        self.calls.append(on)
        if not self.locked:
            self.enabled = on
        self.changed.emit(self.enabled)


@dataclass
class FakeSettings:
    """A `SettingsView`."""

    first_start: bool = False
    language: str = ""
    diagnostics: bool = False
    notifications_enabled: bool = True
    region: str = "NL"
    server_url: str = ""
    mobile_number: str = ""

    @property
    def is_first_start(self) -> bool:
        return self.first_start


def _session() -> SessionStore:
    store = SessionStore()
    store.mode = "embedded"
    store.set_me(Me("Anna de Vries", "201", "anna@example.com", "Sales", ("user",)))
    store.set_registration(RegistrationState(True, ""))
    store.set_state(ConnectionState.ONLINE, "")
    return store


def _audio() -> AudioStore:
    store = AudioStore()
    store.set_availability(True, "")
    store.set_devices(
        [
            AudioDevice("Built-in microphone", True, False),
            AudioDevice("USB headset", True, True),
            AudioDevice("Built-in speakers", False, True),
        ]
    )
    store.set_selection("USB headset", "USB headset", "Built-in speakers")
    return store


def _presence() -> PresenceStore:
    store = PresenceStore()
    store.set_presence("available", None)
    store.set_uses([("lunch", 90)])
    return store


def _headset() -> HeadsetStore:
    store = HeadsetStore()
    store.set_enabled(True)
    return store


@dataclass
class FakeContext:
    """A `UiContext`: the real stores, the fake calls view and recording controllers.

    Every store publishes into the one hub ``changes``, as in the app."""

    changes: ChangeHub = field(default_factory=ChangeHub)
    settings: FakeSettings = field(default_factory=FakeSettings)
    session: SessionStore = field(default_factory=_session)
    history: HistoryStore = field(default_factory=HistoryStore)
    directory: DirectoryStore = field(default_factory=DirectoryStore)
    presence: PresenceStore = field(default_factory=_presence)
    calls: FakeCalls = field(default_factory=FakeCalls)
    parked: ParkedStore = field(default_factory=ParkedStore)
    audio: AudioStore = field(default_factory=_audio)
    notices: Notices = field(default_factory=Notices)
    headset: HeadsetStore = field(default_factory=_headset)
    session_ctl: FakeSessionActions = field(default_factory=FakeSessionActions)
    calls_ctl: FakeCallActions = field(default_factory=FakeCallActions)
    presence_ctl: FakePresenceActions = field(default_factory=FakePresenceActions)
    directory_ctl: FakeDirectoryActions = field(default_factory=FakeDirectoryActions)
    history_ctl: FakeHistoryActions = field(default_factory=FakeHistoryActions)
    settings_ctl: FakeSettingsActions = field(default_factory=FakeSettingsActions)
    headset_ctl: FakeHeadsetActions = field(default_factory=FakeHeadsetActions)
    logs_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "AcmePhone-logs")
    machine: MachineConfig = field(default_factory=MachineConfig)
    autostart: FakeAutostart = field(default_factory=FakeAutostart)
    updates: UpdateStore = field(default_factory=lambda: UpdateStore("0.1.0"))
    quits: int = 0

    def __post_init__(self) -> None:
        for store in (
            self.session,
            self.history,
            self.directory,
            self.presence,
            self.calls,
            self.parked,
            self.audio,
            self.headset,
            self.updates,
        ):
            store.hub = self.changes

    def quit_app(self) -> None:
        self.quits += 1


def sample_history(now: datetime | None = None) -> list[HistoryEntry]:
    """A few calls of the demo organisation, newest first (two missed calls unseen)."""
    t = now or datetime(2025, 3, 14, 15, 30, tzinfo=UTC)
    return [
        HistoryEntry(5, "missed", "202", "Bram Jansen", t - timedelta(minutes=12), 0, False),
        HistoryEntry(4, "incoming", "+31201234567", None, t - timedelta(hours=2), 185, True),
        HistoryEntry(3, "outgoing", "9000", "Echo test", t - timedelta(hours=5), 42, True),
        HistoryEntry(2, "missed", "203", "Carla Visser", t - timedelta(days=1), 0, False),
        HistoryEntry(1, "outgoing", "0612345678", None, t - timedelta(days=2), 754, True),
    ]


def sample_directory() -> list[DirectoryEntry]:
    return [
        DirectoryEntry(
            "user", "Bram Jansen", "202", ("+31201234502",), "Sales", None, "available", "idle"
        ),
        DirectoryEntry("user", "Bram de Boer", "205", (), "Support", None, "meeting", "in_call"),
        DirectoryEntry(
            "contact", "Brammetje BV", None, ("+31301112233",), None, "Brammetje BV", None, None
        ),
    ]
