"""The address books on a real SQLite store: personal contacts per user, company contacts per
group, types, all-or-nothing import, the blocked-number check, and the migration's schema."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pbx_core.contacts import (
    BlockList,
    ContactBook,
    ContactDraft,
    ImportRejectedError,
    Number,
    is_blocked,
    parse_csv,
)
from pbx_core.errors import Forbidden, NotFound
from pbx_core.store import ContactNumber, NewContact, NewUser, Store, UserRecord
from pbx_core.store._engine import make_engine
from pbx_core.store.models import Base
from tests.support.users import new_user


def _new_user(ext: str, department: str, roles: tuple[str, ...] = ()) -> NewUser:
    return new_user(ext, department, roles)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    yield s
    s.close()


@pytest.fixture
def book(store: Store) -> ContactBook:
    b = ContactBook(store)
    b.load()
    return b


@pytest.fixture
def anna(store: Store) -> UserRecord:
    return store.add_user(_new_user("201", "Sales"))


@pytest.fixture
def bram(store: Store) -> UserRecord:
    return store.add_user(_new_user("202", "Support"))


def _company(store: Store, name: str, number: str) -> int:
    made = store.add_contact(NewContact(name, "Client BV", None, (ContactNumber("work", number),)))
    return made.id


def test_the_migrations_create_exactly_the_models(store: Store, store_url: str) -> None:
    engine = make_engine(store_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_personal_contacts_are_seen_only_by_their_owner(
    book: ContactBook, anna: UserRecord, bram: UserRecord
) -> None:
    mine = book.create(anna, ContactDraft("Piet", numbers=(Number("mobile", "+31612345678"),)))
    assert mine.id.startswith("p") and mine.editable
    assert [c.name for c in book.contacts(anna)] == ["Piet"]
    assert book.contacts(bram) == []
    with pytest.raises(NotFound):
        book.contact(bram, mine.id)
    with pytest.raises(NotFound):
        book.update(bram, mine.id, ContactDraft("Stolen"))
    with pytest.raises(NotFound):
        book.delete(bram, mine.id)
    assert book.contact(anna, mine.id).name == "Piet"


def test_update_and_delete_a_personal_contact(book: ContactBook, anna: UserRecord) -> None:
    made = book.create(anna, ContactDraft("Piet"))
    changed = book.update(
        anna,
        made.id,
        ContactDraft("Piet Jansen", job_title="Buyer", numbers=(Number("work", "204"),)),
    )
    assert (changed.name, changed.job_title, changed.primary) == (
        "Piet Jansen",
        "Buyer",
        Number("work", "204"),
    )
    book.delete(anna, made.id)
    assert book.contacts(anna) == []


def test_company_contacts_follow_the_groups_of_their_address_books(
    store: Store, book: ContactBook, anna: UserRecord, bram: UserRecord
) -> None:
    everyone = _company(store, "Everyone's supplier", "+31205550100")
    sales_only = _company(store, "Sales lead", "+31205550101")
    book.put_in_book(book.add_book("Sales leads", ["Sales"]), sales_only)
    admin = store.add_user(_new_user("299", "IT", ("admin",)))
    assert [c.name for c in book.contacts(anna)] == ["Everyone's supplier", "Sales lead"]
    assert [c.name for c in book.contacts(bram)] == ["Everyone's supplier"]
    assert len(book.contacts(admin)) == 2
    with pytest.raises(NotFound):
        book.contact(bram, f"c{sales_only}")
    card = book.contact(anna, f"c{everyone}")
    assert card.book == "company" and not card.editable


def test_company_contacts_are_read_only_but_take_a_type(
    store: Store, book: ContactBook, anna: UserRecord, bram: UserRecord
) -> None:
    cid = f"c{_company(store, 'Supplier', '+31205550100')}"
    book.set_company_details(int(cid[1:]), "Purchasing", "Buyer", "Kade 1, Amsterdam")
    with pytest.raises(Forbidden):
        book.delete(anna, cid)
    with pytest.raises(Forbidden):
        book.update(anna, cid, ContactDraft("Renamed"))
    current = book.contact(anna, cid)
    assert (current.department, current.job_title, current.address) == (
        "Purchasing",
        "Buyer",
        "Kade 1, Amsterdam",
    )
    assert book.update(anna, cid, replace(current.draft(), type="vip")).type == "vip"
    assert [c.name for c in book.contacts(anna, "vip")] == ["Supplier"]
    assert [c.name for c in book.contacts(anna, "favorites")] == ["Supplier"]
    assert book.contacts(bram, "favorites") == []  # types are per user


def test_views_all_favorites_vip(book: ContactBook, anna: UserRecord) -> None:
    book.create(anna, ContactDraft("A fav", type="favourite"))
    book.create(anna, ContactDraft("B vip", type="vip"))
    book.create(anna, ContactDraft("C plain"))
    book.create(anna, ContactDraft("D blocked", type="blocked"))
    assert [c.name for c in book.contacts(anna, "all")] == [
        "A fav",
        "B vip",
        "C plain",
        "D blocked",
    ]
    assert [c.name for c in book.contacts(anna, "favorites")] == ["A fav", "B vip"]
    assert [c.name for c in book.contacts(anna, "vip")] == ["B vip"]


def test_a_blocked_number_is_blocked_for_that_user_only(
    store: Store, anna: UserRecord, bram: UserRecord
) -> None:
    book = ContactBook(store)
    book.load()
    made = book.create(
        anna,
        ContactDraft("Spam", numbers=(Number("mobile", "+31612345678"),), type="blocked"),
    )
    assert book.is_blocked("201", "+31612345678")
    assert book.is_blocked("201", "06 1234 5678")  # any form it arrives in
    assert book.is_blocked("201", "0031612345678")
    assert not book.is_blocked("202", "+31612345678")
    assert not book.is_blocked("201", "+31612345679")
    company = f"c{_company(store, 'Cold caller', '+31205550199')}"
    book.set_type(bram, company, "blocked")
    assert book.is_blocked("202", "020 555 0199")
    again = ContactBook(store)  # after a restart: read back from the store
    again.load()
    assert again.is_blocked("201", "+31612345678") and again.is_blocked("202", "+31205550199")
    book.set_type(anna, made.id, "vip")
    assert not book.is_blocked("201", "+31612345678")
    book.set_type(bram, company, "none")
    assert book.blocks == BlockList(region="NL")


def test_is_blocked_is_a_pure_function_of_the_block_list() -> None:
    blocks = BlockList({"201": frozenset({"+31612345678", "205"})})
    assert is_blocked(blocks, "201", "06-12345678")
    assert is_blocked(blocks, "201", "205")
    assert not is_blocked(blocks, "201", "206")
    assert not is_blocked(blocks, "202", "205")
    assert not is_blocked(blocks, "201", "not a number")


def test_an_import_applies_all_or_nothing(book: ContactBook, anna: UserRecord) -> None:
    book.create(anna, ContactDraft("Existing"))
    with pytest.raises(ImportRejectedError):
        book.import_drafts(anna, parse_csv("name,work\nOne,0201234567\n,0201234568\n"))
    assert [c.name for c in book.contacts(anna)] == ["Existing"]
    made = book.import_drafts(anna, parse_csv("name,type\nTwo,vip\nThree,blocked\n"))
    assert [c.type for c in made] == ["vip", "blocked"]
    assert len(book.contacts(anna)) >= 3


def test_export_is_the_personal_book(store: Store, book: ContactBook, anna: UserRecord) -> None:
    _company(store, "Supplier", "+31205550100")
    book.create(anna, ContactDraft("Mine", numbers=(Number("home", "+31201234567"),)))
    assert [d.name for d in book.export(anna)] == ["Mine"]
    assert [d.name for d in book.export(anna, None)] == ["Mine", "Supplier"]


@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_pages_are_the_list_a_user_sees_in_every_view(
    store: Store, book: ContactBook, anna: UserRecord, bram: UserRecord, limit: int
) -> None:
    for i, name in enumerate(["zed", "Anna", "bob", "Carla", "dirk", "Eva", "Frits"]):
        _company(store, name, f"+3120555{i:04d}")
    hidden = _company(store, "Sales lead", "+31205550999")
    book.put_in_book(book.add_book("Sales leads", ["Sales"]), hidden)
    for name, kind in (("aart", "vip"), ("Dora", "none"), ("zz", "favourite")):
        book.create(bram, ContactDraft(name, type=kind))  # type: ignore[arg-type]
    carla = next(c for c in book.contacts(bram) if c.name == "Carla")
    book.set_type(bram, carla.id, "favourite")
    for user in (anna, bram):
        for view in ("all", "favorites", "vip"):
            ids, cursor = [], None
            while True:
                page = book.page(user, view, cursor, limit)
                assert len(page.contacts) <= limit
                ids += [c.id for c in page.contacts]
                if page.next is None:
                    break
                cursor = page.next
            assert ids == [c.id for c in book.contacts(user, view)], (user.extension, view)
    names = [c.name for c in book.contacts(bram)]
    assert "Sales lead" not in names
    assert names == sorted(names, key=str.lower)
