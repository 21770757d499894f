"""Per-leg routes of a room, ready for supervisors: listen (hears both, heard by none), whisper
(heard by the agent only) and barge (heard by both), on a real engine with loopback phones; who
hears whom is decided by FFT of what each phone receives, phase by phase."""

from __future__ import annotations

import asyncio

from pbx_core.media import MediaEngine, MediaLeg
from tests.component.media.phones import Phone
from tests.component.media.test_stream_continuity import OFFER, _level, _phase, _talk

# the agent, the caller and the supervisor, each with its own tone
TONES = {"agent": 2100.0, "caller": 2500.0, "supervisor": 2900.0}


async def _heard(phones: dict[str, Phone]) -> dict[str, set[str]]:
    """Whom each phone hears during one phase (all phones listened to at once)."""
    audio = await asyncio.gather(*(_phase(phone, 0.8) for phone in phones.values()))
    return {
        name: {who for who, freq in TONES.items() if _level(pcm, freq) > 1000}
        for name, pcm in zip(phones, audio, strict=True)
    }


async def test_listen_whisper_and_barge(engine: MediaEngine, phone_factory) -> None:
    phones = {name: await phone_factory() for name in TONES}
    legs: dict[str, MediaLeg] = {}
    for n, name in enumerate(TONES):
        phones[name].ssrc += n
        leg = legs[name] = await engine.open_leg(name)
        leg.answer(phones[name].sdp(OFFER))
    stop = asyncio.Event()
    talkers = [asyncio.create_task(_talk(phones[n], legs[n], TONES[n], stop)) for n in TONES]
    try:
        engine.join_room(legs["agent"], "q1", tones=False)
        engine.join_room(legs["caller"], "q1", tones=False)
        engine.join_room(legs["supervisor"], "q1", mode="listen", tones=False)
        assert await _heard(phones) == {
            "agent": {"caller"},
            "caller": {"agent"},
            "supervisor": {"agent", "caller"},
        }
        engine.join_room(legs["supervisor"], "q1", mode="whisper:agent", tones=False)
        assert await _heard(phones) == {
            "agent": {"caller", "supervisor"},
            "caller": {"agent"},
            "supervisor": {"agent", "caller"},
        }
        engine.join_room(legs["supervisor"], "q1", mode="talk", tones=False)  # barge
        assert await _heard(phones) == {
            "agent": {"caller", "supervisor"},
            "caller": {"agent", "supervisor"},
            "supervisor": {"agent", "caller"},
        }
    finally:
        stop.set()
        await asyncio.gather(*talkers)
