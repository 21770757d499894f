"""Packed directory entries: every field survives, a change or removal among thousands is found
again, and caller names follow the entries as they change (desktop copy and PBX index)."""

from __future__ import annotations

import datetime as dt

from app.directory_index import LocalDirectory, SyncPage
from app.directory_records import SortedPairs, pack, unpack
from app.stores.directory import DirectoryEntry
from pbx_core.directory_index import DirectoryIndex, Entry
from pbx_core.directory_records import pack as pbx_pack
from pbx_core.directory_records import unpack as pbx_unpack


def _contact(cid: int, name: str, *numbers: str, company: str | None = "Acme") -> DirectoryEntry:
    return DirectoryEntry("contact", name, None, numbers, None, company, None, None, id=cid)


def test_every_field_of_an_entry_survives_packing() -> None:
    entry = DirectoryEntry(
        "contact", "Søren Sørensen", "201", ("+4533123456", "+4520123456"), "", None, "away",
        "idle", registered=False, email="s@example.dk", id=7,
        until=dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC), note="Back at 3", role="work",
        forwarding="204",
    )  # fmt: skip
    data = pack(entry)
    assert data is not None and unpack(data, DirectoryEntry) == entry
    bare = DirectoryEntry("contact", "X", None, (), None, None, None, None)
    assert unpack(pack(bare) or b"", DirectoryEntry) == bare
    assert pack(_contact(1, "bad\x1fname")) is None  # kept as an object instead


def test_pbx_entry_survives_packing() -> None:
    entry = Entry("contact:3", "contact", ("Jan", "", "j@x.nl"), ("+31205550134",), ("work",))
    assert pbx_unpack("contact", pbx_pack(entry) or b"", Entry) == entry
    empty = Entry("contact:4", "contact", ("", "", ""), (), ())
    assert pbx_unpack("contact", pbx_pack(empty) or b"", Entry) == empty


def test_sorted_pairs_find_every_value_across_runs() -> None:
    pairs = SortedPairs()
    for i in range(5000):
        pairs.add(i % 1000, i)
    assert pairs.values(7) == [7, 1007, 2007, 3007, 4007]
    assert pairs.values(5000) == []
    pairs.keep(lambda v: v < 2000)
    assert pairs.values(7) == [7, 1007]


def test_local_copy_changes_and_removals_among_thousands() -> None:
    index = LocalDirectory()
    entries = tuple(_contact(i, f"Person {i}", f"+312055{i:05d}") for i in range(3000))
    index.apply(SyncPage("e", 1, True, entries, ()))
    index.prepare()
    assert index.name_for("0205500042") == "Person 42"
    index.apply(SyncPage("e", 2, False, (_contact(42, "Renamed", "+31612345678"),),
                         ("contact:43",)))  # fmt: skip
    assert [e.name for e in index.search("renamed")] == ["Renamed"]
    assert "Person 43" not in [e.name for e in index.search("person 43", limit=5000)]
    assert index.name_for("0205500042") is None and index.name_for("0612345678") == "Renamed"
    assert index.name_for("0205500043") is None
    assert len(index) == 2999 and index.search("+31 20 5502 999")[0].name == "Person 2999"


def test_a_shared_number_names_the_next_entry_once_the_first_goes() -> None:
    index = LocalDirectory()
    index.apply(SyncPage("e", 1, True, (_contact(1, "First", "+31205550134"),
                                        _contact(2, "Second", "+31205550134")), ()))  # fmt: skip
    assert index.name_for("020 555 0134") == "First"
    index.remove("contact:1")
    assert index.name_for("020 555 0134") == "Second"


def test_pbx_index_changes_feed_in_cursor_order_after_changes() -> None:
    index = DirectoryIndex()
    for i in range(3000):
        index.put(Entry(f"contact:{i}", "contact", (f"P {i}", "", ""), (f"+3120555{i:04d}",)))
    index.put(Entry("user:201", "user", ("Anna", "", ""), ("201",)))
    index.prepare()
    index.baseline()
    since = index.version
    index.put(Entry("contact:5", "contact", ("Changed", "", ""), ("+31205550005",)))
    assert index.remove("contact:6")
    got = index.changes(since)
    assert [e.key for e in got.entries] == ["contact:5"] and got.removed == ("contact:6",)
    first = index.changes(None, limit=2000)
    rest = index.changes(None, after=first.next or 0)
    keys = [e.key for e in first.entries + rest.entries]
    assert len(keys) == 3000 and keys[-1] == "user:201" and "contact:6" not in keys
    assert [e.texts[0] for e in index.search("changed", 5)["contact"]] == ["Changed"]
    assert [e.key for e in index.search("p 2999", 5)["contact"]] == ["contact:2999"]


def test_records_share_companies_and_compact_after_many_changes() -> None:
    index = LocalDirectory()
    entries = tuple(_contact(i, f"Person {i}", f"+312055{i:05d}") for i in range(2000))
    index.apply(SyncPage("e", 1, True, entries, ()))
    index.prepare()
    for round_ in range(3):  # every entry rewritten: the old bytes become garbage
        changed = tuple(
            _contact(i, f"Person {i} r{round_}", f"+312055{i:05d}", company=f"Firm {i % 7}")
            for i in range(2000)
        )
        index.apply(SyncPage("e", 2 + round_, False, changed, ()))
        index.prepare()
    found = index.search("person 1999 r2")
    assert [(e.name, e.company) for e in found] == [("Person 1999 r2", "Firm 4")]
    assert index.name_for("0205501234") == "Person 1234 r2"
    data = pack(found[0])
    assert data is not None and b"Firm 4" in data
    assert len(index) == 2000
