"""The directory index matches what the previous full scan matched, plus accents and "(0)".

The previous scan (the PBX's search before the index) is kept below as the reference; a corpus
of Dutch and Danish contacts is searched both ways.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator

import phonenumbers
import pytest
from argon2 import PasswordHasher

from pbx_core.accounts import Accounts
from pbx_core.bus import EventBus
from pbx_core.demo import load_demo
from pbx_core.directory import Directory, DirectoryChanged
from pbx_core.directory_index import DirectoryIndex, Entry, fold, matches, number_forms
from pbx_core.events import Event
from pbx_core.presence import PresenceService
from pbx_core.store import ContactNumber, ContactRecord, NewContact, Store

_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

_FIRST = ["Jan", "Sanne", "Pieter", "Anouk", "Søren", "Mette", "Lars", "Åse", "Jørgen", "Eva",
          "Niels", "Femke", "Bjørn", "Ærø", "Chloë", "Zoë"]  # fmt: skip
_LAST = ["de Vries", "Jansen", "Sørensen", "Nielsen", "Bakker", "Møller", "Østergaard", "Visser",
         "Hansen", "Smit", "Kjær", "Brouwer", "Dijkstra", "Pedersen"]  # fmt: skip
_COMPANY = ["Nordlys ApS", "Københavns Kontorforsyning A/S", "Bakkerij Ons Brood B.V.",
            "Grøn Energi A/S", "Van Dijk Logistiek", None]  # fmt: skip


def _corpus(n: int, seed: int = 7) -> list[NewContact]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        first, last = rnd.choice(_FIRST), rnd.choice(_LAST)
        if rnd.random() < 0.5:
            numbers = [
                f"+3120{rnd.randrange(1000000, 9999999)}",
                f"+316{rnd.randrange(10**7, 10**8)}",
            ]
        else:
            numbers = [f"+4533{rnd.randrange(100000, 999999)}"]
        out.append(
            NewContact(
                name=f"{first} {last}",
                company=rnd.choice(_COMPANY),
                email=f"c{i}@example.com",
                numbers=tuple(ContactNumber("work", n) for n in numbers[: rnd.randint(1, 2)]),
            )
        )
    return out


# --- the previous scan, as it was --------------------------------------------------------------


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _national_digits(e164: str) -> str:
    parsed = phonenumbers.parse(e164, None)
    return _digits(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))


def _old_matches(query: str, contact: ContactRecord) -> bool:
    text = query.strip()
    if not text:
        return True
    compact = "".join(ch for ch in text if ch not in " -./()")
    if compact and compact.lstrip("+").isdigit():
        digits = compact.lstrip("+")
        forms = [digits] + ([digits[2:]] if digits.startswith("00") else [])
        candidates = [_digits(n.number) for n in contact.numbers]
        candidates += [_national_digits(n.number) for n in contact.numbers]
        return any(f in c for f in forms for c in candidates)
    haystack = " ".join((contact.name, contact.company or "", contact.email or "")).casefold()
    return all(w.casefold() in haystack for w in text.split())


# -------------------------------------------------------------------------------------------------


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    assert load_demo(s, Accounts(s, "acme.local", hasher=_FAST))
    for contact in _corpus(400):
        s.add_contact(contact)
    yield s
    s.close()


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def directory(store: Store, events: list[Event]) -> Directory:
    bus = EventBus()
    bus.subscribe(events.append)
    return Directory(store, PresenceService(store, bus), lambda _ext: "idle", bus=bus)


def _search(directory: Directory, query: str, limit: int = 1000) -> list[int]:
    result = asyncio.run(directory.search(query, limit))
    return [c.id for c in result.contacts]


_QUERIES = ["jan", "Jan", "de vries", "nielsen", "a/s", "nordlys", "example.com", "c12@",
            "020", "+31 20", "0031 20", "06", "+45 33", "004533", "33-1", "2", "zzz", "12345678",
            "smit bakkerij", "o"]  # fmt: skip


@pytest.mark.parametrize("query", _QUERIES)
def test_the_index_finds_what_the_previous_scan_found(
    directory: Directory, store: Store, query: str
) -> None:
    expected = [c.id for c in store.contacts() if _old_matches(query, c)]
    assert _search(directory, query) == expected


def test_accents_fold_both_ways(directory: Directory) -> None:
    plain = _search(directory, "sorensen")
    assert plain
    assert _search(directory, "Sørensen") == plain
    assert _search(directory, "SØRENSEN") == plain
    assert _search(directory, "kobenhavns") == _search(directory, "Københavns")
    assert fold("Chloë Østergaard Æblegård") == "chloe ostergaard aeblegard"


def test_number_formats_find_the_same_contact(directory: Directory, store: Store) -> None:
    contact = next(c for c in store.contacts() if c.numbers[0].number.startswith("+3120"))
    e164 = contact.numbers[0].number  # +3120xxxxxxx
    rest = e164[5:]
    typed = [
        e164,
        f"+31 20 {rest[:3]} {rest[3:]}",
        f"0031 20 {rest}",
        f"+31 (0)20 {rest}",
        f"020-{rest[:3]}-{rest[3:]}",
        f"(020) {rest}",
    ]
    for text in typed:
        assert contact.id in _search(directory, text), text


def test_extensions_and_services(directory: Directory) -> None:
    result = asyncio.run(directory.search("201"))
    assert [u.user.extension for u in result.users] == ["201"]
    result = asyncio.run(directory.search("echo"))
    assert [s.extension for s in result.services] == ["9000"]


def test_no_match_finds_nothing(directory: Directory) -> None:
    result = asyncio.run(directory.search("qqqxyz"))
    assert (result.users, result.contacts, result.services) == ((), (), ())
    assert asyncio.run(directory.search("99999999999")).contacts == ()


def test_matches_give_spans_in_the_original_text() -> None:
    entry = Entry("contact:1", "contact", ("Søren Sørensen", "Grøn"), ())
    found = matches(entry, "soren")
    assert [(m.field, m.start, m.end) for m in found] == [("name", 0, 5), ("name", 6, 11)]
    entry = Entry("contact:2", "contact", ("Æble",), ("+31201234567",))
    assert [(m.field, m.start, m.end) for m in matches(entry, "aeb")] == [("name", 0, 2)]
    assert [m.field for m in matches(entry, "020 123")] == ["numbers.0"]


def test_number_forms_are_stored_and_home_digits() -> None:
    assert number_forms("+31205550134") == ("31205550134", "0205550134", "205550134")
    assert number_forms("+4533123456")[:2] == ("4533123456", "33123456")
    assert number_forms("201") == ("201",)


def test_names_for_every_number_beyond_the_first_500(directory: Directory, store: Store) -> None:
    last = store.contacts()[-1]
    name = asyncio.run(directory.name_for_number(last.numbers[0].number))
    assert name is not None and name.startswith(last.name)


def test_writes_keep_the_index_current_and_are_announced(
    directory: Directory, events: list[Event]
) -> None:
    asyncio.run(directory.load())
    start = directory.version
    added = asyncio.run(
        directory.add_contact(
            NewContact(
                "Ida Ørsted", "Grøn Energi A/S", None, (ContactNumber("work", "+4570101010"),)
            )
        )
    )
    assert added.id in _search(directory, "orsted")
    assert events[-1] == DirectoryChanged(directory.epoch, directory.version)
    changes = asyncio.run(directory.changes(start, directory.epoch))
    assert not changes.full and [c.id for c in changes.contacts] == [added.id]

    renamed = ContactRecord(added.id, "Ida Ørsted-Berg", added.company, None, added.numbers)
    directory.contact_written(renamed)
    assert added.id in _search(directory, "berg")
    directory.contact_removed(added.id)
    assert _search(directory, "orsted") == []
    assert asyncio.run(directory.name_for_number("+4570101010")) is None
    changes = asyncio.run(directory.changes(start, directory.epoch))
    assert changes.removed == (f"contact:{added.id}",) and changes.contacts == ()
    assert asyncio.run(directory.changes(start, "another-run")).full


def test_index_versions() -> None:
    index = DirectoryIndex()
    a = Entry("contact:1", "contact", ("A",), ())
    assert index.put(a) and not index.put(a)
    v = index.version
    assert index.changes(v).entries == ()
    index.remove("contact:1")
    assert index.changes(v).removed == ("contact:1",)
    assert index.changes(None).full
    index.baseline()
    assert index.changes(v).full and not index.changes(index.version).full


def test_pages_follow_the_cursor_even_when_entries_leave() -> None:
    index = DirectoryIndex()
    for i in range(10):
        index.put(Entry(f"contact:{i}", "contact", (f"C{i}",), ()))
    first = index.changes(None, 0, 4)
    assert [e.key for e in first.entries] == [f"contact:{i}" for i in range(4)]
    index.remove("contact:1")  # an entry before the cursor leaves: nothing is skipped
    second = index.changes(None, first.next or 0, 4)
    third = index.changes(None, second.next or 0, 4)
    assert [e.key for e in (*second.entries, *third.entries)] == [
        f"contact:{i}" for i in range(4, 10)
    ]
    assert third.next is None
