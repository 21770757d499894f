"""Adding parties to a conference through the API ("add a party"): the user calls one more
person and merges that call into the conference's first call, again and again; everyone already
there stays in the same room and the new party joins it (the user's second leg leaves)."""

from __future__ import annotations

from pbx_core.media.connections import JoinRoom
from pbx_core.signaling.calls import Call
from tests.unit.pbx_core.signaling._switchboard import Phone, Switchboard


def _answered_call(board: Switchboard, caller: Phone, callee: Phone) -> None:
    caller.dialog = None
    invite = caller.invite(callee.extension)
    callee.reply(callee.request("INVITE"), 200)
    caller.ack(invite, caller.response(200))
    caller.take()
    callee.take()


def _live(board: Switchboard) -> list[Call]:
    return [call for call in board.machine.registry.calls.values() if not call.ended]


def test_parties_are_added_one_call_at_a_time() -> None:
    board = Switchboard()
    user = board.phone("202", 20)
    first = board.phone("201", 10)
    _answered_call(board, first, user)  # leg-1 (201), leg-2 (202)
    (conference,) = _live(board)
    rooms = set()
    others = [board.phone(ext, n) for n, ext in enumerate(("203", "204", "205"), start=30)]
    for other in others:
        _answered_call(board, user, other)
        (new,) = [c for c in _live(board) if {"202", other.extension} <= c.extensions()]
        actions, room = board.machine.merge(conference.call_id, new.call_id, "202")
        board.perform(actions)
        rooms.add(room)
        assert user.request("BYE")  # the user's leg to the new party leaves; the party stays
        user.take()
    (room,) = rooms  # one room throughout
    joined = [leg for leg, sound in board.sounds.items() if sound == JoinRoom(leg, room)]  # type: ignore[arg-type]
    assert len(joined) == 5  # 201, the user (202) on the first call, and 203, 204, 205
    in_room = set().union(*(c.extensions() for c in _live(board)))
    assert in_room == {"201", "202", "203", "204", "205"}
