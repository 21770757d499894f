"""An in-process demo PBX on loopback and bare UDP watchers that SUBSCRIBE and answer NOTIFYs."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pbx_core.config import PbxConfig
from pbx_core.pbx import Pbx
from pbx_core.signaling.auth import build_authorization, parse_challenge
from pbx_core.signaling.message import SipRequest, SipResponse, parse_message
from tests.component.pbx.conftest import UdpPeer


class Watcher(UdpPeer):
    """A UDP peer that subscribes with digest auth and answers every NOTIFY with 200."""

    user = "201"
    password = "Demo-201!"

    def __init__(self) -> None:
        super().__init__()
        self.notifies: asyncio.Queue[SipRequest] = asyncio.Queue()
        self.answer_status = 200

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            message = parse_message(data)
        except ValueError:
            return
        if isinstance(message, SipRequest) and message.method == "NOTIFY":
            self._answer(message)
            self.notifies.put_nowait(message)
        else:
            self.inbox.put_nowait(message)

    def _answer(self, notify: SipRequest) -> None:
        lines = [f"SIP/2.0 {self.answer_status} Answer"]
        lines += [f"Via: {v}" for v in notify.headers.get_lines("Via")]
        for name in ("From", "To", "Call-ID", "CSeq"):
            lines.append(f"{name}: {notify.headers.get(name)}")
        self.send("\n".join([*lines, "Content-Length: 0", "", ""]))

    def subscribe_text(
        self,
        target: str,
        *,
        event: str,
        cseq: int,
        call_id: str,
        expires: int | None,
        from_tag: str,
        to_tag: str | None = None,
        auth: str | None = None,
    ) -> str:
        lines = [
            f"SUBSCRIBE sip:{target}@127.0.0.1:{self.server[1]} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{secrets.token_hex(6)};rport",
            "Max-Forwards: 70",
            f"From: <sip:{self.user}@acme.local>;tag={from_tag}",
            f"To: <sip:{target}@acme.local>" + (f";tag={to_tag}" if to_tag else ""),
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} SUBSCRIBE",
            f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>",
            f"Event: {event}",
            "Accept: application/dialog-info+xml, application/pidf+xml",
        ]
        if expires is not None:
            lines.append(f"Expires: {expires}")
        if auth:
            lines.append(f"Authorization: {auth}")
        return "\n".join([*lines, "Content-Length: 0", "", ""])

    async def subscribe(
        self, target: str, event: str = "dialog", expires: int | None = 600
    ) -> Subscribed:
        """SUBSCRIBE outside a dialog, answering the challenge; the final response."""
        call_id, tag = secrets.token_hex(8), secrets.token_hex(4)
        options = {"event": event, "call_id": call_id, "expires": expires, "from_tag": tag}
        self.send(self.subscribe_text(target, cseq=1, **options))  # type: ignore[arg-type]
        response = await self.response(call_id=call_id)
        if response.status == 401:
            auth = build_authorization(
                parse_challenge(response.headers.get_lines("WWW-Authenticate")[0]),
                "SUBSCRIBE",
                f"sip:{target}@127.0.0.1:{self.server[1]}",
                self.user,
                self.password,
                cnonce=secrets.token_hex(4),
            )
            self.send(self.subscribe_text(target, cseq=2, auth=auth, **options))  # type: ignore[arg-type]
            response = await self.response(call_id=call_id)
        return Subscribed(self, target, event, call_id, tag, response, cseq=2)

    async def notify(self, wait: float = 5.0) -> SipRequest:
        return await asyncio.wait_for(self.notifies.get(), wait)


class Subscribed:
    """One subscription of a :class:`Watcher`: refresh or end it in its dialog."""

    def __init__(
        self,
        watcher: Watcher,
        target: str,
        event: str,
        call_id: str,
        tag: str,
        response: SipResponse,
        cseq: int,
    ) -> None:
        self.watcher, self.target, self.event = watcher, target, event
        self.call_id, self.tag, self.response, self.cseq = call_id, tag, response, cseq

    async def again(self, expires: int) -> SipResponse:
        self.cseq += 1
        self.watcher.send(
            self.watcher.subscribe_text(
                self.target,
                event=self.event,
                cseq=self.cseq,
                call_id=self.call_id,
                expires=expires,
                from_tag=self.tag,
                to_tag=self.response.to_addr.tag,
            )
        )
        return await self.watcher.response(call_id=self.call_id)


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


async def make_watcher(pbx: Pbx, user: str = "201") -> tuple[Watcher, asyncio.DatagramTransport]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(Watcher, local_addr=("127.0.0.1", 0))
    protocol.server = ("127.0.0.1", pbx.telephony.sip_udp_port)
    protocol.user, protocol.password = user, f"Demo-{user}!"
    return protocol, transport


@pytest.fixture
async def watcher(pbx: Pbx) -> AsyncIterator[Watcher]:
    protocol, transport = await make_watcher(pbx)
    try:
        yield protocol
    finally:
        transport.close()
