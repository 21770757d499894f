"""NAT keep-alive against a running PBX: a phone registered over UDP gets OPTIONS every
interval; while it answers it stays registered; once it falls silent (crashed, unplugged) its
registration is removed after three unanswered pings, long before it would expire."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pbx_core.config import PbxConfig
from pbx_core.events import BindingRemoved, Event
from pbx_core.pbx import Pbx
from pbx_core.signaling.message import SipRequest, make_response, new_tag
from tests.component.pbx.conftest import UdpPeer

INTERVAL_S = 0.5


@pytest.fixture
async def keeping(tmp_path: Path) -> AsyncIterator[Pbx]:
    config = PbxConfig(
        data_dir=tmp_path / "pbx",
        sip_port=0,
        rtp_port_min=30000,
        rtp_port_max=39999,
        udp_keepalive_seconds=INTERVAL_S,
    )
    instance = Pbx(config)
    await instance.start(demo=True)
    try:
        yield instance
    finally:
        await instance.stop()


async def _options(peer: UdpPeer, within: float) -> SipRequest:
    while True:
        message = await peer.next(within)
        if isinstance(message, SipRequest) and message.method == "OPTIONS":
            return message


async def test_an_answering_phone_stays_and_a_silent_one_goes(keeping: Pbx) -> None:
    loop = asyncio.get_running_loop()
    transport, peer = await loop.create_datagram_endpoint(UdpPeer, local_addr=("127.0.0.1", 0))
    peer.server = ("127.0.0.1", keeping.telephony.sip_udp_port)
    removed: list[BindingRemoved] = []

    def seen(event: Event) -> None:
        if isinstance(event, BindingRemoved):
            removed.append(event)

    keeping.bus.subscribe(seen)
    try:
        assert (await peer.register("201", "Demo-201!", expires=3600)).status == 200
        for _ in range(4):  # answered: the phone is there
            ping = await _options(peer, 5.0)
            assert f":{peer.port}" in str(ping.uri)
            peer.send_raw(bytes(make_response(ping, 200, to_tag=new_tag())))
        assert keeping.telephony.is_registered("201") and removed == []

        silent_since = time.monotonic()  # from now on the phone answers nothing
        while keeping.telephony.is_registered("201"):
            assert time.monotonic() - silent_since < 15, "the silent phone is still registered"
            await asyncio.sleep(0.1)
        assert [(e.extension, e.expired) for e in removed] == [("201", True)]
    finally:
        transport.close()
