"""DTMF: RFC 4733 payloads and redundancy, and the Goertzel detector on G.711 audio."""

from __future__ import annotations

import numpy as np
import pytest

from pbx_core.media.codecs import (
    G722,
    PCMA,
    PCMU,
    TELEPHONE_EVENT,
    CodecSpec,
    get_decoder,
    get_encoder,
)
from pbx_core.media.dtmf import (
    DIGITS,
    EventReceiver,
    TelephoneEvent,
    ToneDetector,
    dtmf_tone,
    event_payloads,
)
from pbx_core.media.leg_dtmf import DtmfIn, DtmfOut, OutEvent, OutTone
from pbx_core.media.player import load_wav
from pbx_core.media.prompts import PROMPTS_DIR, MusicOnHold
from tools.prompts import TEXTS


def test_telephone_event_round_trip() -> None:
    data = bytes.fromhex("058a0320")  # event 5, end, volume 10, duration 800
    event = TelephoneEvent.parse(data)
    assert event == TelephoneEvent(5, True, 10, 800)
    assert event.digit == "5" and bytes(event) == data
    assert TelephoneEvent(11).digit == "#" and TelephoneEvent(16).digit is None
    with pytest.raises(ValueError, match=r"^telephone-event payload length is invalid$"):
        TelephoneEvent.parse(b"\x05\x8a")


def test_one_digit_is_growing_packets_then_three_end_packets() -> None:
    events = [TelephoneEvent.parse(p) for p in event_payloads("#", duration=0.1)]
    assert [e.duration for e in events] == [160, 320, 480, 640, 800, 800, 800]
    assert [e.end for e in events] == [False] * 4 + [True] * 3
    assert {e.event for e in events} == {11}
    with pytest.raises(ValueError, match=r"^not a DTMF digit: 'x'$"):
        event_payloads("x")


def test_the_receiver_reports_each_event_once() -> None:
    receiver = EventReceiver()
    heard = []
    for ts, digit in ((1000, "1"), (2600, "1"), (4200, "9")):
        for payload in event_payloads(digit):
            heard.append(receiver.receive(ts, payload))
    assert [d for d in heard if d is not None] == ["1", "1", "9"]
    assert receiver.receive(9999, b"\x01") is None  # bad payloads are ignored


def _through(codec: CodecSpec, pcm: np.ndarray) -> np.ndarray:
    encoder, decoder = get_encoder(codec), get_decoder(codec)
    frame = codec.sample_rate // 50
    frames = [pcm[i : i + frame] for i in range(0, len(pcm) - frame + 1, frame)]
    return np.concatenate([decoder.decode(encoder.encode(f)) for f in frames])


def _keyed(
    digits: str, rate: int, on: float = 0.08, off: float = 0.06, level: float = -10.0
) -> np.ndarray:
    parts = []
    for digit in digits:
        parts.append(dtmf_tone(digit, int(on * rate), rate, level_dbfs=level))
        parts.append(np.zeros(int(off * rate), dtype=np.int16))
    return np.concatenate(parts)


@pytest.mark.parametrize("codec", [PCMU, PCMA, G722])
def test_goertzel_finds_all_sixteen_digits_through_a_codec(codec: CodecSpec) -> None:
    rate = codec.sample_rate
    audio = _through(codec, _keyed(DIGITS + "55", rate))
    detector = ToneDetector(rate)
    found = []
    for start in range(0, len(audio), rate // 50):
        found += detector.process(audio[start : start + rate // 50])
    assert "".join(found) == DIGITS + "55"  # each once; a repeated key twice


def test_goertzel_accepts_twist_within_limits_only() -> None:
    rate = 8000
    low, high = 697.0, 1209.0
    t = np.arange(int(0.1 * rate)) / rate

    def pair(low_db: float, high_db: float) -> np.ndarray:
        amp = lambda db: 32767 * 10 ** (db / 20)  # noqa: E731
        wave = amp(low_db) * np.sin(2 * np.pi * low * t) + amp(high_db) * np.sin(
            2 * np.pi * high * t
        )
        return np.rint(wave).astype(np.int16)

    assert ToneDetector(rate).process(pair(-10, -14)) == ["1"]  # 4 dB reverse twist
    assert ToneDetector(rate).process(pair(-10, -22)) == []  # 12 dB: not DTMF
    assert ToneDetector(rate).process(pair(-40, -40)) == []  # too quiet


def test_goertzel_ignores_speech_like_noise_music_and_single_tones() -> None:
    rate = 8000
    rng = np.random.default_rng(1)
    noise = rng.normal(0, 4000, 5 * rate)
    # Speech-like: noise shaped by a moving formant filter and a syllable envelope.
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * np.arange(len(noise)) / rate)
    speechy = np.convolve(noise, np.hanning(9), mode="same") * envelope
    music = np.concatenate([MusicOnHold().read(160, rate) for _ in range(50 * 20)])
    single = np.rint(8000 * np.sin(2 * np.pi * 941 * np.arange(rate) / rate))
    for audio in (noise, speechy, music, single):
        pcm = _through(PCMU, np.clip(audio, -32768, 32767).astype(np.int16))
        assert ToneDetector(rate).process(pcm) == []


def test_a_legs_dtmf_in_and_out() -> None:
    out = DtmfOut()
    out.queue("7", event=True)
    items = []
    while (item := out.pop()) is not None:
        items.append(item)
    assert all(isinstance(i, OutEvent) for i in items) and len(items) == 7
    assert [i.start for i in items if isinstance(i, OutEvent)] == [True] + [False] * 6
    dtmf_in = DtmfIn()
    heard = [
        d
        for i in items
        if isinstance(i, OutEvent)
        for d in dtmf_in.packet(TELEPHONE_EVENT, 4000, i.payload, inband=False)
    ]
    assert heard == ["7"]
    out.queue("*", event=False, sample_rate=8000)
    tones = []
    while (item := out.pop()) is not None:
        assert isinstance(item, OutTone)
        tones.append(item.pcm)
    encoder = get_encoder(PCMU)
    inband = DtmfIn()
    found = [d for pcm in tones for d in inband.packet(PCMU, 0, encoder.encode(pcm), inband=True)]
    assert found == ["*"]
    assert DtmfIn().packet(PCMU, 0, encoder.encode(tones[0]), inband=False) == []
    with pytest.raises(ValueError, match=r"^not a DTMF digit: 'E'$"):
        out.queue("E", event=True)


def test_goertzel_stays_quiet_through_every_spoken_prompt_and_the_music() -> None:
    """Talk-off: real (synthetic) speech in two languages and the hold music, through PCMU."""
    files = sorted(PROMPTS_DIR.glob("*/*.wav"))
    # every prompt of tools/prompts.py in each language, each language's beep, the music
    assert len(files) == sum(len(texts) + 1 for texts in TEXTS.values()) + 1
    for path in files:
        pcm = _through(PCMU, load_wav(path, 8000))
        assert ToneDetector(8000).process(pcm) == [], path.name
