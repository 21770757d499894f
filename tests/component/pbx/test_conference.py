"""Meet-me conference rooms (8000-8009) through the PBX, checked by who hears whom.

Everyone in a room hears everyone else and not themselves (mix-minus): three parties (a join
tone, rising, as the third comes in), one leaving (the leave tone, falling), and a room of
eight, each phone a separate pjsua2 process playing its own tone.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from tests.component.pbx.conftest import (
    TONES,
    Phone,
    Phones,
    ThreadedPbx,
    check_hearing,
    ended,
    established,
)
from tests.support.audio import read_wav, tone_timeline

pytestmark = pytest.mark.pjsua

# The beeps a room plays when someone joins (pbx_core.media.room.join_tone), below the phones'
# tones; they last a quarter of a second.
_JOIN_BEEPS_HZ = (660.0, 880.0)
_BEEPS_S = 0.8


def _join(phone: Phone, room: str) -> int:
    """The PBX answers a room at once: no phone rings."""
    call = int(phone.send("call", uri=room)["call"])
    established(phone, call)
    return call


def _first_beep(samples: np.ndarray, rate: int) -> float:
    """Which of the two beeps a recording carries first (a room's tone is two beeps)."""
    starts = {}
    for freq in _JOIN_BEEPS_HZ:
        timeline = tone_timeline(samples, rate, freq, 0.05)
        assert any(timeline), f"no beep at {freq} Hz"
        starts[freq] = timeline.index(True)
    assert len(set(starts.values())) == 2, starts
    return min(starts, key=lambda f: starts[f])


def _everyone_else(party: list[Phone]) -> dict[Phone, list[Phone]]:
    return {p: [q for q in party if q is not p] for p in party}


def test_three_parties_hear_each_other_and_not_themselves(
    phones: Phones, tmp_path: Path, cc_pbx: ThreadedPbx
) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")
    since = cc_pbx.mark()
    calls = {p.name: _join(p, "8000") for p in (a, b)}
    a.send("record", file=str(tmp_path / "p201-c-joins.wav"))
    calls[c.name] = _join(c, "8000")
    time.sleep(_BEEPS_S)  # the beeps reach the phones
    a.send("stop_record")
    for p in (a, b, c):
        cc_pbx.bus_event("conference.joined", since=since, room="8000", extension=p.ext)
    samples, rate = read_wav(tmp_path / "p201-c-joins.wav")
    for freq in _JOIN_BEEPS_HZ:
        assert any(tone_timeline(samples, rate, freq, 0.1)), f"no join tone ({freq} Hz)"
    assert _first_beep(samples, rate) == 660.0  # joining: rising beeps
    check_hearing(tmp_path, "room-of-3", _everyone_else([a, b, c]))

    a.send("record", file=str(tmp_path / "p201-c-leaves.wav"))
    c.send("hangup", call=calls[c.name])
    ended(c, calls[c.name])
    time.sleep(_BEEPS_S)
    a.send("stop_record")
    samples, rate = read_wav(tmp_path / "p201-c-leaves.wav")
    for freq in _JOIN_BEEPS_HZ:
        assert any(tone_timeline(samples, rate, freq, 0.1)), f"no leave tone ({freq} Hz)"
    assert _first_beep(samples, rate) == 880.0  # leaving: falling beeps
    cc_pbx.bus_event("conference.left", since=since, room="8000", extension="203")
    check_hearing(tmp_path, "room-of-2", {a: [b], b: [a]}, also=[c])

    for p in (a, b):
        p.send("hangup", call=calls[p.name])
        ended(p, calls[p.name])


def test_room_of_eight(phones: Phones, tmp_path: Path) -> None:
    # Eight agents on two cores: the lightest settings (8 kHz bridge, terse pjsua log) and
    # softer tones, so that seven of them summed stay far from clipping.
    party = [
        phones(ext, level=0.08, extra_args=("--clock-rate", "8000", "--log-level", "3"))
        for ext in sorted(TONES)
    ]
    calls = {p.name: _join(p, "8001") for p in party}
    check_hearing(tmp_path, "room-of-8", _everyone_else(party))

    for p in party:
        p.send("hangup", call=calls[p.name])
    for p in party:
        ended(p, calls[p.name])
