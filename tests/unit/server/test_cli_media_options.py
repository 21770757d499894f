"""The media options of the server's command line: RTP range and advertised address."""

from __future__ import annotations

from pathlib import Path

import pytest

from pbx_core.config import PbxConfig
from server.cli import parse_args


def test_rtp_range_and_advertise_are_parsed() -> None:
    options = parse_args(
        ["--data-dir", "/tmp/x", "--rtp-ports", "30000-30099", "--advertise", "192.0.2.10"]
    )
    assert options.rtp_ports == (30000, 30099)
    assert options.advertise == "192.0.2.10"


def test_defaults() -> None:
    options = parse_args(["--data-dir", "/tmp/x"])
    assert options.rtp_ports == (20000, 20999)
    assert options.advertise is None


@pytest.mark.parametrize("text", ["30000", "30099-30000", "80-90", "a-b", "30000-30001"])
def test_bad_rtp_range_is_a_usage_error(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        parse_args(["--data-dir", "/tmp/x", "--rtp-ports", text])
    assert exc.value.code == 2
    assert "--rtp-ports" in capsys.readouterr().err


def test_wildcard_bind_advertises_a_real_address() -> None:
    config = PbxConfig(data_dir=Path("/tmp/x"), bind="0.0.0.0")
    assert config.media_host != "0.0.0.0"
    assert (
        PbxConfig(data_dir=Path("/tmp/x"), bind="0.0.0.0", advertised_host="192.0.2.7").media_host
        == "192.0.2.7"
    )


def test_digest_order() -> None:
    assert parse_args(["--data-dir", "/tmp/x"]).digest == ("MD5", "SHA-256")
    options = parse_args(["--data-dir", "/tmp/x", "--sip-digest", "sha-256,md5"])
    assert options.digest == ("SHA-256", "MD5")
    with pytest.raises(SystemExit):
        parse_args(["--data-dir", "/tmp/x", "--sip-digest", "SHA-1"])


@pytest.mark.parametrize(("text", "seconds"), [(None, 30.0), ("0", 0.0), ("15", 15.0)])
def test_the_udp_keepalive_interval(text: str | None, seconds: float) -> None:
    extra = [] if text is None else ["--sip-udp-keepalive", text]
    assert parse_args(["--data-dir", "/tmp/x", *extra]).udp_keepalive_seconds == seconds


def test_a_bad_keepalive_interval_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--data-dir", "/tmp/x", "--sip-udp-keepalive", "soon"])
    assert "--sip-udp-keepalive" in capsys.readouterr().err


def test_the_event_buffer() -> None:
    assert parse_args(["--data-dir", "/tmp/x"]).event_buffer == 5000
    assert parse_args(["--data-dir", "/tmp/x", "--event-buffer", "200"]).event_buffer == 200
    with pytest.raises(SystemExit):
        parse_args(["--data-dir", "/tmp/x", "--event-buffer", "-1"])
