"""The Contacts list a page at a time: personal and company contacts merged in name order.

A user's personal contacts are few and read whole; the company contacts can be 100,000 and are
read by keyset from the store (:meth:`pbx_core.store.Store.contacts_page`). A page merges the two
sorted streams; the :class:`PageCursor` says where each stopped: the last company row sent
(its name and id, the store's keyset) and how many personal contacts were sent. A client keeps
the cursor as an opaque string and sends it back for the next page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass

from pbx_core.contacts.model import Contact

__all__ = ["Page", "PageCursor", "merge_page", "sort_key"]


def sort_key(contact: Contact) -> tuple[str, str]:
    """The list's order: the name without case (as the store's index), then the id."""
    return (contact.name.lower(), contact.id)


@dataclass(frozen=True, slots=True)
class PageCursor:
    """Where the previous page stopped."""

    company_after: tuple[str, int] | None = None
    personal_sent: int = 0

    def encode(self) -> str:
        after = self.company_after
        raw = json.dumps([after[0] if after else None, after[1] if after else None,
                          self.personal_sent], ensure_ascii=False)  # fmt: skip
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> PageCursor:
        """The cursor ``encode`` made; ValueError for anything else."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            name, row_id, sent = json.loads(raw.decode())
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
            raise ValueError("not a cursor of this list") from exc
        if not isinstance(sent, int) or isinstance(sent, bool) or sent < 0:
            raise ValueError("not a cursor of this list")
        if name is None and row_id is None:
            return cls(None, sent)
        if not isinstance(name, str) or not isinstance(row_id, int) or isinstance(row_id, bool):
            raise ValueError("not a cursor of this list")
        return cls((name, row_id), sent)


@dataclass(frozen=True, slots=True)
class Page:
    contacts: list[Contact]
    next: PageCursor | None
    """None: this was the last page."""


def merge_page(
    cursor: PageCursor,
    personal: Sequence[Contact],
    company: Sequence[tuple[Contact, tuple[str, int]]],
    company_done: bool,
    limit: int,
) -> Page:
    """Up to ``limit`` contacts from ``personal`` (every one, sorted by :func:`sort_key`; the
    cursor's count of them already sent) and ``company`` (the next rows after the cursor, each
    with its store keyset, in the store's order; ``company_done`` when no row follows them).

    A personal contact is sent only once every company contact before it is: while company rows
    may follow, none sorts after the last company row of the page."""
    out: list[Contact] = []
    i, j = cursor.personal_sent, 0
    while len(out) < limit:
        if j < len(company):
            if i < len(personal) and sort_key(personal[i]) <= sort_key(company[j][0]):
                out.append(personal[i])
                i += 1
            else:
                out.append(company[j][0])
                j += 1
        elif company_done and i < len(personal):
            out.append(personal[i])
            i += 1
        else:
            break
    finished = company_done and j == len(company) and i >= len(personal)
    after = company[j - 1][1] if j else cursor.company_after
    return Page(out, None if finished else PageCursor(after, i))
