"""The SIPVicious tools themselves (Debian's ``sipvicious``: svwar, svmap, svcrack) against a
running PBX on loopback: each hears nothing at all (its User-Agent blocks its address at the
first request), so svmap sees no SIP server, svwar finds no extension and svcrack cracks no
password, while the office's phones (on another loopback address)
go on re-registering and taking calls.

svwar and svcrack of this version bind to every address, so they send from 127.0.0.1; the
phones are on 127.0.0.5, which the PBX trusts once they signed in."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pbx_core.config import PbxConfig
from pbx_core.pbx import Pbx
from pbx_core.signaling.message import SipRequest
from tests.component.security.sip_peer import Peer

pytestmark = pytest.mark.skipif(
    shutil.which("svwar") is None, reason="SIPVicious (Debian package sipvicious) is missing"
)

OFFICE = "127.0.0.5"


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[tuple[Pbx, Peer, Peer]]:
    config = PbxConfig(
        data_dir=tmp_path / "pbx",
        sip_port=0,
        rtp_port_min=30000,
        rtp_port_max=39999,
        udp_keepalive_seconds=0,
    )
    pbx = Pbx(config)
    await pbx.start(demo=True)
    loop = asyncio.get_running_loop()
    port = pbx.telephony.sip_udp_port
    t1, anna = await loop.create_datagram_endpoint(Peer, local_addr=(OFFICE, 0))
    t2, bram = await loop.create_datagram_endpoint(Peer, local_addr=(OFFICE, 0))
    anna.server = bram.server = ("127.0.0.1", port)
    try:
        assert (await anna.register("201", "Demo-201!")).status == 200
        assert (await bram.register("202", "Demo-202!")).status == 200
        yield pbx, anna, bram
    finally:
        t1.close()
        t2.close()
        await pbx.stop()


async def _run(*command: str) -> str:
    process = await asyncio.create_subprocess_exec(
        *command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        stdin=asyncio.subprocess.DEVNULL,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 90)
    return out.decode("utf-8", "replace")


async def _still_served(anna: Peer, bram: Peer) -> None:
    """201 re-registers, and a call from 202 rings 201's phone."""
    assert (await anna.register("201", "Demo-201!")).status == 200
    calling = asyncio.ensure_future(bram.invite("202", "Demo-202!", target="201"))
    try:
        while True:
            message = await anna.next(wait=10.0)
            if isinstance(message, SipRequest) and message.method == "INVITE":
                break
    finally:
        calling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await calling


async def test_svwar_finds_no_extension(
    office: tuple[Pbx, Peer, Peer], caplog: pytest.LogCaptureFixture
) -> None:
    pbx, anna, bram = office
    port = str(pbx.telephony.sip_udp_port)
    out = await _run(
        "svwar",
        "-p",
        port,
        "-e",
        "100-299",
        "--force",
        "--debug",
        "--maximumtime",
        "2",
        "-P",
        "0",
        "127.0.0.1",
    )
    assert "SIP/2.0 " not in out, out[-2000:]  # not a single answer
    assert "found nothing" in out, out[-2000:]
    assert "source 127.0.0.1 blocked" in caplog.text
    await _still_served(anna, bram)


async def test_svcrack_cracks_nothing(office: tuple[Pbx, Peer, Peer]) -> None:
    pbx, anna, bram = office
    port = str(pbx.telephony.sip_udp_port)
    out = await _run(
        "svcrack",
        "-p",
        port,
        "-u",
        "201",
        "-r",
        "1000-1999",
        "--debug",
        "--maximumtime",
        "2",
        "-P",
        "0",
        "127.0.0.1",
    )
    assert "Demo-201!" not in out
    assert "SIP/2.0 " not in out, out[-2000:]
    await _still_served(anna, bram)


async def test_svmap_sees_no_sip_server(office: tuple[Pbx, Peer, Peer]) -> None:
    pbx, anna, bram = office
    port = str(pbx.telephony.sip_udp_port)
    out = await _run("svmap", "-p", port, "--debug", "127.0.0.1")
    assert "SIP/2.0 " not in out and "127.0.0.1:" not in out, out[-2000:]  # no device found
    await _still_served(anna, bram)
