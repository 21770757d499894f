"""The directory's in-memory search index: folded text and number forms computed once per entry.

Pure and sans-IO: :class:`DirectoryIndex` is fed entries (users, contacts, services, queues) as
they are loaded or written and answers a query without touching the store or ``phonenumbers``.
Each kind keeps one joined text (its entries' folded fields, ``"\\x00"``-separated) and one joined
string of number digits, so a query is a few ``str.find`` scans in C, stopping once ``limit``
entries are found, instead of a Python loop over every entry.

Matching is that of the previous scan, plus diacritics: every word of a text query must occur
(anywhere, case- and accent-insensitive: "sorensen" finds "Sørensen") in the entry's fields; a
number query (digits with spaces, dashes, dots, brackets, "+", "00" or "(0)") must occur in the
digits of one of its numbers as stored (E.164), as dialled at home ("020…"), or its extension.

Every change bumps :attr:`DirectoryIndex.version`; :meth:`DirectoryIndex.changes` says which
entries changed or left since a version, so a client that reconnects fetches only those.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import phonenumbers

from pbx_core.directory_records import Records, appended, joined, positions

__all__ = [
    "FIELDS",
    "DirectoryIndex",
    "Entry",
    "EntryKind",
    "IndexChanges",
    "Match",
    "Query",
    "fold",
    "fold_with_map",
    "matches",
    "number_forms",
    "word_spans",
]

EntryKind = Literal["user", "contact", "service", "queue"]
_KINDS: tuple[EntryKind, ...] = ("user", "contact", "service", "queue")
_FLUSH = 1024  # new entries' folded texts joined at once during a bulk load
FIELDS: dict[EntryKind, tuple[str, ...]] = {
    "user": ("name", "email", "department"),
    "contact": ("name", "company", "email"),
    "service": ("name",),
    "queue": ("name", "metadata"),
}
"""The names of an entry's ``texts``, by kind (the API's field names)."""
_SPECIAL = str.maketrans(
    {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
     "ĳ": "ij", "Ĳ": "ij", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th"}
)  # fmt: skip
_NUMBER_PUNCTUATION = " -./()"


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    base = unicodedata.normalize("NFKD", ch.translate(_SPECIAL))
    return "".join(c for c in base if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``text`` lower-cased without accents: "Sørensen" -> "sorensen", "Müller" -> "muller"."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(ch) for ch in text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """:func:`fold` of ``text`` and, for each folded character, the index it came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


_NATIONAL_PREFIX: dict[int, str] = {}


def number_forms(number: str) -> tuple[str, ...]:
    """The digit strings a stored number is found by: as stored, and as dialled at home.

    ``+31205550134`` -> ``("31205550134", "0205550134")``; ``+4533123456`` -> ``("4533123456",
    "33123456")``; an extension ``201`` -> ``("201",)``. Computed once, when the entry is indexed.
    """
    digits = _digits(number)
    if not number.startswith("+") or not digits:
        return (digits,) if digits else ()
    for size in (1, 2, 3):
        code = int(digits[:size])
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code)
        if regions:
            national = digits[size:]
            prefix = _NATIONAL_PREFIX.get(code)
            if prefix is None:
                meta = phonenumbers.PhoneMetadata.metadata_for_region(regions[0], None)
                prefix = (meta.national_prefix if meta is not None else None) or ""
                _NATIONAL_PREFIX[code] = prefix
            return tuple(dict.fromkeys((digits, prefix + national, national)))
    return (digits,)


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable entry; ``texts`` are its searched fields (named by :data:`FIELDS` of its
    kind), ``numbers`` as stored."""

    key: str
    kind: EntryKind
    texts: tuple[str, ...]
    numbers: tuple[str, ...]
    labels: tuple[str, ...] = ()
    """The label of each number ("work", "mobile"), when the entry's record has them."""


@dataclass(frozen=True, slots=True)
class Match:
    """A matched part of an entry's field: ``field`` is a text field's name or ``numbers.<i>``."""

    field: str
    start: int
    end: int


class Query:
    """One parsed query: number forms (digits only) or folded words that must all match."""

    def __init__(self, text: str) -> None:
        stripped = text.strip()
        self.blank = not stripped
        self.words: tuple[str, ...] = tuple(fold(w) for w in stripped.split())
        self.number_forms: tuple[str, ...] = ()
        forms: list[str] = []
        for variant in (stripped, stripped.replace("(0)", "")):
            compact = "".join(ch for ch in variant if ch not in _NUMBER_PUNCTUATION)
            if compact and compact.lstrip("+").isdigit():
                digits = compact.lstrip("+")
                forms.append(digits)
                if digits.startswith("00"):
                    forms.append(digits[2:])
        self.number_forms = tuple(f for f in dict.fromkeys(forms) if f)

    @property
    def is_number(self) -> bool:
        return bool(self.number_forms)


@dataclass(frozen=True, slots=True)
class IndexChanges:
    """What changed after a version: entries to put, keys that left; ``full`` means replace all.

    One page of it: ``next`` is the cursor of the following page (None on the last one); keys
    removed come with the first page only."""

    version: int
    full: bool
    entries: tuple[Entry, ...]
    removed: tuple[str, ...]
    next: int | None = None


class _Shelf:
    """The entries of one kind by slot (:class:`Records`), with their joined folded text and
    digits; a change folds that one entry and re-joins the others' slices."""

    def __init__(self, kind: EntryKind) -> None:
        self.records = Records(kind)
        self._fresh: dict[int, tuple[str, str]] = {}  # slot -> folded text, digits; not joined
        self._dirty = True
        self._holes = False  # removed slots are still joined
        self._order = array("q")  # the slot at each joined position
        self._text = ""
        self._text_starts = array("q")
        self._digits = ""
        self._digit_starts = array("q")

    def __len__(self) -> int:
        return self.records.live

    def get(self, key: str) -> Entry | None:
        slot = self.records.find(key)
        return None if slot is None else self.records.get(slot)

    def entries(self, after: int = 0) -> Iterator[tuple[int, Entry]]:
        """(cursor, entry) of each entry with a cursor after ``after``, in cursor order."""
        first = bisect.bisect_right(self.records.cursors, after)
        for slot in self.records.slots(first):
            entry = self.records.get(slot)
            if entry is not None:
                yield self.records.cursors[slot], entry

    def put(self, entry: Entry, cursor: Callable[[], int]) -> None:
        slot = self.records.set(entry, cursor)
        text = " ".join(fold(value) for value in entry.texts if value)
        digits = " ".join(f for n in entry.numbers for f in number_forms(n))
        self._fresh[slot] = (text, digits)
        self._dirty = True
        if len(self._fresh) >= _FLUSH:
            self._append_fresh()

    def remove(self, key: str) -> bool:
        slot = self.records.find(key)
        if slot is None:
            return False
        self.records.drop(slot)
        self._fresh.pop(slot, None)
        self._dirty = self._holes = True
        return True

    def _append_fresh(self) -> None:
        """Join new entries (slots after the joined ones) onto the end, during a bulk load:
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
        if self._fresh:
            self._append_fresh()
        if not self._fresh and not self._holes:
            self.records.settle()
            self._dirty = False
            return
        texts: list[str] = []
        digits: list[str] = []
        order = array("q")
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

    def search(self, query: Query, limit: int) -> list[Entry]:
        if query.blank:
            return [e for _, e in itertools.islice(self.entries(), limit)]
        self.prepare()
        found: list[int] = []
        if query.is_number:
            hits: set[int] = set()
            for form in query.number_forms:  # the first ``limit`` of each form, then merged
                hits.update(
                    itertools.islice(positions(self._digits, self._digit_starts, form), limit)
                )
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


class DirectoryIndex:
    """Users, contacts, services and queues by key, searchable, with a version per change."""

    def __init__(self) -> None:
        self._shelves: dict[EntryKind, _Shelf] = {k: _Shelf(k) for k in _KINDS}
        self._changed: dict[str, int] = {}
        self._removed: dict[str, int] = {}
        self._cursor = 0  # each new key's cursor: the order of the changes feed
        self._floor = 0  # changes up to this version are not tracked: older clients get all
        self.version = 0

    def __len__(self) -> int:
        return sum(len(s) for s in self._shelves.values())

    def get(self, key: str) -> Entry | None:
        kind = key.split(":", 1)[0]
        for known, shelf in self._shelves.items():
            if known == kind:
                return shelf.get(key)
        return None

    def entries(self, kind: EntryKind) -> list[Entry]:
        return [e for _, e in self._shelves[kind].entries()]

    def put(self, entry: Entry) -> bool:
        """Add or replace ``entry``; False (no new version) when it is unchanged."""
        shelf = self._shelves[entry.kind]
        if shelf.get(entry.key) == entry:
            return False
        shelf.put(entry, self._next_cursor)
        self.version += 1
        self._changed[entry.key] = self.version
        self._removed.pop(entry.key, None)
        return True

    def _cursor_of(self, key: str) -> tuple[int, Entry] | None:
        for shelf in self._shelves.values():
            slot = shelf.records.find(key)
            entry = None if slot is None else shelf.records.get(slot)
            if slot is not None and entry is not None:
                return shelf.records.cursors[slot], entry
        return None

    def _next_cursor(self) -> int:
        self._cursor += 1
        return self._cursor

    def remove(self, key: str) -> bool:
        for shelf in self._shelves.values():
            if shelf.remove(key):
                self.version += 1
                self._changed.pop(key, None)
                self._removed[key] = self.version
                return True
        return False

    def baseline(self) -> None:
        """Stop tracking what changed so far (the start-up load): no client can know an older
        version, so a ``since`` before now gets everything; saves one record per entry."""
        self._floor = self.version
        self._changed.clear()
        self._removed.clear()

    def prepare(self) -> None:
        """Build the joined texts now (after a bulk load), not at the next query."""
        for shelf in self._shelves.values():
            shelf.prepare()

    def search(self, text: str, limit: int) -> dict[EntryKind, list[Entry]]:
        """Entries of each kind matching ``text`` (all when blank), at most ``limit`` each."""
        query = Query(text)
        return {kind: shelf.search(query, limit) for kind, shelf in self._shelves.items()}

    def changes(self, since: int | None, after: int = 0, limit: int | None = None) -> IndexChanges:
        """Entries changed after ``since`` (all when it is None or ahead) from cursor ``after``,
        at most ``limit``; with the first page, the keys removed after ``since``."""
        full = since is None or since > self.version or since < self._floor
        found: list[Entry] = []
        following: int | None = None
        last = after
        if full:
            shelves = (s.entries(after) for s in self._shelves.values())
            every: Iterable[tuple[int, Entry]] = heapq.merge(*shelves, key=lambda ce: ce[0])
        else:
            picked = (self._cursor_of(k) for k, v in self._changed.items() if v > (since or 0))
            every = sorted((p for p in picked if p is not None), key=lambda ce: ce[0])
        for cursor, entry in every:
            if cursor <= after or not (full or self._changed.get(entry.key, 0) > (since or 0)):
                continue
            if limit is not None and len(found) >= limit:
                following = last
                break
            found.append(entry)
            last = cursor
        removed = () if full or after else tuple(
            k for k, v in self._removed.items() if v > (since or 0)
        )  # fmt: skip
        return IndexChanges(self.version, full, tuple(found), removed, following)


def matches(entry: Entry, text: str) -> tuple[Match, ...]:
    """Where ``text`` matched ``entry``: spans in its fields (for bold text), original indexes."""
    query = Query(text)
    if query.blank:
        return ()
    found: list[Match] = []
    if query.is_number:
        for i, number in enumerate(entry.numbers):
            if any(form in f for form in query.number_forms for f in number_forms(number)):
                found.append(Match(f"numbers.{i}", 0, len(number)))
        return tuple(found)
    for name, value in zip(FIELDS[entry.kind], entry.texts, strict=False):
        if value:
            found.extend(Match(name, s, e) for s, e in word_spans(value, query.words))
    return tuple(found)


def word_spans(value: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of ``value`` (original indexes) where any folded word occurs, merged and sorted."""
    folded, origin = fold_with_map(value)
    spans: list[tuple[int, int]] = []
    for word in words:
        if not word:
            continue
        pos = folded.find(word)
        while pos >= 0:
            spans.append((origin[pos], origin[pos + len(word) - 1] + 1))
            pos = folded.find(word, pos + len(word))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged
