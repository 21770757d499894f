"""The address books in the store: company contacts per user group, personal contacts per user,
and each user's type of a contact (favourite, VIP, blocked).

Synchronous, one short transaction per method through the store's own session (a failure is a
:class:`~pbx_core.errors.StoreError` and changes nothing); code on the event loop calls these on
the store's worker thread (:class:`~pbx_core.contacts.service.ContactService`). An import writes
every contact in one transaction: all or nothing. Company contacts are the store's ``contacts``
(the directory searches the same rows); a company contact in no address book is seen by every
user, one in books by the users whose department or role is a group of one of those books (a
book without groups: everyone; users allowed to see every address book see all of them:
pbx_core/permissions.py). The blocked numbers are kept in memory (:class:`BlockList`).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pbx_core.contacts.address_books import Visibility, put_address_book, visibility
from pbx_core.contacts.blocking import BlockList
from pbx_core.contacts.model import (
    LABELS,
    TYPES,
    Book,
    Contact,
    ContactDraft,
    ContactType,
    Number,
    NumberLabel,
    View,
    contact_id,
    parse_contact_id,
    type_in_view,
)
from pbx_core.contacts.paging import Page, PageCursor, merge_page, sort_key
from pbx_core.errors import Forbidden, NotFound
from pbx_core.permissions import Permission, allowed, groups_of, member_of
from pbx_core.store import ContactRecord, Store, UserRecord
from pbx_core.store.models import (
    AddressBookContactRow,
    ContactMarkRow,
    ContactNumberRow,
    ContactRow,
    PersonalContactNumberRow,
    PersonalContactRow,
)

__all__ = ["ContactBook"]

_PAGE = 2000
"""Company contacts read per page when listing them."""


class ContactBook:
    """Every user's view of the address books; ``is_blocked`` answers from memory."""

    def __init__(self, store: Store, region: str = "NL") -> None:
        self._store = store
        self.region = region
        self._lock = threading.Lock()
        self._blocks = BlockList(region=region)
        self._visibility = Visibility({}, {})

    # -- blocked numbers: memory, any thread ---------------------------------------------------

    def load(self) -> None:
        """Read every user's blocked numbers (at start; kept current by this book's writes)."""
        numbers: dict[str, frozenset[str]] = {}
        for user in self._store.users():
            found = self._blocked_numbers(user)
            if found:
                numbers[user.extension] = found
        with self._lock:
            self._blocks = BlockList(numbers, self.region)
        self.reload_books()

    def reload_books(self) -> None:
        """Read who sees which company contact again (after the address books changed)."""
        self._visibility = visibility(self._store)

    def hidden_company_ids(self, user: UserRecord) -> frozenset[int]:
        """The company contacts ``user`` does not see (memory only, any thread)."""
        every = allowed(member_of(user), Permission.SEE_EVERY_ADDRESS_BOOK)
        return self._visibility.hidden(groups_of(user), every)

    @property
    def blocks(self) -> BlockList:
        return self._blocks

    def is_blocked(self, user: str, number: str) -> bool:
        """Whether extension ``user`` rejects calls from ``number`` (memory only: no SQL)."""
        return self._blocks.is_blocked(user, number)

    def _blocked_numbers(self, user: UserRecord) -> frozenset[str]:
        with self._store.transaction() as session:
            marks = session.scalars(
                select(ContactMarkRow).where(
                    ContactMarkRow.user_id == user.id, ContactMarkRow.type == "blocked"
                )
            ).all()
            company = [m.contact_id for m in marks if m.kind == "company"]
            personal = [m.contact_id for m in marks if m.kind == "personal"]
            found = set(
                session.scalars(
                    select(ContactNumberRow.number).where(ContactNumberRow.contact_id.in_(company))
                )
            )
            found |= set(
                session.scalars(
                    select(PersonalContactNumberRow.number)
                    .join(PersonalContactRow)
                    .where(
                        PersonalContactNumberRow.contact_id.in_(personal),
                        PersonalContactRow.owner_id == user.id,
                    )
                )
            )
        return frozenset(found)

    def _refresh_blocks(self, user: UserRecord) -> None:
        numbers = self._blocked_numbers(user)
        with self._lock:
            self._blocks = self._blocks.with_user(user.extension, numbers)

    # -- reading ----------------------------------------------------------------------------

    def contacts(self, user: UserRecord, view: View = "all") -> list[Contact]:
        """What ``user`` sees in ``view``: their personal contacts and the company contacts
        their groups may see, by name."""
        personal, types, may_see = self._reading(user, view)
        rows, _ = self._company_rows(may_see, types, None, sys.maxsize, _marked(types, view))
        found = personal + [c for c, _ in rows if c.in_view(view)]
        return sorted(found, key=sort_key)

    def page(
        self,
        user: UserRecord,
        view: View = "all",
        cursor: PageCursor | None = None,
        limit: int = 200,
    ) -> Page:
        """One page of :meth:`contacts` after ``cursor`` (:mod:`pbx_core.contacts.paging`)."""
        cursor = cursor or PageCursor()
        personal, types, may_see = self._reading(user, view)
        marked = _marked(types, view)
        rows, done = self._company_rows(may_see, types, cursor.company_after, limit, marked)
        company = [(c, key) for c, key in rows if c.in_view(view)]
        return merge_page(cursor, personal, company, done, limit)

    def _reading(
        self, user: UserRecord, view: View
    ) -> tuple[list[Contact], dict[tuple[str, int], ContactType], Callable[[int], bool]]:
        """The user's personal contacts in ``view`` by name, their types of contacts, and
        whether they see a company contact: one transaction."""
        with self._store.transaction() as session:
            types = self._types(session, user)
            personal = [
                _personal(row, types.get(("personal", row.id), "none"))
                for row in session.scalars(
                    select(PersonalContactRow).where(PersonalContactRow.owner_id == user.id)
                )
            ]
            may_see = self._may_see(user)
        return sorted((c for c in personal if c.in_view(view)), key=sort_key), types, may_see

    def contact(self, user: UserRecord, cid: str) -> Contact:
        """One contact ``user`` may see; NotFound otherwise (also for another user's)."""
        book, row_id = _parse(cid)
        with self._store.transaction() as session:
            kind = self._types(session, user).get((book, row_id), "none")
            if book == "personal":
                return _personal(self._own_row(session, user, row_id), kind)
            row = session.get(ContactRow, row_id)
            if row is None or not self._may_see(user)(row_id):
                raise NotFound(f"no contact {cid}")
            return _company(row, kind)

    def export(self, user: UserRecord, book: Book | None = "personal") -> list[ContactDraft]:
        """The drafts of ``user``'s personal contacts (``book=None``: everything they see)."""
        return [c.draft() for c in self.contacts(user) if book is None or c.book == book]

    # -- writing ----------------------------------------------------------------------------

    def create(self, user: UserRecord, draft: ContactDraft) -> Contact:
        """A new personal contact of ``user``."""
        return self.import_drafts(user, [draft])[0]

    def import_drafts(self, user: UserRecord, drafts: Sequence[ContactDraft]) -> list[Contact]:
        """Add every draft as a personal contact in one transaction: all or nothing."""
        with self._store.transaction() as session:
            rows = []
            for draft in drafts:
                row = PersonalContactRow(owner_id=user.id, updated_at=datetime.now(UTC))
                _fill(row, draft)
                session.add(row)
                rows.append((row, draft.type))
            session.flush()
            for row, kind in rows:
                _set_type(session, user, "personal", row.id, kind)
            made = [_personal(row, kind) for row, kind in rows]
        if any(kind == "blocked" for _, kind in rows):
            self._refresh_blocks(user)
        return made

    def update(self, user: UserRecord, cid: str, draft: ContactDraft) -> Contact:
        """Replace a personal contact's fields and type; a company contact takes only the type
        (its fields are the administrator's: Forbidden when they differ)."""
        book, row_id = _parse(cid)
        if book == "company":
            current = self.contact(user, cid)
            if current.draft() != replace(draft, type=current.type):
                raise Forbidden("company contacts are read-only; only their type can be set")
            return self.set_type(user, cid, draft.type)
        with self._store.transaction() as session:
            row = self._own_row(session, user, row_id)
            _fill(row, draft)
            row.updated_at = datetime.now(UTC)
            _set_type(session, user, "personal", row.id, draft.type)
            session.flush()
            contact = _personal(row, draft.type)
        self._refresh_blocks(user)
        return contact

    def set_type(self, user: UserRecord, cid: str, kind: ContactType) -> Contact:
        """Mark a contact ``user`` sees as favourite, VIP, blocked, or none."""
        if kind not in TYPES:
            raise ValueError(f"not a contact type: {kind!r}")
        book, row_id = _parse(cid)
        self.contact(user, cid)  # NotFound unless visible
        with self._store.transaction() as session:
            _set_type(session, user, book, row_id, kind)
        self._refresh_blocks(user)
        return self.contact(user, cid)

    def delete(self, user: UserRecord, cid: str) -> None:
        """Delete a personal contact; company contacts are read-only (Forbidden)."""
        book, row_id = _parse(cid)
        if book == "company":
            self.contact(user, cid)
            raise Forbidden("company contacts are read-only")
        with self._store.transaction() as session:
            session.delete(self._own_row(session, user, row_id))
            session.execute(
                delete(ContactMarkRow).where(
                    ContactMarkRow.kind == "personal", ContactMarkRow.contact_id == row_id
                )
            )
        self._refresh_blocks(user)

    # -- company address books (administration) ------------------------------------------

    def add_book(self, name: str, groups: Iterable[str] = ()) -> int:
        """A company address book seen by ``groups`` (departments or roles; none: everyone)."""
        book = put_address_book(self._store, name, groups, ())
        self.reload_books()
        return book.id

    def put_in_book(self, book_id: int, company_id: int) -> None:
        with self._store.transaction() as session:
            session.add(AddressBookContactRow(book_id=book_id, contact_id=company_id))
        self.reload_books()

    def set_company_details(
        self, company_id: int, department: str | None, job_title: str | None, address: str | None
    ) -> None:
        """The card fields of a company contact that ``Store.add_contact`` does not take."""
        with self._store.transaction() as session:
            row = session.get(ContactRow, company_id)
            if row is None:
                raise NotFound(f"no company contact {company_id}")
            row.department, row.job_title, row.address = department, job_title, address

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _types(session: Session, user: UserRecord) -> dict[tuple[str, int], ContactType]:
        marks = session.scalars(select(ContactMarkRow).where(ContactMarkRow.user_id == user.id))
        return {(m.kind, m.contact_id): cast(ContactType, m.type) for m in marks}

    def _may_see(self, user: UserRecord) -> Callable[[int], bool]:
        """Whether ``user`` sees company contact ``id``: whoever may see every address book
        sees all, else :meth:`Visibility.may_see` (the books in memory)."""
        shown = self._visibility
        groups = groups_of(user)
        every = allowed(member_of(user), Permission.SEE_EVERY_ADDRESS_BOOK)
        return lambda row_id: shown.may_see(row_id, groups, every)

    def _company_rows(
        self,
        may_see: Callable[[int], bool],
        types: dict[tuple[str, int], ContactType],
        after: tuple[str, int] | None,
        want: int,
        ids: Collection[int] | None = None,
    ) -> tuple[list[tuple[Contact, tuple[str, int]]], bool]:
        """Up to ``want`` company contacts the user sees after ``after`` in name order (only
        ``ids`` when given), each with its keyset, and whether none follows them: read as plain
        rows a store page at a time, so 100,000 cost the page and not ten times it."""
        found: list[tuple[Contact, tuple[str, int]]] = []
        while len(found) < want:
            asked = min(_PAGE, max(want - len(found), 100))
            rows = self._store.contacts_page(after, asked, ids)
            for r in rows:
                if may_see(r.id):
                    found.append((_record(r, types.get(("company", r.id), "none")), (r.name, r.id)))
            if len(rows) < asked:
                return found[:want], len(found) <= want
            after = (rows[-1].name, rows[-1].id)
        return found[:want], False

    @staticmethod
    def _own_row(session: Session, user: UserRecord, row_id: int) -> PersonalContactRow:
        row = session.get(PersonalContactRow, row_id)
        if row is None or row.owner_id != user.id:
            raise NotFound(f"no contact {contact_id('personal', row_id)}")
        return row


def _parse(cid: str) -> tuple[Book, int]:
    try:
        return parse_contact_id(cid)
    except ValueError as exc:
        raise NotFound(f"no contact {cid}") from exc


def _fill(row: PersonalContactRow, d: ContactDraft) -> None:
    row.name, row.company, row.department = d.name.strip(), d.company, d.department
    row.job_title, row.email, row.address = d.job_title, d.email, d.address
    row.numbers = [
        PersonalContactNumberRow(position=i, label=n.label, number=n.number)
        for i, n in enumerate(d.numbers)
    ]


def _set_type(session: Session, user: UserRecord, book: Book, row_id: int, kind: str) -> None:
    mark = session.get(ContactMarkRow, (user.id, book, row_id))
    if kind == "none":
        if mark is not None:
            session.delete(mark)
        return
    if mark is None:
        session.add(ContactMarkRow(user_id=user.id, kind=book, contact_id=row_id, type=kind))
    else:
        mark.type = kind


def _label(text: str) -> NumberLabel:
    lowered = text.lower()
    return next((label for label in LABELS if label == lowered), "other")


def _personal(row: PersonalContactRow, kind: ContactType) -> Contact:
    return Contact(
        contact_id("personal", row.id),
        "personal",
        row.name,
        row.company,
        row.department,
        row.job_title,
        row.email,
        row.address,
        tuple(Number(_label(n.label), n.number) for n in row.numbers),
        kind,
    )


def _marked(types: dict[tuple[str, int], ContactType], view: View) -> set[int] | None:
    """The company contacts a marked view can hold (None for "all": every one)."""
    if view == "all":
        return None
    return {
        row_id
        for (book, row_id), kind in types.items()
        if book == "company" and type_in_view(kind, view)
    }


def _record(r: ContactRecord, kind: ContactType) -> Contact:
    return Contact(
        contact_id("company", r.id), "company", r.name, r.company, r.department, r.job_title,
        r.email, r.address, tuple(Number(_label(n.label), n.number) for n in r.numbers), kind,
    )  # fmt: skip


def _company(row: ContactRow, kind: ContactType) -> Contact:
    return Contact(
        contact_id("company", row.id),
        "company",
        row.name,
        row.company,
        row.department,
        row.job_title,
        row.email,
        row.address,
        tuple(Number(_label(n.label), n.number) for n in row.numbers),
        kind,
    )
