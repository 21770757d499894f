"""Call recording on demand (P17, docs/recording.md): Record in the call window, the recordings
list, playing and deleting.

Record finds the PBX's id of the call the way Move does (``GET /api/v1/active-calls`` and
:func:`app.devices.pbx_call_id`), then ``POST`` or ``DELETE /api/v1/calls/{id}/recording``.
The call window shows "Recording" once the PBX said so (the ``recording.started`` event or the
answer to the start, whichever comes first) and stops showing it on ``recording.stopped`` (also
sent when the call ends), which reloads the list. Playing fetches the WAV once into a cache file
and plays it on the Settings speaker with the voicemail's player.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.api import ApiClient
from app.bus import Changes
from app.call_model import CallAdded, CallRemoved
from app.connection import Connection
from app.controllers.voicemail_playback import PlayerState, VoicemailPlayer
from app.devices import pbx_call_id
from app.errors import AppError, ServerRejected
from app.notices import Notices
from app.server_events import RecordingStarted, RecordingStopped
from app.stores._base import tr
from app.stores.recordings import Recording, RecordingsStore
from app.tasks import TaskRunner

__all__ = ["RecordingsController"]

_log = logging.getLogger(__name__)

_BASE = "/api/v1/recordings"


class RecordingsController:
    """Acts on :class:`app.stores.recordings.RecordingsStore`; ``cache_dir`` keeps the WAVs."""

    def __init__(
        self,
        store: RecordingsStore,
        connection: Connection,
        runner: TaskRunner,
        notices: Notices,
        player: VoicemailPlayer | None,
        cache_dir: Path,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._notices = notices
        self.player = player
        self._cache_dir = cache_dir
        self._clock = clock

    def _api(self) -> ApiClient:
        return self._conn.require_api()

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        return await self._api().request(method, path, **kwargs)

    # -- session --------------------------------------------------------------------------

    def go_online(self) -> None:
        """Signed in or back online: reload the list."""
        if self._conn.api is not None:
            self.load()

    def load(self) -> None:
        self._runner.spawn(self._load(), "loading the recordings")

    async def _load(self) -> None:
        rows = await self._call("GET", _BASE)
        out: list[Recording] = []
        for row in rows if isinstance(rows, list) else ():
            try:
                out.append(Recording.from_api(row))
            except ValueError as exc:
                _log.warning("skipping a recording: %s", exc)
        self._store.set_recordings(out)

    # -- recording a call -------------------------------------------------------------------

    def toggle(self, key: str, number: str) -> None:
        """Start recording call ``key`` (with ``number``), or stop it when it is recorded."""
        live = self._store.live(key)
        if live is not None and live.busy:
            return
        if live is not None and live.recording and live.pbx_call_id is not None:
            self._store.asking(key)
            self._runner.spawn(self._stop(key, live.pbx_call_id), "stopping the recording")
        else:
            self._store.asking(key)
            self._runner.spawn(self._start(key, number), "starting the recording")

    async def _start(self, key: str, number: str) -> None:
        try:
            api = self._api()
            call_id = pbx_call_id(await api.active_calls(), self._conn.extension or "", number)
            if call_id is None:
                raise ServerRejected(tr("The server does not list this call."), 409)
            self._store.asking(key, call_id)
            await api.request("POST", f"/api/v1/calls/{call_id}/recording")
        except AppError as exc:
            already = isinstance(exc, ServerRejected) and exc.status == 409
            if not already or self._store.live(key) is None:
                self._store.stopped(key)
                self._notices.post("warning", tr("The call cannot be recorded: {0}").format(exc))
                return
        if self._store.live(key) is not None:
            self._store.started(key, self._clock())

    async def _stop(self, key: str, call_id: str) -> None:
        try:
            await self._call("DELETE", f"/api/v1/calls/{call_id}/recording")
        except AppError as exc:
            if not (isinstance(exc, ServerRejected) and exc.status == 404):
                self._store.started(key, self._clock())  # still recording: Stop again
                raise
            # 404: it had already ended (the call hung up)
        self._store.stopped(key)
        await self._load()

    def on_started(self, event: RecordingStarted) -> None:
        """The PBX records one of the user's calls (started from here)."""
        key = self._store.key_of(event.call_id)
        if key is not None and event.extension == self._conn.extension:
            self._store.started(key, self._clock())

    def on_stopped(self, event: RecordingStopped) -> None:
        """A recording ended (stopped, or the call hung up): the list has a new entry."""
        if event.extension != self._conn.extension:
            return
        key = self._store.key_of(event.call_id)
        if key is not None:
            self._store.stopped(key)
        if self._conn.api is not None:
            self.load()

    def on_changes(self, changes: Changes) -> None:
        """A call is gone: it is not recorded any more. A call comes in: pause the player."""
        for change in changes.calls:
            if isinstance(change, CallRemoved):
                self._store.stopped(change.key)
        if any(isinstance(c, CallAdded) for c in changes.calls):
            self.pause()

    # -- kept recordings ------------------------------------------------------------------

    def delete(self, ident: int) -> None:
        """Delete a recording and its audio (the page asks first)."""
        if self._store.playing == ident and self.player is not None:
            self.player.stop()
        self._store.remove(ident)
        self._cache_file(ident).unlink(missing_ok=True)
        self._runner.spawn(self._call("DELETE", f"{_BASE}/{ident}"), "deleting the recording")

    def _cache_file(self, ident: int) -> Path:
        return self._cache_dir / f"{ident}.wav"

    async def audio_file(self, ident: int) -> Path:
        """The recording's WAV in the cache, fetched once."""
        path = self._cache_file(ident)
        if not path.is_file():
            data = await self._api().content(f"{_BASE}/{ident}/audio")
            self._cache_dir.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(data)
            partial.replace(path)
        return path

    def play(self, ident: int) -> None:
        """Play a recording from the start (or go on with the paused one)."""
        if self.player is None:
            return
        if self._store.playing == ident and self.player.clip is not None:
            self._start_player()
            return
        self._runner.spawn(self._play(ident), "playing the recording")

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
        self._start_player()

    def _start_player(self) -> None:
        if self.player is None or self._store.playing is None:
            return
        error = VoicemailPlayer.safely_play(self.player)
        if error is not None:
            self._notices.post("error", tr("The recording cannot be played: {0}").format(error))
            return
        self._store.changed.emit({"playing"})

    def pause(self) -> None:
        if self.player is not None and self.player.state == "playing":
            self.player.pause()
            self._store.changed.emit({"playing"})

    def seek(self, seconds: float) -> None:
        if self.player is not None:
            self.player.seek(seconds)

    def poll(self) -> None:
        """The view's timer: notice the end of the recording."""
        if self.player is not None and self.player.poll():
            self._store.changed.emit({"playing"})

    @property
    def playing_id(self) -> int | None:
        return self._store.playing

    @property
    def state(self) -> PlayerState:
        return self.player.state if self.player is not None else "stopped"

    @property
    def position_s(self) -> float:
        clip = self.player.clip if self.player is not None else None
        return clip.position_s if clip is not None else 0.0

    @property
    def duration_s(self) -> float:
        clip = self.player.clip if self.player is not None else None
        return clip.duration_s if clip is not None else 0.0
