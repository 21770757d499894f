"""Connections between media legs: who each leg transmits to its phone, and rooms."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, cast

import pytest

from pbx_core.errors import MediaError
from pbx_core.ids import LegId
from pbx_core.media import (
    ConnectPrompt,
    ConnectTone,
    JoinRoom,
    LeaveRoom,
    MediaEngine,
    MediaLeg,
    MusicOnHold,
    Silence,
    ToneSource,
    WavPlayer,
)
from pbx_core.media.connections import Connect, ConnectMusic, Disconnect, Patchbay
from tests.component.media.phones import HOST, free_port_range


class _Host:
    def __init__(self) -> None:
        self.generating: set[str] = set()

    def source_changed(self, leg: MediaLeg) -> None:
        if leg.generating:
            self.generating.add(leg.leg_id)
        else:
            self.generating.discard(leg.leg_id)

    def leg_closed(self, leg: MediaLeg) -> None:
        pass


def _legs(host: _Host, *names: str) -> dict[str, MediaLeg]:
    return {
        name: MediaLeg(host, name, "192.0.2.1", 20000 + 2 * i, cast(Any, (None, None)))
        for i, name in enumerate(names)
    }


def test_connect_hold_and_reconnect() -> None:
    host = _Host()
    legs = _legs(host, "a", "b")
    bay = Patchbay(legs.get)
    bay.apply(Connect(LegId("a"), LegId("b")))
    assert legs["a"].source is legs["b"] and legs["b"].source is legs["a"]
    bay.apply(Disconnect(LegId("a")))  # a holds: hears nothing
    bay.apply(ConnectMusic(LegId("b")))  # b is held: hears music
    assert legs["a"].source is None and isinstance(legs["b"].source, MusicOnHold)
    assert host.generating == {"b"}  # the engine's ticker now pulls music for b
    bay.apply(Connect(LegId("a"), LegId("b")))
    assert legs["a"].source is legs["b"] and legs["b"].source is legs["a"]
    assert host.generating == set()


def test_echo_is_a_leg_connected_to_itself() -> None:
    legs = _legs(_Host(), "a")
    Patchbay(legs.get).apply(Connect(LegId("a"), LegId("a")))
    assert legs["a"].source is legs["a"]


def test_unknown_leg_raises() -> None:
    with pytest.raises(MediaError, match=r"^leg x is not open$"):
        Patchbay(lambda _id: None).apply(ConnectMusic(LegId("x")))


# -- the new connections on real legs of a real engine (loopback ports, no traffic) ----------------


@pytest.fixture
async def engine() -> AsyncIterator[MediaEngine]:
    low, high = free_port_range(8)
    media = MediaEngine(HOST, HOST, low, high)
    yield media
    await media.close()


async def _open(engine: MediaEngine, *names: str) -> list[MediaLeg]:
    return [await engine.open_leg(name) for name in names]


async def test_prompts_and_tones_feed_players(engine: MediaEngine) -> None:
    (a,) = await _open(engine, "a")
    bay = Patchbay(engine)
    bay.apply(ConnectPrompt(LegId("a"), ("parked",), "nl"))
    assert isinstance(a.source, WavPlayer) and a.generating
    assert a.source.files[0] is not None and a.source.files[0].parts[-2:] == ("nl", "parked.wav")
    assert isinstance(a.source.then, MusicOnHold)
    bay.apply(ConnectPrompt(LegId("a"), ("goodbye",), then="silence"))
    assert isinstance(a.source, WavPlayer) and isinstance(a.source.then, Silence)
    bay.apply(ConnectTone(LegId("a"), "busy", "US"))
    assert isinstance(a.source, ToneSource)
    assert (a.source.freqs, a.source.cadence) == ((480.0, 620.0), (0.5, 0.5))
    with pytest.raises(MediaError, match=r"^unknown tone 'dial'$"):
        bay.apply(ConnectTone(LegId("a"), "dial"))
    with pytest.raises(MediaError, match=r"^unknown prompt follow-up 'jazz'$"):
        bay.apply(ConnectPrompt(LegId("a"), ("parked",), then="jazz"))


async def test_rooms_are_made_on_first_join_and_dropped_when_empty(engine: MediaEngine) -> None:
    a, b, c = await _open(engine, "a", "b", "c")
    bay = Patchbay(engine)
    bay.apply(Connect(LegId("a"), LegId("b")))
    bay.apply(JoinRoom(LegId("a"), "8000"))
    bay.apply(JoinRoom(LegId("b"), "8000"))
    bay.apply(JoinRoom(LegId("c"), "8000", "whisper:a", tones=False))
    assert engine.rooms == {"8000": ("a", "b", "c")}
    assert a.room == "8000" and a.source is None and not a.generating
    bay.apply(JoinRoom(LegId("c"), "8001", "listen"))  # one room at a time
    assert engine.rooms == {"8000": ("a", "b"), "8001": ("c",)}
    bay.apply(ConnectMusic(LegId("c")))  # any other connection leaves the room first
    assert engine.rooms == {"8000": ("a", "b")} and c.room is None
    bay.apply(Connect(LegId("a"), LegId("c")))
    assert a.room is None and a.source is c and engine.rooms == {"8000": ("b",)}
    bay.apply(LeaveRoom(LegId("b")))
    assert engine.rooms == {} and b.room is None and b.source is None
    with pytest.raises(MediaError, match=r"^unknown room mode 'shout'$"):
        bay.apply(JoinRoom(LegId("a"), "8000", "shout"))
    with pytest.raises(ValueError, match=r"^unknown room mode 'shout'$"):
        engine.join_room(a, "8000", "shout")
    assert engine.rooms == {}


async def test_a_closed_leg_leaves_its_room(engine: MediaEngine) -> None:
    a, _b = await _open(engine, "a", "b")
    bay = Patchbay(engine)
    bay.apply(JoinRoom(LegId("a"), "8002"))
    bay.apply(JoinRoom(LegId("b"), "8002"))
    await a.close()
    assert engine.rooms == {"8002": ("b",)}


def test_rooms_need_the_engine() -> None:
    legs = _legs(_Host(), "a")
    with pytest.raises(MediaError, match=r"^conference rooms need the media engine$"):
        Patchbay(legs.get).apply(JoinRoom(LegId("a"), "8000"))
