"""The PBX's persistence: one :class:`Store` over SQLAlchemy 2, synchronous and short.

Each method is one small transaction (SQLite WAL with ``synchronous=NORMAL``, or PostgreSQL).
Every failure is raised as :class:`~pbx_core.errors.StoreError` and the transaction is rolled
back, so a failed write changes nothing. Records going out are frozen dataclasses from
:mod:`pbx_core.store.records`, never ORM objects.

Code on the event loop does not call these methods: it awaits the same names on
:attr:`Store.aio` (:class:`~pbx_core.store.gateway.StoreGateway`), which runs them on the
store's one worker thread, so the loop never waits on SQL. Users, SIP credentials and bindings
are answered from memory (:mod:`pbx_core.store._cache`, filled at open), so those lookups are
safe anywhere. Calling the SQL methods synchronously on the loop still works and is deprecated.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pbx_core.errors import StoreError
from pbx_core.store._binding_sql import BindingWrite, write_bindings
from pbx_core.store._cache import StoreCache
from pbx_core.store._calls import add_call_record, call_history, hide_call
from pbx_core.store._contacts import add_contact, all_contacts, contacts_page
from pbx_core.store._engine import make_engine, upgrade_to_head
from pbx_core.store._record_sql import insert_call_records
from pbx_core.store.gateway import StoreGateway
from pbx_core.store.models import (
    BindingRow,
    PresenceRow,
    SipCredentialRow,
    UserRoleRow,
    UserRow,
)
from pbx_core.store.records import (
    BindingRecord,
    CallRecord,
    ContactRecord,
    LoginRecord,
    NewContact,
    NewUser,
    PresenceRecord,
    SipCredentials,
    UserRecord,
)

__all__ = ["Store"]

_log = logging.getLogger(__name__)


class Store:
    """Users, SIP credentials, bindings, call records, company contacts and presence."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._cache = StoreCache()
        self.aio = StoreGateway(self)
        """The same methods as coroutines, run on the store's worker thread."""

    # -- life cycle -------------------------------------------------------------------------

    def open(self) -> None:
        """Connect, create the database when missing and migrate it to the newest schema."""
        if self._engine is not None:
            return
        try:
            engine = make_engine(self._url)
            upgrade_to_head(engine)
        except (SQLAlchemyError, OSError, ValueError) as exc:
            raise StoreError(f"cannot open the database: {exc}") from exc
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        try:
            self._fill_cache()
        except StoreError:
            self._dispose()
            raise
        _log.info("store open: %s", engine.url.render_as_string(hide_password=True))

    def close(self) -> None:
        """Finish the writes queued on the worker thread, then disconnect."""
        self.aio.stop_worker()
        self._dispose()

    def _dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._sessions = None
        self._cache.clear()

    def _fill_cache(self) -> None:
        with self.transaction() as session:
            users = [_user(row) for row in session.scalars(select(UserRow))]
            credentials = [
                SipCredentials(r.username, r.realm, r.ha1_md5, r.ha1_sha256)
                for r in session.scalars(select(SipCredentialRow))
            ]
            bindings = [
                _binding(row) for row in session.scalars(select(BindingRow).order_by(BindingRow.id))
            ]
        self._cache.fill(users, credentials, bindings)

    def _open_cache(self) -> StoreCache:
        if self._sessions is None:
            raise StoreError("the store is not open")
        return self._cache

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back and re-raised as StoreError."""
        if self._sessions is None:
            raise StoreError("the store is not open")
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise StoreError(f"database operation failed: {_short(exc)}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    # -- users ------------------------------------------------------------------------------

    def add_user(self, new: NewUser) -> UserRecord:
        """Create a user with login hash and SIP HA1 values; StoreError on a clash."""
        with self.transaction() as session:
            row = UserRow(
                extension=new.extension,
                display_name=new.display_name,
                email=new.email,
                department=new.department,
                password_hash=new.password_hash,
                created_at=datetime.now(UTC),
                roles=[UserRoleRow(role=role) for role in sorted(set(new.roles))],
            )
            session.add(row)
            session.flush()
            session.add(
                SipCredentialRow(
                    username=new.extension,
                    realm=new.realm,
                    ha1_md5=new.ha1_md5,
                    ha1_sha256=new.ha1_sha256,
                )
            )
            session.flush()
            user = _user(row)
        credentials = SipCredentials(new.extension, new.realm, new.ha1_md5, new.ha1_sha256)
        self._cache.put_user(user, credentials)
        return user

    def set_roles(self, extension: str, roles: Iterable[str]) -> UserRecord | None:
        """Replace a user's roles (``user`` is always one); None for no such user."""
        with self.transaction() as session:
            row = session.scalar(select(UserRow).where(UserRow.extension == extension))
            if row is None:
                return None
            wanted = {"user", *roles}
            kept = [r for r in row.roles if r.role in wanted]  # a row kept, never re-inserted
            have = {r.role for r in kept}
            row.roles = kept + [UserRoleRow(role=role) for role in sorted(wanted - have)]
            session.flush()
            session.refresh(row)
            user = _user(row)
        self._cache.replace_user(user)
        return user

    def users(self) -> list[UserRecord]:
        """Every user by extension (from memory)."""
        return self._open_cache().users()

    def user_count(self) -> int:
        with self.transaction() as session:
            return int(session.scalar(select(func.count()).select_from(UserRow)) or 0)

    def user_by_extension(self, ext: str) -> UserRecord | None:
        """From memory: safe on the event loop."""
        return self._open_cache().user_by_extension(ext)

    def user_by_id(self, user_id: int) -> UserRecord | None:
        """From memory: safe on the event loop."""
        return self._open_cache().user_by_id(user_id)

    def login_record(self, login: str) -> LoginRecord | None:
        """The user whose extension or e-mail (any case) is ``login``, with the password hash."""
        with self.transaction() as session:
            row = session.scalar(
                select(UserRow).where(
                    or_(UserRow.extension == login, func.lower(UserRow.email) == login.lower())
                )
            )
            return None if row is None else LoginRecord(_user(row), row.password_hash)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Replace a login hash (argon2 re-hash after a parameter change)."""
        with self.transaction() as session:
            row = session.get(UserRow, user_id)
            if row is None:
                raise StoreError(f"no user with id {user_id}")
            row.password_hash = password_hash

    def sip_credentials(self, username: str) -> SipCredentials | None:
        """From memory: safe on the event loop (the digest check of every request)."""
        return self._open_cache().credentials(username)

    # -- bindings ---------------------------------------------------------------------------

    def load_bindings(self) -> list[BindingRecord]:
        """Every stored binding, oldest first (from memory)."""
        return self._open_cache().bindings()

    def reload(self) -> list[BindingRecord]:
        """Read users, SIP credentials and bindings again (a cluster node catching up with
        the others' writes to the shared database); returns the bindings, oldest first."""
        self._open_cache()
        self._fill_cache()
        return self._cache.bindings()

    def save_binding(self, b: BindingRecord) -> None:
        """Insert or update the binding of ``(b.extension, b.contact)``."""
        self.write_bindings([b])

    def delete_binding(self, extension: str, contact: str) -> None:
        self.write_bindings([(extension, contact)])

    def write_bindings(self, writes: Sequence[BindingWrite]) -> None:
        """Saves (records) and removals ((extension, contact)) in order, in one transaction:
        all or none (the registrar commits the REGISTERs that arrive together at once)."""
        with self.transaction() as session:
            write_bindings(session, writes)
        for write in writes:
            if isinstance(write, BindingRecord):
                self._cache.put_binding(replace(write, expires_at=write.expires_at.astimezone(UTC)))
            else:
                self._cache.drop_bindings([write])

    def delete_expired_bindings(self, now: datetime) -> int:
        """Remove bindings whose expiry is at or before ``now``; returns how many went."""
        with self.transaction() as session:
            expired = session.execute(
                select(BindingRow.id, BindingRow.extension, BindingRow.contact).where(
                    BindingRow.expires_at <= now
                )
            ).all()
            if expired:
                ids = [row.id for row in expired]
                session.execute(delete(BindingRow).where(BindingRow.id.in_(ids)))
        self._cache.drop_bindings((row.extension, row.contact) for row in expired)
        return len(expired)

    # -- call records -----------------------------------------------------------------------

    def add_call_record(self, record: CallRecord) -> int:
        with self.transaction() as session:
            return add_call_record(session, record)

    def add_call_records(self, records: Sequence[CallRecord]) -> None:
        """Several records in one transaction (all or none), without their ids."""
        with self.transaction() as session:
            insert_call_records(session, records)

    def call_history(self, extension: str, limit: int = 100) -> list[CallRecord]:
        """Calls ``extension`` made or received, newest first, without those its user hid."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        with self.transaction() as session:
            return call_history(session, extension, limit)

    def hide_call(self, user_id: int, record_id: int) -> bool:
        """Remove a call from one user's history; False if it is not a call of theirs.

        The record stays (the other party still sees it); hiding twice is not an error.
        """
        with self.transaction() as session:
            return hide_call(session, user_id, record_id)

    # -- company contacts -------------------------------------------------------------------

    def add_contact(self, new: NewContact) -> ContactRecord:
        with self.transaction() as session:
            return add_contact(session, new)

    def contacts(self) -> list[ContactRecord]:
        """Every company contact in name order (case-insensitive, then id)."""
        with self.transaction() as session:
            return all_contacts(session)

    def contacts_page(
        self,
        after: tuple[str, int] | None = None,
        limit: int = 2000,
        ids: Collection[int] | None = None,
    ) -> list[ContactRecord]:
        """The next ``limit`` contacts in name order (case-insensitive, then id) after
        ``after``, a ``(name, id)`` of the previous page's last row (keyset paging over the index
        of migration 0014); only ``ids`` when given. Read as plain rows: no ORM objects or
        identity map, so reading 100,000 contacts page by page keeps one page in memory."""
        with self.transaction() as session:
            return contacts_page(session, after, limit, ids)

    # -- presence ---------------------------------------------------------------------------

    def save_presence(self, record: PresenceRecord) -> None:
        with self.transaction() as session:
            row = session.get(PresenceRow, record.extension)
            if row is None:
                row = PresenceRow(extension=record.extension)
                session.add(row)
            row.status = record.status
            row.until = record.until
            row.role = record.role
            row.note = record.note
            row.updated_at = datetime.now(UTC)

    def load_presence(self) -> list[PresenceRecord]:
        with self.transaction() as session:
            rows = session.scalars(select(PresenceRow).order_by(PresenceRow.extension))
            return [
                PresenceRecord(r.extension, r.status, r.until, r.role or "work", r.note)
                for r in rows
            ]


def _short(exc: SQLAlchemyError) -> str:
    """The driver's own message without SQLAlchemy's statement dump."""
    orig = getattr(exc, "orig", None)
    return str(orig) if orig is not None else str(exc).split("\n", 1)[0]


def _user(row: UserRow) -> UserRecord:
    return UserRecord(
        id=row.id,
        extension=row.extension,
        display_name=row.display_name,
        email=row.email,
        department=row.department,
        roles=tuple(r.role for r in row.roles),
    )


def _binding(row: BindingRow) -> BindingRecord:
    return BindingRecord(
        extension=row.extension,
        contact=row.contact,
        expires_at=row.expires_at,
        source=row.source,
        call_id=row.call_id,
        cseq=row.cseq,
        user_agent=row.user_agent,
        path=row.path,
    )
