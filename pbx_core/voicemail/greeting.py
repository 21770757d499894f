"""A user's own voicemail greeting: a WAV file checked and kept in the user's mailbox folder,
played instead of the spoken default."""

from __future__ import annotations

import wave
from pathlib import Path

from pbx_core.media.player import read_wav

__all__ = ["MAX_GREETING_S", "save_greeting"]

MAX_GREETING_S = 60.0


def save_greeting(path: Path, wav: bytes) -> float:
    """Keep ``wav`` (16-bit PCM, mono or stereo, any rate, 0.2 to 60 s) at ``path``; its length
    in seconds. ValueError, and nothing kept, for anything else."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(wav)
    try:
        pcm, rate = read_wav(partial)
    except (EOFError, wave.Error, ValueError) as exc:
        partial.unlink(missing_ok=True)
        raise ValueError(f"not a 16-bit PCM WAV file: {exc}") from exc
    seconds = len(pcm) / rate if rate else 0.0
    if not 0.2 <= seconds <= MAX_GREETING_S:
        partial.unlink(missing_ok=True)
        raise ValueError(f"a greeting lasts 0.2 to {MAX_GREETING_S:.0f} seconds, not {seconds:.1f}")
    partial.replace(path)
    return round(seconds, 2)
