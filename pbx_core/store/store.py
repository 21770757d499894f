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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Engine, and_, delete, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pbx_core.errors import StoreError
from pbx_core.store._binding_sql import BindingWrite, write_bindings
from pbx_core.store._cache import StoreCache
from pbx_core.store._engine import make_engine, upgrade_to_head
from pbx_core.store._record_sql import insert_call_records
from pbx_core.store.gateway import StoreGateway
from pbx_core.store.models import (
    BindingRow,
    CallHiddenRow,
    CallRecordRow,
    ContactNumberRow,
    ContactRow,
    PresenceRow,
    SipCredentialRow,
    UserRoleRow,
    UserRow,
)
from pbx_core.store.records import (
    BindingRecord,
    CallReason,
    CallRecord,
    ContactNumber,
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
            row = CallRecordRow(
                call_id=record.call_id,
                caller=record.caller,
                callee=record.callee,
                caller_name=record.caller_name,
                callee_name=record.callee_name,
                started_at=record.started_at,
                answered_at=record.answered_at,
                ended_at=record.ended_at,
                answered=record.answered,
                reason=record.reason,
                ended_by=record.ended_by,
                sip_status=record.sip_status,
            )
            session.add(row)
            session.flush()
            return row.id

    def add_call_records(self, records: Sequence[CallRecord]) -> None:
        """Several records in one transaction (all or none), without their ids."""
        with self.transaction() as session:
            insert_call_records(session, records)

    def call_history(self, extension: str, limit: int = 100) -> list[CallRecord]:
        """Calls ``extension`` made or received, newest first, without those its user hid."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        hidden = (
            select(CallHiddenRow.call_record_id)
            .join(UserRow, UserRow.id == CallHiddenRow.user_id)
            .where(UserRow.extension == extension)
        )
        with self.transaction() as session:
            rows = session.scalars(
                select(CallRecordRow)
                .where(or_(CallRecordRow.caller == extension, CallRecordRow.callee == extension))
                .where(CallRecordRow.id.not_in(hidden))
                .order_by(CallRecordRow.started_at.desc(), CallRecordRow.id.desc())
                .limit(limit)
            )
            return [_call(row) for row in rows]

    def hide_call(self, user_id: int, record_id: int) -> bool:
        """Remove a call from one user's history; False if it is not a call of theirs.

        The record stays (the other party still sees it); hiding twice is not an error.
        """
        with self.transaction() as session:
            user = session.get(UserRow, user_id)
            row = session.get(CallRecordRow, record_id)
            if user is None or row is None or user.extension not in (row.caller, row.callee):
                return False
            if session.get(CallHiddenRow, (user_id, record_id)) is None:
                session.add(CallHiddenRow(user_id=user_id, call_record_id=record_id))
            return True

    # -- company contacts -------------------------------------------------------------------

    def add_contact(self, new: NewContact) -> ContactRecord:
        with self.transaction() as session:
            row = ContactRow(
                name=new.name,
                company=new.company,
                email=new.email,
                numbers=[
                    ContactNumberRow(position=i, label=n.label, number=n.number)
                    for i, n in enumerate(new.numbers)
                ],
            )
            session.add(row)
            session.flush()
            return _contact(row)

    def contacts(self) -> list[ContactRecord]:
        with self.transaction() as session:
            rows = session.scalars(select(ContactRow).order_by(ContactRow.name, ContactRow.id))
            return [_contact(row) for row in rows]

    def contacts_page(
        self, after: tuple[str, int] | None = None, limit: int = 2000
    ) -> list[ContactRecord]:
        """The next ``limit`` contacts in (name, id) order after ``after`` (keyset paging), read
        as plain rows: no ORM objects or identity map, so reading 100,000 contacts page by page
        keeps one page in memory at a time."""
        query = select(ContactRow.id, ContactRow.name, ContactRow.company, ContactRow.email)
        if after is not None:
            name, id_ = after
            query = query.where(
                or_(ContactRow.name > name, and_(ContactRow.name == name, ContactRow.id > id_))
            )
        with self.transaction() as session:
            heads = session.execute(query.order_by(ContactRow.name, ContactRow.id).limit(limit))
            rows = heads.all()
            if not rows:
                return []
            numbers: dict[int, list[ContactNumber]] = {}
            for contact_id, label, number in session.execute(
                select(ContactNumberRow.contact_id, ContactNumberRow.label, ContactNumberRow.number)
                .where(ContactNumberRow.contact_id.in_([r.id for r in rows]))
                .order_by(ContactNumberRow.contact_id, ContactNumberRow.position)
            ):
                numbers.setdefault(contact_id, []).append(ContactNumber(label, number))
            return [
                ContactRecord(id_, name, company, email, tuple(numbers.get(id_, ())))
                for id_, name, company, email in rows
            ]

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
    )


def _call(row: CallRecordRow) -> CallRecord:
    return CallRecord(
        id=row.id,
        call_id=row.call_id,
        caller=row.caller,
        callee=row.callee,
        caller_name=row.caller_name,
        callee_name=row.callee_name,
        started_at=row.started_at,
        answered_at=row.answered_at,
        ended_at=row.ended_at,
        reason=cast(CallReason, row.reason),
        ended_by=row.ended_by,
        sip_status=row.sip_status,
    )


def _contact(row: ContactRow) -> ContactRecord:
    return ContactRecord(
        id=row.id,
        name=row.name,
        company=row.company,
        email=row.email,
        numbers=tuple(ContactNumber(n.label, n.number) for n in row.numbers),
    )
