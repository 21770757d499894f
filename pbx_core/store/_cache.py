"""The store's hot lookups held in memory: users, SIP credentials and bindings.

Filled completely when the store opens and kept in step by the store's own writes, so a lookup
never runs SQL, and a miss is an answer ("no such user"), not a reason to ask the database.
Readers on any thread see a consistent snapshot: writers build new dicts and swap them in under
a lock, readers never lock. Single node: a second process writing users or bindings to the
same database is not seen here until :meth:`Store.reload` fills it again, which a cluster node
does every few seconds (``--cluster-sync``, docs/scale-out.md).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from pbx_core.store.records import BindingRecord, SipCredentials, UserRecord

__all__ = ["StoreCache"]


class StoreCache:
    """Users by extension and id, credentials by SIP user name, bindings by (extension, contact)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_extension: dict[str, UserRecord] = {}
        self._by_id: dict[int, UserRecord] = {}
        self._credentials: dict[str, SipCredentials] = {}
        self._bindings: dict[tuple[str, str], BindingRecord] = {}

    def fill(
        self,
        users: Iterable[UserRecord],
        credentials: Iterable[SipCredentials],
        bindings: Iterable[BindingRecord],
    ) -> None:
        """Replace everything (at open, from one transaction)."""
        listed = sorted(users, key=lambda u: u.extension)
        with self._lock:
            self._by_extension = {u.extension: u for u in listed}
            self._by_id = {u.id: u for u in listed}
            self._credentials = {c.extension: c for c in credentials}
            self._bindings = {(b.extension, b.contact): b for b in bindings}

    def clear(self) -> None:
        self.fill((), (), ())

    # -- reads: any thread, no lock -------------------------------------------------------

    def users(self) -> list[UserRecord]:
        return list(self._by_extension.values())

    def user_by_extension(self, extension: str) -> UserRecord | None:
        return self._by_extension.get(extension)

    def user_by_id(self, user_id: int) -> UserRecord | None:
        return self._by_id.get(user_id)

    def credentials(self, username: str) -> SipCredentials | None:
        return self._credentials.get(username)

    def bindings(self) -> list[BindingRecord]:
        return list(self._bindings.values())

    # -- writes: after the transaction committed --------------------------------------------

    def put_user(self, user: UserRecord, credentials: SipCredentials) -> None:
        with self._lock:
            by_extension = {**self._by_extension, user.extension: user}
            self._by_extension = dict(sorted(by_extension.items()))
            self._by_id = {**self._by_id, user.id: user}
            self._credentials = {**self._credentials, credentials.extension: credentials}

    def replace_user(self, user: UserRecord) -> None:
        """A user whose details (roles) changed; credentials stay."""
        with self._lock:
            self._by_extension = {**self._by_extension, user.extension: user}
            self._by_id = {**self._by_id, user.id: user}

    def put_binding(self, binding: BindingRecord) -> None:
        with self._lock:
            self._bindings = {**self._bindings, (binding.extension, binding.contact): binding}

    def drop_bindings(self, keys: Iterable[tuple[str, str]]) -> None:
        with self._lock:
            gone = set(keys)
            self._bindings = {k: b for k, b in self._bindings.items() if k not in gone}
