"""The SIP/TLS pieces without sockets: the self-signed certificate and a TLS session pair."""

from __future__ import annotations

import ssl
import stat
import warnings
from pathlib import Path

import pytest

from pbx_core.signaling.tls import (
    TlsError,
    TlsSession,
    TlsSettings,
    client_context,
    ensure_self_signed,
    server_context,
    tls_contexts,
)
from pbx_core.signaling.transport import Address, StreamFramer

REGISTER = (
    b"REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5062;branch=z9hG4bK1\r\n"
    b"Content-Length: 0\r\n\r\n"
)


def _pair(server: TlsSession, client: TlsSession, first: bytes) -> tuple[bytes, bytes]:
    """Shuttle bytes between two sessions until both are quiet; return what each read."""
    to_server, to_client = first, b""
    read_server, read_client = b"", b""
    for _ in range(10):
        if to_server:
            plain, to_client_more = server.receive(to_server)
            read_server += plain
            to_client += to_client_more
            to_server = b""
        if to_client:
            plain, to_server = client.receive(to_client)
            read_client += plain
            to_client = b""
        if not to_server and not to_client:
            break
    return read_server, read_client


def test_self_signed_certificate_is_made_once_with_a_private_key(tmp_path: Path) -> None:
    cert, key = ensure_self_signed(tmp_path / "tls", ("192.0.2.7", "pbx.example"))
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = cert.read_bytes()
    assert ensure_self_signed(tmp_path / "tls") == (cert, key)
    assert cert.read_bytes() == first  # reused, not made again
    from cryptography import x509

    san = x509.load_pem_x509_certificate(first).extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    assert "pbx.example" in san.value.get_values_for_type(x509.DNSName)
    assert {str(a) for a in san.value.get_values_for_type(x509.IPAddress)} == {
        "127.0.0.1",
        "192.0.2.7",
    }


def test_a_session_pair_carries_sip_both_ways(tmp_path: Path) -> None:
    server_ctx, _ = tls_contexts(TlsSettings(data_dir=tmp_path))
    server = TlsSession(server_ctx, server_side=True)
    client = TlsSession(client_context(), server_side=False, server_hostname="localhost")
    assert client.send(REGISTER) == b""  # held until the handshake is done
    read_server, _ = _pair(server, client, client.start())
    assert server.established and client.established
    assert server.version in ("TLSv1.2", "TLSv1.3")
    assert StreamFramer().feed(read_server) == [REGISTER]
    reply = server.send(b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n")
    assert client.receive(reply)[0] == b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"


def test_a_client_that_does_not_trust_us_fails_the_handshake(tmp_path: Path) -> None:
    server_ctx, _ = tls_contexts(TlsSettings(data_dir=tmp_path))
    strict = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies against the system CAs
    server = TlsSession(server_ctx, server_side=True)
    client = TlsSession(strict, server_side=False, server_hostname="localhost")
    with pytest.raises(TlsError, match="TLS handshake failed"):
        _pair(server, client, client.start())


def test_garbage_instead_of_a_client_hello_fails_the_handshake(tmp_path: Path) -> None:
    server_ctx, _ = tls_contexts(TlsSettings(data_dir=tmp_path))
    server = TlsSession(server_ctx, server_side=True)
    with pytest.raises(TlsError, match="TLS handshake failed"):
        server.receive(REGISTER)


def test_tls_below_1_2_is_refused(tmp_path: Path) -> None:
    server_ctx, _ = tls_contexts(TlsSettings(data_dir=tmp_path))
    old = client_context()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the point: an outdated client
        old.minimum_version = ssl.TLSVersion.TLSv1
        old.maximum_version = ssl.TLSVersion.TLSv1_1
    server = TlsSession(server_ctx, server_side=True)
    try:
        client = TlsSession(old, server_side=False)
        hello = client.start()
    except (TlsError, ssl.SSLError):
        return  # this OpenSSL refuses TLS 1.1 on the client side already
    with pytest.raises(TlsError):
        _pair(server, client, hello)
    assert not server.established


def test_certificate_settings(tmp_path: Path) -> None:
    cert, key = ensure_self_signed(tmp_path)
    server_context(cert, key)  # a configured pair loads
    with pytest.raises(TlsError, match="cannot load the TLS certificate"):
        server_context(cert, tmp_path / "missing.pem")
    with pytest.raises(TlsError, match="give both a TLS certificate and its key"):
        tls_contexts(TlsSettings(cert_file=cert))
    with pytest.raises(TlsError, match="no TLS certificate"):
        tls_contexts(TlsSettings())


def test_tls_addresses_round_trip() -> None:
    address = Address("tls", "127.0.0.1", 40001)
    assert Address.parse(str(address)) == address
