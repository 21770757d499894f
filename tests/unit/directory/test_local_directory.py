"""The desktop's copy of the directory: matching, changes by version, names for numbers."""

from __future__ import annotations

from app.directory_index import LocalDirectory, SyncPage, word_spans
from app.stores.directory import DirectoryEntry
from ui.models.search import bold, matched_number


def _user(ext: str, name: str, department: str | None = None) -> DirectoryEntry:
    return DirectoryEntry("user", name, ext, (ext,), department, None, "available", "idle", id=1)


def _contact(cid: int, name: str, company: str | None, *numbers: str) -> DirectoryEntry:
    return DirectoryEntry("contact", name, None, numbers, None, company, None, None, id=cid)


def _synced(*entries: DirectoryEntry) -> LocalDirectory:
    index = LocalDirectory()
    index.apply(SyncPage("e1", 3, True, entries, ()))
    return index


def _names(index: LocalDirectory, query: str) -> list[str]:
    return [e.name for e in index.search(query)]


def test_text_matches_every_word_accent_insensitive() -> None:
    index = _synced(
        _user("201", "Anna de Vries", "Sales"),
        _contact(1, "Søren Sørensen", "Grøn Energi A/S", "+4533123456"),
        _contact(2, "Jan Bakker", "Bakkerij Ons Brood", "+31205550134"),
    )
    assert _names(index, "sorensen") == ["Søren Sørensen"]
    assert _names(index, "SØREN") == ["Søren Sørensen"]
    assert _names(index, "gron energi") == ["Søren Sørensen"]
    assert _names(index, "sales") == ["Anna de Vries"]
    assert _names(index, "bakker") == ["Jan Bakker"]
    assert _names(index, "jan ons") == ["Jan Bakker"]
    assert _names(index, "zzz") == []
    assert _names(index, "") == []


def test_numbers_in_any_format_and_extensions() -> None:
    index = _synced(
        _user("201", "Anna de Vries"),
        _contact(2, "Jan Bakker", None, "+31205550134"),
        _contact(3, "Lars Nielsen", None, "+4533123456"),
    )
    for typed in ("+31 20 555 0134", "0031205550134", "+31 (0)20 5550134", "020-555 01",
                  "(020) 555"):  # fmt: skip
        assert _names(index, typed) == ["Jan Bakker"], typed
    assert _names(index, "+45 33 12") == ["Lars Nielsen"]
    assert _names(index, "33123456") == ["Lars Nielsen"]
    assert _names(index, "201") == ["Anna de Vries"]
    assert _names(index, "99999") == []


def test_users_first_then_contacts_at_most_limit_each() -> None:
    contacts = [_contact(i, f"Contact {i}", None, f"+3120555{i:04d}") for i in range(80)]
    index = _synced(_user("201", "Contact person"), *contacts)
    found = index.search("contact", limit=50)
    assert found[0].kind == "user" and len(found) == 51


def test_changes_put_and_remove_by_key() -> None:
    index = _synced(_contact(1, "Jan Bakker", None, "+31205550134"))
    changed = _contact(1, "Jan Bakker-Visser", None, "+31205550134")
    assert index.apply(
        SyncPage("e1", 5, False, (changed, _contact(2, "Eva Smit", None, "+31612345678")), ())
    )
    assert (index.epoch, index.version) == ("e1", 5)
    assert _names(index, "visser") == ["Jan Bakker-Visser"]
    assert index.name_for("+31612345678") == "Eva Smit"
    index.apply(SyncPage("e1", 6, False, (), ("contact:2",)))
    assert _names(index, "smit") == [] and index.name_for("+31612345678") is None
    index.apply(SyncPage("e2", 1, True, (_contact(9, "Ida Kjær", None, "+4570101010"),), ()))
    assert [e.name for e in index.all()] == ["Ida Kjær"]


def test_caller_names_for_every_entry_in_any_form() -> None:
    contacts = [_contact(i, f"Contact {i}", None, f"+3120{i:07d}") for i in range(2000)]
    index = _synced(_user("201", "Anna de Vries"), *contacts)
    assert index.name_for("+31200001999") == "Contact 1999"  # far beyond the first 500
    assert index.name_for("0200001999") == "Contact 1999"
    assert index.name_for("0031200001999") == "Contact 1999"
    assert index.name_for("201") == "Anna de Vries"
    assert index.name_for("+31209999999") is None


def test_bold_follows_the_folded_match() -> None:
    assert word_spans("Søren Sørensen", "sorensen") == [(6, 14)]
    assert bold("Søren Sørensen", "sorensen") == "Søren <b>Sørensen</b>"
    assert bold("A&B Sørensen", "a&b") == "<b>A&amp;B</b> Sørensen"
    entry = _contact(2, "Jan Bakker", None, "+31205550134", "+31612345678")
    assert matched_number(entry, "06 1234") == "+31612345678"
    assert matched_number(entry, "+31 (0)20") == "+31205550134"
