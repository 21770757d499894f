"""Mix-minus for a conference room: each member hears every talking member but itself.

Pure: frames of int16 PCM at the room's rate go in, one frame per member comes out.  Modes
decide who is heard: ``talk`` (heard by all), ``listen`` (hears the room, heard by no one) and
``whisper:<leg-id>`` (hears the room, heard only by that leg: a supervisor coaching an agent).
Sums are taken in int32 and saturate to int16.  Every member that talks to no one and is
whispered to by no one hears the same sum, returned as one shared array so the room encodes
it once per codec.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pbx_core.media.codecs import Pcm

__all__ = ["MemberMode", "MixResult", "Mixer"]

_Sum = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class MemberMode:
    """How a member takes part: ``talk``, ``listen`` or ``whisper`` to ``target``."""

    kind: str = "talk"
    target: str | None = None

    @classmethod
    def parse(cls, text: str) -> MemberMode:
        """``talk``, ``listen`` or ``whisper:<leg-id>``; ValueError otherwise."""
        if text in ("talk", "listen"):
            return cls(text)
        kind, _, target = text.partition(":")
        if kind == "whisper" and target:
            return cls("whisper", target)
        raise ValueError(f"unknown room mode {text!r}")

    def __str__(self) -> str:
        return f"whisper:{self.target}" if self.kind == "whisper" else self.kind


@dataclass(frozen=True, slots=True)
class MixResult:
    """What each member hears; ``shared`` is the one array every plain listener got."""

    frames: dict[str, Pcm]
    shared: Pcm


def _saturate(total: _Sum) -> Pcm:
    pcm: Pcm = np.clip(total, -32768, 32767).astype(np.int16)
    return pcm


class Mixer:
    """The members of one room and their modes; ``mix`` makes one frame for each."""

    def __init__(self, frame_samples: int = 320) -> None:
        self.frame_samples = frame_samples
        self.modes: dict[str, MemberMode] = {}

    def add(self, member: str, mode: MemberMode | str = "talk") -> None:
        self.modes[member] = mode if isinstance(mode, MemberMode) else MemberMode.parse(mode)

    def remove(self, member: str) -> None:
        self.modes.pop(member, None)

    def mix(self, inputs: Mapping[str, Pcm], extra: Pcm | None = None) -> MixResult:
        """One frame per member from each member's input frame; ``extra`` goes to everyone."""
        total: _Sum = np.zeros(self.frame_samples, dtype=np.int32)
        if extra is not None:
            total += extra.astype(np.int32)
        talkers: dict[str, _Sum] = {}
        whispers: dict[str, _Sum] = {}
        for member, mode in self.modes.items():
            pcm = inputs.get(member)
            if pcm is None or mode.kind == "listen" or not pcm.any():
                continue
            wide = pcm.astype(np.int32)
            if mode.kind == "talk":
                talkers[member] = wide
                total += wide
            elif mode.target is not None and mode.target in self.modes:
                whispers[mode.target] = whispers.get(mode.target, 0) + wide
        shared = _saturate(total)
        frames: dict[str, Pcm] = {}
        for member in self.modes:
            own, whisper = talkers.get(member), whispers.get(member)
            if own is None and whisper is None:
                frames[member] = shared
                continue
            heard = total.copy()
            if own is not None:
                heard -= own
            if whisper is not None:
                heard += whisper
            frames[member] = _saturate(heard)
        return MixResult(frames, shared)
