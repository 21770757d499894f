"""RFC 3264 offer/answer choices: codec order, PT numbers, directions, rejections, holds."""

from __future__ import annotations

from typing import Any

import pytest

from pbx_core.errors import MediaError
from pbx_core.media.codecs import G722, PCMA, PCMU, SUPPORTED, TELEPHONE_EVENT
from pbx_core.media.negotiation import (
    answer_direction,
    build_answer,
    build_offer,
    offered_codecs,
    read_answer,
)
from pbx_core.media.sdp import Origin, SessionDescription

ORIGIN = Origin("-", 42, 1, "203.0.113.5")

OFFER = """v=0
o=phone 1 1 IN IP4 192.168.1.20
s=-
c=IN IP4 192.168.1.20
t=0 0
m=audio 4000 RTP/AVP 18 8 0 96
a=rtpmap:18 G729/8000
a=rtpmap:96 telephone-event/8000
a=fmtp:96 0-16
a={direction}
m=video 4002 RTP/AVP 97
a=rtpmap:97 H264/90000
"""


def offer(direction: str = "sendrecv", text: str = OFFER) -> SessionDescription:
    return SessionDescription.parse(text.replace("{direction}", direction))


def answer(sdp: SessionDescription, **kwargs: Any) -> tuple[SessionDescription, Any]:
    args: dict[str, Any] = {"codecs": SUPPORTED, "direction": None}
    args.update(kwargs)
    return build_answer(sdp, origin=ORIGIN, host="203.0.113.5", port=20000, **args)


def test_answer_picks_the_first_supported_codec_in_the_offers_order() -> None:
    sdp, negotiated = answer(offer())
    audio, video = sdp.media
    assert audio.formats == [8, 96]  # G729 unsupported, PCMA before PCMU in the offer
    assert audio.rtpmap[96].encoding_name == "telephone-event"
    assert audio.fmtp == {96: "0-16"}
    assert (audio.port, audio.direction, audio.ptime) == (20000, "sendrecv", 20)
    assert (video.port, video.formats) == (0, [97])  # rejected, mirrored
    assert sdp.connection == "203.0.113.5" and sdp.origin == ORIGIN
    assert negotiated.codec == PCMA
    assert negotiated.payload_type == 8
    assert negotiated.dtmf_payload_type == 96
    assert negotiated.remote == ("192.168.1.20", 4000)


def test_answer_restricted_codecs_and_no_common_codec() -> None:
    _, negotiated = answer(offer(), codecs=[G722, PCMU])
    assert negotiated.codec == PCMU
    with pytest.raises(MediaError, match=r"^no common codec$"):
        answer(offer(), codecs=[G722])


def test_dynamic_payload_type_numbers_are_kept() -> None:
    text = OFFER.replace("18 8 0 96", "111 96").replace("rtpmap:18 G729", "rtpmap:111 PCMU")
    sdp, negotiated = answer(offer(text=text))
    assert sdp.media[0].formats == [111, 96]
    assert negotiated.payload_type == 111


def test_dtmf_only_when_offered_or_wanted() -> None:
    no_dtmf = OFFER.replace(" 96\n", "\n")
    sdp, negotiated = answer(offer(text=no_dtmf))
    assert sdp.media[0].formats == [8]
    assert negotiated.dtmf_payload_type is None
    sdp, _ = answer(offer(), codecs=[PCMA], dtmf=False)
    assert sdp.media[0].formats == [8]
    sdp, _ = answer(offer(), codecs=[PCMA])
    assert sdp.media[0].formats == [8, 96]


@pytest.mark.parametrize(
    ("offered", "wanted", "expected"),
    [
        ("sendrecv", None, "sendrecv"),
        ("sendonly", None, "recvonly"),
        ("recvonly", None, "sendonly"),
        ("inactive", None, "inactive"),
        ("sendrecv", "sendonly", "sendonly"),
        ("sendonly", "sendonly", "inactive"),
        ("sendrecv", "inactive", "inactive"),
    ],
)
def test_answer_directions(offered: str, wanted: str | None, expected: str) -> None:
    sdp, _ = answer(offer(offered), direction=wanted)
    assert sdp.media[0].direction == expected
    assert answer_direction(offered, wanted or "sendrecv") == expected


def test_rfc2543_hold_means_do_not_send() -> None:
    held = OFFER.replace("c=IN IP4 192.168.1.20", "c=IN IP4 0.0.0.0")
    sdp, negotiated = answer(offer(text=held))
    assert negotiated.remote is None
    assert negotiated.remote_direction == "sendonly"
    assert sdp.media[0].direction == "recvonly"


def test_rejected_audio_stream_is_mirrored() -> None:
    sdp, negotiated = answer(offer(text=OFFER.replace("m=audio 4000", "m=audio 0")))
    assert negotiated is None
    assert [m.port for m in sdp.media] == [0, 0]


def test_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^unknown media direction 'both'$"):
        answer(offer(), direction="both")


def test_offer_lists_codecs_in_order_with_telephone_event() -> None:
    sdp = build_offer(
        origin=ORIGIN, host="203.0.113.5", port=20002, codecs=[PCMU, G722], direction="sendonly"
    )
    (audio,) = sdp.media
    assert audio.formats == [0, 9, 101]
    assert str(audio.rtpmap[9]) == "G722/8000"
    assert audio.fmtp == {101: "0-16"}
    assert audio.direction == "sendonly"
    assert "c=IN IP4 203.0.113.5\r\n" in str(sdp)
    assert "m=audio 20002 RTP/AVP 0 9 101\r\n" in str(sdp)


def test_offer_needs_an_audio_codec() -> None:
    with pytest.raises(MediaError, match=r"^no common codec$"):
        build_offer(origin=ORIGIN, host="h", port=2, codecs=[], direction="sendrecv")


def our_offer() -> SessionDescription:
    return build_offer(
        origin=ORIGIN, host="203.0.113.5", port=20002, codecs=SUPPORTED, direction="sendrecv"
    )


def test_read_answer_uses_the_answers_payload_types() -> None:
    text = """v=0
o=b 1 1 IN IP4 10.0.0.9
s=-
c=IN IP4 10.0.0.9
t=0 0
m=audio 5004 RTP/AVP 0 110
a=rtpmap:110 telephone-event/8000
a=recvonly
"""
    negotiated = read_answer(our_offer(), SessionDescription.parse(text))
    assert (negotiated.codec, negotiated.payload_type) == (PCMU, 0)
    assert negotiated.dtmf_payload_type == 110
    assert negotiated.remote == ("10.0.0.9", 5004)
    assert negotiated.remote_direction == "recvonly"
    assert negotiated.receive_map[101] == TELEPHONE_EVENT  # ours, in case the peer uses it


def test_read_answer_failures() -> None:
    base = "v=0\no=b 1 1 IN IP4 10.0.0.9\ns=-\nc=IN IP4 10.0.0.9\nt=0 0\n"
    with pytest.raises(MediaError, match=r"^no common codec$"):
        read_answer(our_offer(), SessionDescription.parse(base + "m=audio 5004 RTP/AVP 18\n"))
    with pytest.raises(MediaError, match=r"^audio stream rejected$"):
        read_answer(our_offer(), SessionDescription.parse(base + "m=audio 0 RTP/AVP 0\n"))
    with pytest.raises(MediaError, match=r"^answer has no audio stream$"):
        read_answer(our_offer(), SessionDescription.parse(base))


def test_offered_codecs_in_callers_order() -> None:
    assert offered_codecs(offer()) == [PCMA, PCMU, TELEPHONE_EVENT]
    assert offered_codecs(offer(text=OFFER.replace("m=audio 4000", "m=audio 0"))) == []
