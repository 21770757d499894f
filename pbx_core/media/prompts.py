"""Recorded prompts by name and language, under ``resources/prompts/<lang>/<name>.wav``.

The resources folder sits next to the ``pbx_core`` package, in a checkout and in the frozen
program alike (``<package>/../resources``).  A language without a prompt falls back to
English; a prompt missing in English too plays half a second of silence (logged once).
``tools/prompts.py`` generates the bundled English and Dutch set and the hold music.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from pbx_core.media.player import WavPlayer
from pbx_core.media.tones import AudioSource, Silence

__all__ = [
    "FALLBACK_LANGUAGE",
    "PROMPTS_DIR",
    "PROMPT_NAMES",
    "MusicOnHold",
    "digit_prompts",
    "music_path",
    "prompt_path",
    "prompt_player",
]

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "prompts"
FALLBACK_LANGUAGE = "en"
PROMPT_NAMES = (
    "parked",
    "slot",
    *(f"digit-{d}" for d in range(10)),
    "intrusion",
    "conference-alone",
    "transfer-failed",
    "not-allowed",
    "unavailable",
    "goodbye",
    "queue-welcome",
    "queue-position",
    "queue-wait",
    "queue-minute",
    "queue-minutes",
    "queue-logged-in",
    "queue-logged-out",
    "queue-closed",
    "queue-busy",
)
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")  # names and languages never leave the folder
_warned: set[tuple[str, str]] = set()


def prompt_path(name: str, language: str = "en", root: Path = PROMPTS_DIR) -> Path | None:
    """The WAV of ``name`` in ``language``, else in English, else None (logged once)."""
    if _NAME.fullmatch(name):
        for lang in dict.fromkeys((language, FALLBACK_LANGUAGE)):
            path = root / lang / f"{name}.wav"
            if _NAME.fullmatch(lang) and path.is_file():
                return path
    if (name, language) not in _warned:
        _warned.add((name, language))
        log.warning("prompt %r (%s) not found under %s", name, language, root)
    return None


def digit_prompts(number: str) -> tuple[str, ...]:
    """Prompt names that say ``number`` digit by digit (other characters are skipped)."""
    return tuple(f"digit-{c}" for c in number if c.isdigit())


def music_path(root: Path = PROMPTS_DIR) -> Path:
    return root / "music" / "default.wav"


def prompt_player(
    names: Sequence[str],
    language: str = "en",
    then: str = "music",
    root: Path = PROMPTS_DIR,
) -> WavPlayer:
    """The prompts in order, then hold music (``then="music"``) or silence (``"silence"``)."""
    if then not in ("music", "silence"):
        raise ValueError(f"unknown prompt follow-up {then!r}")
    after: AudioSource = Silence()
    if then == "music":
        after = MusicOnHold(music_path(root))
    return WavPlayer([prompt_path(n, language, root) for n in names], then=after)


class MusicOnHold(WavPlayer):
    """The bundled hold music (``resources/prompts/music/default.wav``), looped."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__([path if path is not None else music_path()], loop=True)
