"""Call pickup and call park through the PBX between pjsua2 phones, checked by who hears whom.

Pickup: ``*9*<ext>*`` takes the call ringing at one extension, ``*8*`` the oldest ringing in
the caller's department; the ringing phone stops, the caller talks to the picker; another
department gets 403 (an admin may), nothing ringing 404. Park: a blind transfer to 7000 parks
the call in 7001, the parked party hears the prompt and music, dialling 7001 retrieves it, a
free slot is 404, and a parked call nobody takes rings the phones of who parked it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.component.pbx.conftest import (
    Phone,
    Phones,
    ThreadedPbx,
    check_hearing,
    connect,
    ended,
    established,
    listen,
    threaded_pbx,
    transferred,
)

pytestmark = pytest.mark.pjsua

_QUICK_RECALL_S = 3.0
# Phases to listen for the music after the prompt (the prompt is a sentence, a few seconds).
_PHASES_TO_MUSIC = 5


def _ring(caller: Phone, callee: Phone) -> tuple[int, int]:
    """`caller` calls `callee`, which rings; returns (caller's call, callee's call)."""
    placed = int(caller.send("call", uri=callee.ext)["call"])
    ringing = callee.wait_event("incoming_call")
    caller.wait_event("call_state", call=placed, state="EARLY")
    return placed, int(ringing["call"])


def _refused(phone: Phone, number: str) -> int:
    """`phone` dials `number`; the final status of the call it gets."""
    placed = int(phone.send("call", uri=number)["call"])
    return int(ended(phone, placed)["code"])


def _picks_up(picker: Phone, code: str, caller: Phone, caller_call: int) -> int:
    placed = int(picker.send("call", uri=code)["call"])
    established(picker, placed)
    established(caller, caller_call)
    return placed


@pytest.mark.parametrize("code", ["*9*202*", "*8*"])
def test_pickup_connects_the_caller_to_the_picker(
    phones: Phones, tmp_path: Path, cc_pbx: ThreadedPbx, code: str
) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")  # 202 and 203: Support
    a_call, b_ringing = _ring(a, b)

    since = cc_pbx.mark()
    c_call = _picks_up(c, code, a, a_call)
    ended(b, b_ringing)
    check_hearing(tmp_path, "picked-up", {a: [c], c: [a], b: []})
    cc_pbx.bus_event("call.picked_up", since=since, by="203", from_extension="202")

    a.send("hangup", call=a_call)
    ended(c, c_call)


def test_directed_pickup_takes_the_oldest_ringing_call(phones: Phones, tmp_path: Path) -> None:
    first, second, b, c = phones("201"), phones("204"), phones("202"), phones("203")
    first_call, b_first = _ring(first, b)
    second_call, b_second = _ring(second, b)

    c_call = _picks_up(c, "*9*202*", first, first_call)
    ended(b, b_first)
    check_hearing(tmp_path, "picked-up", {first: [c], c: [first], second: []})
    assert [call["call"] for call in b.send("status")["calls"]] == [b_second], "202 rings on"

    second.send("hangup", call=second_call)
    ended(b, b_second)
    c.send("hangup", call=c_call)
    ended(first, first_call)


def test_pickup_from_another_department_is_refused_but_an_admin_may(
    phones: Phones, tmp_path: Path
) -> None:
    sales, b, reception, admin = phones("201"), phones("202"), phones("204"), phones("205")
    caller_call, b_ringing = _ring(reception, b)

    assert _refused(sales, "*9*202*") == 403
    assert _refused(sales, "*8*") == 404  # nothing rings in Sales
    assert b.send("status")["calls"][0]["call"] == b_ringing, "202 must go on ringing"

    admin_call = _picks_up(admin, "*9*202*", reception, caller_call)
    ended(b, b_ringing)
    check_hearing(tmp_path, "picked-up", {reception: [admin], admin: [reception]}, also=[b])
    admin.send("hangup", call=admin_call)
    ended(reception, caller_call)


def test_pickup_with_nothing_ringing_is_404(phones: Phones) -> None:
    c = phones("203")
    assert _refused(c, "*9*202*") == 404
    assert _refused(c, "*8*") == 404


def _music_follows(phone: Phone, workdir: Path) -> None:
    """Listen phase by phase until the hold music plays after the prompt, and nothing else
    (but a few windows like neither: where the prompt ends and the music begins, or where a
    late packet cut a stretch in two)."""
    heard: list[str] = []
    for n in range(_PHASES_TO_MUSIC):
        heard += listen(phone, workdir, f"after-prompt-{n}", "parked", "music")
        others = [label for label in heard if label not in ("parked", "music", "-")]
        assert len(others) <= max(1, len(heard) // 5), f"neither prompt nor music: {heard}"
        if "music" in heard:
            return
    raise AssertionError(f"no hold music after the prompt: {heard}")


def _park(parker: Phone, call: int) -> None:
    parker.send("transfer", call=call, target="7000")
    transferred(parker, call)
    ended(parker, call)


def test_park_prompt_music_and_retrieve(
    phones: Phones, tmp_path: Path, cc_pbx: ThreadedPbx
) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")
    a_call, b_call = connect(a, b, "202")

    since = cc_pbx.mark()
    _park(b, b_call)
    cc_pbx.bus_event("call.parked", since=since, slot="7001", parked_by="202", caller="201")
    heard = listen(a, tmp_path, "parked-prompt", "parked", "music")
    assert heard.count("parked") >= len(heard) // 2, f"not the parked prompt: {heard}"
    assert "music" not in heard, f"music before the prompt ended: {heard}"
    _music_follows(a, tmp_path)
    assert [call["call"] for call in a.send("status")["calls"]] == [a_call]

    assert _refused(c, "7002") == 404  # a free slot
    c_call = int(c.send("call", uri="7001")["call"])
    established(c, c_call)
    check_hearing(tmp_path, "retrieved", {a: [c], c: [a]}, also=[b])
    cc_pbx.bus_event("call.unparked", since=since, slot="7001", by="203")

    c.send("hangup", call=c_call)
    ended(a, a_call)


@pytest.fixture
def quick_recall(tmp_path: Path) -> Iterator[Phones]:
    """Phones at a PBX of their own whose parked calls come back after a few seconds."""
    with (
        threaded_pbx(tmp_path / "pbx", park_recall_s=_QUICK_RECALL_S) as running,
        contextlib.ExitStack() as stack,
    ):
        yield Phones(tmp_path, running.sip_udp_port, stack)


def test_parked_call_not_taken_rings_who_parked_it(quick_recall: Phones, tmp_path: Path) -> None:
    a, b = quick_recall("201"), quick_recall("202")
    a_call, b_call = connect(a, b, "202")

    _park(b, b_call)
    recall = int(b.wait_event("incoming_call", timeout=_QUICK_RECALL_S + 15)["call"])
    b.send("answer", call=recall, code=200)
    established(b, recall)
    check_hearing(tmp_path, "recalled", {a: [b], b: [a]})

    b.send("hangup", call=recall)
    ended(a, a_call)
