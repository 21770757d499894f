"""Music on hold to a G.722 leg, and RTCP: received and counted, never relayed, reports sent."""

from __future__ import annotations

import numpy as np

from pbx_core.media import G722, MediaEngine, MusicOnHold
from pbx_core.media.codecs import get_decoder
from pbx_core.media.rtcp import RtcpRrPacket, RtcpSdesPacket, parse_rtcp
from tests.component.media.phones import HOST, free_port_range, wait_for

G722_OFFER = """v=0
o=carol 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio {port} RTP/AVP 9 0
"""


async def test_music_on_hold_reaches_a_g722_phone(engine, phone_factory) -> None:
    phone = await phone_factory()
    leg = await engine.open_leg("held")
    leg.answer(phone.sdp(G722_OFFER))
    assert (leg.codec, leg.payload_type) == (G722, 9)
    leg.feed(MusicOnHold())
    await wait_for(lambda: len(phone.received) >= 20)
    packets = phone.packets()[:20]
    assert {p.payload_type for p in packets} == {9}
    assert all(len(p.payload) == 160 for p in packets)
    assert [(p.timestamp - packets[0].timestamp) % 2**32 for p in packets[:3]] == [0, 160, 320]
    decoder = get_decoder(G722)
    pcm = np.concatenate([decoder.decode(p.payload) for p in packets])
    assert np.abs(pcm).max() > 1000  # the bundled hold music, not silence
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64)))
    assert 100 < np.argmax(spectrum) * 16000 / len(pcm) < 2000


async def test_rtcp_is_counted_not_relayed_and_reports_are_sent(phone_factory) -> None:
    low, high = free_port_range(4)
    engine = MediaEngine(HOST, HOST, low, high, rtcp_interval=0.1)
    try:
        rtp_phone = await phone_factory()
        rtcp_phone = await phone_factory()
        other = await phone_factory()
        a = await engine.open_leg("a")
        b = await engine.open_leg("b")
        a.answer(rtp_phone.sdp(G722_OFFER.replace("9 0", "0")))
        b.answer(other.sdp(G722_OFFER.replace("9 0", "0")))
        a.feed(b)
        b.feed(a)
        sr = bytes.fromhex("80c80006") + bytes(24)
        assert rtcp_phone.transport is not None and rtp_phone.transport is not None
        rtcp_phone.transport.sendto(sr, (HOST, a.local_port + 1))
        rtp_phone.transport.sendto(sr, (HOST, a.local_port))  # multiplexed on the RTP port
        await wait_for(lambda: a.rtcp_received == 2)
        assert a.remote_rtcp == (HOST, rtcp_phone.port)
        rtp_phone.send((HOST, a.local_port), bytes(160), pt=0)
        await wait_for(lambda: b.packets_sent == 1)
        await wait_for(lambda: len(rtcp_phone.received) >= 1)
        report = parse_rtcp(rtcp_phone.received[0][0])
        assert isinstance(report[0], RtcpRrPacket)  # leg a has sent no RTP yet
        assert report[0].ssrc == a.ssrc
        assert isinstance(report[-1], RtcpSdesPacket)
        assert all(p.payload_type == 0 for p in other.packets())  # only the RTP was relayed
        assert len(other.received) == 1
    finally:
        await engine.close()
