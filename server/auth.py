"""API sign-in tokens: random, kept in memory with a sliding expiry.

A token is 32 random bytes (URL-safe); the server keeps only its SHA-256, so a memory dump does
not hand out sessions. Tokens do not survive a restart: clients sign in again (the desktop app
keeps the password in the system keyring). Single node only; scale-out needs a shared table.
Whoever holds a connection on a token (the event WebSocket) asks :meth:`TokenStore.remaining`
when it lapses and hears of a revocation through :meth:`TokenStore.on_revoke`. A token that is
not valid text (a lone surrogate) is simply unknown.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = ["Session", "TokenStore"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Session:
    """Who a token belongs to and until when it is valid."""

    user_id: int
    extension: str
    expires_at: datetime


class TokenStore:
    """Issues, resolves and revokes bearer tokens."""

    def __init__(
        self,
        ttl: timedelta = timedelta(hours=12),
        *,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._on_revoke: list[Callable[[str], None]] = []

    @property
    def ttl(self) -> timedelta:
        return self._ttl

    def issue(self, user_id: int, extension: str) -> str:
        self._purge()
        token = secrets.token_urlsafe(32)
        key = hashlib.sha256(token.encode()).hexdigest()
        self._sessions[key] = Session(user_id, extension, self._clock() + self._ttl)
        return token

    def resolve(self, token: str) -> Session | None:
        """The session of a valid token, its expiry moved forward; None if unknown or expired."""
        key = _digest(token)
        if key is None:
            return None
        session = self._sessions.get(key)
        now = self._clock()
        if session is None:
            return None
        if session.expires_at <= now:
            del self._sessions[key]
            return None
        renewed = Session(session.user_id, session.extension, now + self._ttl)
        self._sessions[key] = renewed
        return renewed

    def remaining(self, token: str) -> float | None:
        """Seconds the token stays valid without further use (not renewed); None if it is not."""
        key = _digest(token)
        session = self._sessions.get(key) if key is not None else None
        if session is None:
            return None
        left = (session.expires_at - self._clock()).total_seconds()
        return left if left > 0 else None

    def revoke(self, token: str) -> None:
        key = _digest(token)
        if key is not None and self._sessions.pop(key, None) is not None:
            for listener in list(self._on_revoke):
                listener(token)

    def on_revoke(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(token)`` when a token is revoked (sign-out, account deleted)."""
        if listener not in self._on_revoke:
            self._on_revoke.append(listener)

    def _purge(self) -> None:
        now = self._clock()
        for key in [k for k, s in self._sessions.items() if s.expires_at <= now]:
            del self._sessions[key]


def _digest(token: str) -> str | None:
    try:
        return hashlib.sha256(token.encode()).hexdigest()
    except UnicodeEncodeError:  # a lone surrogate: no token we issued
        return None
