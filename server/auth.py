"""API sign-in tokens: random, kept in memory with a sliding expiry, listed and ended per user.

A token is 32 random bytes (URL-safe); the server keeps only its SHA-256, so a memory dump does
not hand out sessions. Each session also has a public id (random, not derived from the token),
so a user can list their sessions (created, last used, expires, user agent, source address)
and end one without ever seeing another session's token. With a :class:`SessionBackend`
attached (the database table, ``server/session_store.py``) sessions survive a restart; the
backend is told of every change and never asked while serving. Whoever holds a connection on
a token (the event WebSocket) asks :meth:`TokenStore.remaining` when it lapses and hears of a
revocation through :meth:`TokenStore.on_revoke`. A token that is not valid text (a lone
surrogate) is unknown.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["CLIENT", "ClientInfo", "Session", "SessionBackend", "SessionInfo", "TokenStore"]

_TOUCH_EVERY = timedelta(minutes=1)  # a session's last use is written at most this often


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Where the request being served comes from (set by the HTTP middleware)."""

    user_agent: str | None
    source: str | None


CLIENT: ContextVar[ClientInfo | None] = ContextVar("api_client", default=None)
"""The client of the request being served: :meth:`TokenStore.issue` records it by default."""


@dataclass(frozen=True, slots=True)
class Session:
    """Who a token belongs to and until when it is valid."""

    user_id: int
    extension: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One session as its owner sees it: never the token, only its public id."""

    id: str
    user_id: int
    extension: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    user_agent: str | None
    source: str | None


class SessionBackend(Protocol):
    """Where sessions are kept beyond memory (the database): told of every change, never asked."""

    def saved(self, key: str, info: SessionInfo) -> None: ...

    def deleted(self, keys: list[str]) -> None: ...


class _RevokedToken(str):
    """What revocation listeners receive when only the token's digest is known (a session ended
    by id): it is the digest, and equals every token string whose SHA-256 it is, so a listener
    comparing ``its_token == revoked`` finds its connections without the server keeping tokens.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _RevokedToken):
            return str.__eq__(self, other)
        return isinstance(other, str) and _digest(other) == str(self)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__


class TokenStore:
    """Issues, resolves, lists and revokes bearer tokens."""

    def __init__(
        self,
        ttl: timedelta = timedelta(hours=12),
        *,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._sessions: dict[str, SessionInfo] = {}  # by the token's SHA-256
        self._on_revoke: list[Callable[[str], None]] = []
        self._backend: SessionBackend | None = None
        self._written: dict[str, datetime] = {}  # last use as the backend has it

    def attach(
        self, backend: SessionBackend, existing: Iterable[tuple[str, SessionInfo]] = ()
    ) -> None:
        """Keep sessions in ``backend`` from now on, starting with its ``existing`` ones
        (token digest, session) that are still valid."""
        now = self._clock()
        for key, info in existing:
            if info.expires_at > now:
                self._sessions[key] = info
                self._written[key] = info.last_used_at
        self._backend = backend

    @property
    def ttl(self) -> timedelta:
        return self._ttl

    def issue(
        self,
        user_id: int,
        extension: str,
        *,
        user_agent: str | None = None,
        source: str | None = None,
    ) -> str:
        self._purge()
        client = CLIENT.get() or ClientInfo(None, None)
        user_agent = user_agent if user_agent is not None else client.user_agent
        source = source if source is not None else client.source
        token = secrets.token_urlsafe(32)
        key = hashlib.sha256(token.encode()).hexdigest()
        now = self._clock()
        self._sessions[key] = SessionInfo(
            id=secrets.token_urlsafe(12),
            user_id=user_id,
            extension=extension,
            created_at=now,
            last_used_at=now,
            expires_at=now + self._ttl,
            user_agent=user_agent[:300] if user_agent else None,
            source=source,
        )
        self._save(key)
        return token

    def resolve(self, token: str) -> Session | None:
        """The session of a valid token, its expiry moved forward; None if unknown or expired."""
        key = _digest(token)
        info = self._sessions.get(key) if key is not None else None
        if key is None or info is None:
            return None
        now = self._clock()
        if info.expires_at <= now:
            self._drop(key)
            return None
        renewed = replace(info, last_used_at=now, expires_at=now + self._ttl)
        self._sessions[key] = renewed
        if now - self._written.get(key, info.last_used_at) >= _TOUCH_EVERY:
            self._save(key)
        return Session(renewed.user_id, renewed.extension, renewed.expires_at)

    def remaining(self, token: str) -> float | None:
        """Seconds the token stays valid without further use (not renewed); None if it is not."""
        key = _digest(token)
        info = self._sessions.get(key) if key is not None else None
        if info is None:
            return None
        left = (info.expires_at - self._clock()).total_seconds()
        return left if left > 0 else None

    def session_id(self, token: str) -> str | None:
        """The public id of ``token``'s session."""
        key = _digest(token)
        info = self._sessions.get(key) if key is not None else None
        return None if info is None else info.id

    def sessions_of(self, user_id: int) -> list[SessionInfo]:
        """The user's valid sessions, newest first."""
        self._purge()
        mine = [s for s in self._sessions.values() if s.user_id == user_id]
        return sorted(mine, key=lambda s: s.created_at, reverse=True)

    def revoke(self, token: str) -> None:
        key = _digest(token)
        if key is not None and self._drop(key):
            self._notify(token)

    def revoke_id(self, user_id: int, session_id: str) -> bool:
        """End ``user_id``'s session ``session_id``; False if the user has no such session."""
        for key, info in list(self._sessions.items()):
            if info.id == session_id and info.user_id == user_id:
                self._drop(key)
                self._notify(_RevokedToken(key))
                return True
        return False

    def revoke_user(self, user_id: int, *, keep: str | None = None) -> int:
        """End every session of ``user_id`` except the one of token ``keep``; how many ended."""
        kept = _digest(keep) if keep is not None else None
        ended = [k for k, s in self._sessions.items() if s.user_id == user_id and k != kept]
        for key in ended:
            self._drop(key)
            self._notify(_RevokedToken(key))
        return len(ended)

    def on_revoke(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(token)`` when a token is revoked (sign-out, account deleted).

        For a session ended by id the argument is a string that compares equal to its token.
        """
        if listener not in self._on_revoke:
            self._on_revoke.append(listener)

    def _save(self, key: str) -> None:
        info = self._sessions[key]
        self._written[key] = info.last_used_at
        if self._backend is not None:
            self._backend.saved(key, info)

    def _drop(self, key: str) -> bool:
        self._written.pop(key, None)
        if self._sessions.pop(key, None) is None:
            return False
        if self._backend is not None:
            self._backend.deleted([key])
        return True

    def _notify(self, token: str) -> None:
        for listener in list(self._on_revoke):
            listener(token)

    def _purge(self) -> None:
        now = self._clock()
        for key in [k for k, s in self._sessions.items() if s.expires_at <= now]:
            self._drop(key)


def _digest(token: str) -> str | None:
    try:
        return hashlib.sha256(token.encode()).hexdigest()
    except UnicodeEncodeError:  # a lone surrogate: no token we issued
        return None
