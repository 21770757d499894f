"""Relay, latching, echo, hold/resume and transcoding through real loopback UDP sockets."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pbx_core.errors import MediaError
from pbx_core.media import MediaEngine, MediaLeg, MusicOnHold, offered_codecs
from pbx_core.media.codecs import G722, PCMA, PCMU, get_decoder, get_encoder
from tests.component.media.phones import HOST, Phone, dominant_frequency, free_port_range, wait_for

OFFER_A = """v=0
o=alice 1 1 IN IP4 127.0.0.1
s=call
c=IN IP4 127.0.0.1
t=0 0
m=audio {port} RTP/AVP 96 8 101
a=rtpmap:96 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=sendrecv
"""

ANSWER_B = """v=0
o=bob 7 7 IN IP4 127.0.0.1
s=call
c=IN IP4 127.0.0.1
t=0 0
m=audio {port} RTP/AVP {pt} 97
a=rtpmap:97 telephone-event/8000
a=fmtp:97 0-15
"""


async def connect(
    engine: MediaEngine, a_phone: Phone, b_phone: Phone, b_pt: int = 0
) -> tuple[MediaLeg, MediaLeg]:
    """What the B2BUA does for a basic call: answer A, offer B with A's codecs, join."""
    a = await engine.open_leg("a")
    b = await engine.open_leg("b")
    offer = a_phone.sdp(OFFER_A)
    a.answer(offer)
    b.offer(codecs=offered_codecs(offer))
    b.accept_answer(b_phone.sdp(ANSWER_B.replace("{pt}", str(b_pt))))
    a.feed(b)
    b.feed(a)
    return a, b


def decode_all(phone: Phone, codec: object = PCMU, ssrc: int | None = None) -> np.ndarray:
    decoder = get_decoder(codec)  # type: ignore[arg-type]
    packets = [p for p in phone.packets() if ssrc is None or p.ssrc == ssrc]
    return np.concatenate([decoder.decode(p.payload) for p in packets])


async def test_relay_both_ways_rewrites_payload_types(engine, phone_factory) -> None:
    a_phone, b_phone = await phone_factory(), await phone_factory()
    a, b = await connect(engine, a_phone, b_phone)
    assert (a.codec, a.payload_type, a.dtmf_payload_type) == (PCMU, 96, 101)
    assert (b.codec, b.payload_type, b.dtmf_payload_type) == (PCMU, 0, 97)

    sent = await a_phone.send_tone((HOST, a.local_port), get_encoder(PCMU), pt=96)
    await wait_for(lambda: len(b_phone.received) == len(sent))
    packets = b_phone.packets()
    assert {p.payload_type for p in packets} == {0}
    assert {p.ssrc for p in packets} == {b.ssrc}
    assert [p.payload for p in packets] == sent
    assert dominant_frequency(decode_all(b_phone), 8000) == pytest.approx(1000, abs=20)

    a_phone.send((HOST, a.local_port), b"\x01\x0a\x00\xa0", pt=101, marker=True)
    await wait_for(lambda: len(b_phone.received) == len(sent) + 1)
    event = b_phone.packets()[-1]
    assert (event.payload_type, event.payload, event.marker) == (97, b"\x01\x0a\x00\xa0", True)

    await b_phone.send_tone((HOST, b.local_port), get_encoder(PCMU), pt=0, freq=600, frames=10)
    await wait_for(lambda: len(a_phone.received) == 10)
    assert {p.payload_type for p in a_phone.packets()} == {96}
    assert dominant_frequency(decode_all(a_phone), 8000) == pytest.approx(600, abs=20)


async def test_latches_to_the_source_address_of_the_first_packet(engine, phone_factory) -> None:
    a_sdp_target, a_phone, b_phone = (
        await phone_factory(),
        await phone_factory(),
        await phone_factory(),
    )
    a = await engine.open_leg("a")
    b = await engine.open_leg("b")
    a.answer(a_phone.sdp(OFFER_A, port=a_sdp_target.port))  # SDP names another port
    b.offer()
    b.accept_answer(b_phone.sdp(ANSWER_B.replace("{pt}", "0")))
    a.feed(b)
    b.feed(a)
    assert a.remote == (HOST, a_sdp_target.port)

    b_phone.send((HOST, b.local_port), bytes(160), pt=0)
    await wait_for(lambda: len(a_sdp_target.received) == 1)  # before latching: the SDP address

    a_phone.send((HOST, a.local_port), bytes(160), pt=96)
    await wait_for(lambda: a.remote == (HOST, a_phone.port))
    b_phone.send((HOST, b.local_port), bytes(160), pt=0)
    await wait_for(lambda: len(a_phone.received) == 1)
    assert len(a_sdp_target.received) == 1

    # Once latched, packets from elsewhere are not relayed.
    a_sdp_target.send((HOST, a.local_port), bytes(160), pt=96)
    a_phone.send((HOST, a.local_port), bytes(160), pt=96)
    await wait_for(lambda: len(b_phone.received) == 2)
    assert a.packets_dropped == 1


async def test_echo_leg_returns_what_it_receives(engine, phone_factory) -> None:
    phone = await phone_factory()
    leg = await engine.open_leg("echo")
    leg.answer(phone.sdp(OFFER_A))
    leg.feed(leg)
    sent = await phone.send_tone((HOST, leg.local_port), get_encoder(PCMU), pt=96, frames=10)
    await wait_for(lambda: len(phone.received) == 10)
    packets = phone.packets()
    assert [p.payload for p in packets] == sent
    assert {p.payload_type for p in packets} == {96}
    assert {p.ssrc for p in packets} == {leg.ssrc}
    assert [
        (q.sequence_number - p.sequence_number) % 65536 for p, q in itertools.pairwise(packets)
    ] == [1] * 9
    assert all(addr == (HOST, leg.local_port) for _, addr in phone.received)


async def test_garbage_is_dropped_and_not_relayed(engine, phone_factory) -> None:
    a_phone, b_phone = await phone_factory(), await phone_factory()
    a, _ = await connect(engine, a_phone, b_phone)
    assert a_phone.transport is not None
    a_phone.transport.sendto(b"\x00" * 20, (HOST, a.local_port))  # version 0
    a_phone.transport.sendto(b"\x80\x00", (HOST, a.local_port))  # too short
    a_phone.send((HOST, a.local_port), bytes(160), pt=96)
    await wait_for(lambda: len(b_phone.received) == 1)
    assert a.packets_dropped == 2
    assert a.packets_received == 1


async def test_hold_plays_music_and_drops_the_holder_then_resume_relays(
    engine, phone_factory
) -> None:
    a_phone, b_phone = await phone_factory(), await phone_factory()
    a, b = await connect(engine, a_phone, b_phone)
    encoder = get_encoder(PCMU)
    await a_phone.send_tone((HOST, a.local_port), encoder, pt=96, frames=5)
    await wait_for(lambda: len(b_phone.received) == 5)

    # A holds: re-INVITE with sendonly; A keeps transmitting anyway.
    hold = a_phone.sdp(OFFER_A.replace("a=sendrecv", "a=sendonly"))
    answer = a.answer(hold)
    assert answer.media[0].direction == "recvonly"
    a.feed(None)
    b.feed(MusicOnHold())
    held_from = len(b_phone.received)
    ignored = await a_phone.send_tone((HOST, a.local_port), encoder, pt=96, freq=3100.0, frames=40)
    await wait_for(lambda: len(b_phone.received) >= held_from + 60)
    during_hold = b_phone.packets()[held_from:]
    assert not {p.payload for p in during_hold} & set(ignored)
    assert a.packets_received >= 45
    music = np.concatenate([get_decoder(PCMU).decode(p.payload) for p in during_hold])
    spectrum = np.abs(np.fft.rfft(music.astype(np.float64)))
    freqs = np.fft.rfftfreq(len(music), 1 / 8000)
    assert np.abs(music).max() > 1000  # the hold music is audible
    assert 100 < freqs[np.argmax(spectrum)] < 2000
    assert spectrum[np.abs(freqs - 3100) < 15].max() < 0.05 * spectrum.max()  # A's tone is not
    assert len(a_phone.received) == 0  # nothing goes to the holder's phone from B (B was silent)

    # Resume.
    a.answer(a_phone.sdp(OFFER_A))
    a.feed(b)
    b.feed(a)
    resumed_from = len(b_phone.received)
    sent = await a_phone.send_tone((HOST, a.local_port), encoder, pt=96, frames=5)
    await wait_for(
        lambda: b_phone.received[-5:] and [p.payload for p in b_phone.packets()[-5:]] == sent
    )

    packets = b_phone.packets()
    resumed_from = len(packets) - 5  # in-flight music may land after the switch
    assert {p.ssrc for p in packets} == {b.ssrc}
    seqs = [p.sequence_number for p in packets]
    assert [(y - x) % 65536 for x, y in itertools.pairwise(seqs)] == [1] * (len(seqs) - 1)
    timestamps = [p.timestamp for p in packets]
    assert all(0 < (y - x) % 2**32 < 8000 for x, y in itertools.pairwise(timestamps))
    assert packets[held_from].marker and packets[resumed_from].marker
    assert not any(p.marker for p in packets[held_from + 1 : held_from + 20])


async def test_transcodes_pcmu_to_pcma(engine, phone_factory) -> None:
    a_phone, b_phone = await phone_factory(), await phone_factory()
    a = await engine.open_leg("a")
    b = await engine.open_leg("b")
    a.answer(a_phone.sdp(OFFER_A), codecs=[PCMU])
    b.offer(codecs=[PCMA])
    b.accept_answer(b_phone.sdp(ANSWER_B.replace("{pt}", "8").replace(" 97", "")))
    a.feed(b)
    b.feed(a)
    assert (a.codec, b.codec) == (PCMU, PCMA)
    await a_phone.send_tone((HOST, a.local_port), get_encoder(PCMU), pt=96, frames=20)
    await wait_for(lambda: len(b_phone.received) == 20)
    assert {p.payload_type for p in b_phone.packets()} == {8}
    assert dominant_frequency(decode_all(b_phone, PCMA), 8000) == pytest.approx(1000, abs=20)
    await b_phone.send_tone((HOST, b.local_port), get_encoder(PCMA), pt=8, freq=700, frames=20)
    await wait_for(lambda: len(a_phone.received) == 20)
    assert {p.payload_type for p in a_phone.packets()} == {96}
    assert dominant_frequency(decode_all(a_phone, PCMU), 8000) == pytest.approx(700, abs=20)


async def test_transcodes_pcmu_to_g722_and_back(engine, phone_factory) -> None:
    """Narrowband to wideband: decoded, resampled 8 ⇄ 16 kHz and encoded, both ways."""
    a_phone, b_phone = await phone_factory(), await phone_factory()
    a = await engine.open_leg("a")
    b = await engine.open_leg("b")
    a.answer(a_phone.sdp(OFFER_A), codecs=[PCMU])
    b.offer(codecs=[G722])
    b.accept_answer(b_phone.sdp(ANSWER_B.replace("{pt}", "9").replace(" 97", "")))
    a.feed(b)
    b.feed(a)
    assert (a.codec, b.codec) == (PCMU, G722)
    await a_phone.send_tone((HOST, a.local_port), get_encoder(PCMU), pt=96, frames=25)
    await wait_for(lambda: len(b_phone.received) == 25)
    assert {p.payload_type for p in b_phone.packets()} == {9}
    wide = decode_all(b_phone, G722)[-8000:]  # the last half second, 16 kHz
    assert dominant_frequency(wide, 16000) == pytest.approx(1000, abs=20)
    g722 = get_encoder(G722)
    await b_phone.send_tone((HOST, b.local_port), g722, pt=9, freq=700, frames=25, rate=16000)
    await wait_for(lambda: len(a_phone.received) == 25)
    assert {p.payload_type for p in a_phone.packets()} == {96}
    narrow = decode_all(a_phone, PCMU)[-4000:]
    assert dominant_frequency(narrow, 8000) == pytest.approx(700, abs=20)


async def test_port_range_exhaustion_and_close_frees_ports() -> None:
    low, high = free_port_range(2)
    engine = MediaEngine(HOST, HOST, low, high)
    try:
        first = await engine.open_leg("1")
        await engine.open_leg("2")
        with pytest.raises(MediaError, match=rf"^no free RTP port in {low}-{high}$"):
            await engine.open_leg("3")
        await first.close()
        assert engine.legs == 1
        third = await engine.open_leg("3")
        assert third.local_port == first.local_port
    finally:
        await engine.close()
    assert engine.legs == 0
    assert engine.ports_in_use == frozenset()
