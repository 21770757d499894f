from __future__ import annotations

import random
from pathlib import Path

import pytest

from pbx_core.signaling.headers import CSeq, Via
from pbx_core.signaling.message import (
    MAX_BODY_BYTES,
    MAX_HEADERS,
    MAX_LINE_BYTES,
    MAX_MESSAGE_BYTES,
    REASONS,
    Headers,
    SipParseError,
    SipRequest,
    SipResponse,
    frame_length,
    make_response,
    new_branch,
    new_call_id,
    new_tag,
    parse_message,
)

FIXTURES = Path(__file__).parents[3] / "fixtures" / "sip"
GOOD = sorted(p for p in FIXTURES.glob("*.sip") if not p.name.startswith("bad_"))
BAD = sorted(FIXTURES.glob("bad_*.sip"))

BYE = (
    b"BYE sip:1001@192.0.2.10 SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 192.0.2.20;branch=z9hG4bKa\r\n"
    b"From: <sip:1002@pbx.example.com>;tag=1\r\n"
    b"To: <sip:1001@pbx.example.com>;tag=2\r\n"
    b"Call-ID: c1\r\n"
    b"CSeq: 2 BYE\r\n"
)


def test_fixture_sets_are_present() -> None:
    assert len(GOOD) >= 5
    assert len(BAD) >= 8


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_fixture_round_trip(path: Path) -> None:
    data = path.read_bytes()
    first = parse_message(data)
    assert parse_message(bytes(first)) == first
    if path.stem not in ("compact", "folded"):
        assert bytes(first) == data  # these fixtures are written canonically
    assert first.call_id and first.cseq and first.vias and first.from_addr and first.to_addr
    assert isinstance(first.contacts, list)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_fixture_exact_error(path: Path) -> None:
    expected = path.with_suffix(".error").read_text().strip()
    with pytest.raises(SipParseError) as info:
        parse_message(path.read_bytes())
    assert str(info.value) == expected


def test_invite_fields() -> None:
    msg = parse_message((FIXTURES / "invite_sdp.sip").read_bytes())
    assert isinstance(msg, SipRequest)
    assert msg.method == "INVITE"
    assert str(msg.uri) == "sip:1002@pbx.example.com"
    assert msg.call_id == "3848276298220188511@192.0.2.10"
    assert msg.cseq == CSeq(1, "INVITE")
    assert msg.branch == "z9hG4bK74bf9"
    assert msg.top_via.rport is None and "rport" in msg.top_via.params
    assert msg.from_addr.display_name == "Alice"
    assert msg.from_addr.tag == "9fxced76sl"
    assert msg.to_addr.tag is None
    assert [str(c.uri) for c in msg.contacts] == ["sip:1001@192.0.2.10:5062"]
    assert msg.content_type == "application/sdp"
    assert msg.body.startswith(b"v=0\r\n") and msg.body.endswith(b"a=sendrecv\r\n")
    assert msg.headers.get_all("Allow") == ["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS"]


def test_response_fields() -> None:
    msg = parse_message((FIXTURES / "ok_200.sip").read_bytes())
    assert isinstance(msg, SipResponse)
    assert (msg.status, msg.reason) == (200, "OK")
    assert msg.top_via.received == "198.51.100.7"
    assert msg.top_via.rport == 5062
    assert msg.to_addr.tag == "8321234356"


def test_compact_forms_expand_and_wildcard_contact() -> None:
    msg = parse_message((FIXTURES / "compact.sip").read_bytes())
    names = [name for name, _ in msg.headers]
    assert names == [
        "Via",
        "From",
        "To",
        "Call-ID",
        "CSeq",
        "Contact",
        "Supported",
        "Content-Length",
    ]
    assert msg.contact_is_wildcard
    assert msg.contacts == []
    assert msg.from_addr.tag == "abc"
    assert b"\r\nCall-ID: opt-1@192.0.2.30\r\n" in bytes(msg)


def test_folded_header_unfolded() -> None:
    msg = parse_message((FIXTURES / "folded.sip").read_bytes())
    assert msg.headers.get("subject") == "a long subject continued on the next line"
    assert msg.body == b"hello"


def test_multiple_vias_in_order() -> None:
    msg = parse_message((FIXTURES / "bye.sip").read_bytes())
    assert [(v.transport, v.host) for v in msg.vias] == [
        ("TCP", "192.0.2.20"),
        ("UDP", "2001:db8::9"),
    ]


def test_keepalive_crlfs_skipped_and_extra_body_truncated() -> None:
    data = b"\r\n\r\n" + BYE + b"Content-Length: 3\r\n\r\nabcdef"
    msg = parse_message(data)
    assert msg.body == b"abc"
    assert bytes(msg).endswith(b"Content-Length: 3\r\n\r\nabc")


def test_missing_content_length_takes_whole_datagram_and_max_forwards_optional() -> None:
    msg = parse_message(BYE + b"\r\nxyz")
    assert msg.body == b"xyz"
    assert "Max-Forwards" not in msg.headers
    assert b"Content-Length: 3\r\n" in bytes(msg)


def test_bare_lf_line_endings_accepted() -> None:
    msg = parse_message(BYE.replace(b"\r\n", b"\n") + b"\n")
    assert msg.call_id == "c1"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "empty message"),
        (b"\r\n\r\n", "empty message"),
        (b"x" * (MAX_MESSAGE_BYTES + 1), "message too large"),
        (BYE, "missing end of headers"),
        (BYE + b"Content-Length: 99999\r\n\r\n", "body too large"),
        (BYE + b"Content-Length: \xd9\xa1\r\n\r\n", "bad Content-Length"),
        (BYE + b"X: \xff\r\n\r\n", "bad encoding"),
        (BYE + b"X: a\x00b\r\n\r\n", "bad character"),
        (BYE + b"X: " + b"a" * MAX_LINE_BYTES + b"\r\n\r\n", "line too long"),
        (BYE + b"X: a\r\n" * MAX_HEADERS + b"\r\n", "too many headers"),
        (BYE + b"Max-Forwards: many\r\n\r\n", "bad Max-Forwards"),
        (BYE + b"Contact: *\r\nContact: <sip:a@b>\r\n\r\n", "bad Contact"),
        (BYE + b"Contact: <sip:a@b\r\n\r\n", "bad Contact"),
        (BYE + b"To: <sip:x@y>\r\n\r\n", "duplicate header: To"),
        (b" folded\r\n" + BYE + b"\r\n", "bad start line"),
        (BYE.replace(b"Call-ID: c1", b" continued") + b"\r\n", "missing header: Call-ID"),
        (BYE.replace(b"SIP/2.0\r\n", b"SIP/2.0 extra\r\n") + b"\r\n", "bad start line"),
        (b"SIP/2.0 099 Low\r\n" + BYE.split(b"\r\n", 1)[1] + b"\r\n", "bad status code"),
        (b"SIP/1.0 200 OK\r\n" + BYE.split(b"\r\n", 1)[1] + b"\r\n", "bad SIP version"),
    ],
)
def test_parse_errors(data: bytes, error: str) -> None:
    with pytest.raises(SipParseError) as info:
        parse_message(data)
    assert str(info.value) == error


def test_response_without_reason_phrase() -> None:
    msg = parse_message(b"SIP/2.0 200\r\n" + BYE.split(b"\r\n", 1)[1] + b"\r\n")
    assert isinstance(msg, SipResponse)
    assert (msg.status, msg.reason) == (200, "")


def test_headers_multimap() -> None:
    headers = Headers([("v", "SIP/2.0/UDP a;branch=z9hG4bK1"), ("call-id", "x")])
    headers.add("VIA", "SIP/2.0/UDP b;branch=z9hG4bK2, SIP/2.0/UDP c;branch=z9hG4bK3")
    headers.add("www-authenticate", 'Digest realm="a,b", nonce="n"')
    assert headers.get("Call-Id") == "x"
    assert headers.get("i") == "x"
    assert headers.get("missing", "d") == "d"
    assert len(headers.get_all("via")) == 3
    assert headers.get_all("WWW-Authenticate") == ['Digest realm="a,b", nonce="n"']
    assert list(headers)[-1][0] == "WWW-Authenticate"
    assert "CALL-ID" in headers and "Route" not in headers and 3 not in headers
    copy = headers.copy()
    headers.set("Via", "SIP/2.0/TCP d;branch=z9hG4bK4")
    assert [name for name, _ in headers] == ["Via", "Call-ID", "WWW-Authenticate"]
    assert len(copy) == 4 and copy != headers
    assert headers.get_all("v") == ["SIP/2.0/TCP d;branch=z9hG4bK4"]
    assert len(copy.get_all("via")) == 3  # the copy keeps its own lines and lookups
    headers.remove("via")
    assert headers.get("Via") is None and headers.get_lines("Via") == []
    headers.prepend("Route", "<sip:p;lr>")
    assert list(headers) == [
        ("Route", "<sip:p;lr>"),
        ("Call-ID", "x"),
        ("WWW-Authenticate", 'Digest realm="a,b", nonce="n"'),
    ]
    headers.set("Expires", "60")
    assert list(headers)[-1] == ("Expires", "60")
    headers.add("X-Custom-thing", "1")
    assert list(headers)[-1] == ("X-Custom-thing", "1")


def test_replace_top_via_keeps_other_hops() -> None:
    msg = parse_message((FIXTURES / "bye.sip").read_bytes())
    via = msg.top_via
    via.params["received"] = "203.0.113.5"
    msg.replace_top_via(via)
    assert msg.top_via.received == "203.0.113.5"
    assert len(msg.vias) == 2
    assert parse_message(bytes(msg)).top_via.received == "203.0.113.5"


def test_make_response_copies_headers_and_adds_tag() -> None:
    request = parse_message((FIXTURES / "invite_sdp.sip").read_bytes())
    assert isinstance(request, SipRequest)
    request.headers.add("Record-Route", "<sip:p1;lr>, <sip:p2;lr>")
    response = make_response(
        request,
        200,
        to_tag="srv1",
        body=b"v=0\r\n",
        content_type="application/sdp",
        extra_headers=[("Contact", "<sip:pbx@192.0.2.1>")],
    )
    assert response.reason == "OK"
    assert response.headers.get_lines("Via") == request.headers.get_lines("Via")
    assert response.headers.get("From") == request.headers.get("From")
    assert response.to_addr.tag == "srv1"
    assert response.call_id == request.call_id and response.cseq == request.cseq
    assert response.headers.get_all("Record-Route") == ["<sip:p1;lr>", "<sip:p2;lr>"]
    assert response.content_type == "application/sdp"
    parsed = parse_message(bytes(response))
    assert parsed == response
    trying = make_response(request, 100, to_tag="ignored-if-tagged")
    assert trying.reason == "Trying" and "Record-Route" not in trying.headers
    busy = make_response(request, 486, "Busy Now")
    assert busy.reason == "Busy Now" and busy.to_addr.tag is None


def test_make_response_keeps_existing_to_tag() -> None:
    request = parse_message((FIXTURES / "bye.sip").read_bytes())
    assert isinstance(request, SipRequest)
    assert make_response(request, 200, to_tag="new").to_addr.tag == "9fxced76sl"


def test_missing_header_properties_on_built_message() -> None:
    from pbx_core.signaling.uri import SipUri

    request = SipRequest("OPTIONS", SipUri.parse("sip:a@b"), Headers())
    with pytest.raises(SipParseError, match=r"^missing header: Call-ID$"):
        _ = request.call_id
    with pytest.raises(SipParseError, match=r"^missing header: Via$"):
        _ = request.top_via
    with pytest.raises(SipParseError, match=r"^missing header: From$"):
        _ = request.from_addr
    with pytest.raises(SipParseError, match=r"^missing header: From$"):
        make_response(request, 200)


def test_reasons_and_identifiers() -> None:
    for code in (100, 180, 183, 200, 202, 401, 407, 408, 481, 486, 487, 488, 500, 503, 603):
        assert REASONS[code]
    branch = new_branch()
    assert branch.startswith("z9hG4bK") and len(branch) > 12
    assert new_branch() != branch
    assert new_tag() != new_tag() and len(new_tag()) >= 8
    assert new_call_id() != new_call_id()


def test_frame_length_for_streams() -> None:
    msg = BYE + b"Content-Length: 3\r\n\r\nabc"
    assert frame_length(msg[:-1]) is None
    assert frame_length(msg[:10]) is None
    assert frame_length(b"\r\n\r\n" + msg + b"NEXT") == len(msg) + 4
    with pytest.raises(SipParseError, match=r"^missing header: Content-Length$"):
        frame_length(BYE + b"\r\n")
    with pytest.raises(SipParseError, match=r"^body too large$"):
        frame_length(BYE + f"l: {MAX_BODY_BYTES + 1}\r\n\r\n".encode())
    with pytest.raises(SipParseError, match=r"^message too large$"):
        frame_length(b"x" * (MAX_MESSAGE_BYTES + 1))


def test_fuzz_only_parse_errors_come_out() -> None:
    rng = random.Random(3261)
    seeds = [p.read_bytes() for p in GOOD]
    alphabet = b'\r\n:;,<>"@ \t=/\\x0SIP2.\xff\x00'
    for _ in range(3000):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            op = rng.randrange(4)
            pos = rng.randrange(len(data) + 1)
            if op == 0 and data:
                del data[pos : pos + rng.randint(1, 20)]
            elif op == 1:
                data[pos:pos] = bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 5)))
            elif op == 2 and data:
                data[min(pos, len(data) - 1)] = rng.randrange(256)
            else:
                data[pos:pos] = data[rng.randrange(len(data) + 1) :][:30]
        _parse_all_fields(bytes(data))
    for _ in range(500):
        _parse_all_fields(bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))))


def _parse_all_fields(data: bytes) -> None:
    try:
        msg = parse_message(data)
    except SipParseError:
        return
    # A message that parsed must have usable mandatory fields and serialise again.
    assert msg.call_id and msg.cseq and msg.vias and msg.from_addr and msg.to_addr
    assert isinstance(msg.contacts, list)
    assert isinstance(msg.top_via, Via)
    again = parse_message(bytes(msg))
    assert bytes(again) == bytes(msg)
    if "Content-Length" in msg.headers:
        assert again == msg
