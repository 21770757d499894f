"""One stream towards a phone across every re-wiring of its leg: the other party, hold music, a
transfer to a third party, then a conference room. The phone must see one SSRC, sequence numbers
that step by one and timestamps that only move forward, whoever it hears; and it hears, phase by
phase, exactly whom it should (by tone)."""

from __future__ import annotations

import asyncio
import itertools

import numpy as np

from pbx_core.media import PCMU, MediaEngine, MediaLeg, MusicOnHold, offered_codecs
from pbx_core.media.codecs import get_decoder, get_encoder
from tests.component.media.phones import HOST, Phone

OFFER = """v=0
o=phone 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio {port} RTP/AVP 0 101
a=rtpmap:101 telephone-event/8000
a=sendrecv
"""

ANSWER = """v=0
o=phone 2 2 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio {port} RTP/AVP 0 101
a=rtpmap:101 telephone-event/8000
"""

TONES = {"b": 2100.0, "c": 2500.0, "d": 2900.0}  # where the hold music is silent


def _level(pcm: np.ndarray, freq: float) -> float:
    window = np.hanning(len(pcm))
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64) * window)) * 2 / window.sum()
    freqs = np.fft.rfftfreq(len(pcm), 1 / 8000)
    return float(spectrum[np.abs(freqs - freq) <= 15].max())


async def _talk(phone: Phone, leg: MediaLeg, freq: float, stop: asyncio.Event) -> None:
    """Send a sine in real time, one 20 ms PCMU packet per 20 ms, until ``stop``."""
    encoder = get_encoder(PCMU)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for n in itertools.count():
        if stop.is_set():
            return
        t = (n * 160 + np.arange(160)) / 8000
        phone.send(
            (HOST, leg.local_port),
            encoder.encode((6000 * np.sin(2 * np.pi * freq * t)).astype(np.int16)),
            0,
        )
        await asyncio.sleep(max(0.0, start + (n + 1) * 0.02 - loop.time()))


async def _phase(phone: Phone, seconds: float) -> np.ndarray:
    """What ``phone`` receives during the last ``seconds`` of a phase, decoded (PCMU only)."""
    await asyncio.sleep(0.3)  # let the switch settle: packets in flight, the room's first mix
    first = len(phone.received)
    await asyncio.sleep(seconds)
    packets = [p for p in phone.packets()[first:] if p.payload_type == 0]
    decoder = get_decoder(PCMU)
    return np.concatenate([decoder.decode(p.payload) for p in packets])


async def test_one_stream_across_hold_music_transfer_and_conference(
    engine: MediaEngine, phone_factory
) -> None:
    phones = {name: await phone_factory() for name in "abcd"}
    # Each talking phone starts its own stream somewhere else, as real phones do.
    for n, name in enumerate("bcd"):
        phones[name].ssrc = 0x10000000 * (n + 2) + 7
        phones[name].seq = 60000 + 5000 * n  # b and c wrap around 65535 during the test
        phones[name].ts = 0xFFFF0000 - 1_000_000 * n
    a = await engine.open_leg("a")
    a.answer(phones["a"].sdp(OFFER))
    legs: dict[str, MediaLeg] = {"a": a}
    for name in "bcd":
        leg = legs[name] = await engine.open_leg(name)
        leg.offer(codecs=offered_codecs(phones["a"].sdp(OFFER)))
        leg.accept_answer(phones[name].sdp(ANSWER))
    stop = asyncio.Event()
    talkers = [asyncio.create_task(_talk(phones[n], legs[n], TONES[n], stop)) for n in "bcd"]
    try:
        heard = {}
        a.feed(legs["b"])  # the call: A hears B, relayed on the fast path
        heard["call"] = await _phase(phones["a"], 0.8)
        a.feed(MusicOnHold())  # B holds: A hears music
        heard["hold"] = await _phase(phones["a"], 0.8)
        a.feed(legs["c"])  # B transfers A to C
        legs["c"].feed(a)
        heard["transfer"] = await _phase(phones["a"], 0.8)
        for name in "acd":  # C merges A and D into a conference
            engine.join_room(legs[name], "conf-1", tones=False)
        heard["conference"] = await _phase(phones["a"], 0.8)
    finally:
        stop.set()
        await asyncio.gather(*talkers)

    levels = {phase: {n: _level(pcm, f) for n, f in TONES.items()} for phase, pcm in heard.items()}
    assert levels["call"]["b"] > 1000 and levels["call"]["c"] < 100, levels["call"]
    assert all(v < 100 for v in levels["hold"].values()), levels["hold"]
    assert np.abs(heard["hold"]).max() > 1000  # the music is audible
    assert levels["transfer"]["c"] > 1000, levels["transfer"]
    assert levels["transfer"]["b"] < 100 and levels["transfer"]["d"] < 100, levels["transfer"]
    assert levels["conference"]["c"] > 1000 and levels["conference"]["d"] > 1000
    assert levels["conference"]["b"] < 100, levels["conference"]

    packets = [p for p in phones["a"].packets() if p.payload_type == 0]
    assert len(packets) > 150
    assert {p.ssrc for p in packets} == {a.ssrc}
    steps = [
        (q.sequence_number - p.sequence_number) % 65536 for p, q in itertools.pairwise(packets)
    ]
    assert steps == [1] * len(steps)  # no gap, no repeat, no jump back, at any switch
    ts_steps = [(q.timestamp - p.timestamp) % 2**32 for p, q in itertools.pairwise(packets)]
    assert all(0 < step < 8000 for step in ts_steps), max(ts_steps)  # forward, under a second
    markers = sum(p.marker for p in packets)
    assert 3 <= markers <= 8  # one at each switch of source (and none in steady flow)
