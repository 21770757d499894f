"""The one object the UI receives: every store and controller, wired together.

SIP engine events arrive on the engine thread; :class:`sip.SipEngine` hands them to the loop
and :func:`build_context` routes them to the session (registration) and calls controllers.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from app.audio import AudioDevices, Ringer, make_backend
from app.call_model import CallModel
from app.connection import Connection
from app.controllers import (
    CallsController,
    DirectoryController,
    HistoryController,
    PresenceController,
    SessionController,
    SettingsController,
)
from app.headset import HeadsetBridge
from app.logs import AppLogging
from app.notices import Notices
from app.paths import AppPaths
from app.settings import Settings
from app.stores import (
    AudioStore,
    CallsStore,
    DirectoryStore,
    HistoryStore,
    PresenceStore,
    SessionStore,
)
from app.stores.headset import HeadsetStore
from app.tasks import TaskRunner
from sip import EngineConfig, EngineEvent, SipEngine
from sip.audio import AudioBridge

__all__ = ["AppContext", "build_context"]

EngineEventHandler = Callable[[EngineEvent], None]


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
    logs: AppLogging | None = None
    quit_app: Callable[[], None] | None = None
    """Set by ``app/__main__``: quit cleanly (calls end, the embedded PBX stops, loop ends)."""


def build_context(
    args: argparse.Namespace,
    *,
    loop: asyncio.AbstractEventLoop | None = None,
    logs: AppLogging | None = None,
    engine_config: EngineConfig | None = None,
) -> AppContext:
    """Every store and controller for ``args``; nothing runs until ``session_ctl.start()``."""
    loop = loop or asyncio.get_event_loop()
    paths = AppPaths.create(getattr(args, "data_dir", None))
    settings = Settings(paths.settings_file)
    notices = Notices()
    runner = TaskRunner(loop, notices)
    connection = Connection()
    session, history, directory, presence, audio = (
        SessionStore(),
        HistoryStore(),
        DirectoryStore(),
        PresenceStore(),
        AudioStore(),
    )
    calls = CallsStore(CallModel(directory.name_for))
    handlers: list[EngineEventHandler] = []

    def on_engine_event(event: EngineEvent) -> None:
        for handler in handlers:
            handler(event)

    clock = engine_config or EngineConfig()
    devices = AudioDevices(
        make_backend(), loop, clock_rate=clock.clock_rate, frame_ms=clock.frame_ms
    )

    def bridge_if_devices() -> AudioBridge | None:
        """Without a sound card the engine runs on the null device and never opens one."""
        return devices.bridge if devices.list_devices() else None

    engine = SipEngine(on_engine_event, clock, audio=bridge_if_devices, loop=loop)
    history_ctl = HistoryController(history, connection, settings, runner)
    directory_ctl = DirectoryController(directory, connection, runner)
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
        on_call_ended=history_ctl.refresh,
    )
    session_ctl = SessionController(
        store=session,
        settings=settings,
        connection=connection,
        engine=engine,
        notices=notices,
        runner=runner,
        pbx_dir=paths.pbx_dir,
        demo=bool(getattr(args, "demo", False)),
        audio_devices=devices,
    )
    session_ctl.server_event_handlers += [
        history_ctl.on_server_event,
        presence_ctl.on_server_event,
        directory_ctl.on_server_event,
    ]
    session_ctl.online_handlers += [history_ctl.refresh, directory_ctl.load_everyone]
    headset = HeadsetStore()
    headset_ctl = HeadsetBridge(headset, calls, calls_ctl, settings, notices, runner, history)
    session_ctl.online_handlers.append(headset_ctl.start)

    ringer = Ringer(devices)
    handlers += [session_ctl.on_engine_event, calls_ctl.on_engine_event]
    handlers += [settings_ctl.on_engine_event, ringer.on_engine_event]
    if logs is not None and settings.diagnostics:
        logs.set_diagnostics(True)
    return AppContext(
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
        logs=logs,
    )
