"""Scanners against a running PBX (the default limits): a SIPVicious-style sweep of extensions
from another address is blocked within ten requests and gets no answer after that, a scanner's
User-Agent at once (it hears nothing at all), and guessing a phone's password from elsewhere
blocks the guesser, not the phone, which goes on re-registering and taking calls.

The phones are on 127.0.0.1, the scanner on 127.0.0.2 (loopback, another source address)."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pbx_core.config import Limits, PbxConfig
from pbx_core.pbx import Pbx
from pbx_core.signaling.message import SipRequest, SipResponse
from tests.component.security.sip_peer import Peer, new_peer

SCANNER_HOST = "127.0.0.2"


async def _pbx(tmp_path: Path, limits: Limits) -> Pbx:
    config = PbxConfig(
        data_dir=tmp_path / "pbx",
        sip_port=0,
        rtp_port_min=30000,
        rtp_port_max=39999,
        udp_keepalive_seconds=0,
        limits=limits,
    )
    pbx = Pbx(config)
    await pbx.start(demo=True)
    return pbx


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[tuple[Pbx, Peer, Peer, Peer]]:
    """The PBX (default limits), 201's phone and 202's phone on 127.0.0.1, both registered,
    and a scanner on 127.0.0.2."""
    pbx = await _pbx(tmp_path, Limits())
    loop = asyncio.get_running_loop()
    transports: list[asyncio.BaseTransport] = []
    try:
        port = pbx.telephony.sip_udp_port
        t1, anna = await new_peer(port)
        t2, bram = await new_peer(port)
        t3, scanner = await loop.create_datagram_endpoint(Peer, local_addr=(SCANNER_HOST, 0))
        scanner.server = ("127.0.0.1", port)
        transports += [t1, t2, t3]
        assert (await anna.register("201", "Demo-201!")).status == 200
        assert (await bram.register("202", "Demo-202!")).status == 200
        yield pbx, anna, bram, scanner
    finally:
        for transport in transports:
            transport.close()
        await pbx.stop()


async def _answer(peer: Peer, call_id: str, wait: float = 1.0) -> SipResponse | None:
    with contextlib.suppress(TimeoutError):
        return await peer.response(call_id=call_id, wait=wait)
    return None


def _probe(peer: Peer, method: str, extension: str, call_id: str, agent: str) -> None:
    uri = f"sip:{extension}@127.0.0.1:{peer.server[1]}"
    peer.send(
        "\n".join(
            [
                f"{method} {uri} SIP/2.0",
                f"Via: SIP/2.0/UDP {SCANNER_HOST}:{peer.port};branch=z9hG4bK"
                f"{secrets.token_hex(6)};rport",
                "Max-Forwards: 70",
                f"From: <sip:{extension}@127.0.0.1>;tag={secrets.token_hex(4)}",
                f"To: <sip:{extension}@127.0.0.1>",
                f"Call-ID: {call_id}",
                f"CSeq: 1 {method}",
                f"Contact: <sip:{extension}@{SCANNER_HOST}:{peer.port}>",
                f"User-Agent: {agent}",
                "Content-Length: 0",
            ]
        )
        + "\n\n"
    )


async def _sweep(scanner: Peer, method: str, agent: str, count: int = 14) -> list[int]:
    """One request per extension 100, 101, ...; the statuses of those answered."""
    answered = []
    for n in range(count):
        call_id = secrets.token_hex(8)
        _probe(scanner, method, str(100 + n), call_id, agent)
        response = await _answer(scanner, call_id, wait=0.5)
        if response is not None:
            answered.append(response.status)
    return answered


async def _still_served(pbx: Pbx, anna: Peer, bram: Peer) -> None:
    """201 re-registers, and a call from 202 rings 201's phone."""
    assert (await anna.register("201", "Demo-201!")).status == 200
    calling = asyncio.ensure_future(bram.invite("202", "Demo-202!", target="201"))
    while True:
        message = await anna.next(wait=10.0)
        if isinstance(message, SipRequest) and message.method == "INVITE":
            break
    calling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await calling


async def test_a_register_sweep_is_blocked_within_ten_requests(
    office: tuple[Pbx, Peer, Peer, Peer], caplog: pytest.LogCaptureFixture
) -> None:
    pbx, anna, bram, scanner = office
    answered = await _sweep(scanner, "REGISTER", "Asterisk PBX 18.10.0")
    assert answered == [401] * 10  # every extension alike, then nothing
    assert f"source {SCANNER_HOST} blocked" in caplog.text
    await _still_served(pbx, anna, bram)


async def test_an_options_sweep_is_blocked_too(office: tuple[Pbx, Peer, Peer, Peer]) -> None:
    pbx, anna, bram, scanner = office
    answered = await _sweep(scanner, "OPTIONS", "Cisco-SIPGateway/IOS-12.x")
    assert len(answered) == 10
    await _still_served(pbx, anna, bram)


async def test_a_scanners_user_agent_is_refused_at_once(
    office: tuple[Pbx, Peer, Peer, Peer], caplog: pytest.LogCaptureFixture
) -> None:
    pbx, anna, bram, scanner = office
    assert await _sweep(scanner, "OPTIONS", "friendly-scanner", count=5) == []  # no answer
    assert "a scanner's User-Agent 'friendly-scanner'" in caplog.text
    await _still_served(pbx, anna, bram)


async def test_guessing_a_phones_password_from_elsewhere_leaves_the_phone_alone(
    tmp_path: Path,
) -> None:
    pbx = await _pbx(tmp_path, Limits(auth_max_failures=3))
    loop = asyncio.get_running_loop()
    port = pbx.telephony.sip_udp_port
    t1, anna = await new_peer(port)
    t2, bram = await new_peer(port)
    t3, guesser = await loop.create_datagram_endpoint(Peer, local_addr=(SCANNER_HOST, 0))
    guesser.server = ("127.0.0.1", port)
    try:
        assert (await anna.register("201", "Demo-201!")).status == 200
        assert (await bram.register("202", "Demo-202!")).status == 200
        for _ in range(3):
            assert (await guesser.register("201", "Guess-1234!")).status == 403
        blocked = await guesser.register("201", "Demo-201!")
        assert blocked.status == 403 and "too many" in blocked.reason
        await _still_served(pbx, anna, bram)  # 201's own phone is spared the block
    finally:
        for transport in (t1, t2, t3):
            transport.close()
        await pbx.stop()
