"""Bad input on the wire: every malformed capture gets a 400 (416 for an http: Request-URI, 505
for another SIP version) or is dropped, and the PBX goes on.

The captures are the parser's own fixtures; here they travel over a real UDP socket and a real
TCP connection to the running PBX, followed by a burst of mutated messages.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from pbx_core.pbx import Pbx
from tests.component.pbx.conftest import UdpPeer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sip"


async def _drain(peer: UdpPeer, wait: float = 0.3) -> list[bytes]:
    await asyncio.sleep(wait)
    replies = []
    while not peer.raw.empty():
        replies.append(peer.raw.get_nowait())
    return replies


async def test_malformed_captures_get_400_or_nothing(pbx: Pbx, peer: UdpPeer) -> None:
    for capture in sorted(FIXTURES.glob("bad_*.sip")):
        peer.send_raw(capture.read_bytes())
    replies = await _drain(peer)
    assert replies, "at least the requests with readable routing headers get an answer"
    for reply in replies:
        # 400 with the reason; 416 for a Request-URI of another scheme, 505 for SIP/3.0
        assert reply.startswith(
            (b"SIP/2.0 400 Bad Request - ", b"SIP/2.0 416 ", b"SIP/2.0 505 ")
        ), reply[:80]
    assert (await peer.register("201", "Demo-201!")).status == 200


async def test_mutated_messages_never_stop_the_pbx(pbx: Pbx, peer: UdpPeer) -> None:
    rng = random.Random(20261123)
    seeds = [p.read_bytes() for p in FIXTURES.glob("*.sip")]
    for _ in range(400):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            action = rng.random()
            if action < 0.4:
                data[position] = rng.randrange(256)
            elif action < 0.7:
                del data[position : position + rng.randint(1, 20)]
            else:
                data[position:position] = bytes(rng.randrange(256) for _ in range(5))
        peer.send_raw(bytes(data))
    await _drain(peer, 0.5)
    assert (await peer.register("202", "Demo-202!")).status == 200


async def test_garbage_on_tcp_closes_only_that_connection(pbx: Pbx, peer: UdpPeer) -> None:
    port = pbx.telephony.sip_tcp_port
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"INVITE sip:x SIP/2.0\r\n" + b"X-Long: " + b"a" * 70000 + b"\r\n")
    await writer.drain()
    assert await asyncio.wait_for(reader.read(), 5) == b""  # the PBX closed it
    writer.close()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"\r\n\r\n")  # a keep-alive ping (RFC 5626) is answered with a pong
    await writer.drain()
    assert await asyncio.wait_for(reader.readexactly(2), 5) == b"\r\n"
    writer.close()
    assert (await peer.register("203", "Demo-203!")).status == 200
