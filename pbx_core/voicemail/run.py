"""One voicemail call in progress: performs its session's actions on the caller's media leg
(prompts and files, the recorder, digits) for the voicemail service."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pbx_core.errors import MediaError, NotFound
from pbx_core.events import VoicemailAnswered
from pbx_core.media import LegRecorder, MediaLeg, RecordingResult, Silence, WavPlayer
from pbx_core.media.prompts import prompt_path
from pbx_core.voicemail.playback import FileClip
from pbx_core.voicemail.session import (
    Delete,
    HangUp,
    Keep,
    MarkHeard,
    Play,
    Reroute,
    Session,
    SessionAction,
    StartRecording,
    State,
    StopRecording,
)

if TYPE_CHECKING:
    from pbx_core.voicemail.service import VoicemailService

__all__ = ["CallRun"]

_log = logging.getLogger(__name__)
_WATCH_S = 0.04
_MENU_WAIT_S = 8.0  # the menu is said again after this long without a key


class CallRun:
    """One voicemail call in progress: performs its session's actions on the leg."""

    def __init__(
        self, service: VoicemailService, event: VoicemailAnswered, leg: MediaLeg, session: Session
    ) -> None:
        self.service = service
        self.event = event
        self.leg = leg
        self.session = session
        self.player: WavPlayer | FileClip | None = None
        self.recorder: LegRecorder | None = None
        self.ended = False
        self._watch: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.leg.on_dtmf = self._on_dtmf
        if self.session.state is State.GOODBYE:  # refused: say so and hang up
            self.perform([Play(self.session.greeting)])
        else:
            self.perform(self.session.start())
        self._watch = asyncio.get_running_loop().create_task(self._watch_playback())

    def hangup(self) -> None:
        if self.ended:
            return
        self.perform(self.session.hangup())
        self._finish()

    def _finish(self) -> None:
        self.ended = True
        if self.leg.on_dtmf == self._on_dtmf:
            self.leg.on_dtmf = None
        if self._watch is not None:
            self._watch.cancel()

    def _on_dtmf(self, leg: MediaLeg, digit: str) -> None:
        if not self.ended:
            self.perform(self.session.key(digit))

    async def _watch_playback(self) -> None:
        loop = asyncio.get_running_loop()
        quiet_since = loop.time()
        while not self.ended:
            await asyncio.sleep(_WATCH_S)
            player = self.player
            if player is not None:
                quiet_since = loop.time()
                if player.finished:
                    self.player = None
                    self.perform(self.session.played())
            elif self.session.state is State.MENU and loop.time() - quiet_since > _MENU_WAIT_S:
                quiet_since = loop.time()
                self.perform(self.session.timeout())

    def perform(self, actions: list[SessionAction]) -> None:
        for action in actions:
            try:
                self._do(action)
            except (MediaError, OSError, NotFound):
                _log.exception("voicemail action %s failed", type(action).__name__)

    def _do(self, action: SessionAction) -> None:
        service, mailbox = self.service, self.event.mailbox
        if isinstance(action, Play):
            language = service.options.language
            if len(action.items) == 1 and isinstance(action.items[0], Path):
                self.player = FileClip(action.items[0])  # a message or a greeting
            else:
                files = [
                    item if isinstance(item, Path) else prompt_path(item, language)
                    for item in action.items
                ]
                self.player = WavPlayer(files, then=Silence())
            if not self.leg.closed:
                self.leg.feed(self.player)
        elif isinstance(action, StartRecording):
            self.player = None
            if not self.leg.closed:
                self.leg.feed(None)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            name = f"{stamp}-{self.event.call_id}.wav"
            path = service.data_dir / "voicemail" / mailbox / name
            done = self._recorded
            if action.greeting:
                path, done = service.greeting_path(mailbox).with_suffix(".rec.wav"), self._greeted
            self.recorder = LegRecorder(self.leg, path, action.max_seconds, done)
            self.recorder.start()
        elif isinstance(action, StopRecording):
            if self.recorder is not None:
                self.recorder.stop(action.reason)
        elif isinstance(action, HangUp):
            self._finish()
            service.end_call(self.event.call_id)
        elif isinstance(action, Reroute):
            self._finish()
            self.player = None
            if not self.leg.closed:
                self.leg.feed(None)
            service.reroute(self.event.call_id, mailbox, action.number)
        elif isinstance(action, MarkHeard | Keep):
            service.spawn(service.set_heard(mailbox, action.message_id, True))
        elif isinstance(action, Delete):
            service.spawn(service.delete(mailbox, action.message_id))

    async def _keep(self, result: RecordingResult) -> None:
        event = self.event
        await self.service.store_message(
            event.mailbox, event.caller, event.caller_name, result, str(event.call_id)
        )

    def _greeted(self, result: RecordingResult) -> None:
        """The user recorded a greeting by phone: it replaces the old one (not if silent)."""
        if result.path is not None and not result.silence_only:
            result.path.replace(self.service.greeting_path(self.event.mailbox))
        if result.reason == "max-length" and not self.ended:
            self.perform(self.session.recorded())

    def _recorded(self, result: RecordingResult) -> None:
        self.service.spawn(self._keep(result))
        if result.reason == "max-length" and not self.ended:
            self.perform(self.session.recorded())
