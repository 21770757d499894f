"""The recording service: the driver on the PBX's loop around the pure parts.

``start`` finds the user's answered call (``find``, given by :mod:`~pbx_core.recording.attach`),
hooks a :class:`~pbx_core.media.call_mix.CallTap` onto both legs and notes it in the
:class:`~pbx_core.recording.book.RecordingBook`; ``stop`` (the user, the hang-up or the maximum
length) writes the mixed WAV off the loop, stores the row and publishes ``recording.stopped``.
Recordings older than the retention are deleted with their files.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pbx_core.bus import EventBus
from pbx_core.errors import Conflict, NotFound
from pbx_core.media.call_mix import MIX_RATE, CallMix, CallTap
from pbx_core.media.codecs import Pcm
from pbx_core.media.leg import MediaLeg
from pbx_core.permissions import Permission, allowed, member_of
from pbx_core.recording import repository as repo
from pbx_core.recording.book import ActiveRecording, RecordingBook
from pbx_core.recording.events import RecordingStarted, RecordingStopped
from pbx_core.recording.wavfile import WavAppender
from pbx_core.store import Store

__all__ = ["CallParties", "RecordingOptions", "RecordingService", "Running"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RecordingOptions:
    """How long one recording may run, and how long recordings are kept."""

    max_seconds: float = 4 * 3600.0
    retention_days: float = 90.0


@dataclass(frozen=True, slots=True)
class CallParties:
    """The legs of a user's answered call: theirs, the other party's, and who that is."""

    own: MediaLeg
    other: MediaLeg
    number: str
    name: str | None


@dataclass(frozen=True, slots=True)
class Running:
    """What the service keeps for a recording under way: the media tap, the file it grows,
    and that file's path under the data dir."""

    tap: CallTap
    wav: WavAppender
    audio: str


def _finish(wav: WavAppender, rest: Pcm) -> None:
    wav.append(rest)
    wav.close()


Finder = Callable[[str, str], CallParties]  # (call_id, extension): NotFound / Conflict


class RecordingService:
    """Starts, stops, lists and deletes recordings; the API's one entry."""

    def __init__(
        self,
        store: Store,
        bus: EventBus,
        data_dir: Path,
        find: Finder,
        options: RecordingOptions | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._bus = bus
        self._data_dir = data_dir
        self._find = find
        self.options = options or RecordingOptions()
        self._clock = clock
        self.book: RecordingBook[Running] = RecordingBook()
        self._tasks: set[asyncio.Task[None]] = set()

    # -- under way --------------------------------------------------------------------------

    def start(self, call_id: str, extension: str) -> ActiveRecording[Running]:
        """Start recording ``extension``'s call; NotFound (no such call of theirs), Conflict
        (not answered, or they record it already)."""
        parties = self._find(call_id, extension)
        if self.book.get(call_id, extension) is not None:
            raise Conflict(f"call {call_id} is already being recorded")
        started_at = self._clock()
        stamp = started_at.strftime("%Y%m%dT%H%M%S")
        relative = Path("recordings") / extension / f"{stamp}-{secrets.token_hex(4)}.wav"
        wav = WavAppender(self._data_dir / relative, MIX_RATE)
        mix = CallMix(asyncio.get_running_loop().time(), self.options.max_seconds)
        tap = CallTap(
            (parties.own, parties.other),
            mix,
            lambda reason: self.spawn(self._ended(call_id, extension, reason)),
            wav.append,  # settled seconds go to the file as the call goes on
        )
        active = ActiveRecording(
            call_id,
            extension,
            started_at,
            parties.number,
            parties.name,
            Running(tap, wav, relative.as_posix()),
        )
        self.book.start(active)
        self._bus.publish(RecordingStarted(call_id, extension, started_at))
        tap.attach()
        return active

    async def stop(
        self, call_id: str, extension: str, reason: str = "stopped"
    ) -> repo.StoredRecording | None:
        """Stop and keep the recording; NotFound when ``extension`` is not recording it. None
        when it holds no audio at all."""
        active = self.book.stop(call_id, extension)
        running = active.handle
        running.tap.detach()
        wav = running.wav
        rest = running.tap.mix.samples()
        await asyncio.to_thread(_finish, wav, rest)
        stored: repo.StoredRecording | None = None
        if wav.samples and not wav.failed:
            try:
                stored = await self._store.aio.call(
                    repo.add_recording,
                    self._store,
                    repo.NewRecording(
                        owner=extension,
                        call_id=call_id,
                        started_at=active.started_at,
                        duration_s=round(wav.samples / MIX_RATE, 2),
                        number=active.number,
                        name=active.name,
                        audio=running.audio,
                        size_bytes=wav.path.stat().st_size,
                    ),
                )
            except Exception:
                _log.exception("cannot keep the recording of call %s by %s", call_id, extension)
                wav.path.unlink(missing_ok=True)
        duration = stored.duration_s if stored is not None else 0.0
        self._bus.publish(
            RecordingStopped(call_id, extension, stored.id if stored else None, duration, reason)
        )
        self.spawn(self.purge())
        return stored

    async def _ended(self, call_id: str, extension: str, reason: str) -> None:
        with contextlib.suppress(NotFound):  # stopped by the user in the meantime
            await self.stop(call_id, extension, reason)

    async def stop_all(self) -> None:
        """Keep every recording under way (the PBX stops)."""
        for active in self.book:
            with contextlib.suppress(NotFound):
                await self.stop(active.call_id, active.extension, "hangup")

    # -- kept -------------------------------------------------------------------------------

    async def recordings(self, extension: str) -> list[repo.StoredRecording]:
        """The user's recordings, newest first."""
        return await self._store.aio.call(repo.recordings, self._store, extension)

    async def audio(self, extension: str, recording_id: int) -> Path:
        """The WAV of one of the user's recordings; NotFound."""
        found = await self._own(extension, recording_id)
        path = self._data_dir / found.audio
        if not path.is_file():
            raise NotFound(f"the audio of recording {recording_id} is gone")
        return path

    async def delete(self, extension: str, recording_id: int) -> None:
        """Delete one of the user's recordings and its file; NotFound."""
        await self._own(extension, recording_id)
        gone = await self._store.aio.call(repo.delete_recording, self._store, recording_id)
        if gone is not None:
            self._remove_file(gone.audio)

    async def purge(self) -> None:
        """Delete recordings older than the retention, with their files."""
        gone = await self._store.aio.call(
            repo.expired, self._store, self._clock(), self.options.retention_days
        )
        for old in gone:
            self._remove_file(old.audio)

    async def _own(self, extension: str, recording_id: int) -> repo.StoredRecording:
        """A recording ``extension`` may read (their own: pbx_core/permissions.py); NotFound
        for any other, so another user's recordings are not even known to exist."""
        found = await self._store.aio.call(repo.recording, self._store, recording_id)
        reader = self._store.user_by_extension(extension)
        owner = self._store.user_by_extension(found.owner) if found is not None else None
        if reader is None or owner is None or found is None:
            raise NotFound(f"no recording {recording_id} of yours")
        if not allowed(member_of(reader), Permission.READ_RECORDING, member_of(owner)):
            raise NotFound(f"no recording {recording_id} of yours")
        return found

    def _remove_file(self, relative: str) -> None:
        with contextlib.suppress(OSError):
            (self._data_dir / relative).unlink(missing_ok=True)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run ``coro`` on the loop, keeping a reference until it is done."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("recording task failed", exc_info=task.exception())
