"""API sessions kept in the database, so a server restart keeps users signed in.

Plain functions over :class:`~pbx_core.store.store.Store`, run on the store's worker thread
(``store.aio.call`` / ``soon``): load the valid ones at start (dropping the expired), save one
(insert or update), delete some. Rows hold the SHA-256 of the token, never the token.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from pbx_core.store.session_models import ApiSessionRow
from pbx_core.store.store import Store

__all__ = ["StoredSession", "delete_sessions", "load_sessions", "save_session"]


@dataclass(frozen=True, slots=True)
class StoredSession:
    token_hash: str
    public_id: str
    user_id: int
    extension: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    user_agent: str | None
    source: str | None


def load_sessions(store: Store, now: datetime) -> list[StoredSession]:
    """Every session valid at ``now``; expired rows are deleted."""
    with store.transaction() as session:
        session.execute(delete(ApiSessionRow).where(ApiSessionRow.expires_at <= now))
        return [
            StoredSession(
                r.token_hash, r.public_id, r.user_id, r.extension, r.created_at,
                r.last_used_at, r.expires_at, r.user_agent, r.source,
            )
            for r in session.scalars(select(ApiSessionRow))
        ]


def save_session(store: Store, s: StoredSession) -> None:
    """Insert the session, or update its last use and expiry."""
    with store.transaction() as session:
        row = session.get(ApiSessionRow, s.token_hash)
        if row is None:
            session.add(
                ApiSessionRow(
                    token_hash=s.token_hash, public_id=s.public_id, user_id=s.user_id,
                    extension=s.extension, created_at=s.created_at,
                    last_used_at=s.last_used_at, expires_at=s.expires_at,
                    user_agent=s.user_agent, source=s.source,
                )
            )
        else:
            row.last_used_at = s.last_used_at
            row.expires_at = s.expires_at


def delete_sessions(store: Store, token_hashes: Iterable[str]) -> None:
    keys = list(token_hashes)
    if keys:
        with store.transaction() as session:
            session.execute(delete(ApiSessionRow).where(ApiSessionRow.token_hash.in_(keys)))
