"""The Contacts list a page at a time: the cursor round-trips, bad cursors are refused, and the
pages of a merged list are the whole list once, in name order, whatever the page size."""

from __future__ import annotations

import pytest

from pbx_core.contacts import Book, Contact, PageCursor
from pbx_core.contacts.paging import merge_page, sort_key


def _contact(cid: str, name: str) -> Contact:
    book: Book = "personal" if cid.startswith("p") else "company"
    return Contact(cid, book, name, None, None, None, None, None, (), "none")


PERSONAL = sorted(
    (_contact(f"p{i}", n) for i, n in enumerate(["aaron", "Bakker", "Mila", "zz top"])),
    key=sort_key,
)
COMPANY = [
    (_contact(f"c{i}", n), (n, i))
    for i, n in enumerate(["Anna", "anne", "Bram", "de Vries", "Eva", "Jan", "Zoë"])
]


def _pages(limit: int) -> list[list[str]]:
    """Every page, the company rows read after each cursor as the store would."""
    pages, cursor = [], PageCursor()
    while True:
        start = 0 if cursor.company_after is None else COMPANY.index(
            next(c for c in COMPANY if c[1] == cursor.company_after)) + 1  # fmt: skip
        rows = COMPANY[start : start + limit]
        done = start + limit >= len(COMPANY)
        page = merge_page(cursor, PERSONAL, rows, done, limit)
        assert len(page.contacts) <= limit
        pages.append([c.id for c in page.contacts])
        if page.next is None:
            return pages
        cursor = PageCursor.decode(page.next.encode())


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 11, 100])
def test_the_pages_are_the_whole_list_once_in_name_order(limit: int) -> None:
    ids = [cid for page in _pages(limit) for cid in page]
    everything = sorted(PERSONAL + [c for c, _ in COMPANY], key=sort_key)
    assert ids == [c.id for c in everything]


def test_a_personal_contact_waits_for_the_company_rows_before_it() -> None:
    first = merge_page(PageCursor(), PERSONAL, COMPANY[:2], False, 2)
    assert [c.name for c in first.contacts] == ["aaron", "Anna"]
    assert first.next == PageCursor(("Anna", 0), 1)


def test_the_cursor_round_trips_and_refuses_what_it_did_not_make() -> None:
    for cursor in (PageCursor(), PageCursor(("Ørsted, Ida", 12), 3)):
        assert PageCursor.decode(cursor.encode()) == cursor
    for bad in ("", "not-a-cursor", "W10", PageCursor(("x", 1), 0).encode()[:-3], "bnVsbA"):
        with pytest.raises(ValueError):
            PageCursor.decode(bad)
