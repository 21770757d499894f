from __future__ import annotations

import pytest

from pbx_core.signaling.headers import CSeq, Via, split_header_values


def test_via_fields_and_round_trip() -> None:
    text = "SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5070"
    via = Via.parse(text)
    assert (via.transport, via.host, via.port) == ("UDP", "pc33.atlanta.com", 5066)
    assert via.branch == "z9hG4bK776asdhds"
    assert via.received == "192.0.2.1"
    assert via.rport == 5070
    assert str(via) == text


def test_via_empty_rport_is_present_but_none() -> None:
    via = Via.parse("SIP/2.0/tcp client.example.com;rport;branch=z9hG4bKx")
    assert via.transport == "TCP"
    assert via.rport is None
    assert "rport" in via.params
    assert via.port is None
    assert Via.parse("SIP/2.0/UDP h;branch=z9hG4bKx").params.get("rport", "absent") == "absent"


def test_via_ipv6_and_spaces() -> None:
    via = Via.parse("SIP / 2.0 / TLS   [2001:db8::1]:5061 ;branch=z9hG4bKv6")
    assert via.host == "2001:db8::1"
    assert via.port == 5061
    assert str(via) == "SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bKv6"
    assert via.sent_by == ("2001:db8::1", 5061)


@pytest.mark.parametrize(
    "text",
    [
        "SIP/2.0 host;branch=z9hG4bKx",
        "SIP/3.0/UDP host",
        "HTTP/2.0/UDP host",
        "SIP/2.0/UDP host:port",
        "SIP/2.0/UDP host;rport=abc",
        "SIP/2.0/UDP",
        "",
    ],
)
def test_bad_via(text: str) -> None:
    with pytest.raises(ValueError, match=r"^bad Via$"):
        Via.parse(text)


def test_cseq() -> None:
    cseq = CSeq.parse(" 314159   INVITE ")
    assert cseq == CSeq(314159, "INVITE")
    assert str(cseq) == "314159 INVITE"


@pytest.mark.parametrize(
    "text", ["", "1", "x INVITE", "1 INVITE extra", "4294967296 BYE", "-1 BYE"]
)
def test_bad_cseq(text: str) -> None:
    with pytest.raises(ValueError, match=r"^bad CSeq$"):
        CSeq.parse(text)


def test_split_header_values_respects_quotes_and_brackets() -> None:
    value = '"Doe, John" <sip:j@a.com;x=1,2>;q=0.5, <sip:b@c>, ,sip:d@e'
    assert split_header_values(value) == [
        '"Doe, John" <sip:j@a.com;x=1,2>;q=0.5',
        "<sip:b@c>",
        "sip:d@e",
    ]
    assert split_header_values("INVITE, ACK,BYE") == ["INVITE", "ACK", "BYE"]
    assert split_header_values("") == []
