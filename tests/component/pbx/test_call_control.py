"""Transfer through the PBX between pjsua2 phones, checked by who hears whom.

Blind transfer (REFER, RFC 3515) from either party; to a busy, absent or silent target the
transferor is rung again ("transfer recall") and, answering, talks to the transferee; an unknown
target leaves the call as it was; attended transfer (REFER with Replaces, RFC 3891) joins the
held party to the third; a phone's INVITE with Replaces takes over the dialog it names
(naming none: 481). Every phone plays its own tone; the recordings decide, call states and
NOTIFYs (``transfer_status``) are the second check.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from tests.component.pbx.conftest import (
    TONES,
    TRANSFER_RING_S,
    Phone,
    Phones,
    ThreadedPbx,
    check_hearing,
    connect,
    ended,
    established,
    threaded_pbx,
    transferred,
)
from tests.support.listening import heard, record_phase

pytestmark = pytest.mark.pjsua

RINGBACK_HZ = 425.0  # Dutch ringback (tone_country "NL"): 1 s on, 4 s off

# The recall comes after the target gave up or `transfer_ring_seconds` passed.
_RECALL_WAIT = TRANSFER_RING_S + 15.0


def _answer_transferred(target: Phone, transferee: Phone, transferor: Phone) -> int:
    """The target rings with the transferee's From and the transferor in Referred-By; answer."""
    incoming = target.wait_event("incoming_call")
    assert transferee.ext in incoming["from"], incoming
    assert transferor.ext in (incoming["referred_by"] or ""), incoming
    call = int(incoming["call"])
    target.send("answer", call=call, code=200)
    established(target, call)
    return call


def test_blind_transfer_by_the_callee(phones: Phones, tmp_path: Path, cc_pbx: ThreadedPbx) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")
    a_call, b_call = connect(a, b, "202")

    since = cc_pbx.mark()
    b.send("transfer", call=b_call, target="203")
    c_call = _answer_transferred(c, a, b)
    transferred(b, b_call)
    ended(b, b_call)
    check_hearing(tmp_path, "transferred", {a: [c], c: [a]}, also=[b])
    assert [call["call"] for call in a.send("status")["calls"]] == [a_call]
    cc_pbx.bus_event("call.transferred", since=since, by="202", to="203")

    a.send("hangup", call=a_call)
    ended(c, c_call)


def test_blind_transfer_by_the_caller_ends_its_call_with_bye(
    phones: Phones, tmp_path: Path
) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")
    a_call, b_call = connect(a, b, "202")

    # `keep`: the transferor does not hang up itself, so the BYE must come from the PBX.
    a.send("transfer", call=a_call, target="203", keep=True)
    c_call = _answer_transferred(c, b, a)
    transferred(a, a_call)
    ended(a, a_call)
    check_hearing(tmp_path, "transferred", {b: [c], c: [b]}, also=[a])

    c.send("hangup", call=c_call)
    ended(b, b_call)


def _recalled(transferor: Phone, transferee: Phone, tmp_path: Path, old_call: int) -> None:
    """The transferor's first call ended, its phone rings again; answering, the two talk."""
    ended(transferor, old_call, timeout=_RECALL_WAIT)
    recall = int(transferor.wait_event("incoming_call", timeout=_RECALL_WAIT)["call"])
    transferor.send("answer", call=recall, code=200)
    established(transferor, recall)
    check_hearing(tmp_path, "recalled", {transferor: [transferee], transferee: [transferor]})
    transferor.send("hangup", call=recall)
    transferee.wait_event("call_state", state="DISCONNECTED")


def test_transfer_to_a_busy_target_rings_the_transferor_again(
    phones: Phones, tmp_path: Path
) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")
    _, b_call = connect(a, b, "202")

    b.send("transfer", call=b_call, target="203")
    busy = c.wait_event("incoming_call")
    c.send("answer", call=busy["call"], code=486)
    _recalled(b, a, tmp_path, b_call)


def test_transfer_to_an_absent_target_rings_the_transferor_again(
    phones: Phones, tmp_path: Path
) -> None:
    a, b = phones("201"), phones("202")  # 204 exists but no phone of it is registered
    _, b_call = connect(a, b, "202")

    b.send("transfer", call=b_call, target="204")
    _recalled(b, a, tmp_path, b_call)


def test_transfer_not_answered_in_time_rings_the_transferor_again(
    phones: Phones, tmp_path: Path
) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")
    _, b_call = connect(a, b, "202")

    b.send("transfer", call=b_call, target="203")
    ringing = int(c.wait_event("incoming_call")["call"])  # rings (180), never answered
    (waiting,) = record_phase([a], tmp_path, "target-rings")
    assert any(heard(waiting, RINGBACK_HZ)), "the transferee hears no ringback"
    assert not any(heard(waiting, b.tone)), "the transferee still hears the transferor"
    _recalled(b, a, tmp_path, b_call)
    assert ended(c, ringing)["code"] != 200


def test_transfer_to_an_unknown_number_keeps_the_call(phones: Phones, tmp_path: Path) -> None:
    a, b = phones("201"), phones("202")
    a_call, b_call = connect(a, b, "202")

    b.send("transfer", call=b_call, target="2999")
    status = b.wait_event("transfer_status", call=b_call, final=True)
    assert status["code"] == 404, status
    check_hearing(tmp_path, "kept", {a: [b], b: [a]})
    assert [call["call"] for call in b.send("status")["calls"]] == [b_call]
    assert [call["call"] for call in a.send("status")["calls"]] == [a_call]

    b.send("hangup", call=b_call)
    ended(a, a_call)


def test_attended_transfer_joins_the_held_party_to_the_third(
    phones: Phones, tmp_path: Path
) -> None:
    a, b, c = phones("201"), phones("202"), phones("203")
    a_call, b_to_a = connect(a, b, "202")
    b.send("hold", call=b_to_a, mute=True)
    b.wait_event("media_state", call=b_to_a, status="LOCAL_HOLD")
    a.wait_event("media_state", call=a_call, status="REMOTE_HOLD")
    b_to_c, c_call = connect(b, c, "203")
    check_hearing(tmp_path, "consulting", {b: [c], c: [b], a: []})

    a.drain()
    # `keep`: both of the transferor's calls must be ended by the PBX.
    b.send("transfer_replaces", call=b_to_a, other=b_to_c, keep=True)
    transferred(b, b_to_a)
    ended(b, b_to_a)
    ended(b, b_to_c)
    a.wait_event("media_active", call=a_call)  # re-INVITEd to sendrecv
    check_hearing(tmp_path, "transferred", {a: [c], c: [a]}, also=[b])

    a.send("hangup", call=a_call)
    ended(c, c_call)


def test_invite_with_replaces_takes_over_the_named_call(phones: Phones, tmp_path: Path) -> None:
    """A second phone of 202 sends INVITE with Replaces (RFC 3891) naming the PBX's dialog with
    202's desk phone: it takes the desk phone's place in the call (the desk phone gets BYE) and
    talks to the caller."""
    a, desk = phones("201"), phones("202")
    other = phones("202", name="p202-second", tone=TONES["208"])
    placed = int(a.send("call", uri="202")["call"])
    rang = {p.name: int(p.wait_event("incoming_call")["call"]) for p in (desk, other)}
    desk.send("answer", call=rang[desk.name], code=200)
    established(desk, rang[desk.name])
    established(a, placed)
    ended(other, rang[other.name])  # answered elsewhere
    (dialog,) = [c for c in desk.send("status")["calls"] if c["call"] == rang[desk.name]]
    # The tags as the PBX (the INVITE's recipient) names them: its own is the desk's remote one.
    assert dialog["local_tag"] and dialog["remote_tag"], dialog
    replaces = f"{dialog['call_id']};to-tag={dialog['remote_tag']};from-tag={dialog['local_tag']}"

    taken = int(other.send("call", uri="201", headers={"Replaces": replaces})["call"])
    established(other, taken)
    ended(desk, rang[desk.name])
    check_hearing(tmp_path, "replaced", {a: [other], other: [a], desk: []})

    other.send("hangup", call=taken)
    ended(a, placed)


def test_invite_with_replaces_naming_no_call_is_refused(phones: Phones) -> None:
    other = phones("202")
    placed = int(
        other.send("call", uri="201", headers={"Replaces": "no-such-call;to-tag=x;from-tag=y"})[
            "call"
        ]
    )
    assert ended(other, placed)["code"] == 481  # Call/Transaction Does Not Exist


def test_the_ringback_is_the_countrys(tmp_path: Path) -> None:
    """A PBX set to the United States' tones (``tone_country``): the transferee hears the US
    ringback (440 + 480 Hz) while the target rings."""
    with (
        threaded_pbx(tmp_path / "pbx", tone_country="US") as running,
        contextlib.ExitStack() as stack,
    ):
        phones = Phones(tmp_path, running.sip_udp_port, stack)
        a, b, c = phones("201"), phones("202"), phones("203")
        a_call, b_call = connect(a, b, "202")
        b.send("transfer", call=b_call, target="203")
        ringing = int(c.wait_event("incoming_call")["call"])
        (waiting,) = record_phase([a], tmp_path, "us-ringback")
        for freq in (440.0, 480.0):  # the Dutch ringback is 425 Hz alone
            assert any(heard(waiting, freq)), f"no US ringback ({freq} Hz)"
        c.send("answer", call=ringing, code=200)
        established(c, ringing)
        check_hearing(tmp_path, "us-transferred", {a: [c], c: [a]}, also=[b])
        a.send("hangup", call=a_call)
        ended(c, ringing)
