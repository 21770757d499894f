"""Feature codes for calls in progress, between pjsua2 phones, checked by who hears whom.

Intrusion ``*65*<ext>*``: the intruder talks to `<ext>`, whose other party hears the prompt and
music and not them, and the two are reconnected when the intruder hangs up; another department
gets 403, an extension not in a call 404. Diversion bypass ``*60*<ext>*`` rings `<ext>`. Fetch
``*7*`` moves the user's answered call to the phone that dials it; without one, 404.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.component.pbx.conftest import (
    TONES,
    Phone,
    Phones,
    ThreadedPbx,
    check_hearing,
    connect,
    ended,
    established,
    sounds_in,
)

pytestmark = pytest.mark.pjsua

# A spoken prompt may look like a test tone in a window now and then (a vowel's harmonic).
_PROMPT_STRAY = 1


def _dial(phone: Phone, number: str) -> int:
    call = int(phone.send("call", uri=number)["call"])
    established(phone, call)
    return call


def _refused(phone: Phone, number: str) -> int:
    placed = int(phone.send("call", uri=number)["call"])
    return int(ended(phone, placed)["code"])


def test_intrusion_and_reconnect(phones: Phones, tmp_path: Path, cc_pbx: ThreadedPbx) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")  # 202 and 203: Support
    a_call, b_call = connect(a, b, "202")

    c_call = _dial(c, "*65*202*")
    expect = {b: [c], c: [b], a: []}
    recordings = check_hearing(tmp_path, "intruded", expect, stray={a: _PROMPT_STRAY})
    heard = sounds_in(recordings[a], "intrusion", "music")
    assert heard.count("intrusion") >= len(heard) // 2, f"not the intrusion prompt: {heard}"
    assert [call["call"] for call in a.send("status")["calls"]] == [a_call]

    since = cc_pbx.mark()
    c.send("hangup", call=c_call)
    ended(c, c_call)
    # The intruder's phone is done at once; the reconnection is the PBX's, once it has the BYE.
    cc_pbx.bus_event("line.changed", since=since, extension="203", state="idle")
    check_hearing(tmp_path, "reconnected", {a: [b], b: [a]}, also=[c])
    a.send("hangup", call=a_call)
    ended(b, b_call)


def test_intrusion_refused(phones: Phones) -> None:
    a, b, d, admin = phones("201"), phones("202"), phones("204"), phones("205")
    d_call, _ = connect(d, b, "202")
    assert _refused(a, "*65*202*") == 403  # Sales on Support
    assert _refused(admin, "*65*201*") == 404  # an admin may, but 201 is in no call
    d.send("hangup", call=d_call)
    ended(d, d_call)


def test_diversion_bypass_rings_the_extension(phones: Phones, tmp_path: Path) -> None:
    a, b = phones("201"), phones("202")
    a_call, b_call = connect(a, b, "*60*202*")
    check_hearing(tmp_path, "talk", {a: [b], b: [a]})
    a.send("hangup", call=a_call)
    ended(b, b_call)


def test_fetch_moves_the_call_to_the_dialling_phone(phones: Phones, tmp_path: Path) -> None:
    desk, b = phones("201"), phones("202")
    mobile = phones("201", name="p201-second", tone=TONES["208"])
    placed = int(b.send("call", uri="201")["call"])
    rang = {p.name: int(p.wait_event("incoming_call")["call"]) for p in (desk, mobile)}
    desk.send("answer", call=rang[desk.name], code=200)
    established(desk, rang[desk.name])
    established(b, placed)
    ended(mobile, rang[mobile.name])  # answered elsewhere

    fetched = _dial(mobile, "*7*")
    ended(desk, rang[desk.name])
    check_hearing(tmp_path, "fetched", {b: [mobile], mobile: [b], desk: []})

    mobile.send("hangup", call=fetched)
    ended(b, placed)


def test_fetch_without_a_call_is_404(phones: Phones) -> None:
    assert _refused(phones("203"), "*7*") == 404
