"""Call-progress tones per country (ITU-T E.180 Supplement 2): ringback, busy and congestion.

A plan is frequencies plus an on/off cadence in seconds; :func:`call_progress_tone` turns one
into a :class:`~pbx_core.media.tones.ToneSource`.  Unknown countries use the Dutch plan (the
CEPT 425 Hz tones most of Europe shares).
"""

from __future__ import annotations

from dataclasses import dataclass

from pbx_core.media.tones import ToneSource

__all__ = ["COUNTRIES", "TONE_NAMES", "TonePlan", "call_progress_tone", "tone_plan"]

TONE_NAMES = ("ringback", "busy", "congestion")


@dataclass(frozen=True, slots=True)
class TonePlan:
    """Summed frequencies (Hz) switched by an on/off cadence (seconds, pairs)."""

    freqs: tuple[float, ...]
    cadence: tuple[float, ...]


_CEPT = 425.0
_PLANS: dict[str, dict[str, TonePlan]] = {
    "NL": {
        "ringback": TonePlan((_CEPT,), (1.0, 4.0)),
        "busy": TonePlan((_CEPT,), (0.5, 0.5)),
        "congestion": TonePlan((_CEPT,), (0.25, 0.25)),
    },
    "DK": {
        "ringback": TonePlan((_CEPT,), (1.0, 4.0)),
        "busy": TonePlan((_CEPT,), (0.25, 0.25)),
        "congestion": TonePlan((_CEPT,), (0.25, 0.25)),
    },
    "CZ": {
        "ringback": TonePlan((_CEPT,), (1.0, 4.0)),
        "busy": TonePlan((_CEPT,), (0.33, 0.33)),
        "congestion": TonePlan((_CEPT,), (0.165, 0.165)),
    },
    "DE": {
        "ringback": TonePlan((_CEPT,), (1.0, 4.0)),
        "busy": TonePlan((_CEPT,), (0.48, 0.48)),
        "congestion": TonePlan((_CEPT,), (0.24, 0.24)),
    },
    "GB": {
        "ringback": TonePlan((400.0, 450.0), (0.4, 0.2, 0.4, 2.0)),
        "busy": TonePlan((400.0,), (0.375, 0.375)),
        "congestion": TonePlan((400.0,), (0.4, 0.35, 0.225, 0.525)),
    },
    "US": {
        "ringback": TonePlan((440.0, 480.0), (2.0, 4.0)),
        "busy": TonePlan((480.0, 620.0), (0.5, 0.5)),
        "congestion": TonePlan((480.0, 620.0), (0.25, 0.25)),
    },
}

COUNTRIES = tuple(sorted(_PLANS))


def tone_plan(tone: str, country: str = "NL") -> TonePlan:
    """The plan of ``tone`` in ``country`` (ISO 3166 alpha-2); ValueError for an unknown tone."""
    if tone not in TONE_NAMES:
        raise ValueError(f"unknown tone {tone!r}")
    return _PLANS.get(country.upper(), _PLANS["NL"])[tone]


def call_progress_tone(tone: str, country: str = "NL", level_dbfs: float = -13.0) -> ToneSource:
    """A fresh tone source playing ``tone`` as ``country`` plays it."""
    plan = tone_plan(tone, country)
    return ToneSource(plan.freqs, level_dbfs, plan.cadence)
