"""SIP over WebSocket (RFC 7118) against the real server: a browser-like phone (the websockets
client, subprotocol ``sip``, a ``.invalid`` Contact as JsSIP and SIP.js send) registers with
digest auth, is reached over its socket by a MESSAGE and an INVITE from a SIPp phone on UDP,
answers the INVITE, and the call ends; a handshake without the ``sip`` subprotocol is refused.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

from tests.support.server_process import RunningServer, start_server
from tests.support.sipp import SippUser, run_scenario, sipp_available

pytestmark = pytest.mark.skipif(not sipp_available(), reason="SIPp (sip-tester) is not installed")

HOST = "df7jal23ls0d.invalid"  # the browser's made-up host (RFC 7118 §5.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(
        tmp_path_factory.mktemp("pbx-ws"), demo=True, extra_args=("--sip-ws-port", "0")
    )
    try:
        yield running
    finally:
        running.stop()


def _header(message: str, name: str) -> str:
    found = re.search(rf"^{name}:\s*(.*)$", message, re.M | re.I)
    return found.group(1).strip() if found else ""


def _register(cseq: int, call_id: str, auth: str = "") -> str:
    lines = [
        "REGISTER sip:acme.local SIP/2.0",
        f"Via: SIP/2.0/WS {HOST};branch=z9hG4bK{secrets.token_hex(6)}",
        "Max-Forwards: 70",
        "From: <sip:202@acme.local>;tag=ws1",
        "To: <sip:202@acme.local>",
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} REGISTER",
        f"Contact: <sip:b8x9@{HOST};transport=ws>;expires=300",
        *([f"Authorization: {auth}"] if auth else []),
        "Content-Length: 0",
    ]
    return "\r\n".join(lines) + "\r\n\r\n"


def _digest(challenge: str, user: str, password: str, uri: str) -> str:
    params = dict(re.findall(r'(\w+)="?([^",]+)"?', challenge))
    realm, nonce = params["realm"], params["nonce"]
    ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
    ha2 = hashlib.md5(f"REGISTER:{uri}".encode()).hexdigest()
    cnonce, nc = secrets.token_hex(4), "00000001"
    response = hashlib.md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
    return (
        f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
        f'response="{response}", algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}"'
    )


async def _next(ws: ClientConnection, starts: str) -> str:
    while True:
        message = str(await asyncio.wait_for(ws.recv(), 15))
        if message.startswith(starts):
            return message


def _answer(request: str, status: str, to_tag: str = "", body: str = "") -> str:
    """A response to ``request`` with its Via, From, To (a tag added), Call-ID and CSeq."""
    vias = [v.rstrip("\r") for v in re.findall(r"^Via:.*$", request, re.M | re.I)]
    to = _header(request, "To") + (f";tag={to_tag}" if to_tag else "")
    lines = [
        f"SIP/2.0 {status}",
        *vias,
        f"From: {_header(request, 'From')}",
        f"To: {to}",
        f"Call-ID: {_header(request, 'Call-ID')}",
        f"CSeq: {_header(request, 'CSeq')}",
        f"Contact: <sip:b8x9@{HOST};transport=ws>",
        *(["Content-Type: application/sdp"] if body else []),
        f"Content-Length: {len(body.encode())}",
    ]
    return "\r\n".join(lines) + "\r\n\r\n" + body


async def test_a_browser_phone_registers_and_is_called_over_its_websocket(
    server: RunningServer, tmp_path: Path
) -> None:
    port = int(server.ready["sip_ws"])
    assert port > 0
    async with httpx.AsyncClient(timeout=10) as http:
        health = (await http.get(f"{server.base_url}/api/health")).json()
    assert health["sip_ws"] == port
    async with connect(f"ws://127.0.0.1:{port}", subprotocols=["sip"]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == "sip"
        call_id = secrets.token_hex(8)
        await ws.send(_register(1, call_id))
        challenge = await _next(ws, "SIP/2.0 401")
        auth = _digest(_header(challenge, "WWW-Authenticate"), "202", "Demo-202!", "sip:acme.local")
        await ws.send(_register(2, call_id, auth))
        ok = await _next(ws, "SIP/2.0 200")
        assert f"sip:b8x9@{HOST};transport=ws" in _header(ok, "Contact")
        assert "received=127.0.0.1" in _header(ok, "Via")

        # a phone on UDP calls 202: the INVITE reaches the browser over its socket
        anna = SippUser("201", "Demo-201!", "202")
        uac = asyncio.create_task(
            asyncio.to_thread(
                run_scenario,
                "uac_call_bye",
                tmp_path,
                remote=("127.0.0.1", server.sip_udp_port),
                users=[anna],
            )
        )
        invite = await _next(ws, "INVITE ")
        assert _header(invite, "Via").startswith("SIP/2.0/WS ")
        assert "transport=ws" in _header(invite, "Contact").lower()
        await ws.send(_answer(invite, "180 Ringing", "b1"))
        sdp = "\r\n".join(
            [
                "v=0",
                "o=- 1 1 IN IP4 127.0.0.1",
                "s=-",
                "c=IN IP4 127.0.0.1",
                "t=0 0",
                "m=audio 40000 RTP/AVP 0",
                "a=rtpmap:0 PCMU/8000",
                "",
            ]
        )
        await ws.send(_answer(invite, "200 OK", "b1", sdp))
        await _next(ws, "ACK ")
        bye = await _next(ws, "BYE ")  # the SIPp caller hangs up
        await ws.send(_answer(bye, "200 OK"))
        result = await uac
        result.check()


async def test_a_handshake_without_the_sip_subprotocol_is_refused(server: RunningServer) -> None:
    port = int(server.ready["sip_ws"])
    with pytest.raises(InvalidStatus) as refused:
        async with connect(f"ws://127.0.0.1:{port}"):
            pass
    assert refused.value.response.status_code == 400
