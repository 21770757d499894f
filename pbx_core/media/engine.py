"""The PBX's media engine: owns the RTP port range, the legs and the one 20 ms ticker.

Everything runs in the running asyncio loop.  Per-packet relay work stays in the legs'
datagram callbacks; the ticker only drives legs fed by an ``AudioSource`` (music on hold,
prompts, tones) or sending a digit, the conference rooms (one mix per member and tick), and the
~5 s RTCP reports (RFC 3550 §6.2).  A room is made when its first leg joins and dropped when the
last one leaves.  Ports are local to this process: on a machine with
several PBX nodes give each node its own range.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket

from pbx_core.errors import MediaError
from pbx_core.media.endpoint import bind_pair
from pbx_core.media.leg import MediaLeg
from pbx_core.media.mixer import MemberMode
from pbx_core.media.ports import PortAllocator
from pbx_core.media.room import Room

__all__ = ["FRAME_SECONDS", "MediaEngine"]

log = logging.getLogger(__name__)

FRAME_SECONDS = 0.02
_MAX_LAG_SECONDS = 0.2


class MediaEngine:
    """Opens media legs on ``bind_host`` with ports from ``[port_min, port_max]``."""

    def __init__(
        self,
        bind_host: str,
        advertised_host: str,
        port_min: int,
        port_max: int,
        *,
        rtcp_interval: float = 5.0,
    ) -> None:
        self.bind_host = bind_host
        self.advertised_host = advertised_host
        self._ports = PortAllocator(port_min, port_max)
        self._legs: dict[str, MediaLeg] = {}
        self._generating: dict[MediaLeg, None] = {}  # ordered set
        self._rooms: dict[str, Room] = {}
        self._ticker: asyncio.Task[None] | None = None
        self._closed = False
        self._rtcp_every_ticks = max(1, round(rtcp_interval / FRAME_SECONDS))

    @property
    def legs(self) -> int:
        """How many legs are open."""
        return len(self._legs)

    @property
    def ports_in_use(self) -> frozenset[int]:
        return self._ports.in_use

    @property
    def free_port_pairs(self) -> int:
        """RTP/RTCP pairs still free in the range: a new call needs two."""
        return self._ports.free_pairs

    def get_leg(self, leg_id: str) -> MediaLeg | None:
        return self._legs.get(leg_id)

    @property
    def rooms(self) -> dict[str, tuple[str, ...]]:
        """Each conference room's id and the ids of the legs in it."""
        return {room_id: room.members for room_id, room in self._rooms.items()}

    def join_room(
        self, leg: MediaLeg, room_id: str, mode: str = "talk", tones: bool = True
    ) -> None:
        """Put ``leg`` in ``room_id`` (made on first join), out of any other room and source;
        joining the same room again changes the mode.  ValueError for an unknown mode."""
        if leg.closed:
            raise MediaError(f"leg {leg.leg_id} is not open")
        MemberMode.parse(mode)  # before anything changes
        room = self._rooms.get(room_id)
        if leg._room is not None and leg._room is not room:
            self.leave_room(leg)
        if room is None:
            room = self._rooms[room_id] = Room(room_id)
        room.join(leg.leg_id, mode, tones)
        leg.feed(None)
        leg._room = room

    def leave_room(self, leg: MediaLeg) -> None:
        """Take ``leg`` out of its room (the room goes when empty); nothing if in none."""
        room = leg._room
        if room is None:
            return
        leg._room = None
        room.leave(leg.leg_id)
        if not room.members and self._rooms.get(room.room_id) is room:
            del self._rooms[room.room_id]

    async def open_leg(self, leg_id: str) -> MediaLeg:
        """A new leg with a fresh RTP/RTCP port pair; MediaError when the range is used up."""
        if self._closed:
            raise MediaError("media engine is closed")
        if leg_id in self._legs:
            raise MediaError(f"leg {leg_id} is already open")
        bound: list[tuple[socket.socket, socket.socket]] = []

        def try_bind(port: int) -> bool:
            pair = bind_pair(self.bind_host, port)
            if pair is not None:
                bound.append(pair)
            return pair is not None

        try:
            port = self._ports.allocate(try_bind)
        except OSError as exc:  # e.g. out of file descriptors: as expected as a full range
            raise MediaError(f"no free RTP port: {exc.strerror or exc}") from exc
        leg = MediaLeg(self, leg_id, self.advertised_host, port, bound[0])
        try:
            await leg._open()
        except BaseException:
            for sock in bound[0]:
                sock.close()
            self._ports.release(port)
            raise
        self._legs[leg_id] = leg
        if self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._run_ticker())
        return leg

    def source_changed(self, leg: MediaLeg) -> None:
        """Leg hook: start or stop pulling audio for ``leg`` on each tick."""
        if leg.generating and not leg.closed:
            self._generating[leg] = None
        else:
            self._generating.pop(leg, None)

    def leg_closed(self, leg: MediaLeg) -> None:
        """Leg hook: forget the leg and give its ports back."""
        self.leave_room(leg)
        self._generating.pop(leg, None)
        if self._legs.get(leg.leg_id) is leg:
            del self._legs[leg.leg_id]
            self._ports.release(leg.local_port)
        if not self._legs and self._ticker is not None:
            self._ticker.cancel()  # an idle PBX must not wake 50 times a second
            self._ticker = None

    async def _run_ticker(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time()
        ticks = 0
        while True:
            deadline += FRAME_SECONDS
            delay = deadline - loop.time()
            if delay < -_MAX_LAG_SECONDS:  # the loop stalled: skip ahead rather than burst
                deadline = loop.time()
                delay = 0.0
            await asyncio.sleep(max(0.0, delay))
            now = loop.time()
            for leg in list(self._generating):
                try:
                    leg._tick(now)
                except Exception:
                    log.exception("leg %s: generating audio failed", leg.leg_id)
            for room in list(self._rooms.values()):
                self._tick_room(room, now)
            ticks += 1
            if ticks % self._rtcp_every_ticks == 0:
                for leg in list(self._legs.values()):
                    try:
                        leg._send_rtcp(now)
                    except Exception:
                        log.exception("leg %s: RTCP report failed", leg.leg_id)

    def _tick_room(self, room: Room, now: float) -> None:
        members = [leg for m in room.members if (leg := self._legs.get(m)) is not None]
        try:
            payloads = room.tick({leg.leg_id: leg.codec for leg in members})
        except Exception:
            log.exception("room %s: mixing failed", room.room_id)
            return
        for leg in members:
            payload = payloads.get(leg.leg_id)
            if payload is not None:
                leg._send_mixed(payload, room.room_id, now)

    async def close(self) -> None:
        """Close every leg and stop the ticker."""
        self._closed = True
        for leg in list(self._legs.values()):
            await leg.close()
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
