"""A raw SIP/UDP peer for the security probes: REGISTER and INVITE with digest answers."""

from __future__ import annotations

import asyncio
import secrets

from pbx_core.signaling.auth import build_authorization, parse_challenge
from pbx_core.signaling.message import SipResponse
from tests.component.pbx.conftest import UdpPeer

__all__ = ["Peer", "new_peer"]


def _sdp(port: int) -> str:
    return (
        "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
        f"m=audio {port} RTP/AVP 0\na=rtpmap:0 PCMU/8000\n"
    )


class Peer(UdpPeer):
    """UdpPeer plus INVITE, and authorization headers kept for replay."""

    def invite_text(self, user: str, target: str, *, call_id: str, cseq: int,
                    auth: str | None = None) -> str:
        body = _sdp(40000 + self.port % 1000 * 2)
        lines = [
            f"INVITE sip:{target}@127.0.0.1:{self.server[1]} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{secrets.token_hex(6)};rport",
            "Max-Forwards: 70",
            f"From: <sip:{user}@acme.local>;tag={secrets.token_hex(4)}",
            f"To: <sip:{target}@acme.local>",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} INVITE",
            f"Contact: <sip:{user}@127.0.0.1:{self.port}>",
            "Content-Type: application/sdp",
            *([f"Authorization: {auth}"] if auth else []),
            f"Content-Length: {len(body.replace(chr(10), chr(13) + chr(10)))}",
        ]
        return "\n".join(lines) + "\n\n" + body

    async def invite(self, user: str, password: str, target: str = "9000") -> SipResponse:
        """INVITE ``target``, answer the challenge; the final response (not ACKed)."""
        call_id = secrets.token_hex(8)
        self.send(self.invite_text(user, target, call_id=call_id, cseq=1))
        challenge = await self.response(call_id=call_id)
        if challenge.status != 401:
            return challenge
        auth = build_authorization(
            parse_challenge(challenge.headers.get_lines("WWW-Authenticate")[0]),
            "INVITE", f"sip:{target}@127.0.0.1:{self.server[1]}", user, password,
            cnonce=secrets.token_hex(4),
        )
        self.send(self.invite_text(user, target, call_id=call_id, cseq=2, auth=auth))
        return await self.response(call_id=call_id, wait=10.0)

    async def authorization(self, user: str, password: str) -> str:
        """A REGISTER Authorization header answering a fresh challenge (sent once, accepted)."""
        call_id = secrets.token_hex(8)
        self.send(self.register_text(user, cseq=1, call_id=call_id))
        challenge = await self.response(call_id=call_id)
        auth = build_authorization(
            parse_challenge(challenge.headers.get_lines("WWW-Authenticate")[0]),
            "REGISTER", f"sip:127.0.0.1:{self.server[1]}", user, password,
            cnonce=secrets.token_hex(4),
        )
        self.send(self.register_text(user, cseq=2, call_id=call_id, auth=auth))
        assert (await self.response(call_id=call_id)).status == 200
        return auth


async def new_peer(sip_port: int) -> tuple[asyncio.DatagramTransport, Peer]:
    loop = asyncio.get_running_loop()
    transport, peer = await loop.create_datagram_endpoint(Peer, local_addr=("127.0.0.1", 0))
    peer.server = ("127.0.0.1", sip_port)
    return transport, peer
