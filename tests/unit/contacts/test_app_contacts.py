"""The desktop's side of the address books: API rows in, forms out, views, the import report."""

from __future__ import annotations

import pytest

from app.controllers.contacts import parse_rejected
from app.stores.contacts import ContactEntry, ContactForm, ContactNumber, ContactsStore

ROW = {
    "id": "c3",
    "book": "company",
    "editable": False,
    "name": "Jan Visser",
    "company": "Visser Logistiek B.V.",
    "department": None,
    "job_title": None,
    "email": "jan@visser.example",
    "address": None,
    "numbers": [
        {"label": "work", "number": "+31205550134", "primary": True},
        {"label": "pager", "number": "+31612345678", "primary": False},
    ],
    "type": "vip",
}


def test_a_contact_row_of_the_api_is_read() -> None:
    entry = ContactEntry.from_api(ROW)
    assert entry.id == "c3" and not entry.editable and entry.type == "vip"
    assert entry.primary == ContactNumber("work", "+31205550134", True)
    assert entry.numbers[1].label == "other"  # an unknown kind of number


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", None, "contact: id and name are required"),
        ("book", "shared", "contact: book must be personal or company"),
        ("type", "friend", "contact: unknown type"),
        ("name", 5, "contact: name must be a string"),
    ],
)
def test_a_bad_row_names_its_field(field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ContactEntry.from_api({**ROW, field: value})


def test_a_form_becomes_the_api_body() -> None:
    form = ContactForm(
        " Piet ",
        company="Pieters",
        numbers=(ContactNumber("mobile", "06 1111 2222", True), ContactNumber("home", " ")),
        type="favourite",
    )
    assert form.to_api() == {
        "name": "Piet",
        "company": "Pieters",
        "department": None,
        "job_title": None,
        "email": None,
        "address": None,
        "numbers": [{"label": "mobile", "number": "06 1111 2222", "primary": True}],
        "type": "favourite",
    }


def test_the_store_sorts_filters_by_view_and_says_what_changed() -> None:
    store = ContactsStore()
    said: list[str] = []
    store.changed.connect(said.append)
    vip = ContactEntry.from_api(ROW)
    mine = ContactEntry("p1", "personal", "anna's plumber", type="favourite")
    plain = ContactEntry("p2", "personal", "Bakker")
    store.set_contacts([vip, mine, plain])
    assert [c.name for c in store.visible()] == ["anna's plumber", "Bakker", "Jan Visser"]
    store.set_view("favorites")
    assert [c.name for c in store.visible()] == ["anna's plumber", "Jan Visser"]
    store.set_view("vip")
    assert [c.name for c in store.visible()] == ["Jan Visser"]
    store.select("p2")
    store.remove("p2")
    assert store.selected is None
    assert said == ["contacts", "view", "view", "selection", "contacts", "selection"]


def test_the_rejected_lines_are_read_from_the_servers_message() -> None:
    message = (
        "2 rows rejected, nothing imported: line 3: a contact needs a name; "
        "line 5: mobile: not a phone number: '12; ab'"
    )
    assert parse_rejected(message) == (
        (3, "a contact needs a name"),
        (5, "mobile: not a phone number: '12; ab'"),
    )


def test_pages_add_up_in_name_order_and_a_contact_put_meanwhile_is_not_doubled() -> None:
    store = ContactsStore()
    first = [ContactEntry(f"c{i}", "company", name) for i, name in enumerate(["Anna", "Bram"])]
    store.set_contacts(first, "cursor-1")
    assert store.has_more
    store.put(ContactEntry("p1", "personal", "zz mine"))
    store.add_page(
        [ContactEntry("c3", "company", "Carla"), ContactEntry("p1", "personal", "zz mine")], None
    )
    assert [c.name for c in store.visible()] == ["Anna", "Bram", "Carla", "zz mine"]
    assert not store.has_more
    store.remove("c3")
    assert [c.id for c in store.contacts] == ["c0", "c1", "p1"] and not store.has_more
