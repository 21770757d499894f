"""What pjsua2 agents hear during a phase of a call: record, then look for tones over time.

Phases are short (``PHASE_S``); the first ``SETTLE_S`` of each recording is skipped because
jitter buffers still hold audio of the phase before.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from tests.support.agent import Agent
from tests.support.audio import read_wav, tone_timeline

__all__ = ["PHASE_S", "SETTLE_S", "heard", "mostly", "record_phase"]

PHASE_S = 1.6
SETTLE_S = 0.4


def record_phase(agents: Sequence[Agent], workdir: Path, phase: str) -> list[Path]:
    """Each agent records what it hears for ``PHASE_S``; one WAV per agent."""
    paths = [workdir / f"{a.name}-{phase}.wav" for a in agents]
    for agent, path in zip(agents, paths, strict=True):
        agent.send("record", file=str(path))
    time.sleep(PHASE_S)
    for agent in agents:
        agent.send("stop_record")
    return paths


def heard(path: Path, freq: float) -> list[bool]:
    """Per 0.2 s window after the settling time: is the tone there?"""
    samples, rate = read_wav(path)
    assert len(samples) >= rate * (PHASE_S - 0.2), f"{path.name} lost wall-clock time"
    return tone_timeline(samples[round(SETTLE_S * rate) :], rate, freq, window_s=0.2)


def mostly(timeline: list[bool]) -> bool:
    """The tone is there in at least 70 % of the windows (a late start is allowed)."""
    return len(timeline) >= 4 and timeline.count(True) >= 0.7 * len(timeline)
