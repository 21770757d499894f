"""Connection reuse (RFC 3261 §18, RFC 5626 §3.5.2 in spirit): a phone that registers over TCP is
reached over that same connection, even when the port in its Contact takes no connections (as
behind NAT or a firewall): a call to it arrives on the socket it registered on."""

from __future__ import annotations

import asyncio
import secrets

from pbx_core.pbx import Pbx
from pbx_core.signaling.auth import build_authorization, parse_challenge
from pbx_core.signaling.message import SipRequest, SipResponse, parse_message
from pbx_core.signaling.transport import StreamFramer
from tests.component.security.sip_peer import new_peer

UNREACHABLE_PORT = 9  # nothing listens here: a request sent to the Contact would be lost


class _TcpPhone:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.framer = StreamFramer()
        self.frames: list[bytes] = []
        self.port = writer.get_extra_info("sockname")[1]

    async def next(self) -> SipRequest | SipResponse:
        while not self.frames:
            data = await asyncio.wait_for(self.reader.read(65535), 10)
            assert data, "the PBX closed the connection"
            self.frames += self.framer.feed(data)
        return parse_message(self.frames.pop(0))

    def register(self, sip_port: int, cseq: int, call_id: str, auth: str = "") -> None:
        lines = [
            f"REGISTER sip:127.0.0.1:{sip_port};transport=tcp SIP/2.0",
            f"Via: SIP/2.0/TCP 127.0.0.1:{self.port};branch=z9hG4bK{secrets.token_hex(6)};rport",
            "Max-Forwards: 70",
            "From: <sip:202@acme.local>;tag=t202",
            "To: <sip:202@acme.local>",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} REGISTER",
            f"Contact: <sip:202@127.0.0.1:{UNREACHABLE_PORT};transport=tcp>",
            "Expires: 300",
            *([f"Authorization: {auth}"] if auth else []),
            "Content-Length: 0",
        ]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())


async def test_a_tcp_phone_is_called_over_the_connection_it_registered_on(pbx: Pbx) -> None:
    port = pbx.telephony.sip_tcp_port
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    phone = _TcpPhone(reader, writer)
    try:
        call_id = secrets.token_hex(8)
        phone.register(port, 1, call_id)
        challenge = await phone.next()
        assert isinstance(challenge, SipResponse) and challenge.status == 401
        auth = build_authorization(
            parse_challenge(challenge.headers.get_lines("WWW-Authenticate")[0]),
            "REGISTER",
            f"sip:127.0.0.1:{port};transport=tcp",
            "202",
            "Demo-202!",
            cnonce=secrets.token_hex(4),
        )
        phone.register(port, 2, call_id, auth)
        ok = await phone.next()
        assert isinstance(ok, SipResponse) and ok.status == 200
        transport, caller = await new_peer(pbx.telephony.sip_udp_port)
        calling = asyncio.ensure_future(caller.invite("201", "Demo-201!", target="202"))
        try:
            invite = await phone.next()
            assert isinstance(invite, SipRequest) and invite.method == "INVITE"
            assert invite.top_via.transport == "TCP"
        finally:
            calling.cancel()
            transport.close()
    finally:
        writer.close()
