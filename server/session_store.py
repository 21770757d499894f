"""API sessions kept in the PBX's database, so a server restart keeps users signed in.

:class:`StoreSessions` is the token store's backend: each change is queued on the store's
worker thread (``store.aio.soon``), so the loop never waits on SQL. :func:`persist_sessions`
loads the valid sessions once when the app is built (before it serves) and attaches the backend.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from pbx_core.errors import StoreError
from pbx_core.store import Store
from pbx_core.store.sessions import StoredSession, delete_sessions, load_sessions, save_session
from server.auth import SessionInfo, TokenStore

__all__ = ["StoreSessions", "persist_sessions"]

_log = logging.getLogger(__name__)


class StoreSessions:
    """Writes the token store's changes to the ``api_sessions`` table, in order, off the loop."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def saved(self, key: str, info: SessionInfo) -> None:
        row = StoredSession(
            key, info.id, info.user_id, info.extension, info.created_at,
            info.last_used_at, info.expires_at, info.user_agent, info.source,
        )
        self._store.aio.soon("an API session", save_session, self._store, row)

    def deleted(self, keys: list[str]) -> None:
        self._store.aio.soon("the end of an API session", delete_sessions, self._store, keys)


def persist_sessions(tokens: TokenStore, store: Store) -> None:
    """Load ``store``'s valid sessions into ``tokens`` and keep them there from now on."""
    try:
        stored = load_sessions(store, datetime.now(UTC))
    except StoreError as exc:  # not open: sessions stay in memory only
        _log.warning("API sessions are not kept across restarts: %s", exc)
        return
    tokens.attach(
        StoreSessions(store),
        [
            (
                s.token_hash,
                SessionInfo(
                    s.public_id, s.user_id, s.extension, s.created_at, s.last_used_at,
                    s.expires_at, s.user_agent, s.source,
                ),
            )
            for s in stored
        ],
    )
    if stored:
        _log.info("%d API session(s) restored", len(stored))
