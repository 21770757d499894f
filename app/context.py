"""The one object the UI receives: every store and controller, wired together.

SIP engine events arrive on the engine thread; :class:`sip.SipEngine` hands them to the loop
and :func:`build_context` routes them to the session (registration) and calls controllers.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.audio import AudioDevices, Ringer, make_backend
from app.autostart import Autostart, launch_command
from app.bus import Bus, ChangeHub, Changes, SessionOnline
from app.cache import CACHE_FILE, StartupCache
from app.call_model import CallChanged, CallModel
from app.connection import Connection
from app.controllers import (
    CallsController,
    DevicesController,
    DirectoryController,
    HistoryController,
    ParkedController,
    PresenceController,
    SessionController,
    SettingsController,
)
from app.controllers.calendar import CalendarController
from app.controllers.chat import ChatController
from app.controllers.contacts import ContactsController
from app.controllers.forwarding import ForwardingController
from app.controllers.queues import QueuesController
from app.controllers.recordings import RecordingsController
from app.controllers.sign_ins import SignInsController
from app.controllers.voicemail import VoicemailController, VoicemailPlayer
from app.headset import HeadsetBridge
from app.hidden_calls import HiddenCalls
from app.launch import LaunchRequests
from app.logs import AppLogging
from app.machine_config import MachineConfig, load_machine_config
from app.notices import Notices
from app.notifications import Situation, VoicemailReceived, register_voicemail_events
from app.notifications_driver import NoteHandlers, Notifications, follow
from app.own_presence import OwnPresence, OwnPresenceController
from app.paths import AppPaths, default_data_dir
from app.server_events import (
    BindingAdded,
    BindingRemoved,
    CallEnded,
    CallParked,
    CallUnparked,
    ChatEventReceived,
    DirectoryChanged,
    ForwardingChanged,
    LineStateChanged,
    PlansChanged,
    PresenceChanged,
    PresenceUpdated,
    QueueAgentChanged,
    QueueChanged,
    QueueUpdated,
    RecordingStarted,
    RecordingStopped,
    UserRolesChanged,
    VoicemailChanged,
)
from app.settings import Settings
from app.stores import (
    AudioStore,
    CallsStore,
    DevicesStore,
    DirectoryStore,
    HistoryStore,
    ParkedStore,
    PresenceStore,
    SessionStore,
)
from app.stores.calendar import CalendarStore
from app.stores.chat import ChatStore
from app.stores.contacts import ContactsStore
from app.stores.forwarding import ForwardingStore
from app.stores.headset import HeadsetStore
from app.stores.queues import QueuesStore
from app.stores.recordings import RecordingsStore
from app.stores.sign_ins import SignInsStore
from app.stores.voicemail import VoicemailStore
from app.tasks import TaskRunner
from app.updates import UpdateChecker, UpdateStore
from sip import (
    AudioDeviceChanged,
    CallQuality,
    CallStateChanged,
    ConferenceChanged,
    EngineConfig,
    IncomingCall,
    MediaStateChanged,
    RegistrationChanged,
    SipEngine,
    TransferProgress,
)
from sip.audio import AudioBridge

__all__ = ["AppContext", "build_context"]


@dataclass(slots=True)
class AppContext:
    settings: Settings
    session: SessionStore
    history: HistoryStore
    directory: DirectoryStore
    presence: PresenceStore
    calls: CallsStore
    audio: AudioStore
    notices: Notices
    session_ctl: SessionController
    calls_ctl: CallsController
    presence_ctl: PresenceController
    directory_ctl: DirectoryController
    history_ctl: HistoryController
    settings_ctl: SettingsController
    paths: AppPaths
    engine: SipEngine
    audio_devices: AudioDevices
    headset: HeadsetStore
    headset_ctl: HeadsetBridge
    bus: Bus
    changes: ChangeHub
    """Every store's changes, for the views (:class:`app.bus.ChangeHub`)."""
    machine: MachineConfig
    autostart: Autostart
    updates: UpdateStore
    update_checker: UpdateChecker
    launch: LaunchRequests
    parked: ParkedStore
    parked_ctl: ParkedController
    phones: DevicesStore
    """The user's registered phones (for "Move")."""
    phones_ctl: DevicesController
    contacts: ContactsStore
    """The address books (S2): personal and company contacts."""
    contacts_ctl: ContactsController
    logs: AppLogging | None = None
    on_quit: Callable[[], None] | None = None
    connection: Connection | None = None
    """The current sign-in's REST client and SIP account (None before build_context sets it)."""
    """Set by the composition root (``app/__main__``): the one way to quit."""
    cache: StartupCache | None = None
    """The last known state, written as the stores change (app/cache.py)."""
    chat: ChatStore | None = None
    """The user's chats (ui/chat_page.py); None in a context without chat."""
    chat_ctl: ChatController | None = None
    notifications: Notifications | None = None
    """Desktop notifications (app/notifications.py); None in a context without them."""
    own_presence: OwnPresence | None = None
    """The user's own shared note and automatic "In a call" (app/own_presence.py)."""
    own_presence_ctl: OwnPresenceController | None = None
    calendar: CalendarStore | None = None
    """The user's planned statuses (ui/calendar_page.py); None in a context without them."""
    calendar_ctl: CalendarController | None = None
    window_active: Callable[[], bool] = lambda: False
    """Set by the UI: the app's window has the focus (a chat in view is then seen)."""
    forwarding: ForwardingStore | None = None
    """The user's forwarding (docs/routing.md); None in a context without it."""
    forwarding_ctl: ForwardingController | None = None
    voicemail: VoicemailStore | None = None
    """The user's voicemail (ui/voicemail_page.py); None in a context without it."""
    voicemail_ctl: VoicemailController | None = None
    recordings: RecordingsStore | None = None
    """Call recording on demand (docs/recording.md); None in a context without it."""
    recordings_ctl: RecordingsController | None = None
    queues: QueuesStore | None = None
    """The user's ACD queues (docs/queues.md); None in a context without them."""
    queues_ctl: QueuesController | None = None
    sign_ins: SignInsStore | None = None
    """Where the user is signed in (Settings → Signed in)."""
    sign_ins_ctl: SignInsController | None = None
    runner: TaskRunner | None = None
    """Where the controllers' background work runs (a harness waits for it to settle)."""

    @property
    def logs_dir(self) -> Path:
        return self.paths.logs_dir

    def quit_app(self) -> None:
        """Quit cleanly: calls end, the embedded PBX stops, then the loop ends."""
        if self.on_quit is None:
            raise RuntimeError("the app was not composed by app.__main__")
        self.on_quit()


def _ignoring_event(act: Callable[[], None]) -> Callable[[SessionOnline], None]:
    return lambda _event: act()


def _when_a_call_ended(act: Callable[[], None]) -> Callable[[Changes], None]:
    """Run ``act`` for a change that ended a call (the history then holds its record)."""

    def handler(changes: Changes) -> None:
        if any(isinstance(c, CallChanged) and c.ended for c in changes.calls):
            act()

    return handler


def build_context(
    args: argparse.Namespace,
    *,
    loop: asyncio.AbstractEventLoop | None = None,
    logs: AppLogging | None = None,
    engine_config: EngineConfig | None = None,
    machine: MachineConfig | None = None,
) -> AppContext:
    """Every store and controller for ``args``; nothing runs until ``session_ctl.start()``."""
    loop = loop or asyncio.get_event_loop()
    paths = AppPaths.create(getattr(args, "data_dir", None))
    machine = machine or load_machine_config()
    settings = Settings(paths.settings_file, machine=machine)
    notices = Notices()
    own_folder = paths.root != default_data_dir().expanduser().resolve()
    autostart = Autostart(
        settings, notices, command=launch_command(str(paths.root) if own_folder else None)
    )
    changes = ChangeHub()
    updates = UpdateStore(hub=changes)
    update_checker = UpdateChecker(updates, machine.feed_url)
    runner = TaskRunner(loop, notices)
    connection = Connection()
    session, history, directory, presence, audio = (
        SessionStore(changes),
        HistoryStore(changes),
        DirectoryStore(changes),
        PresenceStore(changes),
        AudioStore(changes),
    )
    calls = CallsStore(CallModel(directory.name_for), hub=changes)
    parked = ParkedStore(changes)
    phones = DevicesStore(changes)
    cache = StartupCache(
        paths.root / CACHE_FILE,
        lambda: f"{settings.mode}|{settings.server_url}|{settings.username}",
    )
    if not settings.is_first_start:
        cache.restore(session, presence, history)  # the last known state until the server's
    bus = Bus()
    clock = engine_config or EngineConfig()
    devices = AudioDevices(
        make_backend(), loop, clock_rate=clock.clock_rate, frame_ms=clock.frame_ms
    )

    def bridge_if_devices() -> AudioBridge | None:
        """Without a sound card the engine runs on the null device and never opens one."""
        return devices.bridge if devices.list_devices() else None

    engine = SipEngine(bus.publish, clock, audio=bridge_if_devices, loop=loop)
    history_ctl = HistoryController(
        history, connection, settings, runner, HiddenCalls(paths.root / "hidden_calls.json")
    )
    directory_ctl = DirectoryController(directory, connection, runner)
    parked_ctl = ParkedController(parked, connection, runner, directory.name_for)
    phones_ctl = DevicesController(phones, connection, runner)
    sign_ins = SignInsStore(changes)
    sign_ins_ctl = SignInsController(sign_ins, connection, runner, settings)
    presence_ctl = PresenceController(presence, connection, settings, runner)
    settings_ctl = SettingsController(settings, audio, notices, logs, devices=devices)
    calls_ctl = CallsController(
        calls,
        directory,
        engine,
        connection,
        settings,
        notices,
        runner,
        phones,
    )
    session_ctl = SessionController(
        store=session,
        settings=settings,
        connection=connection,
        engine=engine,
        bus=bus,
        notices=notices,
        runner=runner,
        pbx_dir=paths.pbx_dir,
        demo=bool(getattr(args, "demo", False)),
        audio_devices=devices,
    )
    headset = HeadsetStore(changes)
    headset_ctl = HeadsetBridge(headset, calls, calls_ctl, settings, notices, runner, history)
    ringer = Ringer(devices, calls.model)
    launch = LaunchRequests(session, calls_ctl)
    contacts = ContactsStore()
    contacts_ctl = ContactsController(contacts, connection, runner, calls_ctl, notices)

    # who acts on what, in one place: events in on the bus, store changes out on the hub
    bus.subscribe(CallEnded, history_ctl.on_call_ended)
    bus.subscribe(PresenceChanged, presence_ctl.on_presence_changed)
    bus.subscribe(PresenceChanged, directory_ctl.on_presence_changed)
    bus.subscribe(LineStateChanged, directory_ctl.on_line_changed)
    bus.subscribe(PresenceUpdated, directory_ctl.on_presence_updated)
    bus.subscribe(BindingAdded, directory_ctl.on_binding_added)
    bus.subscribe(BindingRemoved, directory_ctl.on_binding_removed)
    bus.subscribe(
        DirectoryChanged, lambda e: directory_ctl.on_directory_changed(e.epoch, e.version)
    )
    bus.subscribe(CallParked, parked_ctl.on_parked)
    bus.subscribe(CallUnparked, parked_ctl.on_unparked)
    bus.subscribe(BindingAdded, phones_ctl.on_binding)
    bus.subscribe(BindingRemoved, phones_ctl.on_binding)
    for on_online in (
        history_ctl.refresh,
        directory_ctl.load_everyone,
        headset_ctl.start,
        parked_ctl.load,
        phones_ctl.load,
        sign_ins_ctl.load,
        contacts_ctl.load,
    ):
        bus.subscribe(SessionOnline, _ignoring_event(on_online))
    bus.subscribe(RegistrationChanged, session_ctl.on_registration_changed)
    bus.subscribe(UserRolesChanged, session_ctl.on_roles_changed)
    bus.subscribe_all(
        (
            IncomingCall,
            CallStateChanged,
            MediaStateChanged,
            TransferProgress,
            ConferenceChanged,
            CallQuality,
        ),
        calls_ctl.on_engine_event,
    )
    bus.subscribe(AudioDeviceChanged, settings_ctl.on_engine_event)
    changes.subscribe(calls_ctl.on_changes)
    changes.subscribe(_when_a_call_ended(history_ctl.refresh))
    changes.subscribe(ringer.on_changes)
    cache.follow(session, presence, history)
    chat = ChatStore()
    chat_ctl = ChatController(chat, connection, runner)
    bus.subscribe(SessionOnline, _ignoring_event(chat_ctl.go_online))
    bus.subscribe(ChatEventReceived, chat_ctl.on_server_event)
    forwarding = ForwardingStore()
    forwarding_ctl = ForwardingController(
        forwarding, connection, runner, lambda: session.me.extension if session.me else None
    )
    bus.subscribe(SessionOnline, _ignoring_event(forwarding_ctl.load))
    bus.subscribe(ForwardingChanged, forwarding_ctl.on_changed)
    own_presence = OwnPresence()
    own_presence_ctl = OwnPresenceController(own_presence, presence, connection, runner)
    bus.subscribe(SessionOnline, _ignoring_event(own_presence_ctl.load))
    bus.subscribe(PresenceUpdated, own_presence_ctl.on_presence_updated)
    calendar = CalendarStore()
    calendar_ctl = CalendarController(calendar, connection, runner)
    bus.subscribe(PlansChanged, calendar_ctl.on_plans_changed)
    voicemail = VoicemailStore()
    voicemail_ctl = VoicemailController(
        voicemail, connection, runner, notices, VoicemailPlayer(devices), paths.root / "voicemail"
    )
    register_voicemail_events()
    bus.subscribe(SessionOnline, _ignoring_event(voicemail_ctl.go_online))
    bus.subscribe(VoicemailReceived, voicemail_ctl.on_new)
    bus.subscribe(VoicemailReceived, lambda _e: history_ctl.refresh())  # its call just ended
    bus.subscribe(VoicemailChanged, voicemail_ctl.on_changed)
    changes.subscribe(voicemail_ctl.on_changes)
    recordings = RecordingsStore()
    recordings_ctl = RecordingsController(
        recordings, connection, runner, notices, VoicemailPlayer(devices), paths.root / "recordings"
    )
    bus.subscribe(SessionOnline, _ignoring_event(recordings_ctl.go_online))
    bus.subscribe(RecordingStarted, recordings_ctl.on_started)
    bus.subscribe(RecordingStopped, recordings_ctl.on_stopped)
    changes.subscribe(recordings_ctl.on_changes)
    queues = QueuesStore()
    queues_ctl = QueuesController(queues, connection, runner, notices, calls_ctl)
    bus.subscribe(SessionOnline, _ignoring_event(queues_ctl.go_online))
    bus.subscribe(QueueChanged, queues_ctl.on_changed)
    bus.subscribe(QueueAgentChanged, queues_ctl.on_agent_changed)
    bus.subscribe(QueueUpdated, queues_ctl.on_updated)
    if logs is not None and settings.diagnostics:
        logs.set_diagnostics(True)
    notifications = Notifications(
        loop,
        NoteHandlers(
            answer=calls_ctl.answer,
            decline=calls_ctl.decline,
            call_back=calls_ctl.dial,
            reply=chat_ctl.send_to,
        ),
    )
    context = AppContext(
        settings=settings,
        session=session,
        history=history,
        directory=directory,
        presence=presence,
        calls=calls,
        audio=audio,
        notices=notices,
        session_ctl=session_ctl,
        calls_ctl=calls_ctl,
        presence_ctl=presence_ctl,
        directory_ctl=directory_ctl,
        history_ctl=history_ctl,
        settings_ctl=settings_ctl,
        paths=paths,
        engine=engine,
        audio_devices=devices,
        headset=headset,
        headset_ctl=headset_ctl,
        bus=bus,
        changes=changes,
        machine=machine,
        autostart=autostart,
        updates=updates,
        update_checker=update_checker,
        launch=launch,
        parked=parked,
        parked_ctl=parked_ctl,
        phones=phones,
        phones_ctl=phones_ctl,
        contacts=contacts,
        contacts_ctl=contacts_ctl,
        logs=logs,
        connection=connection,
        cache=cache,
        chat=chat,
        chat_ctl=chat_ctl,
        notifications=notifications,
        forwarding=forwarding,
        forwarding_ctl=forwarding_ctl,
        own_presence=own_presence,
        own_presence_ctl=own_presence_ctl,
        calendar=calendar,
        calendar_ctl=calendar_ctl,
        voicemail=voicemail,
        voicemail_ctl=voicemail_ctl,
        recordings=recordings,
        recordings_ctl=recordings_ctl,
        queues=queues,
        queues_ctl=queues_ctl,
        sign_ins=sign_ins,
        sign_ins_ctl=sign_ins_ctl,
        runner=runner,
    )

    def situation() -> Situation:
        in_view = chat.open_id if chat_ctl.viewing and context.window_active() else None
        return Situation(
            status=presence.status,
            chat_in_view=in_view,
            enabled=settings.notifications_enabled,
        )

    follow(notifications, changes, bus, chat, history, situation, directory.name_for)
    return context
