"""SIP MESSAGE parts that need no network: reading a phone's text, building ours."""

from __future__ import annotations

import pytest

from pbx_core.chat import MAX_TEXT
from pbx_core.signaling.message import SipRequest, parse_message
from pbx_core.signaling.messaging import (
    UDP_TEXT_LIMIT,
    MessageRefusedError,
    build_message,
    incoming_text,
)
from pbx_core.signaling.uri import SipUri


def _message(body: bytes, content_type: str | None = "text/plain;charset=UTF-8") -> SipRequest:
    head = (
        "MESSAGE sip:202@127.0.0.1 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
        "Max-Forwards: 70\r\n"
        "From: <sip:201@127.0.0.1>;tag=a\r\n"
        "To: <sip:202@127.0.0.1>\r\n"
        "Call-ID: m1@127.0.0.1\r\n"
        "CSeq: 1 MESSAGE\r\n"
    )
    if content_type is not None:
        head += f"Content-Type: {content_type}\r\n"
    data = (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    request = parse_message(data)
    assert isinstance(request, SipRequest)
    return request


def test_plain_text_in_utf8_or_ascii_is_read() -> None:
    assert incoming_text(_message("Hoi 👋".encode())) == "Hoi 👋"
    assert incoming_text(_message(b"hi", "text/plain")) == "hi"
    assert incoming_text(_message(b"hi", 'Text/Plain; charset="us-ascii"')) == "hi"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{}", "application/json", 415),
        (b"hi", None, 415),
        (b"hi", "text/plain;charset=iso-8859-1", 415),
        (b"\xff\xfe", "text/plain", 400),
        (b"   ", "text/plain", 400),
        (b"x" * (MAX_TEXT + 1), "text/plain", 413),
    ],
)
def test_what_cannot_be_stored_is_refused(
    body: bytes, content_type: str | None, status: int
) -> None:
    with pytest.raises(MessageRefusedError) as refused:
        incoming_text(_message(body, content_type))
    assert refused.value.status == status
    if status == 415:
        assert ("Accept", "text/plain") in refused.value.headers


def test_our_message_to_a_phone() -> None:
    target = SipUri("202", "127.0.0.1", 5070)
    request = build_message("10.0.0.1", "201", "Anna de Vries", target, "202", "Hoi 👋", udp=True)
    request.headers.prepend("Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-x")  # the UA's
    again = parse_message(bytes(request))
    assert isinstance(again, SipRequest)
    assert again.method == "MESSAGE" and str(again.uri) == "sip:202@127.0.0.1:5070"
    assert again.from_addr.display_name == "Anna de Vries"
    assert again.from_addr.uri.user == "201" and again.from_addr.tag
    assert again.to_addr.uri.user == "202"
    assert again.content_type == "text/plain;charset=UTF-8"
    assert again.body.decode() == "Hoi 👋"


def test_a_long_text_is_cut_over_udp_at_a_character_boundary_only() -> None:
    target = SipUri("202", "127.0.0.1", 5070)
    text = "é" * 1000  # 2000 bytes
    cut = build_message("h", "201", None, target, "202", text, udp=True).body
    assert len(cut) <= UDP_TEXT_LIMIT and cut.decode().endswith("…")
    whole = build_message("h", "201", None, target, "202", text, udp=False).body
    assert whole.decode() == text
