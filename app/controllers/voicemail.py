"""Voicemail (S3): loads the messages at sign-in, follows the server's events, plays, deletes.

The messages come from ``GET /api/v1/voicemail`` (docs/voicemail.md) when the session goes
online; ``voicemail.new`` (parsed by :mod:`app.notifications` as :class:`VoicemailReceived`)
reloads them and ``voicemail.changed`` (:class:`app.server_events.VoicemailChanged`) marks one
heard or removes it. Playing fetches the WAV once into a cache file and plays it on the Settings
speaker (:class:`VoicemailPlayer`); a message played is marked heard on the server. A call that
comes in pauses the player. Errors go to the notices through the task runner.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from app.api import ApiClient
from app.bus import Changes
from app.call_model import CallAdded
from app.connection import Connection
from app.controllers.voicemail_playback import GreetingRecorder, PlayerState, VoicemailPlayer
from app.notices import Notices
from app.notifications import VoicemailReceived
from app.server_events import VoicemailChanged
from app.stores._base import tr
from app.stores.voicemail import (
    PERSONAL,
    EmailChoice,
    VoicemailMessage,
    VoicemailStore,
    email_choice,
)
from app.tasks import TaskRunner
from sip import AudioDeviceError

__all__ = ["VoicemailController", "VoicemailPlayer"]

_log = logging.getLogger(__name__)

_BASE = "/api/v1/voicemail"


class VoicemailController:
    """Acts on :class:`app.stores.voicemail.VoicemailStore`; ``cache_dir`` keeps the WAVs."""

    def __init__(
        self,
        store: VoicemailStore,
        connection: Connection,
        runner: TaskRunner,
        notices: Notices,
        player: VoicemailPlayer | None,
        cache_dir: Path,
    ) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._notices = notices
        self.player = player
        self._cache_dir = cache_dir
        self.recorder: GreetingRecorder | None = None
        self._greeting: bytes | None = None

    def _api(self) -> ApiClient:
        return self._conn.require_api()

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        return await self._api().request(method, path, **kwargs)

    # -- session --------------------------------------------------------------------------

    def go_online(self) -> None:
        """Signed in or back online (events may have been missed): reload."""
        if self._conn.api is None:
            return
        self.load()

    def load(self) -> None:
        self._runner.spawn(self._load(), "loading the voicemail")

    async def _load(self) -> None:
        rows = await self._call("GET", _BASE)
        self._store.set_messages(_messages(rows))
        inboxes = await self._call("GET", f"{_BASE}/inboxes")
        self._store.set_inboxes(_groups(inboxes))

    def load_settings(self) -> None:
        """Whether voicemail is on and the own greeting plays (asked when the page shows, not at
        sign-in: one request less while everything else loads)."""
        if self._conn.api is not None:
            self._runner.spawn(self._load_settings(), "loading the voicemail settings")

    async def _load_settings(self) -> None:
        self._settings(await self._call("GET", f"{_BASE}/settings"))

    def _settings(self, out: Any) -> None:
        number = out.get("assistance_number") if isinstance(out, dict) else None
        self._store.set_settings(
            bool(out["enabled"]),
            bool(out["own_greeting"]),
            number if isinstance(number, str) and number else None,
            email_choice(out.get("email_notification")),
        )

    def _mine(self, mailbox: str) -> bool:
        """Is ``mailbox`` the user's own or one of their group inboxes?"""
        return mailbox == self._conn.extension or mailbox in self._store.group_numbers

    # -- events ---------------------------------------------------------------------------

    def on_new(self, event: VoicemailReceived) -> None:
        """A new message: reload when it is in one of the user's mailboxes."""
        if self._conn.api is not None and self._mine(event.mailbox):
            self.load()

    def on_changed(self, event: VoicemailChanged) -> None:
        if event.deleted:
            if self._store.playing == event.id and self.player is not None:
                self.player.stop()
            self._store.remove(event.id)
        elif self._store.get(event.id) is None:
            if self._mine(event.mailbox):
                self.load()
        else:
            self._store.set_heard(event.id, event.heard)

    def on_changes(self, changes: Changes) -> None:
        """A call came in (or was started): pause the message that plays."""
        if any(isinstance(c, CallAdded) for c in changes.calls):
            self.pause()

    # -- messages -------------------------------------------------------------------------

    def mark_heard(self, ident: int, heard: bool = True) -> None:
        message = self._store.get(ident)
        if message is None or message.heard == heard:
            return
        self._store.set_heard(ident, heard)
        body = {"heard": heard}
        self._runner.spawn(self._call("PATCH", f"{_BASE}/{ident}", json=body), "marking heard")

    def delete(self, ident: int) -> None:
        """Delete a message and its audio (the page asks first)."""
        if self._store.playing == ident and self.player is not None:
            self.player.stop()
        self._store.remove(ident)
        self._cache_file(ident).unlink(missing_ok=True)
        self._runner.spawn(self._call("DELETE", f"{_BASE}/{ident}"), "deleting the voicemail")

    def set_enabled(self, enabled: bool) -> None:
        """Turn voicemail off ("Stop receiving voicemail") or on again."""
        self._runner.spawn(self._set_enabled(enabled), "changing the voicemail setting")

    async def _set_enabled(self, enabled: bool) -> None:
        self._settings(await self._call("PUT", f"{_BASE}/settings", json={"enabled": enabled}))

    def set_assistance_number(self, number: str | None) -> None:
        """Where "press 1 for personal assistance" sends callers; None or "" stops offering it."""
        self._runner.spawn(
            self._set_assistance_number(number or None), "changing the personal assistance number"
        )

    async def _set_assistance_number(self, number: str | None) -> None:
        body = {"assistance_number": number}
        self._settings(await self._call("PUT", f"{_BASE}/settings", json=body))

    def set_email(self, choice: EmailChoice) -> None:
        """How a new message is e-mailed: with the recording, without it, or not at all."""
        self._runner.spawn(self._set_email(choice), "changing the voicemail e-mail")

    async def _set_email(self, choice: EmailChoice) -> None:
        body = {"email_notification": choice}
        self._settings(await self._call("PUT", f"{_BASE}/settings", json=body))

    def upload_greeting(self, wav: bytes) -> None:
        """Make ``wav`` (16-bit PCM, 0.2-60 s) the user's own greeting."""
        self._runner.spawn(self._upload_greeting(wav), "saving the greeting")

    async def _upload_greeting(self, wav: bytes) -> None:
        await self._call("PUT", f"{_BASE}/greeting", content=wav)
        store = self._store
        store.set_settings(store.enabled, True, store.assistance_number)
        self._notices.post("info", tr("Your greeting is saved."))

    def start_greeting(self) -> bool:
        """Record a greeting with the Settings microphone; False (and a notice) when it cannot."""
        if self.player is None:
            return False
        self.pause()
        if self.recorder is None:
            self.recorder = GreetingRecorder(self.player.devices)
        try:
            self.recorder.start()
        except AudioDeviceError as exc:
            self._notices.post("error", tr("The microphone cannot be used: {0}").format(exc))
            return False
        return True

    @property
    def greeting_seconds(self) -> float:
        return self.recorder.seconds if self.recorder is not None else 0.0

    def finish_greeting(self) -> None:
        """Close the microphone; the recording waits for :meth:`save_greeting`."""
        if self.recorder is not None and self.recorder.recording:
            self._greeting = self.recorder.stop()

    def save_greeting(self) -> None:
        """Make the recording the greeting callers hear."""
        self.finish_greeting()
        wav, self._greeting = self._greeting, None
        if wav is not None:
            self.upload_greeting(wav)

    def drop_greeting(self) -> None:
        self.finish_greeting()
        self._greeting = None

    def delete_greeting(self) -> None:
        """Back to the spoken default greeting."""
        self._runner.spawn(self._delete_greeting(), "removing the greeting")

    async def _delete_greeting(self) -> None:
        await self._call("DELETE", f"{_BASE}/greeting")
        store = self._store
        store.set_settings(store.enabled, False, store.assistance_number)

    # -- playing --------------------------------------------------------------------------

    def _cache_file(self, ident: int) -> Path:
        return self._cache_dir / f"{ident}.wav"

    async def audio_file(self, ident: int) -> Path:
        """The message's WAV in the cache, fetched once."""
        path = self._cache_file(ident)
        if not path.is_file():
            data = await self._api().content(f"{_BASE}/{ident}/audio")
            self._cache_dir.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(data)
            partial.replace(path)
        return path

    def play(self, ident: int) -> None:
        """Play a message from the start (or go on with the paused one) and mark it heard."""
        if self.player is None:
            return
        if self._store.playing == ident and self.player.clip is not None:
            self._start()
            return
        self._runner.spawn(self._play(ident), "playing the voicemail")

    async def _play(self, ident: int) -> None:
        if self.player is None:
            return
        path = await self.audio_file(ident)
        try:
            self.player.load(path.read_bytes())
        except ValueError:
            path.unlink(missing_ok=True)
            raise
        self._store.set_playing(ident)
        self._start()

    def _start(self) -> None:
        if self.player is None or self._store.playing is None:
            return
        error = VoicemailPlayer.safely_play(self.player)
        if error is not None:
            self._notices.post("error", tr("The voicemail cannot be played: {0}").format(error))
            return
        self._store.changed.emit({"playing"})
        self.mark_heard(self._store.playing)

    def pause(self) -> None:
        if self.player is not None and self.player.state == "playing":
            self.player.pause()
            self._store.changed.emit({"playing"})

    def seek(self, seconds: float) -> None:
        if self.player is not None:
            self.player.seek(seconds)

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()
        self._store.set_playing(None)

    def poll(self) -> None:
        """The view's timer: notice the end of the message."""
        if self.player is not None and self.player.poll():
            self._store.changed.emit({"playing"})

    def message(self, ident: int) -> VoicemailMessage | None:
        return self._store.get(ident)

    @property
    def playing_id(self) -> int | None:
        """The message the player has (playing or paused)."""
        return self._store.playing

    @property
    def state(self) -> PlayerState:
        """``"playing"``, ``"paused"`` or ``"stopped"`` (no message loaded)."""
        return self.player.state if self.player is not None else "stopped"

    @property
    def position_s(self) -> float:
        clip = self.player.clip if self.player is not None else None
        return clip.position_s if clip is not None else 0.0

    @property
    def duration_s(self) -> float:
        clip = self.player.clip if self.player is not None else None
        return clip.duration_s if clip is not None else 0.0


def _groups(rows: object) -> dict[str, str]:
    """Group inbox name → number from ``GET /api/v1/voicemail/inboxes``."""
    out: dict[str, str] = {}
    for row in rows if isinstance(rows, list) else ():
        inbox = row.get("inbox") if isinstance(row, dict) else None
        number = row.get("number") if isinstance(row, dict) else None
        if isinstance(inbox, str) and isinstance(number, str) and inbox != PERSONAL:
            out[inbox] = number
    return out


def _messages(rows: object) -> list[VoicemailMessage]:
    out: list[VoicemailMessage] = []
    for row in rows if isinstance(rows, list) else ():
        try:
            out.append(VoicemailMessage.from_api(row))
        except ValueError as exc:
            _log.warning("skipping a voicemail message: %s", exc)
    return out
