"""The pure parts of call control: transfer stages, Referred-By, the MOS estimate."""

from __future__ import annotations

import pytest

from sip._callcontrol import mos_estimate, queue_of, referred_by_of, stage_of


@pytest.mark.parametrize(
    ("code", "final", "stage"),
    [
        (100, False, "trying"),
        (180, False, "accepted"),
        (202, False, "accepted"),
        (200, True, "succeeded"),
        (404, True, "failed"),
        (503, False, "failed"),
        (180, True, "failed"),
    ],
)
def test_stage_of(code: int, final: bool, stage: str) -> None:
    assert stage_of(code, final) == stage


def test_referred_by_of_full_and_compact_forms() -> None:
    head = "INVITE sip:203@pbx SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
    msg = head + 'Referred-By: "Anna de Vries" <sip:201@acme.local;x=1>;tag=1\r\n\r\nv=0\r\n'
    assert referred_by_of(msg) == ("Anna de Vries", "sip:201@acme.local")
    assert referred_by_of(head + "b: <sip:202@pbx>\r\n\r\n") == ("", "sip:202@pbx")
    assert referred_by_of(head + "\r\nReferred-By: <sip:9@x>\r\n") == ("", "")  # body only
    assert referred_by_of(head + "Referred-By: <sip:broken\r\n\r\n") == ("", "")


@pytest.mark.parametrize(
    ("header", "found"),
    [
        ('X-Queue: "Support" <sip:1500@127.0.0.1>', ("Support", "sip:1500@127.0.0.1")),
        ('X-Queue: "Support \\"NL\\"" <sip:1500@pbx>', ('Support "NL"', "sip:1500@pbx")),
        ("X-Queue: <sip:1500@pbx;transport=udp>", ("", "sip:1500@pbx")),
        ("x-queue:Sales <sip:1600@pbx>", ("Sales", "sip:1600@pbx")),
        ('X-QUEUE \t:  \t"Help desk"<sip:1700@pbx>  ', ("Help desk", "sip:1700@pbx")),
        ("X-Queue: sip:1800@pbx", ("", "sip:1800@pbx")),
        ("X-Queue: <sip:broken", ("", "")),
        ("X-Queued: <sip:1500@pbx>", ("", "")),
        ("Subject: support", ("", "")),
    ],
)
def test_queue_of_the_pbx_x_queue_header(header: str, found: tuple[str, str]) -> None:
    head = "INVITE sip:203@pbx SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
    assert queue_of(head + header + "\r\nContent-Length: 0\r\n\r\n") == found
    assert queue_of(head + "\r\n" + header + "\r\n") == ("", "")  # in the body: not a header


def test_mos_estimate_falls_with_loss_and_jitter() -> None:
    assert mos_estimate(0.0, 1.0, 1.0) == 4.4
    assert 3.5 < mos_estimate(2.0, 20.0, 60.0) < 4.3
    assert mos_estimate(10.0, 60.0, 300.0) < 3.1
    assert mos_estimate(60.0, 100.0, 800.0) == 1.0
