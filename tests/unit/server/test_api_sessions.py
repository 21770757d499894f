from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.auth import CLIENT, ClientInfo, SessionInfo, TokenStore
from tests.support.clock import SettableClock

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_sessions_are_listed_by_public_id_newest_first() -> None:
    clock = SettableClock(T0)
    tokens = TokenStore(timedelta(minutes=10), clock=clock)
    a = tokens.issue(1, "201", user_agent="Softphone/1.0", source="127.0.0.1")
    clock.now += timedelta(minutes=1)
    b = tokens.issue(1, "201")
    tokens.issue(2, "202")
    clock.now += timedelta(minutes=1)
    tokens.resolve(a)
    listed = tokens.sessions_of(1)
    assert [s.id for s in listed] == [tokens.session_id(b), tokens.session_id(a)]
    older = listed[1]
    assert older.user_agent == "Softphone/1.0" and older.source == "127.0.0.1"
    assert older.created_at == T0 and older.last_used_at == T0 + timedelta(minutes=2)
    assert older.expires_at == T0 + timedelta(minutes=12)
    assert all(a not in repr(s) and b not in repr(s) for s in listed)


def test_issue_takes_the_client_of_the_request() -> None:
    tokens = TokenStore()
    reset = CLIENT.set(ClientInfo("curl/8", "127.0.0.9"))
    try:
        tokens.issue(1, "201")
    finally:
        CLIENT.reset(reset)
    (session,) = tokens.sessions_of(1)
    assert (session.user_agent, session.source) == ("curl/8", "127.0.0.9")


def test_ending_a_session_by_id_tells_the_listeners_its_token() -> None:
    tokens = TokenStore()
    heard: list[str] = []
    tokens.on_revoke(heard.append)
    a = tokens.issue(1, "201")
    other = tokens.issue(2, "202")
    sid = tokens.session_id(a)
    assert sid is not None
    assert not tokens.revoke_id(2, sid), "another user's session is not theirs to end"
    assert tokens.resolve(a) is not None
    assert tokens.revoke_id(1, sid)
    assert tokens.resolve(a) is None
    assert len(heard) == 1
    assert a == heard[0] and heard[0] == a
    assert other != heard[0]
    assert not tokens.revoke_id(1, sid)


def test_revoke_user_keeps_one_session() -> None:
    tokens = TokenStore()
    heard: list[str] = []
    tokens.on_revoke(heard.append)
    keep = tokens.issue(1, "201")
    gone = [tokens.issue(1, "201"), tokens.issue(1, "201")]
    other = tokens.issue(2, "202")
    assert tokens.revoke_user(1, keep=keep) == 2
    assert tokens.resolve(keep) is not None and tokens.resolve(other) is not None
    assert all(tokens.resolve(t) is None for t in gone)
    assert sorted(gone) == sorted(t for t in gone for h in heard if t == h)


def test_expired_sessions_are_not_listed() -> None:
    clock = SettableClock(T0)
    tokens = TokenStore(timedelta(minutes=10), clock=clock)
    tokens.issue(1, "201")
    clock.now += timedelta(minutes=11)
    assert tokens.sessions_of(1) == []


class _Table:
    """A backend keeping what it is told, as the database table does."""

    def __init__(self) -> None:
        self.rows: dict[str, SessionInfo] = {}
        self.writes = 0

    def saved(self, key: str, info: SessionInfo) -> None:
        self.rows[key] = info
        self.writes += 1

    def deleted(self, keys: list[str]) -> None:
        for key in keys:
            self.rows.pop(key, None)


def test_sessions_survive_a_new_token_store_through_the_backend() -> None:
    clock = SettableClock(T0)
    table = _Table()
    first = TokenStore(timedelta(minutes=10), clock=clock)
    first.attach(table)
    token = first.issue(1, "201")
    ended = first.issue(1, "201")
    first.revoke(ended)
    assert len(table.rows) == 1
    clock.now += timedelta(seconds=30)
    first.resolve(token)
    assert table.writes == 2, "a use within a minute of the last written one is not written"
    clock.now += timedelta(seconds=40)
    first.resolve(token)
    assert table.writes == 3
    restarted = TokenStore(timedelta(minutes=10), clock=clock)
    restarted.attach(table, list(table.rows.items()))
    assert restarted.resolve(token) is not None
    assert restarted.resolve(ended) is None
    assert restarted.session_id(token) == first.session_id(token)
    clock.now += timedelta(minutes=11)
    later = TokenStore(timedelta(minutes=10), clock=clock)
    later.attach(table, list(table.rows.items()))
    assert later.resolve(token) is None
