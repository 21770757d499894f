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

import bisect
import itertools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers

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

_KINDS: tuple[EntryKind, ...] = ("user", "contact", "service")  # type order of the results
_SEP = "\x00"
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
    parts = (entry.name, entry.email, entry.department, entry.company)
    return " ".join(fold(p) for p in parts if p)


def _numbers_of(entry: DirectoryEntry) -> tuple[str, ...]:
    own = (entry.extension,) if entry.extension else ()
    return tuple(dict.fromkeys(own + entry.numbers))


class _Shelf:
    """Entries of one kind in server order; each one's folded text and digits kept, so that a
    change costs one entry's folding and a join, not the whole kind's."""

    def __init__(self) -> None:
        self.entries: dict[str, DirectoryEntry] = {}
        self.folded: dict[str, tuple[str, str]] = {}
        self._dirty = True
        self._keys: list[str] = []
        self._text = ""
        self._text_starts: list[int] = []
        self._digits = ""
        self._digit_starts: list[int] = []

    def put(self, key: str, entry: DirectoryEntry, *, searched_changed: bool = True) -> None:
        self.entries[key] = entry
        if searched_changed or key not in self.folded:
            digits = " ".join(f for n in _numbers_of(entry) for f in number_forms(n))
            self.folded[key] = (_text_of(entry), digits)
            self._dirty = True

    def remove(self, key: str) -> DirectoryEntry | None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            del self.folded[key]
            self._dirty = True
        return entry

    def clear(self) -> None:
        self.entries.clear()
        self.folded.clear()
        self._dirty = True

    def prepare(self) -> None:
        if self._dirty:
            self._keys = list(self.entries)
            self._text, self._text_starts = _joined(self.folded[k][0] for k in self._keys)
            self._digits, self._digit_starts = _joined(self.folded[k][1] for k in self._keys)
            self._dirty = False

    def search(self, query: ParsedQuery, limit: int) -> list[DirectoryEntry]:
        if query.blank:
            return []
        self.prepare()
        found: list[int] = []
        if query.number_forms:
            hits: set[int] = set()
            for form in query.number_forms:  # the first ``limit`` of each form, then merged
                positions = _positions(self._digits, self._digit_starts, form)
                hits.update(itertools.islice(positions, limit))
            found = sorted(hits)[:limit]
        else:
            first = max(query.words, key=len)
            others = [w for w in query.words if w != first]
            for i in _positions(self._text, self._text_starts, first):
                if all(w in self.folded[self._keys[i]][0] for w in others):
                    found.append(i)
                    if len(found) >= limit:
                        break
        return [self.entries[self._keys[i]] for i in found]


def _joined(parts: Iterable[str]) -> tuple[str, list[int]]:
    starts: list[int] = []
    chunks: list[str] = []
    pos = 0
    for part in parts:
        starts.append(pos)
        chunks.append(part)
        pos += len(part) + 1
    return _SEP.join(chunks), starts


def _positions(blob: str, starts: list[int], needle: str) -> Iterator[int]:
    pos = blob.find(needle)
    while pos >= 0:
        i = bisect.bisect_right(starts, pos) - 1
        yield i
        pos = blob.find(needle, starts[i + 1] if i + 1 < len(starts) else len(blob))


class LocalDirectory:
    """Every directory entry by key; :attr:`version` is None until the first sync."""

    def __init__(self) -> None:
        self._shelves: dict[EntryKind, _Shelf] = {k: _Shelf() for k in _KINDS}
        self._names: dict[str, str] = {}
        self.epoch: str | None = None
        self.version: int | None = None

    def __len__(self) -> int:
        return sum(len(s.entries) for s in self._shelves.values())

    @property
    def synced(self) -> bool:
        return self.version is not None

    def all(self) -> list[DirectoryEntry]:
        return [e for s in self._shelves.values() for e in s.entries.values()]

    def user(self, extension: str) -> DirectoryEntry | None:
        return self._shelves["user"].entries.get(f"user:{extension}")

    def replace(self, entries: Iterable[DirectoryEntry]) -> None:
        """Forget everything and hold ``entries`` (the version is kept as it is)."""
        for shelf in self._shelves.values():
            shelf.clear()
        self._names.clear()
        for entry in entries:
            self._shelves[entry.kind].put(entry_key(entry), entry)
            self._add_names(entry)

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
        old = shelf.entries.get(key)
        if old == entry:
            return False
        searched = old is None or _searched(old) != _searched(entry)
        if old is not None and searched:
            self._drop_names(old)
        shelf.put(key, entry, searched_changed=searched)
        if searched:
            self._add_names(entry)
        return True

    def remove(self, key: str) -> bool:
        for shelf in self._shelves.values():
            old = shelf.remove(key)
            if old is not None:
                self._drop_names(old)
                return True
        return False

    def search(self, text: str, limit: int = 50) -> list[DirectoryEntry]:
        """Users, then contacts, then services matching ``text``, at most ``limit`` of each."""
        query = ParsedQuery(text)
        return [e for shelf in self._shelves.values() for e in shelf.search(query, limit)]

    def name_for(self, number: str) -> str | None:
        """The name for an extension or a number in any form (E.164, "0031…", "020…")."""
        digits = _digits(number)
        if digits.startswith("00"):
            digits = digits[2:]
        return self._names.get(digits) if digits else None

    def _add_names(self, entry: DirectoryEntry) -> None:
        """Each number as stored and as dialled at home -> the entry's name (first one wins)."""
        for number in _numbers_of(entry):
            for form in number_forms(number)[:2]:
                self._names.setdefault(form, entry.name)

    def _drop_names(self, entry: DirectoryEntry) -> None:
        for number in _numbers_of(entry):
            for form in number_forms(number)[:2]:
                if self._names.get(form) == entry.name:
                    del self._names[form]


def _searched(entry: DirectoryEntry) -> tuple[object, ...]:
    return (entry.name, entry.email, entry.department, entry.company, entry.extension,
            entry.numbers)  # fmt: skip
