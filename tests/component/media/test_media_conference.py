"""Conference rooms, prompts, DTMF and quality figures: loopback UDP phones, a real engine."""

from __future__ import annotations

import asyncio
import time

import numpy as np

from pbx_core.ids import LegId
from pbx_core.media import (
    G722,
    PCMA,
    PCMU,
    CodecSpec,
    ConnectPrompt,
    JoinRoom,
    MediaEngine,
    Patchbay,
)
from pbx_core.media.codecs import get_decoder, get_encoder
from pbx_core.media.dtmf import TelephoneEvent, dtmf_tone, event_payloads
from pbx_core.media.player import read_wav
from pbx_core.media.prompts import PROMPTS_DIR
from pbx_core.media.quality import ntp_middle
from pbx_core.media.rtcp import RtcpReceiverInfo, RtcpRrPacket, serialize_rtcp
from tests.component.media.phones import HOST, Phone, wait_for

OFFER = """v=0
o=phone 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio {port} RTP/AVP PT 101
a=rtpmap:101 telephone-event/8000
"""


def _level(pcm: np.ndarray, rate: int, freq: float) -> float:
    window = np.hanning(len(pcm))
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64) * window)) * 2 / window.sum()
    freqs = np.fft.rfftfreq(len(pcm), 1 / rate)
    return float(spectrum[np.abs(freqs - freq) <= 15].max())


async def _talk(
    phone: Phone,
    to: tuple[str, int],
    codec: CodecSpec,
    freq: float,
    frames: int,
    amplitude: int = 6000,
) -> None:
    """Send a sine in real time, one 20 ms packet per 20 ms."""
    assert codec.static_pt is not None
    encoder, rate = get_encoder(codec), codec.sample_rate
    samples = rate // 50
    loop = asyncio.get_running_loop()
    start = loop.time()
    for n in range(frames):
        t = (n * samples + np.arange(samples)) / rate
        phone.send(
            to,
            encoder.encode((amplitude * np.sin(2 * np.pi * freq * t)).astype(np.int16)),
            codec.static_pt,
        )
        await asyncio.sleep(max(0.0, start + (n + 1) * 0.02 - loop.time()))


async def test_three_phones_in_a_room_hear_each_other_but_not_themselves(
    engine: MediaEngine, phone_factory
) -> None:
    members = {"a": (PCMU, 500.0), "b": (PCMA, 900.0), "c": (G722, 1300.0)}
    bay = Patchbay(engine)
    phones, legs = {}, {}
    for name, (codec, _freq) in members.items():
        phone = phones[name] = await phone_factory()
        leg = legs[name] = await engine.open_leg(name)
        leg.answer(phone.sdp(OFFER.replace("PT", str(codec.static_pt))))
        assert leg.codec == codec
        bay.apply(JoinRoom(LegId(name), "8000", tones=False))
    assert engine.rooms == {"8000": ("a", "b", "c")}
    await asyncio.gather(
        *(
            _talk(phones[n], (HOST, legs[n].local_port), codec, freq, 60)
            for n, (codec, freq) in members.items()
        )
    )
    for name, (codec, freq) in members.items():
        packets = [p for p in phones[name].packets() if p.payload_type == codec.static_pt]
        assert len({p.ssrc for p in packets}) == 1  # the leg's one stream
        decoder = get_decoder(codec)
        audio = np.concatenate([decoder.decode(p.payload) for p in packets])
        rate = codec.sample_rate
        talking = audio[np.abs(audio) > 0] if audio.any() else audio
        assert len(talking) > rate // 2  # the room sent the others' voices for most of a second
        steady = audio[-int(0.6 * rate) :]
        assert _level(steady, rate, freq) < 100, name  # not itself
        for other, (_c, other_freq) in members.items():
            if other != name:
                assert _level(steady, rate, other_freq) > 1000, (name, other)


async def test_a_prompt_then_music(engine: MediaEngine, phone_factory) -> None:
    phone = await phone_factory()
    leg = await engine.open_leg("parked")
    leg.answer(phone.sdp(OFFER.replace("PT", "0")))
    Patchbay(engine).apply(ConnectPrompt(LegId("parked"), ("parked",)))
    prompt = read_wav(PROMPTS_DIR / "en" / "parked.wav")[0]
    prompt_frames = len(prompt) // 320 + 1
    await wait_for(lambda: len(phone.received) >= prompt_frames + 40, limit=15.0)
    audio = np.concatenate([get_decoder(PCMU).decode(p.payload) for p in phone.packets()])
    spoken, after = audio[: prompt_frames * 160], audio[prompt_frames * 160 :]
    assert np.abs(spoken).max() > 3000  # the prompt
    assert np.abs(after).max() > 1000  # then music, not silence
    assert np.sqrt(np.mean(after.astype(np.float64) ** 2)) > 200


async def test_dtmf_events_are_reported_once_and_sent(engine: MediaEngine, phone_factory) -> None:
    phone = await phone_factory()
    leg = await engine.open_leg("dtmf")
    leg.answer(phone.sdp(OFFER.replace("PT", "0")))
    assert leg.dtmf_payload_type == 101
    digits: list[str] = []
    leg.on_dtmf = lambda _leg, digit: digits.append(digit)
    to = (HOST, leg.local_port)
    for digit in "42":
        for payload in event_payloads(digit):
            phone.send(to, payload, 101)
            phone.ts -= 160  # all packets of one event carry its start timestamp
        phone.ts += 1600
    await wait_for(lambda: digits == ["4", "2"])
    leg.send_dtmf("#")
    await wait_for(lambda: sum(p.payload_type == 101 for p in phone.packets()) >= 7)
    events = [p for p in phone.packets() if p.payload_type == 101]
    assert len({p.timestamp for p in events}) == 1 and events[0].marker
    parsed = [TelephoneEvent.parse(p.payload) for p in events]
    assert {e.digit for e in parsed} == {"#"} and [e.end for e in parsed].count(True) == 3


async def test_in_band_digits_without_telephone_event(engine: MediaEngine, phone_factory) -> None:
    phone = await phone_factory()
    leg = await engine.open_leg("inband")
    leg.answer(
        phone.sdp(OFFER.replace("PT 101", "8").replace("a=rtpmap:101 telephone-event/8000\n", ""))
    )
    assert leg.dtmf_payload_type is None
    digits: list[str] = []
    leg.on_dtmf = lambda _leg, digit: digits.append(digit)
    encoder = get_encoder(PCMA)
    for digit in "7*":
        for n in range(4):
            phone.send(
                (HOST, leg.local_port), encoder.encode(dtmf_tone(digit, 160, 8000, n * 160)), 8
            )
        for _ in range(3):
            phone.send((HOST, leg.local_port), encoder.encode(np.zeros(160, dtype=np.int16)), 8)
    await wait_for(lambda: digits == ["7", "*"])
    leg.send_dtmf("9")  # in-band back to the phone
    await wait_for(lambda: len(phone.received) >= 8)
    audio = np.concatenate([get_decoder(PCMA).decode(p.payload) for p in phone.packets()[:5]])
    assert _level(audio, 8000, 852) > 5000 and _level(audio, 8000, 1477) > 5000


async def test_quality_from_received_rtp_and_the_phones_report(
    engine: MediaEngine, phone_factory
) -> None:
    phone = await phone_factory()
    leg = await engine.open_leg("q")
    leg.answer(phone.sdp(OFFER.replace("PT", "0")))
    to = (HOST, leg.local_port)
    for n in range(20):
        if n not in (5, 6):  # two packets lost on the way
            phone.seq = 100 + n
            phone.send(to, bytes(160), 0)
    await wait_for(lambda: leg.packets_received == 18)
    # The phone's receiver report about our stream: our SR went out 0.3 s ago, held 0.1 s.
    sent = ntp_middle(time.time() - 0.3)
    block = RtcpReceiverInfo(leg.ssrc, 0, 0, 0, 0, sent, int(0.1 * 65536))
    assert phone.transport is not None
    phone.transport.sendto(serialize_rtcp([RtcpRrPacket(0x11223344, [block])]), (HOST, to[1] + 1))
    await wait_for(lambda: leg.quality().round_trip_ms is not None)
    quality = leg.quality()
    assert (quality.packets_received, quality.packets_lost) == (18, 2)
    assert quality.fraction_lost == 0.1
    assert quality.round_trip_ms is not None and 150 < quality.round_trip_ms < 10_000
    assert 1.0 <= quality.mos < 4.5
