"""Who hears what: explicit connections between media legs, decided by the call machine.

A connection names what a leg transmits to its phone. ``Connect(a, b)`` joins two legs both
ways (``Connect(a, a)`` is the echo test); ``ConnectMusic(leg)`` plays music on hold to a leg;
``Disconnect(leg)`` makes a leg silent (the phone that holds hears nothing, and what it keeps
sending goes nowhere); ``ConnectPrompt(leg, prompts)`` plays recorded prompts and then music
or silence (park, intrusion, errors); ``ConnectTone(leg, tone, country)`` plays ringback, busy
or congestion the way that country does; ``JoinRoom(leg, room)`` puts a leg in a conference
room (mix-minus; ``listen`` and ``whisper:<leg-id>`` modes for supervisors) and ``LeaveRoom``
takes it out.  A leg is in at most one room: any other connection for it leaves the room first.
:class:`Patchbay` applies connections to the engine's legs and rooms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from pbx_core.errors import MediaError
from pbx_core.ids import LegId
from pbx_core.media.engine import MediaEngine
from pbx_core.media.leg import MediaLeg
from pbx_core.media.mixer import MemberMode
from pbx_core.media.prompts import MusicOnHold, prompt_player
from pbx_core.media.tone_plans import TONE_NAMES, call_progress_tone
from pbx_core.media.tones import AudioSource

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
    """``leg`` hears ``prompts`` in order, then music on hold (``"music"``) or ``"silence"``."""

    leg: LegId
    prompts: tuple[str, ...]
    language: str = "en"
    then: str = "music"


@dataclass(frozen=True, slots=True)
class ConnectTone:
    """``leg`` hears ``tone`` ("ringback", "busy" or "congestion") as ``country`` plays it."""

    leg: LegId
    tone: str
    country: str = "NL"


@dataclass(frozen=True, slots=True)
class JoinRoom:
    """``leg`` joins conference ``room`` as ``mode``: "talk", "listen" or "whisper:<leg-id>";
    ``tones`` plays the join/leave tone to the room."""

    leg: LegId
    room: str
    mode: str = "talk"
    tones: bool = True


@dataclass(frozen=True, slots=True)
class LeaveRoom:
    """``leg`` leaves its conference room and hears nothing."""

    leg: LegId


Connection: TypeAlias = (
    Connect | ConnectMusic | Disconnect | ConnectPrompt | ConnectTone | JoinRoom | LeaveRoom
)


class Patchbay:
    """Applies connections to the open legs and the rooms of a media engine.

    Given only a function that finds legs (no engine), everything but rooms works.
    """

    def __init__(
        self,
        engine: MediaEngine | Callable[[str], MediaLeg | None],
        music: Callable[[], AudioSource] = MusicOnHold,
    ) -> None:
        self._engine = engine if isinstance(engine, MediaEngine) else None
        self._find = engine.get_leg if isinstance(engine, MediaEngine) else engine
        self._music = music

    def apply(self, connection: Connection) -> None:
        """Re-feed the legs a connection names; MediaError when one is gone or a value is bad."""
        if isinstance(connection, Connect):
            a, b = self._leg(connection.a), self._leg(connection.b)
            self._leave(a)
            self._leave(b)
            a.feed(b)
            if b is not a:
                b.feed(a)
        elif isinstance(connection, JoinRoom):
            leg = self._leg(connection.leg)
            try:
                MemberMode.parse(connection.mode)
            except ValueError as exc:
                raise MediaError(str(exc)) from exc
            self._rooms().join_room(leg, connection.room, connection.mode, connection.tones)
        else:
            leg = self._leg(connection.leg)
            source = self._source(connection)
            self._leave(leg)
            leg.feed(source)

    def _source(self, connection: Connection) -> AudioSource | None:
        if isinstance(connection, ConnectMusic):
            return self._music()
        if isinstance(connection, ConnectPrompt):
            if connection.then not in ("music", "silence"):
                raise MediaError(f"unknown prompt follow-up {connection.then!r}")
            return prompt_player(connection.prompts, connection.language, connection.then)
        if isinstance(connection, ConnectTone):
            if connection.tone not in TONE_NAMES:
                raise MediaError(f"unknown tone {connection.tone!r}")
            return call_progress_tone(connection.tone, connection.country)
        return None

    def _rooms(self) -> MediaEngine:
        if self._engine is None:
            raise MediaError("conference rooms need the media engine")
        return self._engine

    def _leave(self, leg: MediaLeg) -> None:
        if leg.room is not None and self._engine is not None:
            self._engine.leave_room(leg)

    def _leg(self, leg_id: LegId) -> MediaLeg:
        leg = self._find(leg_id)
        if leg is None or leg.closed:
            raise MediaError(f"leg {leg_id} is not open")
        return leg
