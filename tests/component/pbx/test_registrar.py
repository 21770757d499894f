"""REGISTER against the running PBX: challenge, success, wrong password, unregister, bindings."""

from __future__ import annotations

import asyncio
import secrets

from pbx_core.pbx import Pbx
from pbx_core.signaling.transport import Address
from tests.component.pbx.conftest import UdpPeer


async def test_register_is_challenged_then_accepted(pbx: Pbx, peer: UdpPeer) -> None:
    peer.send(peer.register_text("201", cseq=1, call_id=secrets.token_hex(8)))
    challenge = await peer.response()
    assert challenge.status == 401
    (only,) = challenge.headers.get_lines("WWW-Authenticate")  # a phone not known for SHA-256
    assert "algorithm=MD5" in only
    peer.send(
        peer.register_text("201", cseq=1, call_id=secrets.token_hex(8), user_agent="AcmePhone/1")
    )
    challenge = await peer.response()
    first, second = challenge.headers.get_lines("WWW-Authenticate")
    assert "algorithm=MD5" in first and "algorithm=SHA-256" in second

    ok = await peer.register("201", "Demo-201!")
    assert ok.status == 200
    assert f"127.0.0.1:{peer.port}" in ok.headers.get("Contact", "")
    telephony = pbx.telephony
    assert telephony.registrar.is_registered("201")  # type: ignore[attr-defined]
    stored = pbx.store.load_bindings()
    assert [b.extension for b in stored] == ["201"]


async def test_wrong_password_is_forbidden(pbx: Pbx, peer: UdpPeer) -> None:
    response = await peer.register("202", "wrong")
    assert response.status == 403
    assert pbx.store.load_bindings() == []


async def test_unregister_removes_the_binding(pbx: Pbx, peer: UdpPeer) -> None:
    assert (await peer.register("203", "Demo-203!")).status == 200
    assert (await peer.register("203", "Demo-203!", expires=0)).status == 200
    assert pbx.store.load_bindings() == []


async def test_options_is_answered(peer: UdpPeer) -> None:
    peer.send(
        f"OPTIONS sip:127.0.0.1:{peer.server[1]} SIP/2.0\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:{peer.port};branch=z9hG4bK{secrets.token_hex(6)}\n"
        "Max-Forwards: 70\nFrom: <sip:x@127.0.0.1>;tag=1\nTo: <sip:127.0.0.1>\n"
        "Call-ID: opt-1\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n"
    )
    response = await peer.response()
    assert response.status == 200
    assert "INVITE" in (response.headers.get("Allow") or "")
    assert "UPDATE" in (response.headers.get("Allow") or "")
    assert response.headers.get("Supported") == "replaces, timer, 100rel"


async def test_malformed_request_gets_400_and_server_keeps_working(peer: UdpPeer) -> None:
    peer.send(
        f"OPTIONS sip:127.0.0.1 SIP/2.0\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:{peer.port};branch=z9hG4bK{secrets.token_hex(6)}\n"
        "From: <sip:x@127.0.0.1>;tag=1\nTo: <sip:127.0.0.1>\n"
        "Call-ID: bad-1\nCSeq: one OPTIONS\nContent-Length: 0\n\n"
    )
    raw = await asyncio.wait_for(peer.raw.get(), 5)
    assert raw.startswith(b"SIP/2.0 400 Bad Request - bad CSeq\r\n")
    peer.send_raw(b"\x00\xff garbage that is not SIP at all")
    assert (await peer.register("204", "Demo-204!")).status == 200


async def test_bindings_survive_a_restart(pbx: Pbx, peer: UdpPeer) -> None:
    assert (await peer.register("205", "Demo-205!")).status == 200
    await pbx.stop()
    again = Pbx(pbx.config)
    await again.start()
    try:
        registrar = again.telephony.registrar  # type: ignore[attr-defined]
        (binding,) = registrar.bindings("205")
        assert str(binding.contact) == f"sip:205@127.0.0.1:{peer.port}"
        assert binding.destination == Address("udp", "127.0.0.1", peer.port)
    finally:
        await again.stop()
        await pbx.start()  # the fixture stops it again


async def test_register_with_sha256(pbx: Pbx, peer: UdpPeer) -> None:
    response = await peer.register(
        "204", "Demo-204!", algorithm="SHA-256", user_agent="Linphone-Desktop/5.2"
    )
    assert response.status == 200
