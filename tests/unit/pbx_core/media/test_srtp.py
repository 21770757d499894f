"""SDES (RFC 4568) attributes, the SRTP policy per leg, and the SRTP transform (RFC 3711)."""

from __future__ import annotations

import base64

import pytest

from pbx_core.errors import MediaError
from pbx_core.media.leg_sdp import NegotiatedLeg
from pbx_core.media.rtp import RtpPacket
from pbx_core.media.sdp import SessionDescription
from pbx_core.media.srtp import (
    CryptoAttribute,
    SrtpKeys,
    SrtpNegotiation,
    SrtpTransform,
    crypto_lines,
    is_secure_profile,
    offer_refusal,
    offers_savp,
)

# RFC 4568 §4 and §9.2 examples
RFC_EXAMPLE = "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4"
RFC_EXAMPLE_32 = (
    "2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32"
)
RFC_EXAMPLE_F8 = (
    "1 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;"
    "inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP"
)
KEY = bytes(range(30))
KEY_B64 = base64.b64encode(KEY).decode()


def test_rfc_4568_examples_parse_and_round_trip() -> None:
    crypto = CryptoAttribute.parse(RFC_EXAMPLE)
    assert crypto.tag == 1
    assert crypto.suite == "AES_CM_128_HMAC_SHA1_80"
    assert len(crypto.key_salt) == 30
    assert crypto.lifetime == "2^20"
    assert crypto.mki == "1:4"
    assert str(crypto) == RFC_EXAMPLE
    short = CryptoAttribute.parse(RFC_EXAMPLE_32)
    assert (short.tag, short.suite, short.mki) == (2, "AES_CM_128_HMAC_SHA1_32", "1:32")
    assert str(short) == RFC_EXAMPLE_32
    f8 = CryptoAttribute.parse(RFC_EXAMPLE_F8)
    assert f8.session_params == ("FEC_ORDER=FEC_SRTP",)
    assert not f8.usable  # unknown suite, MKI, session parameter


def test_what_we_can_key_from() -> None:
    plain = CryptoAttribute(1, "AES_CM_128_HMAC_SHA1_80", KEY)
    assert plain.usable
    assert str(plain) == f"1 AES_CM_128_HMAC_SHA1_80 inline:{KEY_B64}"
    assert CryptoAttribute.parse(str(plain)) == plain
    assert not CryptoAttribute.parse(RFC_EXAMPLE).usable  # an MKI we do not handle
    assert not CryptoAttribute.parse(RFC_EXAMPLE).usable
    assert not CryptoAttribute(1, "AES_CM_128_HMAC_SHA1_80", KEY[:16]).usable
    assert not CryptoAttribute(1, "AES_CM_128_HMAC_SHA1_80", KEY, lifetime="2^20").usable
    assert CryptoAttribute(1, "AES_CM_128_HMAC_SHA1_80", KEY, lifetime="2^31").usable
    assert not CryptoAttribute(1, "AES_CM_128_HMAC_SHA1_80", KEY, session_params=("KDR=1",)).usable


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1 AES_CM_128_HMAC_SHA1_80", "SDP crypto attribute is malformed"),
        ("x AES_CM_128_HMAC_SHA1_80 inline:AAAA", "SDP crypto tag is invalid"),
        ("1 AES-CM inline:AAAA", "SDP crypto suite is invalid"),
        ("1 AES_CM_128_HMAC_SHA1_80 uri:http://x", "SDP crypto key method is not inline"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:!!!!", "SDP crypto key is not base64"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:AAAA|x", "SDP crypto key parameters are malformed"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:AAAA|1|2|3", "SDP crypto key parameters are malformed"),
    ],
)
def test_malformed_crypto_attributes(text: str, error: str) -> None:
    with pytest.raises(ValueError) as caught:
        CryptoAttribute.parse(text)
    assert str(caught.value) == error


def test_crypto_lines_skip_malformed_ones() -> None:
    attrs: list[tuple[str, str | None]] = [
        ("crypto", "bad"),
        ("rtcp-mux", None),
        ("crypto", f"3 AES_CM_128_HMAC_SHA1_32 inline:{KEY_B64}"),
    ]
    assert [c.tag for c in crypto_lines(attrs)] == [3]


def test_secure_profiles() -> None:
    assert is_secure_profile("RTP/SAVP") and is_secure_profile("RTP/SAVPF")
    assert not is_secure_profile("RTP/AVP")


_CRYPTO = [("crypto", f"1 AES_CM_128_HMAC_SHA1_80 inline:{KEY_B64}")]


@pytest.mark.parametrize(
    ("policy", "secure", "proto", "attrs", "refusal"),
    [
        ("optional", True, "RTP/SAVP", _CRYPTO, None),
        ("optional", False, "RTP/SAVP", _CRYPTO, "SRTP keys are accepted over TLS only"),
        ("off", True, "RTP/SAVP", _CRYPTO, "SRTP is not enabled"),
        ("optional", True, "RTP/SAVP", [], "no supported SRTP crypto suite"),
        ("optional", False, "RTP/AVP", _CRYPTO, None),  # best effort: ignored, plain RTP
        ("mandatory", True, "RTP/AVP", [], "SRTP is required"),
        ("mandatory", False, "RTP/AVP", _CRYPTO, "SRTP is required"),
        ("mandatory", True, "RTP/AVP", _CRYPTO, None),
        ("mandatory", True, "RTP/SAVP", _CRYPTO, None),
    ],
)
def test_which_offers_are_answered(
    policy: str, secure: bool, proto: str, attrs: list[tuple[str, str | None]], refusal: str | None
) -> None:
    negotiation = SrtpNegotiation(policy, secure=secure)  # type: ignore[arg-type]
    assert negotiation.refusal(proto, attrs) == refusal


def test_answer_takes_the_first_usable_key_and_gives_ours() -> None:
    negotiation = SrtpNegotiation("optional", secure=True)
    attrs = [("crypto", RFC_EXAMPLE), *_CRYPTO]  # the first has an MKI: skipped
    proto, ours = negotiation.answer("RTP/SAVP", attrs)
    assert proto == "RTP/SAVP"
    assert ours is not None and ours.tag == 1 and ours.suite == "AES_CM_128_HMAC_SHA1_80"
    assert negotiation.keys == SrtpKeys("AES_CM_128_HMAC_SHA1_80", ours.key_salt, KEY)
    again = negotiation.answer("RTP/SAVP", attrs)[1]
    assert again is not None and again.key_salt == ours.key_salt  # our key stays
    assert SrtpNegotiation("optional", secure=False).answer("RTP/AVP", _CRYPTO) == (
        "RTP/AVP",
        None,
    )


def test_offers_by_policy_and_transport() -> None:
    assert SrtpNegotiation("optional", secure=False).offer() == ("RTP/AVP", [])
    assert SrtpNegotiation("off", secure=True).offer() == ("RTP/AVP", [])
    proto, lines = SrtpNegotiation("optional", secure=True).offer()
    assert proto == "RTP/AVP"  # best effort: a phone without SRTP still answers
    assert [c.suite for c in lines] == ["AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"]
    assert SrtpNegotiation("optional", secure=True, savp=True).offer()[0] == "RTP/SAVP"
    assert SrtpNegotiation("mandatory", secure=True).offer()[0] == "RTP/SAVP"


def test_reading_answers_to_our_offer() -> None:
    offerer = SrtpNegotiation("optional", secure=True)
    _, lines = offerer.offer()
    theirs = f"2 AES_CM_128_HMAC_SHA1_32 inline:{KEY_B64}"
    offerer.read_answer("RTP/AVP", [("crypto", theirs)])
    assert offerer.keys == SrtpKeys("AES_CM_128_HMAC_SHA1_32", lines[1].key_salt, KEY)
    offerer.read_answer("RTP/AVP", [])  # a phone without SRTP: plain RTP
    assert offerer.keys is None
    strict = SrtpNegotiation("mandatory", secure=True)
    strict.offer()
    with pytest.raises(MediaError, match="the answer has no SRTP key"):
        strict.read_answer("RTP/SAVP", [])
    with pytest.raises(MediaError, match="the answer has no SRTP key"):
        strict.read_answer("RTP/SAVP", [("crypto", f"9 AES_CM_128_HMAC_SHA1_80 inline:{KEY_B64}")])


def _packet(seq: int) -> bytes:
    return bytes(RtpPacket(0, False, seq, seq * 160, 0x1234, b"\xd5" * 160))


def test_transform_round_trip_and_tampering() -> None:
    a_key, b_key = bytes(30), bytes(range(1, 31))
    a = SrtpTransform(SrtpKeys("AES_CM_128_HMAC_SHA1_80", a_key, b_key))
    b = SrtpTransform(SrtpKeys("AES_CM_128_HMAC_SHA1_80", b_key, a_key))
    plain = _packet(1)
    sent = a.protect(plain)
    assert sent is not None and len(sent) == len(plain) + 10  # 80-bit tag
    assert sent[12:] != plain[12:]  # the payload is encrypted
    assert b.unprotect(sent) == plain
    assert b.unprotect(sent) is None  # a replay
    tampered = bytearray(a.protect(_packet(2)) or b"")
    tampered[20] ^= 1
    assert b.unprotect(bytes(tampered)) is None
    assert (b.unprotected, b.failed) == (1, 2)
    short = SrtpTransform(SrtpKeys("AES_CM_128_HMAC_SHA1_32", a_key, b_key))
    assert len(short.protect(_packet(1)) or b"") == len(plain) + 4  # 32-bit tag


def test_transform_rtcp_round_trip() -> None:
    from pbx_core.media.rtcp import RtcpRrPacket, serialize_rtcp

    report = serialize_rtcp([RtcpRrPacket(ssrc=0x1234, reports=[])])
    a = SrtpTransform(SrtpKeys("AES_CM_128_HMAC_SHA1_80", bytes(30), bytes(range(30))))
    b = SrtpTransform(SrtpKeys("AES_CM_128_HMAC_SHA1_80", bytes(range(30)), bytes(30)))
    sent = a.protect_rtcp(report)
    assert sent is not None and sent != report
    assert b.unprotect_rtcp(sent) == report


def test_new_remote_key_keeps_our_sending_context() -> None:
    keys = SrtpKeys("AES_CM_128_HMAC_SHA1_80", bytes(30), bytes(range(30)))
    transform = SrtpTransform(keys)
    receiver = SrtpTransform(SrtpKeys("AES_CM_128_HMAC_SHA1_80", bytes(range(30)), bytes(30)))
    assert receiver.unprotect(transform.protect(_packet(1)) or b"") is not None
    transform.update(SrtpKeys(keys.suite, keys.local, bytes(range(2, 32))))
    assert receiver.unprotect(transform.protect(_packet(2)) or b"") is not None


def test_legs_offer_and_answer_with_crypto() -> None:
    """An SRTP offer from one leg answered by another: both end with the same two keys."""
    offerer = NegotiatedLeg("127.0.0.1", 20000)
    offerer.srtp = SrtpNegotiation("optional", secure=True, savp=True)
    answerer = NegotiatedLeg("127.0.0.1", 20002)
    answerer.srtp = SrtpNegotiation("optional", secure=True)
    offer = SessionDescription.parse(bytes(offerer.offer()))
    assert offer.media[0].proto == "RTP/SAVP"
    assert len(crypto_lines(offer.media[0].attributes)) == 2
    answer = SessionDescription.parse(bytes(answerer.answer(offer)))
    assert answer.media[0].proto == "RTP/SAVP"
    assert len(crypto_lines(answer.media[0].attributes)) == 1
    offerer.accept_answer(answer)
    assert offerer.srtp_transform is not None and answerer.srtp_transform is not None
    mine, theirs = offerer.srtp_transform.keys, answerer.srtp_transform.keys
    assert (mine.local, mine.remote) == (theirs.remote, theirs.local)


def test_plain_legs_stay_plain() -> None:
    offerer = NegotiatedLeg("127.0.0.1", 20000)
    answerer = NegotiatedLeg("127.0.0.1", 20002)
    offer = SessionDescription.parse(bytes(offerer.offer()))
    assert offer.media[0].proto == "RTP/AVP"
    assert crypto_lines(offer.media[0].attributes) == []
    offerer.accept_answer(SessionDescription.parse(bytes(answerer.answer(offer))))
    assert offerer.srtp_transform is None and answerer.srtp_transform is None


def test_an_srtp_offer_over_plain_signaling_is_refused() -> None:
    offerer = NegotiatedLeg("127.0.0.1", 20000)
    offerer.srtp = SrtpNegotiation("optional", secure=True, savp=True)
    offer = SessionDescription.parse(bytes(offerer.offer()))
    plain_side = NegotiatedLeg("127.0.0.1", 20002)  # its phone is on UDP
    with pytest.raises(MediaError, match="SRTP keys are accepted over TLS only"):
        plain_side.answer(offer)


def _offer_body(proto: str, crypto: bool) -> bytes:
    lines = [
        "v=0",
        "o=- 1 1 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        f"m=audio 4000 {proto} 0",
    ]
    if crypto:
        lines.append(f"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{KEY_B64}")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_new_calls_are_checked_before_they_ring() -> None:
    savp = _offer_body("RTP/SAVP", crypto=True)
    assert offer_refusal(savp, "optional", secure=True) is None
    assert offer_refusal(savp, "optional", secure=False) == "SRTP keys are accepted over TLS only"
    assert offer_refusal(_offer_body("RTP/AVP", False), "mandatory", secure=True) == (
        "SRTP is required"
    )
    assert offer_refusal(b"not sdp", "mandatory", secure=False) is None  # the machine's 400
    assert offers_savp(SessionDescription.parse(savp))
    assert not offers_savp(SessionDescription.parse(_offer_body("RTP/AVP", True)))
    assert not offers_savp(None)
