"""SDP parsing and serialisation of offers as real phones send them."""

from __future__ import annotations

import pytest

from pbx_core.media.sdp import MediaDescription, Origin, RtpMap, SessionDescription

PJSIP = """v=0
o=- 3912345678 3912345678 IN IP4 192.168.1.20
s=pjmedia
b=AS:84
t=0 0
a=X-nat:0
m=audio 4000 RTP/AVP 9 0 8 101
c=IN IP4 192.168.1.20
b=TIAS:64000
a=rtcp:4001 IN IP4 192.168.1.20
a=sendrecv
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ssrc:1583209186 cname:2e6a0c3a5e7d6f1b
"""

LINPHONE = """v=0
o=bob 2349 1022 IN IP4 10.0.0.7
s=Talk
c=IN IP4 10.0.0.7
t=0 0
a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics
m=audio 7078 RTP/AVP 96 97 98 0 8 101 99 100
a=rtpmap:96 opus/48000/2
a=fmtp:96 useinbandfec=1
a=rtpmap:97 speex/16000
a=fmtp:97 vbr=on
a=rtpmap:98 speex/8000
a=fmtp:98 vbr=on
a=rtpmap:101 telephone-event/48000
a=rtpmap:99 telephone-event/16000
a=rtpmap:100 telephone-event/8000
a=rtcp-fb:* trr-int 1000
a=rtcp-fb:* ccm tmmbr
m=video 9078 RTP/AVP 96
a=rtpmap:96 VP8/90000
a=rtcp-fb:* trr-int 1000
"""

YEALINK = """v=0\r
o=- 20003 20003 IN IP4 192.168.0.102\r
s=SDP data\r
c=IN IP4 192.168.0.102\r
t=0 0\r
m=audio 11790 RTP/AVP 0 8 9 18 101\r
a=rtpmap:0 PCMU/8000\r
a=rtpmap:8 PCMA/8000\r
a=rtpmap:9 G722/8000\r
a=rtpmap:18 G729/8000\r
a=fmtp:18 annexb=no\r
a=ptime:20\r
a=sendrecv\r
a=rtpmap:101 telephone-event/8000\r
a=fmtp:101 0-15\r
"""

POLYCOM_HOLD = """v=0
o=- 1719859227 1719859228 IN IP4 172.16.0.50
s=Polycom IP Phone
c=IN IP4 172.16.0.50
t=0 0
a=sendonly
m=audio 2222 RTP/AVP 9 0 8 127
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:127 telephone-event/8000
"""

ZOIPER_OLD_HOLD = """v=0
o=Z 0 1 IN IP4 0.0.0.0
s=Z
c=IN IP4 0.0.0.0
t=0 0
m=audio 8000 RTP/AVP 3 110 8 0 98 101
a=rtpmap:110 speex/8000
a=rtpmap:98 iLBC/8000
a=fmtp:98 mode=20
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
"""


@pytest.mark.parametrize("text", [PJSIP, LINPHONE, YEALINK, POLYCOM_HOLD, ZOIPER_OLD_HOLD])
def test_round_trip(text: str) -> None:
    parsed = SessionDescription.parse(text)
    again = SessionDescription.parse(bytes(parsed))
    assert again == parsed
    assert str(again) == str(parsed)
    assert str(parsed).endswith("\r\n") and "\n" not in str(parsed).replace("\r\n", "")


def test_pjsip_offer_fields() -> None:
    sdp = SessionDescription.parse(PJSIP.encode())
    assert sdp.origin == Origin("-", 3912345678, 3912345678, "192.168.1.20")
    assert (sdp.session_name, sdp.connection, sdp.timing) == ("pjmedia", None, [(0, 0)])
    assert sdp.attributes == [("X-nat", "0")]
    (audio,) = sdp.media
    assert (audio.kind, audio.port, audio.proto) == ("audio", 4000, "RTP/AVP")
    assert audio.formats == [9, 0, 8, 101]
    assert audio.rtpmap[101] == RtpMap("telephone-event", 8000)
    assert audio.fmtp == {101: "0-16"}
    assert audio.direction == "sendrecv"
    assert sdp.connection_for(audio) == "192.168.1.20"
    assert ("rtcp", "4001 IN IP4 192.168.1.20") in audio.attributes
    assert ("b", "TIAS:64000") in audio.lines


def test_static_payload_types_known_without_rtpmap() -> None:
    media = MediaDescription(formats=[0, 8, 9, 96])
    assert media.codec(0) == RtpMap("PCMU", 8000)
    assert media.codec(8) == RtpMap("PCMA", 8000)
    assert media.codec(9) == RtpMap("G722", 8000)  # RTP clock 8000 though it samples at 16 kHz
    assert media.codec(96) is None


def test_linphone_multi_media_and_channels() -> None:
    sdp = SessionDescription.parse(LINPHONE)
    audio, video = sdp.media
    assert audio.rtpmap[96] == RtpMap("opus", 48000, 2)
    assert str(audio.rtpmap[96]) == "opus/48000/2"
    assert (video.kind, video.port, video.formats) == ("video", 9078, [96])
    assert sdp.connection_for(video) == "10.0.0.7"


def test_session_level_direction_applies_to_media_without_one() -> None:
    sdp = SessionDescription.parse(POLYCOM_HOLD)
    assert sdp.direction == "sendonly"
    assert sdp.media[0].direction == "sendonly"
    own = SessionDescription.parse(POLYCOM_HOLD.replace("127\n", "127\na=inactive\n"))
    assert own.media[0].direction == "inactive"


def test_yealink_crlf_and_ptime() -> None:
    sdp = SessionDescription.parse(YEALINK)
    assert sdp.media[0].ptime == 20
    assert sdp.media[0].fmtp == {18: "annexb=no", 101: "0-15"}


def test_hold_address_is_kept() -> None:
    sdp = SessionDescription.parse(ZOIPER_OLD_HOLD)
    assert sdp.connection == "0.0.0.0"
    assert sdp.media[0].formats == [3, 110, 8, 0, 98, 101]


def test_non_rtp_media_keeps_its_formats() -> None:
    text = PJSIP.replace("m=audio 4000 RTP/AVP 9 0 8 101", "m=image 4002 udptl t38")
    sdp = SessionDescription.parse(text)
    assert sdp.media[0].formats == [] and sdp.media[0].other_formats == ["t38"]
    assert "m=image 4002 udptl t38\r\n" in str(sdp)


NO_ORIGIN = PJSIP.replace("o=- 3912345678 3912345678 IN IP4 192.168.1.20\n", "")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "SDP must start with v=0"),
        ("v=1\r\n", "SDP must start with v=0"),
        (PJSIP.replace("s=pjmedia\n", ""), "SDP has no s= line"),
        (
            PJSIP.replace("o=- 3912345678 3912345678 IN IP4 192.168.1.20\n", ""),
            "SDP has no o= line",
        ),
        (PJSIP.replace("o=- 3912345678", "o=- x"), "SDP origin is malformed"),
        (PJSIP.replace("t=0 0", "t=0"), "SDP timing is malformed"),
        (PJSIP.replace("c=IN IP4 192", "c=IN IPX 192"), "SDP connection is malformed"),
        (PJSIP.replace("m=audio 4000", "m=audio 70000"), "SDP media port is invalid"),
        (PJSIP.replace("RTP/AVP 9 0", "RTP/AVP 9 x"), "SDP media format is invalid"),
        (PJSIP.replace("RTP/AVP 9 0", "RTP/AVP 9 128"), "SDP media format is invalid"),
        (PJSIP.replace("m=audio 4000 RTP/AVP", "m=audio 4000"), "SDP media line is malformed"),
        (PJSIP.replace("a=rtpmap:9 G722/8000", "a=rtpmap:9 G722"), "SDP rtpmap is malformed"),
        (PJSIP.replace("a=rtpmap:9 G722/8000", "a=rtpmap:x G722/8000"), "SDP rtpmap is malformed"),
        (PJSIP.replace("a=fmtp:101 0-16", "a=fmtp:y 0-16"), "SDP fmtp is malformed"),
        (PJSIP.replace("a=sendrecv", "a=ptime:0"), "SDP ptime is invalid"),
        (PJSIP.replace("a=sendrecv", "junk"), "SDP line is malformed"),
        (PJSIP.replace("a=sendrecv", "t=0 0"), "SDP line t= is not allowed in a media section"),
        (PJSIP.replace("b=AS:84", "x=1"), "SDP line x= is unknown"),
        (PJSIP.replace("s=pjmedia", "s=pjmedia\ns=again"), "SDP has more than one s= line"),
        (PJSIP + "v=0\n", "SDP line v= is not allowed in a media section"),
    ],
)
def test_malformed_descriptions(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=rf"^{error}$"):
        SessionDescription.parse(text)


def test_bounds() -> None:
    with pytest.raises(ValueError, match=r"^SDP is longer than 16384 bytes$"):
        SessionDescription.parse(PJSIP + "a=x\n" * 5000)
    with pytest.raises(ValueError, match=r"^SDP has more than 1024 lines$"):
        SessionDescription.parse(PJSIP + "a=x\n" * 1100)
    with pytest.raises(ValueError, match=r"^SDP has more than 16 media$"):
        SessionDescription.parse(PJSIP + "m=audio 0 RTP/AVP 0\n" * 16)
    many = " ".join(str(n) for n in range(65))
    with pytest.raises(ValueError, match=r"^SDP media has more than 64 formats$"):
        SessionDescription.parse(PJSIP.replace("RTP/AVP 9 0 8 101", f"RTP/AVP {many}"))
    with pytest.raises(ValueError, match=r"^SDP is not valid UTF-8$"):
        SessionDescription.parse(PJSIP.encode().replace(b"pjmedia", b"pj\xffmedia"))
