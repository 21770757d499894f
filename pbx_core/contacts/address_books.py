"""The organisation's company address books (seed 001 "Adresboeken"), for its administrator:
each book has a name, the user groups that see its contacts (departments or role names; none:
everyone) and the company contacts in it. A company contact in no book is everyone's; one in
books is seen by the members of their groups (:meth:`pbx_core.contacts.book.ContactBook`
decides who sees what; docs/contacts.md). Plain functions over the store: run them on its
worker thread (``store.aio.call``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pbx_core.contacts.model import contact_id, parse_contact_id
from pbx_core.store import Store
from pbx_core.store.models import (
    AddressBookContactRow,
    AddressBookGroupRow,
    AddressBookRow,
    ContactRow,
)

__all__ = [
    "AddressBook",
    "Visibility",
    "address_books",
    "delete_address_book",
    "put_address_book",
    "visibility",
]


@dataclass(frozen=True, slots=True)
class Visibility:
    """Which books each company contact is in and which groups each book is open to: the
    one rule of who sees a company contact, from memory (swapped whole after each change)."""

    books: dict[int, frozenset[str]]
    """Book id -> the groups that see it (empty: everyone)."""
    member: dict[int, frozenset[int]]
    """Company contact id -> the books it is in (absent: in none, everyone's)."""

    def may_see(self, row_id: int, groups: frozenset[str], every: bool = False) -> bool:
        """A contact in no book is everyone's; else one of its books must be open to one of
        ``groups`` (or have no groups); ``every``: the user may see every book."""
        in_books = self.member.get(row_id)
        if every or not in_books:
            return True
        return any(not self.books.get(b) or self.books[b] & groups for b in in_books)

    def hidden(self, groups: frozenset[str], every: bool = False) -> frozenset[int]:
        """The company contacts a user with ``groups`` does not see."""
        if every:
            return frozenset()
        return frozenset(c for c in self.member if not self.may_see(c, groups))


def visibility(store: Store) -> Visibility:
    """Read the books' groups and contacts (on the store's worker thread)."""
    books: dict[int, set[str]] = {}
    member: dict[int, set[int]] = {}
    with store.transaction() as session:
        for book_id in session.scalars(select(AddressBookRow.id)):
            books[book_id] = set()
        for book_id, group in session.execute(
            select(AddressBookGroupRow.book_id, AddressBookGroupRow.group_name)
        ):
            books.setdefault(book_id, set()).add(group)
        for contact, book_id in session.execute(
            select(AddressBookContactRow.contact_id, AddressBookContactRow.book_id)
        ):
            member.setdefault(contact, set()).add(book_id)
    return Visibility(
        {b: frozenset(g) for b, g in books.items()},
        {c: frozenset(b) for c, b in member.items()},
    )


@dataclass(frozen=True, slots=True)
class AddressBook:
    id: int
    name: str
    groups: tuple[str, ...]
    """Who sees its contacts (sorted); empty: everyone."""
    contacts: tuple[str, ...]
    """Its company contacts' ids (``c<n>``), in id order."""


def _book(session: Session, row: AddressBookRow) -> AddressBook:
    groups = session.scalars(
        select(AddressBookGroupRow.group_name).where(AddressBookGroupRow.book_id == row.id)
    )
    members = session.scalars(
        select(AddressBookContactRow.contact_id).where(AddressBookContactRow.book_id == row.id)
    )
    return AddressBook(
        row.id,
        row.name,
        tuple(sorted(groups)),
        tuple(contact_id("company", c) for c in sorted(members)),
    )


def address_books(store: Store) -> list[AddressBook]:
    """Every company address book, by name."""
    with store.transaction() as session:
        rows = session.scalars(select(AddressBookRow).order_by(AddressBookRow.name))
        return [_book(session, row) for row in rows]


def _company_ids(session: Session, contacts: Iterable[str]) -> list[int]:
    """The row ids of company contact ids; ValueError naming every id that is none."""
    ids: list[int] = []
    bad: list[str] = []
    for cid in contacts:
        try:
            book, row_id = parse_contact_id(cid)
        except ValueError:
            bad.append(cid)
            continue
        if book != "company" or session.get(ContactRow, row_id) is None:
            bad.append(cid)
        elif row_id not in ids:
            ids.append(row_id)
    if bad:
        raise ValueError(f"no company contact {', '.join(repr(b) for b in bad)}")
    return ids


def put_address_book(
    store: Store, name: str, groups: Iterable[str], contacts: Iterable[str]
) -> AddressBook:
    """Create the book ``name`` or replace its groups and contacts; ValueError (nothing
    changed) for an empty name or ids that are no company contacts."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("an address book needs a name")
    with store.transaction() as session:
        ids = _company_ids(session, contacts)
        row = session.scalars(select(AddressBookRow).where(AddressBookRow.name == name)).first()
        if row is None:
            row = AddressBookRow(name=name)
            session.add(row)
            session.flush()
        else:
            session.execute(
                delete(AddressBookGroupRow).where(AddressBookGroupRow.book_id == row.id)
            )
            session.execute(
                delete(AddressBookContactRow).where(AddressBookContactRow.book_id == row.id)
            )
        for group in sorted({g.strip() for g in groups if g.strip()}):
            session.add(AddressBookGroupRow(book_id=row.id, group_name=group))
        for company_id in ids:
            session.add(AddressBookContactRow(book_id=row.id, contact_id=company_id))
        session.flush()
        return _book(session, row)


def delete_address_book(store: Store, name: str) -> bool:
    """Remove the book (its contacts stay, seen by whom their other books allow)."""
    with store.transaction() as session:
        row = session.scalars(select(AddressBookRow).where(AddressBookRow.name == name)).first()
        if row is None:
            return False
        session.delete(row)
        return True
