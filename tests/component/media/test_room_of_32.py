"""A conference room at the mixer's limit: 32 loopback phones, each sending its own tone in real
time; every phone hears the 31 others and not itself (by FFT of what it receives)."""

from __future__ import annotations

import asyncio

import numpy as np

from pbx_core.ids import LegId
from pbx_core.media import PCMU, JoinRoom, MediaEngine, Patchbay
from pbx_core.media.codecs import get_decoder
from pbx_core.signaling._services import MAX_CONFERENCE
from tests.component.media.phones import HOST, Phone, free_port_range
from tests.component.media.test_media_conference import OFFER, _level, _talk

TONES = [300.0 + 100.0 * n for n in range(MAX_CONFERENCE)]  # 300 Hz to 3.4 kHz


async def test_thirty_two_parties_hear_the_other_thirty_one_and_not_themselves() -> None:
    assert MAX_CONFERENCE == 32
    low, high = free_port_range(MAX_CONFERENCE + 4)
    engine = MediaEngine(HOST, HOST, low, high)
    phones: list[Phone] = []
    try:
        bay = Patchbay(engine)
        legs = []
        for n in range(MAX_CONFERENCE):
            phone = await Phone().open()
            phones.append(phone)
            leg = await engine.open_leg(f"p{n}")
            leg.answer(phone.sdp(OFFER.replace("PT", "0")))
            legs.append(leg)
            bay.apply(JoinRoom(LegId(f"p{n}"), "8000", tones=False))
        assert len(engine.rooms["8000"]) == MAX_CONFERENCE
        await asyncio.gather(
            *(
                _talk(phone, (HOST, leg.local_port), PCMU, freq, 75, amplitude=700)
                for phone, leg, freq in zip(phones, legs, TONES, strict=True)
            )
        )
        decoder = get_decoder(PCMU)
        for n, phone in enumerate(phones):
            packets = [p for p in phone.packets() if p.payload_type == 0]
            assert len({p.ssrc for p in packets}) == 1
            audio = np.concatenate([decoder.decode(p.payload) for p in packets])
            steady = audio[-int(0.6 * 8000) :]
            levels = [_level(steady, 8000, f) for f in TONES]
            assert levels[n] < 60, (n, levels[n])  # not itself
            others = [level for m, level in enumerate(levels) if m != n]
            assert min(others) > 300, (n, [round(v) for v in levels])  # each of the 31 others
    finally:
        for phone in phones:
            phone.close()
        await engine.close()
