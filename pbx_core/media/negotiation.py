"""SDP offer/answer for one audio stream (RFC 3264 §5-§8) over the codecs the engine handles.

Pure: builds and reads session descriptions; ``leg.py`` applies the outcome to its sockets.
Rules kept here: the answer picks the first codec in the *offer's* order that we support and
keeps the offer's payload type numbers (§6.1); telephone-event (RFC 4733) rides along when
both sides have it; other media sections are rejected with port 0 (§6); a connection address
of 0.0.0.0 is the RFC 2543 hold and counts as "do not send to me" (§8.4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pbx_core.errors import MediaError
from pbx_core.media.codecs import SUPPORTED, TELEPHONE_EVENT, CodecSpec, find_codec
from pbx_core.media.sdp import DIRECTIONS, MediaDescription, Origin, RtpMap, SessionDescription

__all__ = [
    "DTMF_EVENTS",
    "Negotiated",
    "answer_direction",
    "build_answer",
    "build_offer",
    "can_receive",
    "can_send",
    "offered_codecs",
    "read_answer",
]

DTMF_EVENTS = "0-16"
_DYNAMIC_TELEPHONE_EVENT = 101
_HOLD_ADDRESS = "0.0.0.0"


@dataclass(frozen=True, slots=True)
class Negotiated:
    """What one completed offer/answer means for the leg's RTP."""

    codec: CodecSpec
    payload_type: int  # PT we send the codec with
    dtmf_payload_type: int | None
    remote: tuple[str, int] | None  # where the peer wants RTP; None if it wants none
    remote_direction: str  # the peer's direction, with c=0.0.0.0 taken as "don't send to me"
    receive_map: dict[int, CodecSpec]  # PTs the peer may send us, by our own description
    ptime: int | None = None


def can_send(direction: str) -> bool:
    return direction in ("sendrecv", "sendonly")


def can_receive(direction: str) -> bool:
    return direction in ("sendrecv", "recvonly")


def _direction(send: bool, receive: bool) -> str:
    return DIRECTIONS[
        [(True, True), (True, False), (False, True), (False, False)].index((send, receive))
    ]


def answer_direction(offered: str, wanted: str = "sendrecv") -> str:
    """§6.1: mirror the offer's direction, narrowed to what we want."""
    return _direction(
        can_receive(offered) and can_send(wanted), can_send(offered) and can_receive(wanted)
    )


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown media direction {direction!r}")


def _codec_map(media: MediaDescription) -> dict[int, CodecSpec]:
    """Payload types of a media section that name codecs we support."""
    out: dict[int, CodecSpec] = {}
    for pt in media.formats:
        rtpmap = media.codec(pt)
        if rtpmap is not None:
            spec = find_codec(rtpmap.encoding_name, rtpmap.clock_rate, rtpmap.channels)
            if spec is not None:
                out[pt] = spec
    return out


def _audio_index(session: SessionDescription) -> int | None:
    for index, media in enumerate(session.media):
        if media.kind == "audio" and "RTP" in media.proto:
            return index
    return None


def offered_codecs(offer: SessionDescription) -> list[CodecSpec]:
    """Supported codecs of the offer's audio stream, in the offer's order, without repeats."""
    index = _audio_index(offer)
    if index is None or offer.media[index].port == 0:
        return []
    out: list[CodecSpec] = []
    for spec in _codec_map(offer.media[index]).values():
        if spec not in out:
            out.append(spec)
    return out


def _remote(
    session: SessionDescription, media: MediaDescription
) -> tuple[tuple[str, int] | None, str]:
    address = session.connection_for(media)
    direction = media.direction
    if address == _HOLD_ADDRESS:
        direction = _direction(can_send(direction), False)
    if address is None or address == _HOLD_ADDRESS or media.port == 0:
        return None, direction
    return (address, media.port), direction


def _audio_media(
    port: int, payloads: list[tuple[int, CodecSpec]], direction: str
) -> MediaDescription:
    media = MediaDescription(kind="audio", port=port, proto="RTP/AVP", direction=direction)
    for pt, spec in payloads:
        media.formats.append(pt)
        media.rtpmap[pt] = RtpMap(spec.name, spec.clock_rate, spec.channels)
        if spec == TELEPHONE_EVENT:
            media.fmtp[pt] = DTMF_EVENTS
    media.ptime = 20
    return media


def _session(origin: Origin, host: str, media: list[MediaDescription]) -> SessionDescription:
    return SessionDescription(origin=origin, session_name="-", connection=host, media=media)


def build_offer(
    *,
    origin: Origin,
    host: str,
    port: int,
    codecs: Sequence[CodecSpec],
    direction: str,
    dtmf: bool = True,
) -> SessionDescription:
    """Our offer: the codecs in the given order (static PTs, 101 for telephone-event).

    With ``dtmf`` telephone-event is added when ``codecs`` lacks it, so re-offers that name only
    the call's codec keep RFC 4733 events working.
    """
    _check_direction(direction)
    payloads: list[tuple[int, CodecSpec]] = []
    if dtmf and TELEPHONE_EVENT not in codecs:
        codecs = [*codecs, TELEPHONE_EVENT]
    for spec in codecs:
        if spec not in SUPPORTED:
            raise MediaError(f"codec {spec.name}/{spec.clock_rate} is not supported")
        pt = spec.static_pt if spec.static_pt is not None else _DYNAMIC_TELEPHONE_EVENT
        if all(pt != used for used, _ in payloads):
            payloads.append((pt, spec))
    if not any(spec.is_audio for _, spec in payloads):
        raise MediaError("no common codec")
    return _session(origin, host, [_audio_media(port, payloads, direction)])


def read_answer(offer: SessionDescription, answer: SessionDescription) -> Negotiated:
    """What the peer's answer to our offer agreed on; MediaError if it agreed on nothing."""
    index = _audio_index(offer)
    if index is None or len(answer.media) <= index or answer.media[index].kind != "audio":
        raise MediaError("answer has no audio stream")
    ours, theirs = offer.media[index], answer.media[index]
    if theirs.port == 0:
        raise MediaError("audio stream rejected")
    ours_map = _codec_map(ours)
    theirs_map = _codec_map(theirs)
    chosen = next(
        ((pt, s) for pt, s in theirs_map.items() if s.is_audio and s in ours_map.values()), None
    )
    if chosen is None:
        raise MediaError("no common codec")
    dtmf = next((pt for pt, s in theirs_map.items() if s == TELEPHONE_EVENT), None)
    if TELEPHONE_EVENT not in ours_map.values():
        dtmf = None
    remote, remote_direction = _remote(answer, theirs)
    return Negotiated(
        codec=chosen[1],
        payload_type=chosen[0],
        dtmf_payload_type=dtmf,
        remote=remote,
        remote_direction=remote_direction,
        receive_map={**theirs_map, **ours_map},
        ptime=theirs.ptime,
    )


def build_answer(
    offer: SessionDescription,
    *,
    origin: Origin,
    host: str,
    port: int,
    codecs: Sequence[CodecSpec],
    direction: str | None,
    dtmf: bool = True,
) -> tuple[SessionDescription, Negotiated | None]:
    """Our answer to the peer's offer; Negotiated is None when the audio stream is rejected.

    telephone-event is answered whenever offered, unless ``dtmf`` is False and ``codecs``
    lacks it.
    """
    if direction is not None:
        _check_direction(direction)
    index = _audio_index(offer)
    answer_media: list[MediaDescription] = []
    negotiated: Negotiated | None = None
    for position, media in enumerate(offer.media):
        if position != index or media.port == 0:
            rejected = MediaDescription(kind=media.kind, port=0, proto=media.proto)
            rejected.formats = media.formats[:1]
            rejected.other_formats = media.other_formats[:1]
            rejected.direction = "inactive"
            answer_media.append(rejected)
            continue
        offered = _codec_map(media)
        chosen = next(((pt, s) for pt, s in offered.items() if s.is_audio and s in codecs), None)
        if chosen is None:
            raise MediaError("no common codec")
        payloads = [chosen]
        dtmf_pt = None
        if dtmf or TELEPHONE_EVENT in codecs:
            dtmf_pt = next((pt for pt, s in offered.items() if s == TELEPHONE_EVENT), None)
            if dtmf_pt is not None:
                payloads.append((dtmf_pt, TELEPHONE_EVENT))
        ours = answer_direction(media.direction, direction or "sendrecv")
        remote, remote_direction = _remote(offer, media)
        if offer.connection_for(media) == _HOLD_ADDRESS:
            ours = answer_direction(remote_direction, direction or "sendrecv")
        answer_media.append(_audio_media(port, payloads, ours))
        negotiated = Negotiated(
            codec=chosen[1],
            payload_type=chosen[0],
            dtmf_payload_type=dtmf_pt,
            remote=remote,
            remote_direction=remote_direction,
            receive_map=dict(offered),
            ptime=media.ptime,
        )
    return _session(origin, host, answer_media), negotiated
