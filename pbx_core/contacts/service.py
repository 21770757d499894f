"""The address books as code on the event loop uses them: SQL on the store's worker thread,
``contact.changed`` on the bus after each change, file import and export.

Import parses the whole file first (CSV or vCard): one bad row rejects it with
:class:`~pbx_core.contacts.report.ImportRejectedError` and nothing is written; a good file is
written in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pbx_core.bus import EventBus
from pbx_core.contacts.address_books import (
    AddressBook,
    address_books,
    delete_address_book,
    put_address_book,
)
from pbx_core.contacts.book import ContactBook
from pbx_core.contacts.csvfile import parse_csv, write_csv
from pbx_core.contacts.events import ContactChanged
from pbx_core.contacts.model import Book, Contact, ContactDraft, ContactType, View
from pbx_core.contacts.paging import Page, PageCursor
from pbx_core.contacts.vcardfile import VCardVersion, parse_vcards, write_vcards
from pbx_core.store import Store, UserRecord

__all__ = ["ContactService", "FileFormat", "detect_format"]

FileFormat = Literal["csv", "vcard"]
Action = Literal["created", "updated", "deleted", "imported"]


def detect_format(text: str) -> FileFormat:
    """vCard when the first non-blank line is ``BEGIN:VCARD``, else CSV."""
    first = next((line for line in text.removeprefix("\ufeff").splitlines() if line.strip()), "")
    return "vcard" if first.strip().upper() == "BEGIN:VCARD" else "csv"


class ContactService:
    """Awaitable address-book operations for one PBX (store + bus)."""

    def __init__(self, store: Store, bus: EventBus, region: str = "NL") -> None:
        self._store = store
        self._bus = bus
        self.book = ContactBook(store, region)
        self._loaded = False

    async def load(self) -> None:
        """Read the blocked numbers into memory (once; the book keeps them current)."""
        if not self._loaded:
            await self._store.aio.call(self.book.load)
            self._loaded = True

    def is_blocked(self, user: str, number: str) -> bool:
        """Whether extension ``user`` rejects calls from ``number``: memory, safe on the loop."""
        return self.book.is_blocked(user, number)

    def hidden_company_ids(self, user: UserRecord) -> frozenset[int]:
        """The company contacts an address book keeps from ``user``: memory, safe on the loop
        (the directory leaves them out of the user's search and copy)."""
        return self.book.hidden_company_ids(user)

    async def address_books(self) -> list[AddressBook]:
        return await self._store.aio.call(address_books, self._store)

    async def put_address_book(
        self, name: str, groups: Sequence[str], contacts: Sequence[str]
    ) -> AddressBook:
        """Create or replace a company address book (ValueError: nothing changed)."""
        store = self._store
        book = await store.aio.call(put_address_book, store, name, groups, contacts)
        await store.aio.call(self.book.reload_books)
        return book

    async def delete_address_book(self, name: str) -> bool:
        gone = await self._store.aio.call(delete_address_book, self._store, name)
        await self._store.aio.call(self.book.reload_books)
        return gone

    async def contacts(self, user: UserRecord, view: View = "all") -> list[Contact]:
        return await self._store.aio.call(self.book.contacts, user, view)

    async def page(
        self, user: UserRecord, view: View, cursor: PageCursor | None, limit: int
    ) -> Page:
        return await self._store.aio.call(self.book.page, user, view, cursor, limit)

    async def contact(self, user: UserRecord, cid: str) -> Contact:
        return await self._store.aio.call(self.book.contact, user, cid)

    async def create(self, user: UserRecord, draft: ContactDraft) -> Contact:
        await self.load()
        made = await self._store.aio.call(self.book.create, user, draft)
        self._changed(user, "created", (made.id,))
        return made

    async def update(self, user: UserRecord, cid: str, draft: ContactDraft) -> Contact:
        await self.load()
        contact = await self._store.aio.call(self.book.update, user, cid, draft)
        self._changed(user, "updated", (cid,))
        return contact

    async def set_type(self, user: UserRecord, cid: str, kind: ContactType) -> Contact:
        await self.load()
        contact = await self._store.aio.call(self.book.set_type, user, cid, kind)
        self._changed(user, "updated", (cid,))
        return contact

    async def delete(self, user: UserRecord, cid: str) -> None:
        await self.load()
        await self._store.aio.call(self.book.delete, user, cid)
        self._changed(user, "deleted", (cid,))

    async def import_file(self, user: UserRecord, text: str) -> list[Contact]:
        """Every contact of a CSV or vCard file, or none (ImportRejectedError lists bad rows)."""
        parse = parse_vcards if detect_format(text) == "vcard" else parse_csv
        drafts = parse(text, self.book.region)
        await self.load()
        made = await self._store.aio.call(self.book.import_drafts, user, drafts)
        self._changed(user, "imported", tuple(c.id for c in made))
        return made

    async def export_file(
        self,
        user: UserRecord,
        fmt: FileFormat,
        version: VCardVersion = "4.0",
        book: Book | None = "personal",
    ) -> str:
        """The user's personal contacts (``book=None``: all they see) as CSV or vCard text."""
        drafts = await self._store.aio.call(self.book.export, user, book)
        return write_vcards(drafts, version) if fmt == "vcard" else write_csv(drafts)

    def _changed(self, user: UserRecord, action: Action, ids: tuple[str, ...]) -> None:
        self._bus.publish(ContactChanged(user.extension, action, ids))
