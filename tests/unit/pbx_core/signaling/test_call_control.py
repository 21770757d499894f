"""Call control against the B2BUA in memory: blind and attended transfer (REFER, Replaces),
transfer recall, park and its recall, pickup (directed, group, refused), conference rooms,
intrusion and fetch. Who hears whom is read from the media legs' sources and the connections
the machine sent; the SIP each phone sees is checked message by message."""

from __future__ import annotations

import pytest

from pbx_core.errors import Conflict, Forbidden, NotFound
from pbx_core.media.connections import ConnectPrompt, ConnectTone, JoinRoom
from pbx_core.permissions import Member, Role
from pbx_core.signaling.message import Headers, SipRequest, SipResponse
from pbx_core.signaling.uri import SipUri
from tests.unit.pbx_core.signaling._switchboard import Phone, Switchboard, sdp

ADMIN = frozenset({Role.USER, Role.ADMIN})


def _call(board: Switchboard, a: Phone, b: Phone) -> SipRequest:
    """A calls B, B answers. Returns the PBX's INVITE to B."""
    invite = a.invite(b.extension)
    to_b = b.request("INVITE")
    b.reply(to_b, 200)
    b.take()
    ok = a.response(200)
    a.ack(invite, ok)
    a.take()
    return to_b


def _hears(board: Switchboard, listener: str, speaker: str) -> bool:
    source = board.media[listener].source
    return source is board.media[speaker]


def _sipfrags(phone: Phone) -> list[str]:
    """The NOTIFY bodies the phone got, answered 200 (in order)."""
    frags = []
    notifies = [m for m in phone.inbox if isinstance(m, SipRequest) and m.method == "NOTIFY"]
    for message in notifies:
        phone.inbox.remove(message)
        assert message.headers.get("Event") == "refer"
        frags.append(message.body.decode().strip())
        phone.reply(message, 200)
    return frags


def test_blind_transfer_from_the_callee_connects_caller_and_target() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _call(board, a, b)
    b.refer("203")
    assert b.response(202)
    notifies = [m for m in b.inbox if isinstance(m, SipRequest) and m.method == "NOTIFY"]
    assert [n.headers.get("Subscription-State") for n in notifies] == [
        "active;expires=60",
        "terminated;reason=noresource",
    ]
    assert _sipfrags(b) == ["SIP/2.0 100 Trying", "SIP/2.0 200 OK"]
    b.request("BYE")  # the PBX releases the transferor
    to_c = c.request("INVITE")
    assert "201" in (to_c.headers.get("From") or "")
    assert "sip:202@" in (to_c.headers.get("Referred-By") or "")
    assert isinstance(board.sounds["leg-1"], ConnectTone)  # A hears ringback
    assert board.machine.registry.line_state("203") == "ringing"
    c.reply(to_c, 200)
    assert _hears(board, "leg-1", "leg-3") and _hears(board, "leg-3", "leg-1")
    (first,) = board.records
    assert (first.caller, first.callee, first.reason, first.ended_by) == (
        "201",
        "202",
        "transferred",
        "202",
    )
    assert "call.transferred" in board.kinds()
    c.in_dialog("BYE")
    a.request("BYE")
    second = board.records[-1]
    assert (second.caller, second.callee, second.answered_at is not None) == ("201", "203", True)


def test_blind_transfer_from_the_caller() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _call(board, a, b)
    a.refer("203")
    assert a.response(202)
    assert _sipfrags(a) == ["SIP/2.0 100 Trying", "SIP/2.0 200 OK"]
    a.request("BYE")
    to_c = c.request("INVITE")
    assert "202" in (to_c.headers.get("From") or "")
    c.reply(to_c, 200)
    assert _hears(board, "leg-2", "leg-3") and _hears(board, "leg-3", "leg-2")


def test_transfer_to_an_unknown_number_keeps_the_call() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _call(board, a, b)
    b.refer("299")
    assert b.response(202)
    assert _sipfrags(b) == ["SIP/2.0 100 Trying", "SIP/2.0 404 Not Found"]
    assert _hears(board, "leg-1", "leg-2")
    assert board.records == []


def test_busy_and_silent_targets_recall_the_transferor() -> None:
    for how in ("busy", "silent", "absent"):
        board = Switchboard()
        a, b = board.phone("201", 10), board.phone("202", 20)
        c = board.phone("203", 30, register=how != "absent")
        _call(board, a, b)
        b.refer("203")
        assert _sipfrags(b)[-1] == "SIP/2.0 200 OK"
        b.request("BYE")
        b.dialog = None
        if how == "busy":
            c.reply(c.request("INVITE"), 486)
        elif how == "silent":
            c.reply(c.request("INVITE"), 180)
            board.advance(21.0)  # transfer_ring_seconds = 20
            assert c.request("CANCEL")
        recall = b.request("INVITE")
        assert "201" in (recall.headers.get("From") or ""), how
        b.reply(recall, 200)
        legs = [leg for leg in board.media if _hears(board, "leg-1", leg)]
        assert len(legs) == 1 and legs[0] not in ("leg-1", "leg-2"), how
        assert _hears(board, legs[0], "leg-1"), how


def test_attended_transfer_with_replaces() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _call(board, a, b)  # leg-1 (A), leg-2 (B)
    first = b.dialog
    b.in_dialog("INVITE", "sendonly")  # B holds A
    a_reinvite = a.request("INVITE")
    a.reply(a_reinvite, 200, "recvonly")
    b.take()
    b.dialog = None
    consult = b.invite("203")  # leg-3 (B), leg-4 (C)
    to_c = c.request("INVITE")
    c.reply(to_c, 200)
    ok = b.response(200)
    b.ack(consult, ok)
    b.take()
    second = b.dialog
    assert first is not None and second is not None
    b.dialog = first
    b.refer("203", replaces=second)
    assert b.response(202)
    assert _sipfrags(b) == ["SIP/2.0 100 Trying", "SIP/2.0 200 OK"]
    byes = [m for m in b.take() if isinstance(m, SipRequest) and m.method == "BYE"]
    assert len(byes) == 2  # both of B's calls end
    assert _hears(board, "leg-1", "leg-4") and _hears(board, "leg-4", "leg-1")
    refresh = a.request("INVITE")  # A was held by B: back to sendrecv
    assert b"a=sendrecv" in refresh.body
    assert [r.reason for r in board.records] == ["transferred", "transferred"]


def test_park_and_retrieve() -> None:
    board = Switchboard()
    a, b, d = board.phone("201", 10), board.phone("202", 20), board.phone("204", 40)
    _call(board, a, b)
    b.refer("7000")
    assert _sipfrags(b) == ["SIP/2.0 100 Trying", "SIP/2.0 200 OK"]
    b.request("BYE")
    prompt = board.sounds["leg-1"]
    assert isinstance(prompt, ConnectPrompt) and prompt.prompts == ("parked",)
    (parked,) = board.machine.lot.all()
    assert (parked.slot, parked.caller, parked.parked_by) == ("7001", "201", "202")
    assert "call.parked" in board.kinds()
    invite = d.invite("7001")
    ok = d.response(200)
    d.ack(invite, ok)
    assert _hears(board, "leg-1", "leg-3") and _hears(board, "leg-3", "leg-1")
    assert board.machine.lot.all() == []
    assert "call.unparked" in board.kinds()
    d.take()
    d.invite("7002")
    assert 404 in d.statuses()


def test_parked_call_rings_the_parker_again() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _call(board, a, b)
    b.refer("7000")
    _sipfrags(b)
    b.request("BYE")
    b.dialog = None
    board.advance(61.0)  # park_recall_seconds = 60
    recall = b.request("INVITE")
    b.reply(recall, 200)
    assert _hears(board, "leg-1", "leg-3")
    assert board.machine.lot.all() == []


def test_dialling_7000_directly_and_unknown_codes_get_404() -> None:
    board = Switchboard()
    a = board.phone("201", 10)
    a.invite("7000")
    assert a.statuses() == [100, 404]
    a.invite("*99*")
    assert a.statuses() == [100, 404]


def _ringing(board: Switchboard, a: Phone, b: Phone) -> SipRequest:
    a.invite(b.extension)
    to_b = b.request("INVITE")
    b.reply(to_b, 180)
    a.take()
    return to_b


def test_directed_pickup_by_a_colleague_of_the_same_department() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _ringing(board, a, b)
    invite = c.invite("*9*202*")
    ok = c.response(200)
    c.ack(invite, ok)
    assert b.request("CANCEL")
    assert isinstance(a.response(200), SipResponse)
    assert _hears(board, "leg-1", "leg-3") and _hears(board, "leg-3", "leg-1")
    assert "call.picked_up" in board.kinds()
    assert board.machine.registry.line_state("202") == "idle"


def test_group_pickup_and_refusals() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    d = board.phone("204", 40)
    c.invite("*8*")
    assert c.statuses() == [100, 404]  # nothing rings
    _ringing(board, a, b)
    d.invite("*9*202*")
    assert d.statuses() == [100, 403]  # Reception may not pick up Support's calls
    d.invite("*8*")
    assert d.statuses() == [100, 404]  # nothing rings in Reception
    invite = c.invite("*8*")
    ok = c.response(200)
    c.ack(invite, ok)
    caller, picker = board_leg_of(board, "201"), board_leg_of(board, "203")
    assert _hears(board, caller, picker) and _hears(board, picker, caller)


def board_leg_of(board: Switchboard, extension: str) -> str:
    for call in board.machine.registry.calls.values():
        for leg in call.legs():
            if leg.extension == extension and leg.state.name == "ANSWERED":
                return str(leg.leg_id)
    raise AssertionError(f"no answered leg of {extension}")


def test_conference_room_joins_each_caller() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    for phone in (a, b):
        invite = phone.invite("8000")
        ok = phone.response(200)
        phone.ack(invite, ok)
    assert board.sounds["leg-1"] == JoinRoom("leg-1", "8000")  # type: ignore[arg-type]
    assert board.sounds["leg-2"] == JoinRoom("leg-2", "8000")  # type: ignore[arg-type]
    assert board.kinds().count("conference.joined") == 2
    a.in_dialog("BYE")
    assert "conference.left" in board.kinds()


def test_intrusion_and_reconnect() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _call(board, a, b)  # leg-1 A, leg-2 B
    c.dialog = None
    invite = c.invite("*65*202*")
    ok = c.response(200)
    c.ack(invite, ok)  # leg-3 C
    assert _hears(board, "leg-2", "leg-3") and _hears(board, "leg-3", "leg-2")
    assert isinstance(board.sounds["leg-1"], ConnectPrompt)
    c.in_dialog("BYE")
    assert _hears(board, "leg-1", "leg-2") and _hears(board, "leg-2", "leg-1")


def test_intrusion_needs_permission_and_a_call() -> None:
    board = Switchboard()
    a, b, d = board.phone("201", 10), board.phone("202", 20), board.phone("204", 40)
    d.invite("*65*202*")
    assert d.statuses() == [100, 404]
    _call(board, a, b)
    d.invite("*65*202*")
    assert d.statuses() == [100, 403]


def test_fetch_moves_my_call_to_this_phone() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    desk = board.phone("202", 21)
    invite = a.invite("202")
    to_b = b.request("INVITE")
    desk.request("INVITE")
    b.reply(to_b, 200)
    ok = a.response(200)
    a.ack(invite, ok)
    b.take()
    desk.take()
    desk.dialog = None
    fetch = desk.invite("*7*")
    ok = desk.response(200)
    desk.ack(fetch, ok)
    assert b.request("BYE")
    fetched = board_leg_of(board, "202")
    assert _hears(board, "leg-1", fetched) and fetched not in ("leg-2", "leg-3")


def test_invite_with_replaces_takes_over_an_answered_leg() -> None:
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    other = board.phone("202", 22, register=False)
    _call(board, a, b)  # leg-1 A, leg-2 B
    found = board.machine.registry.by_leg("leg-2")
    assert found is not None and found[1].dialog is not None
    dialog = found[1].dialog  # the PBX's side of B's dialog
    invite = SipRequest(
        "INVITE",
        SipUri("202", "192.0.2.1", 5060),
        Headers(),
        sdp(other.address.host, other.rtp_port),
    )
    for name, value in (
        ("Via", other._via()),
        ("Max-Forwards", "70"),
        ("From", f"<sip:202@192.0.2.1>;tag={other.tag}"),
        ("To", "<sip:202@192.0.2.1>"),
        ("Call-ID", "replacing-call"),
        ("CSeq", "1 INVITE"),
        ("Contact", other._contact()),
        ("Replaces", f"{dialog.call_id};to-tag={dialog.local_tag};from-tag={dialog.remote_tag}"),
        ("Content-Type", "application/sdp"),
    ):
        invite.headers.add(name, value)
    other.send(invite)
    ok = other.response(200)
    other.ack(invite, ok)
    assert b.request("BYE")
    new = board_leg_of(board, "202")
    assert new != "leg-2" and _hears(board, "leg-1", new) and _hears(board, new, "leg-1")


def test_merge_two_calls_into_a_conference_and_one_leaves() -> None:
    board = Switchboard()
    a, u, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _call(board, a, u)  # leg-1 A, leg-2 U
    first = u.dialog
    u.dialog = None
    consult = u.invite("203")  # leg-3 U, leg-4 C
    to_c = c.request("INVITE")
    c.reply(to_c, 200)
    ok = u.response(200)
    u.ack(consult, ok)
    u.take()
    c.take()
    calls = list(board.machine.registry.calls)
    actions, room = board.machine.merge(calls[0], calls[1], "202")
    board.perform(actions)
    assert room.startswith("conf-")
    for leg in ("leg-1", "leg-2", "leg-4"):
        assert board.sounds[leg] == JoinRoom(leg, room)  # type: ignore[arg-type]
    assert u.request("BYE")  # U's second leg leaves; U stays on the first
    assert board.kinds().count("conference.joined") == 3
    u.dialog = first
    a.in_dialog("BYE")
    assert a.statuses() == [200]
    assert u.take() == [] and c.take() == []  # the others stay
    assert board.kinds().count("conference.left") == 1


def test_moving_a_call_keeps_the_first_phone_until_the_other_answers() -> None:
    for answer in (200, 486):
        board = Switchboard()
        a, b = board.phone("201", 10), board.phone("202", 20)
        desk = board.phone("202", 21)
        invite = a.invite("202")
        to_b = b.request("INVITE")
        desk.reply(desk.request("INVITE"), 180)
        b.reply(to_b, 200)
        ok = a.response(200)
        a.ack(invite, ok)
        b.take()
        desk.take()
        (call_id,) = board.machine.registry.calls
        contact = f"sip:202@{desk.address.host}:{desk.address.port}"
        board.perform(board.machine.transfer(call_id, "202", "202", device=contact))
        ring = desk.request("INVITE")
        assert b.take() == []  # the first phone still talks
        assert _hears(board, "leg-1", "leg-2")
        desk.dialog = None
        desk.reply(ring, answer)
        if answer == 200:
            assert b.request("BYE")
            moved = board_leg_of(board, "202")
            assert _hears(board, "leg-1", moved) and moved != "leg-2"
        else:
            assert b.take() == [] and _hears(board, "leg-1", "leg-2")  # no recall: it stays
            assert board.machine.registry.calls[call_id].transfer is None


def test_dtmf_in_sip_info_reaches_the_leg() -> None:
    from pbx_core.signaling.dtmf_info import digit_of_info

    assert digit_of_info("application/dtmf-relay", b"Signal=5\r\nDuration=160\r\n") == "5"
    assert digit_of_info("application/dtmf-relay", b"Signal= #\r\n") == "#"
    assert digit_of_info("application/dtmf", b"11") == "#"
    assert digit_of_info("application/dtmf-relay", b"Signal=55") is None
    assert digit_of_info("text/plain", b"Signal=5") is None
    board = Switchboard()
    a, b = board.phone("201", 10), board.phone("202", 20)
    _call(board, a, b)
    assert a.dialog is not None
    info = a.dialog.create_request(
        "INFO", body=b"Signal=7\r\nDuration=100\r\n", content_type="application/dtmf-relay"
    )
    info.headers.prepend("Via", a._via())
    a.send(info)
    assert a.statuses() == [200]
    assert board.digits == [("leg-1", "7")]


def test_api_pickup_of_a_parked_call_rings_the_picker_and_unanswered_goes_back() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _call(board, a, b)
    b.refer("7000")
    _sipfrags(b)
    b.request("BYE")
    with pytest.raises(NotFound):
        board.machine.pick_up_parked("7002", "203")
    _, actions = board.machine.pick_up_parked("7001", "203")
    board.perform(actions)
    assert board.machine.lot.all() == []
    to_c = c.request("INVITE")
    assert "201" in (to_c.headers.get("From") or "")
    c.reply(to_c, 486)  # busy: the call goes back into the lot, parked by 202 as before
    (parked,) = board.machine.lot.all()
    assert (parked.caller, parked.parked_by) == ("201", "202")
    _, actions = board.machine.pick_up_parked(parked.slot, "203")
    board.perform(actions)
    c.reply(c.request("INVITE"), 200)
    assert _hears(board, "leg-1", board_leg_of(board, "203"))
    assert _hears(board, board_leg_of(board, "203"), "leg-1")


def test_api_pickup_of_a_ringing_call_adds_the_pickers_phone() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    _ringing(board, a, b)
    with pytest.raises(Forbidden):
        board.machine.pick_up_ringing(Member("204", "Reception"), "202")
    with pytest.raises(NotFound):
        board.machine.pick_up_ringing(Member("203", "Support"), "201")
    _, actions = board.machine.pick_up_ringing(Member("203", "Support"), "202")
    board.perform(actions)
    with pytest.raises(Conflict):
        board.machine.pick_up_ringing(Member("203", "Support"), "202")
    c.reply(c.request("INVITE"), 200)
    assert b.request("CANCEL")  # the colleague's phone stops ringing
    assert isinstance(a.response(200), SipResponse)
    picker = board_leg_of(board, "203")
    assert _hears(board, "leg-1", picker) and _hears(board, picker, "leg-1")
    (call,) = board.machine.registry.calls.values()
    assert call.callee == "203"
    assert "call.picked_up" in board.kinds()


def test_api_pickup_loses_to_the_colleague_answering_first() -> None:
    board = Switchboard()
    a, b, c = board.phone("201", 10), board.phone("202", 20), board.phone("203", 30)
    to_b = _ringing(board, a, b)
    _, actions = board.machine.pick_up_ringing(Member("203", "Support", ADMIN), None)
    board.perform(actions)
    to_c = c.request("INVITE")
    c.reply(to_c, 180)
    b.reply(to_b, 200)
    assert c.request("CANCEL")
    (call,) = board.machine.registry.calls.values()
    assert call.callee == "202" and to_c.method == "INVITE"
