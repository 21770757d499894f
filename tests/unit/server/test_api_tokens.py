from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.auth import Session, TokenStore
from tests.support.clock import SettableClock

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_tokens_are_random_and_resolve_to_their_user() -> None:
    tokens = TokenStore(timedelta(minutes=10), clock=SettableClock(T0))
    a = tokens.issue(1, "201")
    b = tokens.issue(1, "201")
    assert a != b and len(a) >= 43
    assert tokens.resolve(a) == Session(1, "201", T0 + timedelta(minutes=10))
    assert tokens.resolve("forged") is None


def test_expiry_slides_with_use_and_then_ends() -> None:
    clock = SettableClock(T0)
    tokens = TokenStore(timedelta(minutes=10), clock=clock)
    token = tokens.issue(2, "202")
    clock.now = T0 + timedelta(minutes=9)
    assert tokens.resolve(token) is not None
    clock.now = T0 + timedelta(minutes=18)
    assert tokens.resolve(token) is not None
    clock.now = T0 + timedelta(minutes=28)
    assert tokens.resolve(token) is None


def test_revoke() -> None:
    tokens = TokenStore()
    token = tokens.issue(3, "203")
    tokens.revoke(token)
    assert tokens.resolve(token) is None
