"""SIP probes against an in-process PBX with small limits: digest replay, guessing, bindings,
calls per user, RTP ports used up, SIP/TCP connections left half-sent."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pbx_core.config import Limits, PbxConfig
from pbx_core.pbx import Pbx
from pbx_core.security import apply_limits
from pbx_core.signaling.auth import build_authorization, parse_challenge
from pbx_core.telephony import Telephony
from tests.component.security.sip_peer import Peer, new_peer

LIMITS = Limits(
    auth_max_failures=3,
    bindings_per_extension=3,
    calls_per_user=2,
    sip_tcp_header_seconds=0.5,
    sip_tcp_idle_seconds=1.0,
    sip_tcp_per_source=4,
)


async def _pbx(tmp_path: Path, rtp: tuple[int, int] = (30000, 39999)) -> Pbx:
    config = PbxConfig(
        data_dir=tmp_path / "pbx",
        sip_port=0,
        rtp_port_min=rtp[0],
        rtp_port_max=rtp[1],
        limits=LIMITS,
    )
    pbx = Pbx(config)
    assert isinstance(pbx.telephony, Telephony)
    apply_limits(pbx.telephony, LIMITS)
    await pbx.start(demo=True)
    return pbx


@pytest.fixture
async def pbx(tmp_path: Path) -> AsyncIterator[Pbx]:
    instance = await _pbx(tmp_path)
    try:
        yield instance
    finally:
        await instance.stop()


@pytest.fixture
async def peers(pbx: Pbx) -> AsyncIterator[list[Peer]]:
    transports = []
    made: list[Peer] = []
    for _ in range(5):
        transport, peer = await new_peer(pbx.telephony.sip_udp_port)
        transports.append(transport)
        made.append(peer)
    try:
        yield made
    finally:
        for transport in transports:
            transport.close()


def _bindings(pbx: Pbx, extension: str) -> list[str]:
    assert isinstance(pbx.telephony, Telephony)
    return [str(b.contact) for b in pbx.telephony.registrar.bindings(extension)]


async def test_a_captured_register_cannot_be_replayed(pbx: Pbx, peers: list[Peer]) -> None:
    phone, *attackers = peers
    auth = await phone.authorization("201", "Demo-201!")
    for attacker in attackers:
        call_id = secrets.token_hex(8)
        attacker.send(attacker.register_text("201", cseq=1, call_id=call_id, auth=auth))
        answer = await attacker.response(call_id=call_id)
        assert answer.status == 401
        assert "stale=true" in answer.headers.get_lines("WWW-Authenticate")[0]
    assert _bindings(pbx, "201") == [f"sip:201@127.0.0.1:{phone.port}"]


async def test_guessing_blocks_the_extension_and_is_logged(
    pbx: Pbx, peers: list[Peer], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    for _ in range(3):
        assert (await peers[0].register("202", "guess")).status == 403
    blocked = await peers[0].register("202", "Demo-202!")
    assert blocked.status == 403
    assert "too many" in blocked.reason
    assert _bindings(pbx, "202") == []
    assert any("blocked" in r.getMessage() for r in caplog.records)


async def test_a_contact_repeated_in_one_register_is_one_binding(
    pbx: Pbx, peers: list[Peer]
) -> None:
    peer = peers[0]
    call_id = secrets.token_hex(8)
    contact = f"Contact: <sip:203@127.0.0.1:{peer.port}>"

    def text(cseq: int, auth: str | None) -> str:
        plain = peer.register_text("203", cseq=cseq, call_id=call_id, auth=auth)
        return plain.replace(contact, f"{contact}\n{contact}")

    peer.send(text(1, None))
    challenge = await peer.response(call_id=call_id)
    auth = build_authorization(
        parse_challenge(challenge.headers.get_lines("WWW-Authenticate")[0]),
        "REGISTER",
        f"sip:127.0.0.1:{peer.server[1]}",
        "203",
        "Demo-203!",
        cnonce="ab",
    )
    peer.send(text(2, auth))
    assert (await peer.response(call_id=call_id)).status == 200
    assert _bindings(pbx, "203") == [f"sip:203@127.0.0.1:{peer.port}"]


async def test_an_extension_keeps_at_most_its_bindings(pbx: Pbx, peers: list[Peer]) -> None:
    for peer in peers:
        assert (await peer.register("204", "Demo-204!")).status == 200
    assert len(_bindings(pbx, "204")) == 3
    assert f"sip:204@127.0.0.1:{peers[-1].port}" in _bindings(pbx, "204")


async def test_calls_per_user_are_limited(pbx: Pbx, peers: list[Peer]) -> None:
    answers = [(await peers[0].invite("205", "Demo-205!")).status for _ in range(3)]
    assert answers == [200, 200, 403]
    assert (await peers[1].invite("201", "Demo-201!")).status == 200  # others still call


async def test_used_up_rtp_ports_answer_503_with_retry_after(tmp_path: Path) -> None:
    pbx = await _pbx(tmp_path, rtp=(31000, 31003))  # two pairs: one echo call
    transport, peer = await new_peer(pbx.telephony.sip_udp_port)
    try:
        assert (await peer.invite("201", "Demo-201!")).status == 200
        refused = await peer.invite("202", "Demo-202!")
        assert refused.status == 503
        assert refused.headers.get("Retry-After") is not None
    finally:
        transport.close()
        await pbx.stop()


async def test_half_sent_tcp_messages_are_closed(pbx: Pbx) -> None:
    port = pbx.telephony.sip_tcp_port
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1\r\n")
    await writer.drain()
    assert await asyncio.wait_for(reader.read(), 10) == b""  # the server closed it
    writer.close()


async def test_a_silent_tcp_connection_is_closed_after_its_idle_time(pbx: Pbx) -> None:
    port = pbx.telephony.sip_tcp_port
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    local_port = writer.get_extra_info("sockname")[1]
    options = (
        f"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/TCP 127.0.0.1:{local_port};branch=z9hG4bK{secrets.token_hex(6)}\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:probe@127.0.0.1>;tag={secrets.token_hex(4)}\r\n"
        f"To: <sip:127.0.0.1:{port}>\r\n"
        f"Call-ID: {secrets.token_hex(8)}\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n\r\n"
    )
    writer.write(options.encode())
    await writer.drain()
    answered = await asyncio.wait_for(reader.read(), 10)  # everything until the server closes
    assert answered.startswith(b"SIP/2.0 ")  # a whole message went through, then silence
    writer.close()


async def test_connections_per_source_are_capped(pbx: Pbx) -> None:
    port = pbx.telephony.sip_tcp_port
    opened = [await asyncio.open_connection("127.0.0.1", port) for _ in range(5)]
    try:
        last_reader, _ = opened[-1]
        assert await asyncio.wait_for(last_reader.read(), 5) == b""
    finally:
        for _, writer in opened:
            writer.close()


async def test_ports_running_out_after_admission_still_get_a_final_answer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = PbxConfig(
        data_dir=tmp_path / "pbx", sip_port=0, rtp_port_min=31100, rtp_port_max=31101
    )  # one pair
    pbx = Pbx(config)
    telephony = pbx.telephony
    assert isinstance(telephony, Telephony)
    telephony.b2bua.free_port_pairs = lambda: 99  # admission sees ports; the call core does not
    await pbx.start(demo=True)
    transport, peer = await new_peer(pbx.telephony.sip_udp_port)
    try:
        assert (await peer.invite("201", "Demo-201!")).status == 200
        refused = await peer.invite("202", "Demo-202!")
        assert refused.status == 503
        assert refused.headers.get("Retry-After") == "10"
    finally:
        transport.close()
        await pbx.stop()
    assert not [r for r in caplog.records if r.exc_info]
