"""API sign-in tokens: random, kept in memory with a sliding expiry.

A token is 32 random bytes (URL-safe); the server keeps only its SHA-256, so a memory dump does
not hand out sessions. Tokens do not survive a restart: clients sign in again (the desktop app
keeps the password in the system keyring). Single node only; scale-out needs a shared table.
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

    @property
    def ttl(self) -> timedelta:
        return self._ttl

    def issue(self, user_id: int, extension: str) -> str:
        self._purge()
        token = secrets.token_urlsafe(32)
        self._sessions[_digest(token)] = Session(user_id, extension, self._clock() + self._ttl)
        return token

    def resolve(self, token: str) -> Session | None:
        """The session of a valid token, its expiry moved forward; None if unknown or expired."""
        key = _digest(token)
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

    def revoke(self, token: str) -> None:
        self._sessions.pop(_digest(token), None)

    def _purge(self) -> None:
        now = self._clock()
        for key in [k for k, s in self._sessions.items() if s.expires_at <= now]:
            del self._sessions[key]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
