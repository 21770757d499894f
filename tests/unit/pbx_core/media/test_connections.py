"""Connections between media legs: who each leg transmits to its phone; no sockets."""

from __future__ import annotations

from typing import Any, cast

import pytest

from pbx_core.errors import MediaError
from pbx_core.ids import LegId
from pbx_core.media import MediaLeg, MusicOnHold
from pbx_core.media.connections import Connect, ConnectMusic, Disconnect, Patchbay


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
