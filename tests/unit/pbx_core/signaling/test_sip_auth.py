from __future__ import annotations

import base64

import pytest

from pbx_core.signaling.auth import (
    DigestChallenge,
    DigestCredentials,
    NonceManager,
    build_authorization,
    compute_ha1,
    make_challenge,
    parse_authorization,
    parse_challenge,
    verify,
)

RFC2617_AUTHORIZATION = (
    'Digest username="Mufasa", realm="testrealm@host.com", '
    'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, '
    'nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", '
    'opaque="5ccc069c403ebaf9f0171e9517f40e41"'
)
RFC7616_REALM = "http-auth@example.org"
RFC7616_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
RFC7616_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
RFC7616_OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"


def test_rfc2617_vector_verifies() -> None:
    creds = parse_authorization(RFC2617_AUTHORIZATION)
    assert creds == DigestCredentials(
        username="Mufasa",
        realm="testrealm@host.com",
        nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
        uri="/dir/index.html",
        response="6629fae49393a05397450978507c4ef1",
        algorithm="MD5",
        qop="auth",
        nc="00000001",
        cnonce="0a4f113b",
        opaque="5ccc069c403ebaf9f0171e9517f40e41",
    )
    ha1 = compute_ha1("Mufasa", "testrealm@host.com", "Circle Of Life")
    assert verify(creds, "GET", ha1)
    assert not verify(creds, "POST", ha1)
    assert not verify(creds, "GET", compute_ha1("Mufasa", "testrealm@host.com", "circle of life"))


@pytest.mark.parametrize(
    ("algorithm", "response"),
    [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ],
)
def test_rfc7616_vectors_client_and_server(algorithm: str, response: str) -> None:
    challenge = parse_challenge(
        f'Digest realm="{RFC7616_REALM}", qop="auth, auth-int", algorithm={algorithm}, '
        f'nonce="{RFC7616_NONCE}", opaque="{RFC7616_OPAQUE}"'
    )
    assert challenge == DigestChallenge(
        realm=RFC7616_REALM,
        nonce=RFC7616_NONCE,
        algorithm=algorithm,
        qop=("auth", "auth-int"),
        opaque=RFC7616_OPAQUE,
    )
    value = build_authorization(
        challenge, "GET", "/dir/index.html", "Mufasa", "Circle of Life", cnonce=RFC7616_CNONCE
    )
    creds = parse_authorization(value)
    assert creds.response == response
    assert (creds.qop, creds.nc, creds.cnonce, creds.algorithm) == (
        "auth",
        "00000001",
        RFC7616_CNONCE,
        algorithm,
    )
    assert creds.opaque == RFC7616_OPAQUE
    ha1 = compute_ha1("Mufasa", RFC7616_REALM, "Circle of Life", algorithm)
    assert verify(creds, "GET", ha1)


def test_sha256_ha1_length_and_unknown_algorithm() -> None:
    assert len(compute_ha1("a", "b", "c", "SHA-256")) == 64
    assert compute_ha1("a", "b", "c", "sha-256") == compute_ha1("a", "b", "c", "SHA-256")
    with pytest.raises(ValueError, match=r"^unsupported algorithm: SHA-512-256$"):
        compute_ha1("a", "b", "c", "SHA-512-256")


def test_legacy_no_qop_round_trip() -> None:
    challenge = DigestChallenge(realm="pbx", nonce="abc")
    value = build_authorization(challenge, "REGISTER", "sip:pbx", "1001", "pw", cnonce="unused")
    assert "qop" not in value and "cnonce" not in value
    creds = parse_authorization(value)
    assert creds.qop is None and creds.nc is None
    assert verify(creds, "REGISTER", compute_ha1("1001", "pbx", "pw"))
    assert not verify(creds, "REGISTER", compute_ha1("1001", "pbx", "wrong"))


def test_auth_int_uses_body() -> None:
    ha1 = compute_ha1("u", "r", "p")
    base = DigestCredentials("u", "r", "n", "sip:x", "", qop="auth-int", nc="00000001", cnonce="c")
    from pbx_core.signaling import auth

    good = auth._response("MD5", ha1, "n", "INVITE", "sip:x", "auth-int", "00000001", "c", b"v=0")
    creds = DigestCredentials(**{**_asdict(base), "response": good})
    assert verify(creds, "INVITE", ha1, b"v=0")
    assert not verify(creds, "INVITE", ha1, b"v=1")


def _asdict(creds: DigestCredentials) -> dict[str, str | None]:
    return {name: getattr(creds, name) for name in DigestCredentials.__dataclass_fields__}


def test_make_challenge_round_trips() -> None:
    value = make_challenge("pbx.example.com", "n1", "sha-256", opaque="o", stale=True)
    assert value == (
        'Digest realm="pbx.example.com", nonce="n1", algorithm=SHA-256, qop="auth", '
        'opaque="o", stale=true'
    )
    assert parse_challenge(value) == DigestChallenge(
        "pbx.example.com", "n1", "SHA-256", ("auth",), "o", True
    )
    assert parse_challenge(make_challenge("r", "n")).stale is False


def test_build_authorization_counts_and_refuses_auth_int_only() -> None:
    challenge = DigestChallenge(realm="r", nonce="n", qop=("auth",))
    value = build_authorization(challenge, "INVITE", "sip:b@c", "u", "p", cnonce="c", nc=26)
    assert parse_authorization(value).nc == "0000001a"
    with pytest.raises(ValueError, match=r"^unsupported qop: auth-int$"):
        build_authorization(
            DigestChallenge(realm="r", nonce="n", qop=("auth-int",)), "A", "u", "u", "p", cnonce="c"
        )


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ('Basic realm="x"', "not a Digest authorization"),
        ("Digest", "missing auth parameter: username"),
        ('Digest username="a", realm="r", nonce="n", uri="u"', "missing auth parameter: response"),
        ('Digest username="a, realm="r"', "bad auth parameter"),
        ('Digest username="a', "unterminated quoted string"),
        ('Digest username "a"', "bad auth parameter"),
        ('Digest username="a" realm="r"', "bad auth parameter"),
        ('Digest username="a", username="b"', "duplicate auth parameter: username"),
        (
            'Digest username="a", realm="r", nonce="n", uri="u", response="x", algorithm=SHA1',
            "unsupported algorithm: SHA1",
        ),
        (
            'Digest username="a", realm="r", nonce="n", uri="u", response="x", qop=other',
            "unsupported qop: other",
        ),
        (
            'Digest username="a", realm="r", nonce="n", uri="u", response="x", qop=auth, nc=1',
            "missing auth parameter: cnonce",
        ),
        (
            'Digest username="a", realm="r", nonce="n", uri="u", response="x", qop=auth, '
            'nc=1, cnonce="c"',
            "bad nc",
        ),
        ('Digest username="' + "a" * 2000 + '"', "auth parameter too long: username"),
    ],
)
def test_parse_authorization_errors(value: str, error: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_authorization(value)
    assert str(info.value) == error


def test_parse_challenge_errors() -> None:
    with pytest.raises(ValueError, match=r"^not a Digest challenge$"):
        parse_challenge('Bearer realm="x"')
    with pytest.raises(ValueError, match=r"^missing auth parameter: nonce$"):
        parse_challenge('Digest realm="x"')


def test_nonce_lifecycle() -> None:
    nonces = NonceManager(b"k" * 32, lifetime=30.0)
    nonce = nonces.issue(1000.0)
    assert nonce != nonces.issue(1000.0)
    assert nonces.check(nonce, 1000.0) == "ok"
    assert nonces.check(nonce, 1030.0) == "ok"
    assert nonces.check(nonce, 1030.5) == "stale"
    assert nonces.check(nonce, 990.0) == "invalid"  # issued in the future
    assert NonceManager(b"o" * 32).check(nonce, 1000.0) == "invalid"


@pytest.mark.parametrize(
    "nonce", ["", "abc", "!" * 44, "é" * 44, base64.urlsafe_b64encode(bytes(32)).decode()]
)
def test_nonce_garbage_is_invalid(nonce: str) -> None:
    assert NonceManager(b"k" * 32).check(nonce, 0.0) == "invalid"


def test_tampered_nonce_is_invalid() -> None:
    nonces = NonceManager(b"k" * 32)
    raw = bytearray(base64.urlsafe_b64decode(nonces.issue(5.0)))
    raw[0] ^= 1
    assert nonces.check(base64.urlsafe_b64encode(bytes(raw)).decode(), 5.0) == "invalid"


def test_short_secret_refused() -> None:
    with pytest.raises(ValueError, match=r"^nonce secret too short$"):
        NonceManager(b"short")
