"""Session timers (RFC 4028) on a clock the test moves: negotiation (§9, 422 below Min-SE),
the non-refresher's BYE point, the PBX's own refresh at half the interval, and exact errors."""

from __future__ import annotations

import pytest

from pbx_core.signaling.message import Headers, SipRequest
from pbx_core.signaling.session_timer import (
    ArmSessionCheck,
    SendRefresh,
    SessionExpired,
    SessionState,
    SessionTerms,
    SessionTimer,
    SessionTimerError,
    TooBrief,
    negotiate,
)
from pbx_core.signaling.uri import SipUri


def _invite(*headers: tuple[str, str]) -> SipRequest:
    h = Headers()
    for name, value in headers:
        h.add(name, value)
    return SipRequest("INVITE", SipUri("202", "192.0.2.1"), h)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ((), None),
        ((("Supported", "replaces, timer"),), SessionTerms(1800, "uac", True)),
        ((("Supported", "timer"), ("Session-Expires", "600")), SessionTerms(600, "uac", True)),
        (
            (("Supported", "timer"), ("x", "600;refresher=uas")),
            SessionTerms(600, "uas", True),
        ),
        ((("Session-Expires", "600;refresher=uac"),), SessionTerms(600, "uas", False)),
        ((("Require", "timer"), ("Session-Expires", "90")), SessionTerms(90, "uac", True)),
        ((("Supported", "timer"), ("Session-Expires", "60")), TooBrief(90)),
        (
            (("Supported", "timer"), ("Session-Expires", "60"), ("Min-SE", "120")),
            TooBrief(120),
        ),
        ((("Supported", "timer"), ("Min-SE", "2400")), SessionTerms(2400, "uac", True)),
    ],
)
def test_negotiation(
    headers: tuple[tuple[str, str], ...], expected: SessionTerms | TooBrief | None
) -> None:
    assert negotiate(_invite(*headers)) == expected


def test_negotiation_refuses_a_header_that_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="Session-Expires or Min-SE is not a number: 'soon'"):
        negotiate(_invite(("Session-Expires", "soon")))


def test_response_headers() -> None:
    assert SessionTerms(600, "uac", True).response_headers() == [
        ("Session-Expires", "600;refresher=uac"),
        ("Require", "timer"),
    ]
    assert SessionTerms(600, "uas", False).response_headers() == [
        ("Session-Expires", "600;refresher=uas")
    ]


def test_the_phone_refreshes_and_without_refresh_the_session_expires() -> None:
    timer = SessionTimer(SessionTerms(90, "uac", True), pbx_is_uas=True, now=0.0)
    assert timer.start() == [ArmSessionCheck(60.0)]  # 90 - min(32, 30)
    assert timer.refreshed(SessionTerms(90, "uac", True), now=40.0) == [ArmSessionCheck(60.0)]
    assert timer.fired(60.0) == [ArmSessionCheck(40.0)]  # the old check, now stale
    assert timer.fired(100.0) == [SessionExpired()]
    assert timer.state is SessionState.EXPIRED
    assert timer.fired(200.0) == []


def test_a_long_interval_gives_up_32_seconds_early() -> None:
    timer = SessionTimer(SessionTerms(1800, "uac", True), pbx_is_uas=True, now=10.0)
    assert timer.start() == [ArmSessionCheck(1768.0)]


def test_the_pbx_refreshes_at_half_the_interval() -> None:
    timer = SessionTimer(SessionTerms(600, "uas", True), pbx_is_uas=True, now=0.0)
    assert timer.pbx_refreshes
    assert timer.start() == [ArmSessionCheck(300.0)]
    assert timer.fired(300.0) == [SendRefresh(), ArmSessionCheck(268.0)]
    assert timer.state is SessionState.REFRESHING
    assert timer.refreshed(SessionTerms(600, "uas", True), now=301.0) == [ArmSessionCheck(300.0)]
    assert timer.fired(601.0) == [SendRefresh(), ArmSessionCheck(268.0)]
    assert timer.fired(869.0) == [SessionExpired()]  # the refresh was never answered


def test_a_refused_refresh_ends_the_session() -> None:
    timer = SessionTimer(SessionTerms(600, "uas", False), pbx_is_uas=True, now=0.0)
    timer.start()
    timer.fired(300.0)
    assert timer.refresh_failed(301.0) == [SessionExpired()]


def test_the_refresher_can_change_with_a_refresh() -> None:
    timer = SessionTimer(SessionTerms(600, "uas", True), pbx_is_uas=True, now=0.0)
    timer.start()
    assert timer.refreshed(SessionTerms(600, "uac", True), now=100.0) == [ArmSessionCheck(568.0)]
    assert not timer.pbx_refreshes


def test_illegal_move_raises_exact_text() -> None:
    timer = SessionTimer(SessionTerms(90, "uac", True), pbx_is_uas=True, now=0.0)
    timer.start()
    timer.fired(60.0)
    with pytest.raises(
        SessionTimerError, match=r"^session timer: refreshed not allowed in EXPIRED$"
    ):
        timer.refreshed(SessionTerms(90, "uac", True), now=61.0)
