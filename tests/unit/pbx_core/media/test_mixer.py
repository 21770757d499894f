"""Mix-minus: each member hears the others and not itself (FFT), modes, saturation, rooms."""

from __future__ import annotations

import numpy as np
import pytest

from pbx_core.media.codecs import G722, PCMA, PCMU, get_decoder, get_encoder
from pbx_core.media.mixer import MemberMode, Mixer
from pbx_core.media.room import Room
from tests.unit.pbx_core.media._audio import level, sine

RATE = 16000
WINDOW = 1600  # 0.1 s: 10 Hz bins


def _tones(count: int, step: float) -> dict[str, float]:
    return {f"m{i}": 200.0 + step * i for i in range(count)}


@pytest.mark.parametrize(("count", "step"), [(8, 150.0), (32, 50.0)])
def test_each_member_hears_everyone_but_itself(count: int, step: float) -> None:
    freqs = _tones(count, step)
    mixer = Mixer(WINDOW)
    for member in freqs:
        mixer.add(member)
    inputs = {m: sine(f, WINDOW, RATE, amplitude=800) for m, f in freqs.items()}
    frames = mixer.mix(inputs).frames
    for member, own in freqs.items():
        heard = frames[member]
        assert level(heard, RATE, own, width=5) < 20  # not itself
        others = [level(heard, RATE, f, width=5) for m, f in freqs.items() if m != member]
        assert min(others) > 600  # every other member, at about its own level


def test_listen_mode_hears_the_room_and_is_heard_by_no_one() -> None:
    mixer = Mixer(WINDOW)
    mixer.add("a")
    mixer.add("b")
    mixer.add("sup", "listen")
    inputs = {
        "a": sine(400, WINDOW, RATE),
        "b": sine(700, WINDOW, RATE),
        "sup": sine(1100, WINDOW, RATE),
    }
    result = mixer.mix(inputs)
    frames = result.frames
    assert level(frames["sup"], RATE, 400) > 2500 and level(frames["sup"], RATE, 700) > 2500
    assert level(frames["a"], RATE, 1100) < 20 and level(frames["b"], RATE, 1100) < 20
    assert frames["sup"] is result.shared  # a plain listener gets the one shared mix


def test_whisper_is_heard_only_by_its_target() -> None:
    mixer = Mixer(WINDOW)
    for member in ("agent", "caller"):
        mixer.add(member)
    mixer.add("sup", MemberMode.parse("whisper:agent"))
    inputs = {
        "agent": sine(400, WINDOW, RATE),
        "caller": sine(700, WINDOW, RATE),
        "sup": sine(1100, WINDOW, RATE),
    }
    frames = mixer.mix(inputs).frames
    assert level(frames["agent"], RATE, 1100) > 2500  # coached
    assert level(frames["caller"], RATE, 1100) < 20  # the caller never hears the supervisor
    assert level(frames["sup"], RATE, 400) > 2500 and level(frames["sup"], RATE, 700) > 2500
    assert level(frames["sup"], RATE, 1100) < 20


def test_modes_parse_and_print() -> None:
    assert str(MemberMode.parse("whisper:leg-7")) == "whisper:leg-7"
    assert MemberMode.parse("listen") == MemberMode("listen")
    with pytest.raises(ValueError, match=r"^unknown room mode 'shout'$"):
        MemberMode.parse("shout")
    with pytest.raises(ValueError, match=r"^unknown room mode 'whisper:'$"):
        MemberMode.parse("whisper:")


def test_loud_sums_saturate_instead_of_wrapping() -> None:
    mixer = Mixer(4)
    for member in ("a", "b", "c"):
        mixer.add(member)
    loud = np.full(4, 30000, dtype=np.int16)
    quiet = np.full(4, -30000, dtype=np.int16)
    frames = mixer.mix({"a": loud, "b": loud, "c": quiet}).frames
    assert frames["c"].tolist() == [32767] * 4  # 60000 clipped, not wrapped negative
    assert frames["a"].tolist() == [0] * 4
    frames = mixer.mix({"a": quiet, "b": quiet}).frames
    assert frames["c"].tolist() == [-32768] * 4


def _packetise(freq: float, codec_rate: int, frames: int) -> list[np.ndarray]:
    samples = codec_rate // 50
    return [sine(freq, samples, codec_rate, 6000, start=n * samples) for n in range(frames)]


def test_a_room_mixes_members_of_different_codecs() -> None:
    room = Room("8000")
    codecs = {"a": PCMU, "b": PCMA, "c": G722}
    freqs = {"a": 500.0, "b": 900.0, "c": 1300.0}
    for member in codecs:
        room.join(member, tones=False)
    encoders = {m: get_encoder(c) for m, c in codecs.items()}
    decoders = {m: get_decoder(c) for m, c in codecs.items()}
    heard: dict[str, list[np.ndarray]] = {m: [] for m in codecs}
    frames = 60
    pcm = {m: _packetise(freqs[m], codecs[m].sample_rate, frames) for m in codecs}
    for n in range(frames):
        for member, codec in codecs.items():
            payload = encoders[member].encode(pcm[member][n])
            room.receive(member, codec, 100 + n, 160 * n, payload, n * 0.02)
        for member, payload in room.tick(codecs).items():
            heard[member].append(decoders[member].decode(payload))
    for member, codec in codecs.items():
        audio = np.concatenate(heard[member][20:])  # after the jitter buffer filled
        rate = codec.sample_rate
        assert level(audio, rate, freqs[member]) < 60
        for other in codecs:
            if other != member:
                assert level(audio, rate, freqs[other]) > 3000


def test_room_tones_on_join_and_leave_unless_turned_off() -> None:
    room = Room("8001")
    room.join("a", tones=False)
    silent = room.tick({"a": PCMU})["a"]
    assert silent == get_encoder(PCMU).encode(np.zeros(160, dtype=np.int16))
    room.join("b")
    audio = np.concatenate(
        [get_decoder(PCMU).decode(room.tick({"a": PCMU, "b": PCMU})["a"]) for _ in range(5)]
    )
    assert level(audio, 8000, 660) > 500  # the rising join beep
    room.leave("b")
    assert room.members == ("a",)
    audio = np.concatenate(
        [get_decoder(PCMU).decode(room.tick({"a": PCMU})["a"]) for _ in range(5)]
    )
    assert level(audio, 8000, 880) > 500  # the leave beep starts high
    assert room.mode("a") == "talk"


def test_joining_again_changes_the_mode_without_a_tone() -> None:
    room = Room("8002")
    room.join("agent", tones=False)
    room.join("sup", "listen", tones=False)
    room.join("sup", "whisper:agent")
    assert room.mode("sup") == "whisper:agent" and room.members == ("agent", "sup")
    audio = get_decoder(PCMU).decode(room.tick({"agent": PCMU, "sup": PCMU})["agent"])
    assert not audio.any()  # no join tone for a change of mode
    with pytest.raises(ValueError, match=r"^unknown room mode 'boss'$"):
        room.join("sup", "boss")
