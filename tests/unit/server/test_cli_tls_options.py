"""The TLS and SRTP options of the server's command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.cli import parse_args


def test_defaults_derive_the_tls_port_and_make_srtp_optional() -> None:
    options = parse_args(["--data-dir", "/tmp/x"])
    assert options.sip_tls_port is None  # the SIP port + 1: 5061 next to 5060
    assert (options.tls_cert, options.tls_key) == (None, None)
    assert options.srtp == "optional"


def test_tls_port_certificate_and_srtp_policy(tmp_path: Path) -> None:
    options = parse_args(
        [
            "--data-dir",
            str(tmp_path),
            "--sip-tls-port",
            "5071",
            "--tls-cert",
            str(tmp_path / "c.pem"),
            "--tls-key",
            str(tmp_path / "k.pem"),
            "--srtp",
            "mandatory",
        ]
    )
    assert options.sip_tls_port == 5071
    assert options.tls_cert == tmp_path / "c.pem"
    assert options.tls_key == tmp_path / "k.pem"
    assert options.srtp == "mandatory"
    assert parse_args(["--data-dir", "/tmp/x", "--sip-tls-port", "0"]).sip_tls_port == 0


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--tls-cert", "c.pem"], "--tls-cert and --tls-key go together"),
        (["--tls-key", "k.pem"], "--tls-cert and --tls-key go together"),
        (["--srtp", "sometimes"], "--srtp"),
        (["--sip-tls-port", "70000"], "--sip-tls-port"),
    ],
)
def test_bad_tls_options_are_usage_errors(
    args: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        parse_args(["--data-dir", "/tmp/x", *args])
    assert exc.value.code == 2
    assert complaint in capsys.readouterr().err


def test_public_entries_are_numbers_and_none_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert parse_args(["--data-dir", "/tmp/x"]).public_entries == ()
    options = parse_args(["--data-dir", "/tmp/x", "--public-entry", "204, 8000"])
    assert options.public_entries == ("204", "8000")
    with pytest.raises(SystemExit) as exc:
        parse_args(["--data-dir", "/tmp/x", "--public-entry", "reception"])
    assert exc.value.code == 2
    assert "numbers (digits), separated by commas" in capsys.readouterr().err
