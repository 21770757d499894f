"""Meet-me conference rooms (8000-8009) through the PBX, checked by who hears whom.

Everyone in a room hears everyone else and not themselves (mix-minus): three parties, one
leaving, and a room of eight, each phone a separate pjsua2 process playing its own tone.
"""

from __future__ import annotations

import time
from pathlib import Path

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

pytestmark = pytest.mark.pjsua

# A room's join and leave tones are short; recordings start after them.
_AFTER_JOIN_TONE_S = 1.0


def _join(phone: Phone, room: str) -> int:
    """The PBX answers a room at once: no phone rings."""
    call = int(phone.send("call", uri=room)["call"])
    established(phone, call)
    return call


def _everyone_else(party: list[Phone]) -> dict[Phone, list[Phone]]:
    return {p: [q for q in party if q is not p] for p in party}


def test_three_parties_hear_each_other_and_not_themselves(
    phones: Phones, tmp_path: Path, cc_pbx: ThreadedPbx
) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")
    since = cc_pbx.mark()
    calls = {p.name: _join(p, "8000") for p in (a, b, c)}
    for p in (a, b, c):
        cc_pbx.bus_event("conference.joined", since=since, room="8000", extension=p.ext)
    time.sleep(_AFTER_JOIN_TONE_S)
    check_hearing(tmp_path, "room-of-3", _everyone_else([a, b, c]))

    c.send("hangup", call=calls[c.name])
    ended(c, calls[c.name])
    cc_pbx.bus_event("conference.left", since=since, room="8000", extension="203")
    time.sleep(_AFTER_JOIN_TONE_S)
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
    time.sleep(_AFTER_JOIN_TONE_S)
    check_hearing(tmp_path, "room-of-8", _everyone_else(party))

    for p in party:
        p.send("hangup", call=calls[p.name])
    for p in party:
        ended(p, calls[p.name])
