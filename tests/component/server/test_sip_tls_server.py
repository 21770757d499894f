"""The server process with SIP over TLS: the ready line's ``sip_tls``, the self-signed
certificate kept in the data dir, a keep-alive ping and a request over TLS answered on the same
connection, a
configured certificate, the listener switched off, and a certificate that cannot load."""

from __future__ import annotations

import json
import socket
import ssl
import stat
from pathlib import Path

from pbx_core.signaling.tls import ensure_self_signed
from pbx_core.signaling.transport import StreamFramer
from tests.support.server_process import launch, server_command, start_server

OPTIONS = (
    b"OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
    b"Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK-tls-1;rport\r\n"
    b"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\n"
    b"Call-ID: tls-probe-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
)


def _ask_over_tls(port: int, cafile: Path) -> tuple[bytes, str]:
    """Over TLS (checking the server's certificate): a keep-alive ping answered with its pong
    (RFC 5626 §4.4.1, CRLFCRLF then CRLF), then OPTIONS; the answer."""
    context = ssl.create_default_context(cafile=str(cafile))
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        tls.sendall(b"\r\n\r\n")
        pong = b""
        while len(pong) < 2:
            pong += tls.recv(2 - len(pong))
        assert pong == b"\r\n"
        tls.sendall(OPTIONS)
        framer = StreamFramer()
        while True:
            frames = framer.feed(tls.recv(4096))
            if frames:
                return frames[0], str(tls.version())


def test_tls_listener_with_a_self_signed_certificate(tmp_path: Path) -> None:
    with start_server(tmp_path, demo=True) as server:
        port = server.ready["sip_tls"]
        assert isinstance(port, int) and 0 < port < 65536
        info = json.loads((server.data_dir / "server.json").read_text())
        assert info["sip_tls"] == port
        cert = server.data_dir / "tls" / "sip-tls-cert.pem"
        key = server.data_dir / "tls" / "sip-tls-key.pem"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        first = cert.read_bytes()
        answer, version = _ask_over_tls(port, cafile=cert)  # the certificate names 127.0.0.1
        assert answer.startswith(b"SIP/2.0 200 ")
        assert b"SIP/2.0/TLS" in answer
        assert version in ("TLSv1.2", "TLSv1.3")
    with start_server(tmp_path, data_dir=server.data_dir, demo=True) as again:
        assert cert.read_bytes() == first  # made once, reused
        assert again.ready["sip_tls"] > 0


def test_configured_certificate_and_tls_off(tmp_path: Path) -> None:
    cert, key = ensure_self_signed(tmp_path / "own")
    args = ["--tls-cert", str(cert), "--tls-key", str(key)]
    with start_server(tmp_path, extra_args=args) as server:
        answer, _ = _ask_over_tls(server.ready["sip_tls"], cafile=cert)
        assert answer.startswith(b"SIP/2.0 200 ")
        assert not (server.data_dir / "tls").exists()
    with start_server(
        tmp_path, data_dir=tmp_path / "off", extra_args=["--sip-tls-port", "0"]
    ) as off:
        assert off.ready["sip_tls"] == 0


def test_a_certificate_that_does_not_load_stops_the_start(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate\n")
    args = ["--tls-cert", str(bad), "--tls-key", str(bad)]
    stderr_path = tmp_path / "stderr.log"
    process = launch(server_command(tmp_path / "pbx", demo=False, extra_args=args), stderr_path)
    try:
        assert process.wait(60) == 1
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    assert "cannot load the TLS certificate" in stderr_path.read_text()
