"""Recording what a leg receives: decoded (PCMU, PCMA or G.722) to a 16 kHz mono WAV file.

:class:`Recording` is pure: RTP payloads in (codec, SSRC, timestamp), 16 kHz samples out, each
packet placed by its timestamp (late packets fill their own slot, lost ones stay silent), up to
a maximum length; it says whether it heard anything but silence. :class:`LegRecorder` attaches
one to a :class:`~pbx_core.media.leg.MediaLeg` as one of the legs fed from it (so the relay path
of the leg is untouched), stops on :meth:`LegRecorder.stop` (``#``), at the maximum length or
when the leg closes (hang-up), writes the file and reports a :class:`RecordingResult`.
"""

from __future__ import annotations

import logging
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from pbx_core.media.codecs import CodecSpec, Decoder, Pcm, get_decoder
from pbx_core.media.resample import Resampler
from pbx_core.media.rtp import RtpPacket

if TYPE_CHECKING:
    from pbx_core.media.leg import MediaLeg

__all__ = [
    "RECORD_RATE",
    "SILENCE_RMS",
    "LegRecorder",
    "Recording",
    "RecordingResult",
    "write_wav",
]

_log = logging.getLogger(__name__)

RECORD_RATE = 16000
SILENCE_RMS = 200.0  # about -44 dBFS over 20 ms: below this a frame counts as silence
_FRAME = RECORD_RATE // 50
_MAX_JUMP = 2 * RECORD_RATE  # a timestamp jump beyond this is a new stream, not a gap


@dataclass(frozen=True, slots=True)
class RecordingResult:
    """A finished recording: where, how long, whether only silence was heard, and why it
    stopped (``"dtmf"``, ``"max-length"``, ``"hangup"`` or ``"stopped"``)."""

    path: Path | None
    duration_s: float
    silence_only: bool
    reason: str


class Recording:
    """Decoded audio of one leg at 16 kHz, placed by RTP timestamp, at most ``max_seconds``."""

    def __init__(self, max_seconds: float) -> None:
        self._pcm = np.zeros(max(1, int(max_seconds * RECORD_RATE)), dtype=np.int16)
        self._end = 0
        self._base: tuple[int, int, int] | None = None  # (ssrc, timestamp, sample offset)
        self._chains: dict[CodecSpec, tuple[Decoder, Resampler | None]] = {}

    @property
    def full(self) -> bool:
        return self._end >= len(self._pcm)

    @property
    def seconds(self) -> float:
        return self._end / RECORD_RATE

    def add(self, spec: CodecSpec, ssrc: int, timestamp: int, payload: bytes) -> bool:
        """One audio packet; True once the recording is full."""
        if not spec.is_audio or self.full:
            return self.full
        pcm = self._decode(spec, payload)
        scale = RECORD_RATE / spec.clock_rate
        if self._base is None or self._base[0] != ssrc:
            self._base = (ssrc, timestamp, self._end)
        _, ts0, offset0 = self._base
        delta = (timestamp - ts0) & 0xFFFFFFFF
        if delta >= 0x80000000:
            delta -= 0x100000000
        at = offset0 + round(delta * scale)
        if at < 0 or at > self._end + _MAX_JUMP or at < self._end - _MAX_JUMP:
            self._base = (ssrc, timestamp, self._end)  # a new stream: go on from here
            at = self._end
        room = len(self._pcm) - at
        if room <= 0:
            self._end = len(self._pcm)
            return True
        chunk = pcm[:room]
        self._pcm[at : at + len(chunk)] = chunk
        self._end = max(self._end, at + len(chunk))
        return self.full

    def _decode(self, spec: CodecSpec, payload: bytes) -> Pcm:
        chain = self._chains.get(spec)
        if chain is None:
            rate = spec.sample_rate
            resampler = Resampler(rate, RECORD_RATE) if rate != RECORD_RATE else None
            chain = self._chains[spec] = (get_decoder(spec), resampler)
        decoder, resampler = chain
        pcm = decoder.decode(payload)
        return resampler.process(pcm) if resampler is not None else pcm

    def trim_end(self, seconds: float) -> None:
        """Drop the last ``seconds`` (the key press that ended the message)."""
        self._end = max(0, self._end - int(seconds * RECORD_RATE))

    def samples(self) -> Pcm:
        return self._pcm[: self._end].copy()

    def silence_only(self, threshold: float = SILENCE_RMS) -> bool:
        """True when no 20 ms frame is louder than ``threshold`` RMS."""
        frames = self._end // _FRAME
        if frames == 0:
            return True
        block = self._pcm[: frames * _FRAME].astype(np.float64).reshape(frames, _FRAME)
        rms = np.sqrt(np.mean(block * block, axis=1))
        return bool(np.max(rms) < threshold)


def write_wav(path: Path, pcm: Pcm, rate: int = RECORD_RATE) -> None:
    """16-bit mono WAV (the folder is created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.asarray(pcm, dtype="<i2").tobytes())


class LegRecorder:
    """Records what ``leg`` receives into ``path`` until stopped, full or the leg closes;
    ``on_done`` gets the result once. A silence-only recording writes no file."""

    def __init__(
        self,
        leg: MediaLeg,
        path: Path,
        max_seconds: float,
        on_done: Callable[[RecordingResult], None],
        *,
        keep_silence: bool = False,
    ) -> None:
        self.leg = leg
        self.path = path
        self.recording = Recording(max_seconds)
        self._on_done = on_done
        self._keep_silence = keep_silence
        self._done = False
        self.leg_id = f"{leg.leg_id}-recorder"

    @property
    def done(self) -> bool:
        return self._done

    def start(self) -> None:
        """Listen to the leg: the recorder joins the legs fed from it."""
        if self.leg.closed:
            self.stop("hangup")
            return
        sinks = self.leg._sinks  # the legs (and recorders) this leg's packets go to
        sinks.append(cast("MediaLeg", self))

    def stop(self, reason: str = "stopped") -> RecordingResult | None:
        """Finish: write the file (unless silence only) and report; None if already done."""
        if self._done:
            return None
        self._done = True
        sinks = self.leg._sinks
        me = cast("MediaLeg", self)
        if me in sinks:
            sinks.remove(me)
        if reason == "dtmf":
            self.recording.trim_end(0.25)
        silent = self.recording.silence_only()
        path: Path | None = None
        if not silent or self._keep_silence:
            try:
                write_wav(self.path, self.recording.samples())
                path = self.path
            except OSError:
                _log.exception("cannot write the recording %s", self.path)
        result = RecordingResult(path, round(self.recording.seconds, 2), silent, reason)
        try:
            self._on_done(result)
        except Exception:
            _log.exception("recording callback failed for %s", self.path)
        return result

    # -- the part of a leg's sink the leg calls -----------------------------------------------

    def _relay(
        self, source: MediaLeg, data: bytes, fields: tuple[int, int, int, int], now: float
    ) -> None:
        if self._done:
            return
        spec = source._receive_map.get(fields[0])
        if spec is None or not spec.is_audio:
            return
        try:
            packet = RtpPacket.parse(data)
        except ValueError:
            return
        if self.recording.add(spec, packet.ssrc, packet.timestamp, packet.payload):
            self.stop("max-length")

    def feed(self, source: object) -> None:
        """The leg closed (it un-feeds everything fed from it): the caller hung up."""
        if source is None:
            self.stop("hangup")
