"""The desktop's own copy of the whole directory: answers a keystroke and a caller's number.

Pure and sans-IO. Entries arrive from ``GET /api/v1/directory/changes`` (all of them at sign-in,
then only what changed after :attr:`LocalDirectory.version`) and are indexed once: folded text
("Sørensen" -> "sorensen") and number digits as stored and as dialled at home, joined per kind so a
query is a few ``str.find`` scans in C that stop after ``limit`` hits. Matching is the PBX's own
(``pbx_core/directory_index.py``; the app does not import the PBX's packages): every word of a
text query occurs in the name, e-mail, department or company; a number query (spaces, "+", "00",
"(0)" allowed) occurs in the digits of a number or extension.
"""

from __future__ import annotations

import itertools
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers

from app.directory_records import NumberNames, Records, appended, joined, positions

if TYPE_CHECKING:
    from app.stores.directory import DirectoryEntry, EntryKind

__all__ = [
    "LocalDirectory",
    "ParsedQuery",
    "SyncPage",
    "fold",
    "number_forms",
    "word_spans",
]

_KINDS: tuple[EntryKind, ...] = ("user", "contact", "service", "queue")  # order of results
_FLUSH = 1024  # new entries' folded texts joined at once during a sync
_SPECIAL = str.maketrans(
    {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
     "ĳ": "ij", "Ĳ": "ij", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th"}
)  # fmt: skip
_NUMBER_PUNCTUATION = " -./()"
_NATIONAL_PREFIX: dict[int, str] = {}


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    base = unicodedata.normalize("NFKD", ch.translate(_SPECIAL))
    return "".join(c for c in base if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``text`` lower-cased without accents: "Sørensen" -> "sorensen"."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(ch) for ch in text)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def number_forms(number: str) -> tuple[str, ...]:
    """Digits a number is found by: as stored (``31205550134``) and at home (``0205550134``)."""
    digits = _digits(number)
    if not number.startswith("+") or not digits:
        return (digits,) if digits else ()
    for size in (1, 2, 3):
        code = int(digits[:size])
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code)
        if regions:
            prefix = _NATIONAL_PREFIX.get(code)
            if prefix is None:
                meta = phonenumbers.PhoneMetadata.metadata_for_region(regions[0], None)
                prefix = (meta.national_prefix if meta is not None else None) or ""
                _NATIONAL_PREFIX[code] = prefix
            national = digits[size:]
            return tuple(dict.fromkeys((digits, prefix + national, national)))
    return (digits,)


class ParsedQuery:
    """Folded words, or the digit forms of a number query ("0031 20", "+31 (0)20" -> "3120")."""

    def __init__(self, text: str) -> None:
        stripped = text.strip()
        self.blank = not stripped
        self.words = tuple(fold(w) for w in stripped.split())
        forms: list[str] = []
        for variant in (stripped, stripped.replace("(0)", "")):
            compact = "".join(ch for ch in variant if ch not in _NUMBER_PUNCTUATION)
            if compact and compact.lstrip("+").isdigit():
                digits = compact.lstrip("+")
                forms.append(digits)
                if digits.startswith("00"):
                    forms.append(digits[2:])
        self.number_forms = tuple(f for f in dict.fromkeys(forms) if f)


def word_spans(value: str, query: str) -> list[tuple[int, int]]:
    """Spans of ``value`` where a word of ``query`` occurs, accent-insensitive, merged."""
    words = [fold(w) for w in query.split() if w]
    if not words or not value:
        return []
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(value):
        folded = _fold_char(ch)
        out.append(folded)
        origin.extend([i] * len(folded))
    text = "".join(out)
    spans: list[tuple[int, int]] = []
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            spans.append((origin[pos], origin[pos + len(word) - 1] + 1))
            pos = text.find(word, pos + len(word))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


@dataclass(frozen=True, slots=True)
class SyncPage:
    """One answer of the changes feed: put ``entries`` (all of them when ``full``), drop
    ``removed``, then be at ``version`` of ``epoch``; ``next`` is the cursor of a further page."""

    epoch: str
    version: int
    full: bool
    entries: tuple[DirectoryEntry, ...]
    removed: tuple[str, ...]
    next: int | None = None


def entry_key(entry: DirectoryEntry) -> str:
    if entry.kind == "contact":
        return f"contact:{entry.id}"
    return f"{entry.kind}:{entry.extension}"


def _text_of(entry: DirectoryEntry) -> str:
    parts = (entry.name, entry.email, entry.department, entry.company, entry.metadata)
    return " ".join(fold(p) for p in parts if p)


def _numbers_of(entry: DirectoryEntry) -> tuple[str, ...]:
    own = (entry.extension,) if entry.extension else ()
    return tuple(dict.fromkeys(own + entry.numbers))


class _Shelf:
    """Entries of one kind in server order (:class:`Records`), with their folded text and digits
    joined per kind; a change folds that one entry and re-joins the others' slices."""

    def __init__(self) -> None:
        self.records = Records(entry_key)
        self._fresh: dict[int, tuple[str, str]] = {}  # slot -> folded text, digits; not joined
        self._dirty = True
        self._holes = False  # removed slots are still joined
        self._order = array("l")  # the slot at each joined position
        self._text = ""
        self._text_starts = array("l")
        self._digits = ""
        self._digit_starts = array("l")

    def __len__(self) -> int:
        return self.records.live

    def get(self, key: str) -> DirectoryEntry | None:
        slot = self.records.find(key)
        return None if slot is None else self.records.get(slot)

    def entries(self) -> Iterator[DirectoryEntry]:
        for slot in self.records.slots():
            entry = self.records.get(slot)
            if entry is not None:
                yield entry

    def put(self, key: str, entry: DirectoryEntry, *, searched_changed: bool = True) -> int:
        slot = self.records.set(key, entry)
        if searched_changed:
            # the national number is a tail of the stored digits: a query finds it there
            digits = " ".join(f for n in _numbers_of(entry) for f in number_forms(n)[:2])
            self._fresh[slot] = (_text_of(entry), digits)
            self._dirty = True
            if len(self._fresh) >= _FLUSH:
                self._append_fresh()
        return slot

    def remove(self, key: str) -> tuple[int, DirectoryEntry] | None:
        slot = self.records.find(key)
        entry = None if slot is None else self.records.get(slot)
        if slot is None or entry is None:
            return None
        self.records.drop(slot)
        self._fresh.pop(slot, None)
        self._dirty = self._holes = True
        return slot, entry

    def clear(self) -> None:
        self.records.clear()
        self._fresh.clear()
        self._order = array("l")
        self._text, self._text_starts = "", array("l")
        self._digits, self._digit_starts = "", array("l")
        self._dirty = True

    def _append_fresh(self) -> None:
        """Join new entries (slots after the joined ones) onto the end, during a long sync:
        their folded strings go now, not all 100,000 at the end."""
        if self._holes or (self._order and min(self._fresh) <= self._order[-1]):
            return
        slots = sorted(self._fresh)
        parts = [self._fresh[s] for s in slots]
        self._text, self._text_starts = appended(
            self._text, self._text_starts, [t for t, _ in parts]
        )
        self._digits, self._digit_starts = appended(
            self._digits, self._digit_starts, [d for _, d in parts]
        )
        self._order.extend(slots)
        self._fresh.clear()

    def prepare(self) -> None:
        if not self._dirty:
            return
        self._append_fresh()
        if not self._fresh and not self._holes:
            self.records.settle()
            self._dirty = False
            return
        texts: list[str] = []
        digits: list[str] = []
        order = array("l")
        for pos, slot in enumerate(self._order):
            if self.records.get(slot) is None:
                continue
            fresh = self._fresh.pop(slot, None)
            text, digit = fresh or (self._part(pos, text=True), self._part(pos, text=False))
            texts.append(text)
            digits.append(digit)
            order.append(slot)
        for slot in sorted(self._fresh):
            if self.records.get(slot) is not None:
                text, digit = self._fresh[slot]
                texts.append(text)
                digits.append(digit)
                order.append(slot)
        self._fresh.clear()
        self._holes = False
        self._order = order
        self._text, self._text_starts = joined(texts)
        self._digits, self._digit_starts = joined(digits)
        self.records.settle()
        self._dirty = False

    def _part(self, pos: int, *, text: bool) -> str:
        blob, starts = (
            (self._text, self._text_starts) if text else (self._digits, self._digit_starts)
        )
        end = starts[pos + 1] - 1 if pos + 1 < len(starts) else len(blob)
        return blob[starts[pos] : end]

    def search(self, query: ParsedQuery, limit: int) -> list[DirectoryEntry]:
        if query.blank:
            return []
        self.prepare()
        found: list[int] = []
        if query.number_forms:
            hits: set[int] = set()
            for form in query.number_forms:  # the first ``limit`` of each form, then merged
                spots = positions(self._digits, self._digit_starts, form)
                hits.update(itertools.islice(spots, limit))
            found = sorted(hits)[:limit]
        else:
            first = max(query.words, key=len)
            others = [w for w in query.words if w != first]
            for i in positions(self._text, self._text_starts, first):
                if all(w in self._part(i, text=True) for w in others):
                    found.append(i)
                    if len(found) >= limit:
                        break
        out = [self.records.get(self._order[i]) for i in found]
        return [e for e in out if e is not None]


class LocalDirectory:
    """Every directory entry by key; :attr:`version` is None until the first sync."""

    def __init__(self) -> None:
        self._shelves: dict[EntryKind, _Shelf] = {k: _Shelf() for k in _KINDS}
        self._names: dict[EntryKind, NumberNames] = {k: NumberNames() for k in _KINDS}
        self.epoch: str | None = None
        self.version: int | None = None

    def __len__(self) -> int:
        return sum(len(s) for s in self._shelves.values())

    @property
    def synced(self) -> bool:
        return self.version is not None

    def all(self) -> list[DirectoryEntry]:
        return [e for s in self._shelves.values() for e in s.entries()]

    def user(self, extension: str) -> DirectoryEntry | None:
        return self._shelves["user"].get(f"user:{extension}")

    def replace(self, entries: Iterable[DirectoryEntry]) -> None:
        """Forget everything and hold ``entries`` (the version is kept as it is)."""
        for shelf in self._shelves.values():
            shelf.clear()
        for names in self._names.values():
            names.clear()
        for entry in entries:
            self.put(entry)

    def apply(self, page: SyncPage) -> bool:
        """Take one answer of the changes feed; True when any entry changed."""
        if page.full:
            self.replace(page.entries)
            changed = True
        else:
            changed = False
            for entry in page.entries:
                changed |= self.put(entry)
            for key in page.removed:
                changed |= self.remove(key)
        self.epoch, self.version = page.epoch, page.version
        return changed

    def prepare(self) -> None:
        """Join the texts now (after a sync), so that no keystroke pays for it."""
        for shelf in self._shelves.values():
            shelf.prepare()

    def put(self, entry: DirectoryEntry) -> bool:
        shelf = self._shelves[entry.kind]
        key = entry_key(entry)
        old = shelf.get(key)
        if old == entry:
            return False
        searched = old is None or _searched(old) != _searched(entry)
        slot = shelf.put(key, entry, searched_changed=searched)
        if searched:
            self._names[entry.kind].add(_name_forms(entry), slot)
        return True

    def remove(self, key: str) -> bool:
        return any(shelf.remove(key) is not None for shelf in self._shelves.values())

    def search(self, text: str, limit: int = 50) -> list[DirectoryEntry]:
        """Users, then contacts, services and queues matching ``text``, at most ``limit`` of
        each."""
        query = ParsedQuery(text)
        return [e for shelf in self._shelves.values() for e in shelf.search(query, limit)]

    def name_for(self, number: str) -> str | None:
        """The name for an extension or a number in any form (E.164, "0031…", "020…"): the
        first entry (users, then contacts, services, queues) that has it now."""
        digits = _digits(number)
        if digits.startswith("00"):
            digits = digits[2:]
        if not digits:
            return None
        for kind, names in self._names.items():
            records = self._shelves[kind].records
            for slot in names.candidates(digits):
                entry = records.get(slot)
                if entry is not None and digits in _name_forms(entry):
                    return entry.name
        return None


def _name_forms(entry: DirectoryEntry) -> Iterator[str]:
    """Each number as stored and as dialled at home."""
    for number in _numbers_of(entry):
        yield from number_forms(number)[:2]


def _searched(entry: DirectoryEntry) -> tuple[object, ...]:
    return (entry.name, entry.email, entry.department, entry.company, entry.extension,
            entry.numbers, entry.metadata)  # fmt: skip
