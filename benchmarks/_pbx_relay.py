"""The PBX's media engine alone in a process, driven over stdin/stdout by media_relay.py.

Each call is what the B2BUA does for a basic call with media anchored: two legs from
``MediaEngine.open_leg``, the caller's SDP offer answered on leg A, leg B offered the caller's
codecs (``offered_codecs``) and the callee's answer applied, then ``Connect(a, b)`` through a
``Patchbay``. With ``transcode`` the caller offers PCMU only and the callee answers G.722, so
every packet goes through the leg's transcoder (G.722 by libg722, as the product codes it).
A conference party is one leg: the party's offer answered with its codec only, then
``JoinRoom(leg, room)`` through the ``Patchbay`` (no join tones), as the PBX does for a room.

Commands, one JSON object a line: ``{"op": "open", "calls": N, "a": [host, port], "b": [host,
port], "transcode": false}`` answers ``{"ports": [[a_port, b_port], ...]}``; ``{"op": "close"}``
closes every leg; ``{"op": "room", "room": "r1", "codec": "PCMU", "parties": [[host, port],
...]}`` answers ``{"ports": [...]}``, one leg per party; ``{"op": "counters"}`` sums the legs'
packet counters; end of input stops. ``--variant`` picks a copy of the relay path from
``_relay_experiments.py`` instead of the engine. The loop is the shipped server's: uvloop when
it imports (``server/cli.py``), ``--loop asyncio`` for the standard one.

    python benchmarks/_pbx_relay.py --ports 30000-34999 [--loop asyncio] [--variant engine]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pbx_core.ids import LegId
from pbx_core.media import (
    G722,
    PCMU,
    Connect,
    JoinRoom,
    MediaEngine,
    MediaLeg,
    Patchbay,
    SessionDescription,
    offered_codecs,
)

HOST = "127.0.0.1"
CODECS = {"PCMU": (PCMU, 0), "G722": (G722, 9)}


def default_loop() -> str:
    """What the shipped server runs on: uvloop when it imports (``server/cli.py``)."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


OFFER = """v=0
o=caller {n} 1 IN IP4 {host}
s=call
c=IN IP4 {host}
t=0 0
m=audio {port} RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=sendrecv
"""

ANSWER = """v=0
o=callee {n} 1 IN IP4 {host}
s=call
c=IN IP4 {host}
t=0 0
m=audio {port} RTP/AVP {pt} 101
a=rtpmap:{pt} {codec}/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=sendrecv
"""


def sdp(template: str, n: int, addr: Sequence[object], **extra: object) -> SessionDescription:
    return SessionDescription.parse(template.format(n=n, host=addr[0], port=addr[1], **extra))


class Relay(Protocol):
    """What ``serve`` drives: the engine here, or a copy from ``_relay_experiments.py``."""

    async def open_call(
        self, a_addr: list[object], b_addr: list[object], transcode: bool
    ) -> list[int]: ...

    async def close_all(self) -> None: ...

    def counters(self) -> dict[str, int]: ...


class EngineRelay:
    """Calls through the real ``MediaEngine``."""

    def __init__(self, low: int, high: int) -> None:
        self.engine = MediaEngine(HOST, HOST, low, high)
        self.patchbay = Patchbay(self.engine)
        self.calls = 0
        self.party_legs: list[str] = []

    async def open_call(
        self, a_addr: list[object], b_addr: list[object], transcode: bool
    ) -> list[int]:
        n = self.calls = self.calls + 1
        a = await self.engine.open_leg(f"{n}a")
        b = await self.engine.open_leg(f"{n}b")
        offer = sdp(OFFER, n, a_addr)
        a.answer(offer, codecs=[PCMU] if transcode else None)
        b.offer(codecs=[G722] if transcode else offered_codecs(offer))
        pt, codec = (9, "G722") if transcode else (0, "PCMU")
        b.accept_answer(sdp(ANSWER, n, b_addr, pt=pt, codec=codec))
        self.patchbay.apply(Connect(LegId(a.leg_id), LegId(b.leg_id)))
        return [a.local_port, b.local_port]

    async def open_room(self, room: str, codec: str, parties: list[list[object]]) -> list[int]:
        spec, pt = CODECS[codec]
        ports = []
        for addr in parties:
            leg_id = f"{room}-{len(self.party_legs)}"
            leg = await self.engine.open_leg(leg_id)
            n = len(self.party_legs)
            offer = sdp(ANSWER.replace("callee", "party"), n, addr, pt=pt, codec=codec)
            leg.answer(offer, codecs=[spec])
            self.patchbay.apply(JoinRoom(LegId(leg_id), room, tones=False))
            self.party_legs.append(leg_id)
            ports.append(leg.local_port)
        return ports

    def _leg_ids(self) -> list[str]:
        calls = [f"{n}{s}" for n in range(1, self.calls + 1) for s in "ab"]
        return calls + self.party_legs

    async def close_all(self) -> None:
        for leg_id in self._leg_ids():
            leg = self.engine.get_leg(leg_id)
            if leg is not None:
                await leg.close()
        self.calls = 0
        self.party_legs = []

    def counters(self) -> dict[str, int]:
        legs: list[MediaLeg] = [
            leg for leg_id in self._leg_ids() if (leg := self.engine.get_leg(leg_id)) is not None
        ]
        return {
            "received": sum(leg.packets_received for leg in legs),
            "sent": sum(leg.packets_sent for leg in legs),
            "dropped": sum(leg.packets_dropped for leg in legs),
        }


async def serve(relay: Relay) -> None:
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:  # a blocking reader thread; it only wakes for commands
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, "")

    threading.Thread(target=read, daemon=True).start()
    print(json.dumps({"pid": os.getpid()}), flush=True)
    while line := await lines.get():
        command = json.loads(line)
        reply: dict[str, object]
        if command["op"] == "open":
            ports = [
                await relay.open_call(command["a"], command["b"], bool(command["transcode"]))
                for _ in range(int(command["calls"]))
            ]
            reply = {"ports": ports}
        elif command["op"] == "room":
            if not isinstance(relay, EngineRelay):
                raise SystemExit("conference rooms need the engine variant")
            parties = command["parties"]
            room = await relay.open_room(str(command["room"]), str(command["codec"]), parties)
            reply = {"ports": room}
        elif command["op"] == "close":
            await relay.close_all()
            reply = {"ok": True}
        else:
            reply = dict(relay.counters())
        print(json.dumps(reply), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="the PBX media engine under relay load")
    parser.add_argument("--ports", default="30000-39999")
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default=default_loop())
    parser.add_argument("--variant", default="engine")
    args = parser.parse_args()
    low, high = (int(p) for p in args.ports.split("-"))
    relay: Relay
    if args.variant == "engine":
        relay = EngineRelay(low, high)
    elif args.variant == "engine-nogc":  # is the cyclic collector behind the stalls?
        import gc

        gc.freeze()
        gc.disable()
        relay = EngineRelay(low, high)
    else:
        from _relay_experiments import make_relay  # benchmarks/ is the script folder

        relay = make_relay(args.variant, low, high)
    if args.loop == "uvloop":
        import uvloop

        uvloop.run(serve(relay))
    else:
        asyncio.run(serve(relay))


if __name__ == "__main__":
    main()
