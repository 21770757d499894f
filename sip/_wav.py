"""WAV media of a call on the engine thread: play a file into it, record what it receives.

A mixin of :class:`sip._core.Core` (one job per module): players are sources wired like the
sound bridge (muted and held calls get none), a recorder listens to the call's slot, and its
file is complete only after the bridge's next clock tick
(:class:`sip._recording.ClosingRecordings`).
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import pjsua2 as pj

from sip._calls import CallRecord
from sip._edge import mapped as _mapped
from sip._recording import ClosingRecordings, Recorder
from sip.types import CallId

__all__ = ["WavMedia"]


class WavMedia:
    """``play_wav``, ``stop_playback``, ``start_recording``, ``stop_recording``."""

    _graveyard: list[Any]
    _closing: ClosingRecordings

    def _call(self, call_id: CallId) -> CallRecord:
        raise NotImplementedError

    def _apply_tx_level(self, rec: CallRecord) -> None:
        raise NotImplementedError

    def play_wav(self, call_id: CallId, path: str, loop: bool) -> None:
        rec = self._call(call_id)
        player = pj.AudioMediaPlayer()
        with _mapped("opening the WAV file"):
            player.createPlayer(path, 0 if loop else pj.PJMEDIA_FILE_NO_LOOP)
        for old in rec.players:
            self._graveyard.append(old)
        rec.players = [player]
        self._apply_tx_level(rec)

    def stop_playback(self, call_id: CallId) -> None:
        rec = self._call(call_id)
        self._graveyard.extend(rec.players)
        rec.players.clear()

    def start_recording(self, call_id: CallId, path: str) -> None:
        rec = self._call(call_id)
        recorder = Recorder(path)
        with _mapped("creating the recording"):
            recorder.createRecorder(path)
        if rec.recorder is not None:
            self._graveyard.append(rec.recorder)
        rec.recorder = recorder
        if rec.media is not None:
            rec.media.startTransmit(recorder)

    def stop_recording(self, call_id: CallId) -> Future[None]:
        """Close the recording; the returned future resolves once the WAV file is complete."""
        rec = self._call(call_id)
        recorder, rec.recorder = rec.recorder, None
        return self._closing.close(recorder)
