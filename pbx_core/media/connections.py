"""Who hears what: explicit connections between media legs, decided by the call machine.

A connection names what a leg transmits to its phone. ``Connect(a, b)`` joins two legs both
ways (``Connect(a, a)`` is the echo test); ``ConnectMusic(leg)`` plays music on hold to a leg;
``Disconnect(leg)`` makes a leg silent (the phone that holds hears nothing, and what it keeps
sending goes nowhere). Hold is therefore "connect the held leg to the music source", resume is
``Connect`` again, and later features (transfer, park, conference) add sources such as a mixer
node rather than new paths. :class:`Patchbay` applies connections to the engine's legs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from pbx_core.errors import MediaError
from pbx_core.ids import LegId
from pbx_core.media.leg import MediaLeg
from pbx_core.media.tones import AudioSource, MusicOnHold, ToneSource

__all__ = [
    "Connect",
    "ConnectMusic",
    "ConnectPrompt",
    "ConnectTone",
    "Connection",
    "Disconnect",
    "JoinRoom",
    "LeaveRoom",
    "Patchbay",
]


@dataclass(frozen=True, slots=True)
class Connect:
    """Each of ``a`` and ``b`` hears the other (the same leg twice: it hears itself)."""

    a: LegId
    b: LegId


@dataclass(frozen=True, slots=True)
class ConnectMusic:
    """``leg`` hears music on hold."""

    leg: LegId


@dataclass(frozen=True, slots=True)
class Disconnect:
    """``leg`` hears nothing."""

    leg: LegId


@dataclass(frozen=True, slots=True)
class ConnectPrompt:
    """``leg`` hears the prompts in order, then music on hold ("music") or silence."""

    leg: LegId
    prompts: tuple[str, ...]
    language: str = "en"
    then: str = "music"


@dataclass(frozen=True, slots=True)
class ConnectTone:
    """``leg`` hears a call-progress tone: "ringback", "busy" or "congestion"."""

    leg: LegId
    tone: str
    country: str = "NL"


@dataclass(frozen=True, slots=True)
class JoinRoom:
    """``leg`` joins the conference room ``room`` (made on first join)."""

    leg: LegId
    room: str
    mode: str = "talk"
    tones: bool = True


@dataclass(frozen=True, slots=True)
class LeaveRoom:
    leg: LegId


Connection: TypeAlias = (
    Connect | ConnectMusic | Disconnect | ConnectPrompt | ConnectTone | JoinRoom | LeaveRoom
)


class Patchbay:
    """Applies connections to open media legs, found by id."""

    def __init__(
        self,
        find: Callable[[str], MediaLeg | None],
        music: Callable[[], AudioSource] = MusicOnHold,
    ) -> None:
        self._find = find
        self._music = music

    def apply(self, connection: Connection) -> None:
        """Re-feed the legs a connection names; MediaError when one of them is gone."""
        if isinstance(connection, Connect):
            a, b = self._leg(connection.a), self._leg(connection.b)
            a.feed(b)
            if b is not a:
                b.feed(a)
        elif isinstance(connection, ConnectMusic | ConnectPrompt):
            self._leg(connection.leg).feed(self._music())
        elif isinstance(connection, ConnectTone):
            self._leg(connection.leg).feed(ToneSource(425.0, cadence=(1.0, 4.0)))
        elif isinstance(connection, JoinRoom):
            raise MediaError("conference rooms need the mixer")
        else:
            self._leg(connection.leg).feed(None)

    def _leg(self, leg_id: LegId) -> MediaLeg:
        leg = self._find(leg_id)
        if leg is None or leg.closed:
            raise MediaError(f"leg {leg_id} is not open")
        return leg
