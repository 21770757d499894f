"""The source shield: scanners blocked within ten requests, floods slowed, trusted sources
(where phones signed in) never touched, blocks that lift by themselves."""

from __future__ import annotations

import logging

import pytest

from pbx_core.shield import ShieldPolicy, SourceShield, scanner_agent

SCANNER = "192.0.2.66"
OFFICE = "198.51.100.7"


def test_an_extension_sweep_is_blocked_at_the_tenth_challenge(
    caplog: pytest.LogCaptureFixture,
) -> None:
    shield = SourceShield()
    for n in range(9):
        assert shield.admit(SCANNER, float(n))
        shield.answered(SCANNER, "REGISTER", 401, True, float(n))
    assert not shield.blocked(SCANNER, 9.0)
    assert shield.admit(SCANNER, 9.0)
    shield.answered(SCANNER, "REGISTER", 401, True, 9.0)
    assert shield.blocked(SCANNER, 9.0) and not shield.admit(SCANNER, 9.5)
    assert "source 192.0.2.66 blocked for 600 s: 10 requests without signing in" in caplog.text


def test_options_naming_users_are_a_sweep_and_a_bare_probe_is_not() -> None:
    shield = SourceShield()
    for n in range(50):
        shield.answered(OFFICE, "OPTIONS", 200, False, float(n))  # a load balancer's probe
    assert not shield.blocked(OFFICE, 50.0)
    for n in range(10):
        shield.answered(SCANNER, "OPTIONS", 200, True, float(n) / 10)  # sip:100@, sip:101@ ...
    assert shield.blocked(SCANNER, 1.0)


def _options(agent: str) -> bytes:
    return (
        "OPTIONS sip:100@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.66:5060;branch=z9hG4bK1\r\n"
        f"From: <sip:100@192.0.2.1>;tag=1\r\nTo: <sip:100@192.0.2.1>\r\nUSER-AGENT:  {agent}\r\n"
        "Call-ID: 1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
    ).encode()


def test_a_scanners_user_agent_blocks_at_once_unanswered() -> None:
    shield = SourceShield()
    assert shield.admit(OFFICE, 0.0, _options("Yealink SIP-T46U 108.86.0.20"))
    assert not shield.admit(SCANNER, 0.0, _options("friendly-scanner"))
    assert not shield.admit(SCANNER, 1.0, _options("Yealink SIP-T46U 108.86.0.20"))
    assert scanner_agent(_options("sipvicious 0.3.3")) == "sipvicious 0.3.3"
    assert scanner_agent(b"SIP/2.0 200 OK\r\n\r\nUser-Agent: friendly-scanner") is None


def test_a_source_that_signed_in_is_never_blocked_or_slowed() -> None:
    shield = SourceShield(ShieldPolicy(rate=1.0, burst=2.0))
    shield.answered(OFFICE, "REGISTER", 401, False, 0.0)
    shield.signed_in(OFFICE, 0.1)
    for n in range(100):
        assert shield.admit(OFFICE, 0.2)
        shield.answered(OFFICE, "INVITE", 404, True, 0.2 + n / 1000)
    assert shield.admit(OFFICE, 1.0, _options("friendly-scanner"))
    assert not shield.blocked(OFFICE, 1.0)


def test_signing_in_forgets_the_strikes_before_it() -> None:
    shield = SourceShield()
    for n in range(9):
        shield.answered(OFFICE, "REGISTER", 401, False, float(n))
    shield.signed_in(OFFICE, 9.0)
    shield.answered(OFFICE, "REGISTER", 401, False, 10.0)
    assert not shield.blocked(OFFICE, 10.0)


def test_malformed_and_successful_answers_are_no_strikes() -> None:
    shield = SourceShield()
    for n in range(30):
        shield.answered(SCANNER, "INVITE", 400, True, float(n))
        shield.answered(SCANNER, "REGISTER", 200, False, float(n))
    assert not shield.blocked(SCANNER, 30.0)


def test_strikes_outside_the_window_do_not_add_up() -> None:
    shield = SourceShield(ShieldPolicy(window=60.0))
    for n in range(20):
        shield.answered(OFFICE, "REGISTER", 401, False, n * 7.0)  # one every 7 s: 8-9 a minute
    assert not shield.blocked(OFFICE, 140.0)


def test_a_block_lifts_by_itself_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    shield = SourceShield(ShieldPolicy(block_seconds=600.0))
    shield.admit(SCANNER, 0.0, _options("sipvicious"))
    assert not shield.admit(SCANNER, 599.0)
    with caplog.at_level(logging.WARNING):
        assert shield.admit(SCANNER, 600.5)
    assert "the block of source 192.0.2.66" in caplog.text and "lifted" in caplog.text


def test_an_untrusted_flood_is_slowed_to_its_rate_without_a_block(
    caplog: pytest.LogCaptureFixture,
) -> None:
    shield = SourceShield(ShieldPolicy(rate=20.0, burst=40.0))
    admitted = sum(shield.admit(SCANNER, 0.0) for _ in range(1000))
    assert admitted == 40
    assert not shield.blocked(SCANNER, 0.0)
    assert shield.admit(SCANNER, 0.5)  # ten tokens back after half a second
    assert caplog.text.count("sends more than 20 requests a second") == 1


def test_memory_is_bounded() -> None:
    shield = SourceShield(ShieldPolicy(max_sources=100))
    for n in range(1000):
        shield.answered(f"10.0.{n // 250}.{n % 250}", "REGISTER", 401, False, 0.0)
    assert len(shield._sources) <= 100


def test_bad_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="max_strikes"):
        ShieldPolicy(max_strikes=0)
    with pytest.raises(ValueError, match="burst"):
        ShieldPolicy(burst=0.5)
