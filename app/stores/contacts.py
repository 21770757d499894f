"""The address books as the desktop shows them (S2): personal and company contacts, the view
(All / Favorites / VIP), the selected contact and the report of the last import.

Filled a page at a time from ``GET /api/v1/contacts/page`` at sign-in, as the list scrolls and
after each change (:class:`app.controllers.contacts.ContactsController`): a company directory
of 100,000 is never held whole, only the pages the user scrolled through. ``changed(name)`` says
what changed: ``"contacts"``, ``"view"``, ``"selection"`` or ``"report"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias, get_args

from PySide6.QtCore import QObject, Signal

__all__ = [
    "CONTACT_TYPES",
    "ContactEntry",
    "ContactForm",
    "ContactNumber",
    "ContactType",
    "ContactsStore",
    "ContactsView",
    "ImportReport",
]

ContactType: TypeAlias = Literal["none", "favourite", "vip", "blocked"]
CONTACT_TYPES: tuple[ContactType, ...] = get_args(ContactType)
ContactsView: TypeAlias = Literal["all", "favorites", "vip"]
_LABELS = ("work", "mobile", "home", "other")


@dataclass(frozen=True, slots=True)
class ContactNumber:
    label: str
    number: str
    primary: bool = False


@dataclass(frozen=True, slots=True)
class ContactForm:
    """What the edit dialog fills in: a personal contact's fields (numbers as typed)."""

    name: str
    company: str = ""
    department: str = ""
    job_title: str = ""
    email: str = ""
    address: str = ""
    numbers: tuple[ContactNumber, ...] = ()
    type: ContactType = "none"

    def to_api(self) -> dict[str, object]:
        def text(value: str) -> str | None:
            return value.strip() or None

        return {
            "name": self.name.strip(),
            "company": text(self.company),
            "department": text(self.department),
            "job_title": text(self.job_title),
            "email": text(self.email),
            "address": text(self.address),
            "numbers": [
                {"label": n.label, "number": n.number, "primary": n.primary}
                for n in self.numbers
                if n.number.strip()
            ],
            "type": self.type,
        }


@dataclass(frozen=True, slots=True)
class ContactEntry:
    """One contact as the API gives it (``id`` ``p…`` personal, ``c…`` company)."""

    id: str
    book: Literal["personal", "company"]
    name: str
    company: str | None = None
    department: str | None = None
    job_title: str | None = None
    email: str | None = None
    address: str | None = None
    numbers: tuple[ContactNumber, ...] = ()
    type: ContactType = "none"

    @property
    def editable(self) -> bool:
        return self.book == "personal"

    @property
    def primary(self) -> ContactNumber | None:
        return next(
            (n for n in self.numbers if n.primary), self.numbers[0] if self.numbers else None
        )

    def in_view(self, view: ContactsView) -> bool:
        if view == "favorites":
            return self.type in ("favourite", "vip")
        if view == "vip":
            return self.type == "vip"
        return True

    def form(self) -> ContactForm:
        return ContactForm(
            self.name,
            self.company or "",
            self.department or "",
            self.job_title or "",
            self.email or "",
            self.address or "",
            self.numbers,
            self.type,
        )

    @classmethod
    def from_api(cls, row: Mapping[str, object]) -> ContactEntry:
        """A contact of the API; ``ValueError`` names a bad field."""

        def text(name: str) -> str | None:
            value = row.get(name)
            if value is None:
                return None
            if not isinstance(value, str):
                raise ValueError(f"contact: {name} must be a string")
            return value

        cid, name, book, kind = text("id"), text("name"), row.get("book"), row.get("type", "none")
        if not cid or not name:
            raise ValueError("contact: id and name are required")
        if book not in ("personal", "company"):
            raise ValueError("contact: book must be personal or company")
        if kind not in CONTACT_TYPES:
            raise ValueError("contact: unknown type")
        numbers = []
        raw_numbers = row.get("numbers") or []
        if not isinstance(raw_numbers, list):
            raise ValueError("contact: numbers must be a list")
        for n in raw_numbers:
            if not isinstance(n, dict) or not isinstance(n.get("number"), str):
                raise ValueError("contact: a number must have a number")
            label = n.get("label") if n.get("label") in _LABELS else "other"
            numbers.append(ContactNumber(str(label), n["number"], bool(n.get("primary"))))
        return cls(
            cid,
            book,
            name,
            text("company"),
            text("department"),
            text("job_title"),
            text("email"),
            text("address"),
            tuple(numbers),
            kind,
        )


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The outcome of the last import: how many came in, or each rejected line (nothing in)."""

    imported: int = 0
    rejected: tuple[tuple[int, str], ...] = field(default_factory=tuple)
    message: str = ""


class ContactsStore(QObject):
    """The contacts the signed-in user sees, by name."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.contacts: list[ContactEntry] = []
        self.next_page: str | None = None
        """The server's cursor of the page after the loaded ones; None when all are loaded."""
        self.view: ContactsView = "all"
        self.selected_id: str | None = None
        self.report: ImportReport | None = None
        self.loaded = False

    def visible(self) -> list[ContactEntry]:
        """The contacts of the current view."""
        return [c for c in self.contacts if c.in_view(self.view)]

    def get(self, cid: str | None) -> ContactEntry | None:
        return next((c for c in self.contacts if c.id == cid), None)

    @property
    def selected(self) -> ContactEntry | None:
        return self.get(self.selected_id)

    @property
    def has_more(self) -> bool:
        """Whether the server has contacts after the loaded ones (the list asks as it scrolls)."""
        return self.next_page is not None

    def set_contacts(self, contacts: list[ContactEntry], next_page: str | None = None) -> None:
        """The first page (or the whole list) of the view; ``next_page`` the cursor after it."""
        self.contacts = sorted(contacts, key=lambda c: (c.name.casefold(), c.id))
        self.next_page = next_page
        self.loaded = True
        self.changed.emit("contacts")

    def add_page(self, contacts: list[ContactEntry], next_page: str | None) -> None:
        """The next page: added in name order, a contact already here (put since) replaced."""
        fresh = {c.id for c in contacts}
        kept = [c for c in self.contacts if c.id not in fresh]
        self.set_contacts(kept + contacts, next_page)

    def put(self, contact: ContactEntry) -> None:
        """A contact made or changed (replaces the one with its id)."""
        kept = [c for c in self.contacts if c.id != contact.id]
        self.set_contacts([*kept, contact], self.next_page)

    def remove(self, cid: str) -> None:
        self.set_contacts([c for c in self.contacts if c.id != cid], self.next_page)
        if self.selected_id == cid:
            self.select(None)

    def set_view(self, view: ContactsView) -> None:
        if view != self.view:
            self.view = view
            self.changed.emit("view")

    def select(self, cid: str | None) -> None:
        if cid != self.selected_id:
            self.selected_id = cid
            self.changed.emit("selection")

    def set_report(self, report: ImportReport | None) -> None:
        self.report = report
        self.changed.emit("report")
