"""Toll fraud with a public entry: a caller from outside without credentials (127.0.0.2) reaches
the configured public entry (the reception, 204) and nothing else: every other number, a
feature code, the echo test or an outside number gets a challenge and rings nothing. The
reception sees the caller's number, or "anonymous" for one that names a colleague."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pbx_core.config import PbxConfig
from pbx_core.pbx import Pbx
from pbx_core.signaling.message import SipRequest, SipResponse
from tests.component.security.sip_peer import Peer, new_peer

OUTSIDE = "127.0.0.2"


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[tuple[Peer, Peer, Peer]]:
    """A PBX whose public entry is 204; Dana's (204) and Bram's (202) phones registered, and a
    caller from outside."""
    config = PbxConfig(
        data_dir=tmp_path / "pbx",
        sip_port=0,
        rtp_port_min=30000,
        rtp_port_max=39999,
        udp_keepalive_seconds=0,
        public_entries=("204",),
    )
    pbx = Pbx(config)
    await pbx.start(demo=True)
    port = pbx.telephony.sip_udp_port
    t1, dana = await new_peer(port)
    t2, bram = await new_peer(port)
    t3, outsider = await asyncio.get_running_loop().create_datagram_endpoint(
        Peer, local_addr=(OUTSIDE, 0)
    )
    outsider.server = ("127.0.0.1", port)
    try:
        assert (await dana.register("204", "Demo-204!")).status == 200
        assert (await bram.register("202", "Demo-202!")).status == 200
        yield dana, bram, outsider
    finally:
        for transport in (t1, t2, t3):
            transport.close()
        await pbx.stop()


async def _rung(phone: Peer, wait: float) -> SipRequest | None:
    with contextlib.suppress(TimeoutError):
        while True:
            message = await phone.next(wait=wait)
            if isinstance(message, SipRequest) and message.method == "INVITE":
                return message
    return None


def _call(outsider: Peer, target: str, caller: str = "0612345678") -> tuple[str, str]:
    """Send an INVITE without credentials; its Call-ID and text."""
    call_id = secrets.token_hex(8)
    text = outsider.invite_text(caller, target, call_id=call_id, cseq=1)
    outsider.send(text)
    return call_id, text


def _cancel(outsider: Peer, invite: str) -> None:
    """CANCEL an INVITE: its Via, From, To and Call-ID (RFC 3261 §9.1)."""
    lines = invite.split("\n")
    cancel = [lines[0].replace("INVITE", "CANCEL", 1), *lines[1:6], "CSeq: 1 CANCEL"]
    outsider.send("\n".join([*cancel, "Content-Length: 0"]) + "\n\n")


async def test_an_outside_caller_reaches_the_public_entry(
    office: tuple[Peer, Peer, Peer],
) -> None:
    dana, _bram, outsider = office
    call_id, text = _call(outsider, "204")
    invite = await _rung(dana, wait=10.0)
    assert invite is not None, "the reception's phone did not ring"
    assert invite.from_addr.uri.user == "0612345678"
    _cancel(outsider, text)  # the caller gives up: the INVITE ends 487, the PBX goes on
    assert (await outsider.response(call_id=call_id)).status in (200, 487)


async def test_an_outside_caller_cannot_pass_for_a_colleague(
    office: tuple[Peer, Peer, Peer],
) -> None:
    dana, _bram, outsider = office
    _call(outsider, "204", caller="202")  # Bram's extension in From, no password
    invite = await _rung(dana, wait=10.0)
    assert invite is not None, "the reception's phone did not ring"
    assert invite.from_addr.uri.user == "anonymous"


@pytest.mark.parametrize("target", ["202", "*65*202*", "9000", "0031201234567"])
async def test_an_outside_caller_reaches_nothing_else(
    office: tuple[Peer, Peer, Peer], target: str
) -> None:
    _dana, bram, outsider = office
    call_id, _text = _call(outsider, target)
    answer = await outsider.response(call_id=call_id)
    assert isinstance(answer, SipResponse) and answer.status == 401
    assert await _rung(bram, wait=0.5) is None
