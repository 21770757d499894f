"""Token sessions end visibly: revocation is announced, expiry is readable without renewing,
and a token that is not valid text is unknown (not an error)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.auth import TokenStore
from tests.support.clock import SettableClock

_T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_revocation_is_announced_once() -> None:
    tokens = TokenStore()
    heard: list[str] = []
    tokens.on_revoke(heard.append)
    tokens.on_revoke(heard.append)  # the same listener once
    token = tokens.issue(1, "201")
    tokens.revoke(token)
    tokens.revoke(token)
    assert heard == [token]


def test_remaining_does_not_renew() -> None:
    clock = SettableClock(_T0)
    tokens = TokenStore(timedelta(seconds=60), clock=clock)
    token = tokens.issue(1, "201")
    clock.now += timedelta(seconds=50)
    assert tokens.remaining(token) == 10.0
    clock.now += timedelta(seconds=10)
    assert tokens.remaining(token) is None
    assert tokens.resolve(token) is None


def test_a_lone_surrogate_token_is_unknown() -> None:
    tokens = TokenStore()
    assert tokens.resolve("\ud800") is None
    assert tokens.remaining("\ud800") is None
    tokens.revoke("\ud800")
