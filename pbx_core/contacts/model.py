"""The address books' records: a contact as one user sees it, and a draft to create or import.

A contact is either ``company`` (kept by the administrator, read-only for users, seen by the
groups its address books allow) or ``personal`` (one user's own). Each user marks any contact
they see as favourite, VIP (always rings through) or blocked (its numbers are rejected).
Numbers are normalised with ``phonenumbers``: E.164 for full numbers, short extensions as
dialled; the first number of a contact is its primary one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias, get_args

from pbx_core.directory import normalise_number

__all__ = [
    "BOOKS",
    "LABELS",
    "TYPES",
    "VIEWS",
    "Book",
    "Contact",
    "ContactDraft",
    "ContactId",
    "ContactType",
    "Number",
    "NumberLabel",
    "View",
    "contact_id",
    "normalise",
    "parse_contact_id",
    "type_in_view",
]

Book: TypeAlias = Literal["company", "personal"]
BOOKS: tuple[Book, ...] = get_args(Book)

NumberLabel: TypeAlias = Literal["work", "mobile", "home", "other"]
LABELS: tuple[NumberLabel, ...] = get_args(NumberLabel)

ContactType: TypeAlias = Literal["none", "favourite", "vip", "blocked"]
"""One user's type of a contact: a VIP is a favourite that always rings through; a blocked
contact's numbers are rejected by the PBX."""
TYPES: tuple[ContactType, ...] = get_args(ContactType)

View: TypeAlias = Literal["all", "favorites", "vip"]
"""The side bar's lists: every contact, the favourites (VIPs are favourites too), the VIPs."""
VIEWS: tuple[View, ...] = get_args(View)

ContactId: TypeAlias = str
"""``p<n>`` for a personal contact, ``c<n>`` for a company contact (one id space for the API)."""


def type_in_view(kind: ContactType, view: View) -> bool:
    """Whether a contact of type ``kind`` is listed in ``view`` (a VIP is a favourite too)."""
    if view == "favorites":
        return kind in ("favourite", "vip")
    if view == "vip":
        return kind == "vip"
    return True


def contact_id(book: Book, row_id: int) -> ContactId:
    return f"{'p' if book == 'personal' else 'c'}{row_id}"


def parse_contact_id(text: str) -> tuple[Book, int]:
    """``"p12"`` -> ``("personal", 12)``; ValueError for anything else."""
    if len(text) >= 2 and text[0] in "pc" and text[1:].isdigit():
        return ("personal" if text[0] == "p" else "company"), int(text[1:])
    raise ValueError(f"not a contact id: {text!r}")


def normalise(text: str, region: str = "NL") -> str:
    """A number as the PBX compares it (E.164, or a short extension); ValueError if bad
    (also for letters or other signs, which the directory's search would skip)."""
    if any(ch not in _NUMBER_SIGNS for ch in text.strip()):
        raise ValueError(f"not a phone number: {text!r}")
    return normalise_number(text, region)


_NUMBER_SIGNS = frozenset("0123456789+ -./()")


@dataclass(frozen=True, slots=True)
class Number:
    """One phone number with its label; ``number`` is normalised."""

    label: NumberLabel
    number: str


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """What a user types or a file holds: a contact before it has an id (numbers normalised)."""

    name: str
    company: str | None = None
    department: str | None = None
    job_title: str | None = None
    email: str | None = None
    address: str | None = None
    numbers: tuple[Number, ...] = ()
    type: ContactType = "none"

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a contact needs a name")
        if len(self.name) > 200:
            raise ValueError("the name is longer than 200 characters")
        if self.email is not None and self.email and "@" not in self.email:
            raise ValueError(f"not an e-mail address: {self.email!r}")

    @property
    def primary(self) -> Number | None:
        return self.numbers[0] if self.numbers else None


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact as one user sees it: from which book, with that user's type of it."""

    id: ContactId
    book: Book
    name: str
    company: str | None
    department: str | None
    job_title: str | None
    email: str | None
    address: str | None
    numbers: tuple[Number, ...]
    type: ContactType

    @property
    def editable(self) -> bool:
        """Personal contacts are the user's own; company contacts only the administrator edits."""
        return self.book == "personal"

    @property
    def primary(self) -> Number | None:
        return self.numbers[0] if self.numbers else None

    def in_view(self, view: View) -> bool:
        return type_in_view(self.type, view)

    def draft(self) -> ContactDraft:
        """The contact's fields as a draft (for export, or to edit and save back)."""
        return ContactDraft(
            self.name,
            self.company,
            self.department,
            self.job_title,
            self.email,
            self.address,
            self.numbers,
            self.type,
        )
