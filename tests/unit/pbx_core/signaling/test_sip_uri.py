from __future__ import annotations

import pytest

from pbx_core.signaling.uri import NameAddr, SipUri


@pytest.mark.parametrize(
    "text",
    [
        "sip:alice@atlanta.com",
        "sip:alice:secretword@atlanta.com;transport=tcp",
        "sips:alice@atlanta.com?subject=project%20x&priority=urgent",
        "sip:+1-212-555-1212:1234@gateway.com;user=phone",
        "sip:alice@192.0.2.4:5070",
        "sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com",
        "sip:alice;day=tuesday@atlanta.com",
        "sip:proxy.example.com;lr",
        "sip:bob@[2001:db8::10]:5061;transport=tls",
        "sip:%61lice@atlanta.com",
        "tel:+1-201-555-0123;phone-context=example.com",
    ],
)
def test_uri_round_trip(text: str) -> None:
    assert str(SipUri.parse(text)) == text


def test_uri_fields() -> None:
    uri = SipUri.parse("sip:alice:pw@[2001:db8::1]:5061;transport=TCP;lr?h=v")
    assert uri.scheme == "sip"
    assert uri.user == "alice"
    assert uri.password == "pw"
    assert uri.host == "2001:db8::1"
    assert uri.port == 5061
    assert uri.params == {"transport": "TCP", "lr": None}
    assert uri.headers == {"h": "v"}
    assert uri.transport == "tcp"
    assert uri.aor == "sip:alice@[2001:db8::1]"


def test_uri_scheme_case_and_param_names_normalised() -> None:
    uri = SipUri.parse("SIP:bob@Example.COM;Transport=udp")
    assert uri.scheme == "sip"
    assert uri.params == {"transport": "udp"}
    assert uri.aor == "sip:bob@example.com"


def test_tel_uri() -> None:
    uri = SipUri.parse("tel:+4930123456")
    assert (uri.scheme, uri.user, uri.host) == ("tel", "+4930123456", "")
    assert uri.aor == "tel:+4930123456"


def test_user_escaping_kept() -> None:
    assert SipUri.parse("sip:a%20b@host").user == "a%20b"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("http://example.com", "unsupported URI scheme"),
        ("alice@example.com", "unsupported URI scheme"),
        ("sip:", "bad host"),
        ("sip:alice@", "bad host"),
        ("sip:alice@host:99999", "bad port"),
        ("sip:alice@host:12a", "bad port"),
        ("sip:alice@[::1", "bad host"),
        ("sip:al ice@host", "bad URI"),
        ("sip:@host", "bad URI user"),
        ("sip:host;=x", "bad parameter"),
        ("sip:host?novalue", "bad URI header"),
        ("tel:", "bad tel URI"),
    ],
)
def test_bad_uri(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=rf"^{error}$"):
        SipUri.parse(text)


def test_copy_is_independent() -> None:
    uri = SipUri.parse("sip:a@b;lr")
    other = uri.copy()
    other.params["transport"] = "tcp"
    assert "transport" not in uri.params


def test_name_addr_quoted_display_and_tag() -> None:
    addr = NameAddr.parse('"Bob \\"B\\" Smith" <sip:bob@biloxi.com>;tag=a6c85cf')
    assert addr.display_name == 'Bob "B" Smith'
    assert addr.uri.user == "bob"
    assert addr.tag == "a6c85cf"
    assert str(addr) == '"Bob \\"B\\" Smith" <sip:bob@biloxi.com>;tag=a6c85cf'


def test_name_addr_token_display() -> None:
    addr = NameAddr.parse("Bob  Smith <sip:bob@biloxi.com;transport=tcp>;expires=60")
    assert addr.display_name == "Bob Smith"
    assert addr.uri.params == {"transport": "tcp"}
    assert addr.params == {"expires": "60"}
    assert str(addr) == '"Bob Smith" <sip:bob@biloxi.com;transport=tcp>;expires=60'


def test_name_addr_bare_form_params_belong_to_header() -> None:
    addr = NameAddr.parse("sip:alice@atlanta.com;tag=88sja8x")
    assert addr.uri.params == {}
    assert addr.tag == "88sja8x"
    assert addr.display_name is None
    assert str(addr) == "<sip:alice@atlanta.com>;tag=88sja8x"


def test_name_addr_quoted_param_value_with_angle_brackets() -> None:
    addr = NameAddr.parse('<sip:a@b>;+sip.instance="<urn:uuid:1;2>";reg-id=1')
    assert addr.params == {"+sip.instance": '"<urn:uuid:1;2>"', "reg-id": "1"}


def test_with_tag_copies() -> None:
    addr = NameAddr.parse("<sip:a@b>")
    tagged = addr.with_tag("xyz")
    assert tagged.tag == "xyz"
    assert addr.tag is None
    assert NameAddr.parse(str(tagged)) == tagged


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('"open <sip:a@b>', "unterminated quoted string"),
        ('"Name" sip:a@b', "bad name-addr"),
        ("<sip:a@b", "bad name-addr"),
        ("<sip:a@b> junk", "bad name-addr"),
        ("Bad,Name <sip:a@b>", "bad name-addr"),
    ],
)
def test_bad_name_addr(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=rf"^{error}$"):
        NameAddr.parse(text)
