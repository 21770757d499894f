"""An in-process PBX with the demo organisation on loopback, and a raw UDP SIP peer to poke it."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import pytest

from pbx_core.config import PbxConfig
from pbx_core.pbx import Pbx
from pbx_core.signaling.auth import build_authorization, parse_challenge
from pbx_core.signaling.message import SipRequest, SipResponse, parse_message


class UdpPeer(asyncio.DatagramProtocol):
    """A bare SIP peer: sends hand-written requests and collects what comes back."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[SipRequest | SipResponse] = asyncio.Queue()
        self.raw: asyncio.Queue[bytes] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None
        self.port = 0
        self.server: tuple[str, int] = ("127.0.0.1", 0)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)
        self.port = transport.get_extra_info("sockname")[1]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.raw.put_nowait(data)
        with contextlib.suppress(ValueError):
            self.inbox.put_nowait(parse_message(data))

    def send(self, text: str) -> None:
        assert self.transport is not None
        data = text.replace("\n", "\r\n").encode()
        self.transport.sendto(data, self.server)

    def send_raw(self, data: bytes) -> None:
        assert self.transport is not None
        self.transport.sendto(data, self.server)

    async def next(self, wait: float = 5.0) -> SipRequest | SipResponse:
        return await asyncio.wait_for(self.inbox.get(), wait)

    async def response(self, wait: float = 5.0, call_id: str | None = None) -> SipResponse:
        """The next final response (to ``call_id`` when given; others are skipped)."""
        while True:
            message = await self.next(wait)
            if not isinstance(message, SipResponse) or message.status < 200:
                continue
            if call_id is None or message.call_id == call_id:
                return message

    def register_text(
        self, user: str, *, cseq: int, call_id: str, expires: int = 300, auth: str | None = None
    ) -> str:
        lines = [
            f"REGISTER sip:127.0.0.1:{self.server[1]} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{secrets.token_hex(6)};rport",
            "Max-Forwards: 70",
            f"From: <sip:{user}@acme.local>;tag={secrets.token_hex(4)}",
            f"To: <sip:{user}@acme.local>",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} REGISTER",
            f"Contact: <sip:{user}@127.0.0.1:{self.port}>",
            f"Expires: {expires}",
        ]
        if auth:
            lines.append(f"Authorization: {auth}")
        lines.append("Content-Length: 0")
        return "\n".join(lines) + "\n\n"

    async def register(
        self, user: str, password: str, expires: int = 300, algorithm: str = "MD5"
    ) -> SipResponse:
        """REGISTER, answer the 401 challenge, return the final response."""
        call_id = secrets.token_hex(8)
        self.send(self.register_text(user, cseq=1, call_id=call_id, expires=expires))
        challenge = await self.response(call_id=call_id)
        if challenge.status != 401:
            return challenge
        values = challenge.headers.get_lines("WWW-Authenticate")
        chosen = next(v for v in values if f"algorithm={algorithm}" in v)
        auth = build_authorization(
            parse_challenge(chosen),
            "REGISTER",
            f"sip:127.0.0.1:{self.server[1]}",
            user,
            password,
            cnonce=secrets.token_hex(4),
        )
        self.send(self.register_text(user, cseq=2, call_id=call_id, expires=expires, auth=auth))
        return await self.response(call_id=call_id)


@pytest.fixture
async def pbx(tmp_path: Path) -> AsyncIterator[Pbx]:
    config = PbxConfig(
        data_dir=tmp_path / "pbx", sip_port=0, rtp_port_min=30000, rtp_port_max=39999
    )
    instance = Pbx(config)
    await instance.start(demo=True)
    try:
        yield instance
    finally:
        await instance.stop()


@pytest.fixture
async def peer(pbx: Pbx) -> AsyncIterator[UdpPeer]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(UdpPeer, local_addr=("127.0.0.1", 0))
    protocol.server = ("127.0.0.1", pbx.telephony.sip_udp_port)
    try:
        yield protocol
    finally:
        transport.close()
