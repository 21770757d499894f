"""Directory entries kept small: one ``bytes`` per entry and sorted arrays instead of dicts.

A directory of 100,000 contacts as frozen dataclasses with their own strings, a dict by key and
a dict per number form costs over 100 MiB; packed, the same entries cost about a sixth of it.
:class:`Records` holds entries by slot (in the order they arrived), packed to UTF-8 bytes
(users, whose presence changes often, stay objects), finds a slot by key through a sorted
array of key hashes (new keys wait in a small dict until :meth:`Records.settle`), and
:class:`NumberNames` finds the slot of a number form in a sorted ``array('q')``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from app.stores.directory import DirectoryEntry, EntryKind

__all__ = [
    "SEP",
    "NumberNames",
    "Records",
    "Strings",
    "appended",
    "joined",
    "number_key",
    "positions",
]

_FIELD = "\x1f"
_LIST = "\x1e"
_NONE = "\x1d"
_MARKS = (_FIELD, _LIST, _NONE)


def _text(value: str | None) -> str:
    return _NONE if value is None else value


def _back(value: str) -> str | None:
    return None if value == _NONE else value


_KIND_CODES = {"user": "u", "contact": "c", "service": "s", "queue": "q"}
_CODE_KINDS = {code: kind for kind, code in _KIND_CODES.items()}
_FIELDS = 16


class Strings:
    """Values many entries repeat (companies, departments), each held once: a packed entry
    keeps the value's number, so 100,000 contacts of a few hundred companies keep a few hundred
    strings."""

    def __init__(self) -> None:
        self._values: list[str] = []
        self._numbers: dict[str, int] = {}

    def number(self, value: str) -> str:
        found = self._numbers.get(value)
        if found is None:
            found = self._numbers[value] = len(self._values)
            self._values.append(sys.intern(value))
        return str(found)

    def value(self, number: str) -> str:
        return self._values[int(number)]


def pack(entry: DirectoryEntry, strings: Strings | None = None) -> bytes | None:
    """``entry`` as one bytes object; None when a field holds a separator (kept as it is).
    With ``strings`` the company and the department are kept there and referred to."""
    until = entry.until.isoformat() if entry.until is not None else None
    registered = None if entry.registered is None else ("1" if entry.registered else "0")
    shared = (entry.department, entry.company)
    if strings is not None:
        shared = tuple(None if v is None else strings.number(v) for v in shared)  # type: ignore[assignment]
    fields = [
        _KIND_CODES[entry.kind], entry.name, _text(entry.extension),
        _LIST.join(entry.numbers) or _NONE, _text(shared[0]), _text(shared[1]),
        _text(entry.email), _text(None if entry.id is None else str(entry.id)),
        _text(entry.presence), _text(entry.line_state), _text(registered), _text(until),
        _text(entry.note), _text(entry.role), _text(entry.forwarding), _text(entry.metadata),
    ]  # fmt: skip
    raw = "".join(
        (
            entry.name,
            entry.extension or "",
            entry.department or "",
            entry.company or "",
            entry.presence or "",
            entry.line_state or "",
            entry.email or "",
            entry.note or "",
            entry.role or "",
            entry.forwarding or "",
            entry.metadata or "",
            *entry.numbers,
        )
    )
    if _FIELD in raw or _LIST in raw or _NONE in raw or "" in entry.numbers:
        return None
    while fields[-1] == _NONE:  # a contact has none of a user's presence fields at the end
        fields.pop()
    return _FIELD.join(fields).encode()


def unpack(
    data: bytes | bytearray, entry_type: type[DirectoryEntry], strings: Strings | None = None
) -> DirectoryEntry:
    """The entry :func:`pack` made ``data`` of (with the same ``strings``), as ``entry_type``."""
    parts = data.decode().split(_FIELD)
    parts += [_NONE] * (_FIELDS - len(parts))
    (kind, name, extension, numbers, department, company, email, ident, presence, line_state,
     registered, until, note, role, forwarding, metadata) = parts  # fmt: skip
    reg = _back(registered)
    when = _back(until)
    ext = _back(extension)
    dept, firm = _back(department), _back(company)
    if strings is not None:
        dept = None if dept is None else strings.value(dept)
        firm = None if firm is None else strings.value(firm)
    return entry_type(
        kind=cast("EntryKind", _CODE_KINDS[kind]),
        name=name,
        extension=ext,
        numbers=() if numbers == _NONE else tuple(numbers.split(_LIST)),
        department=_shared(dept),
        company=_shared(firm),
        presence=_shared(_back(presence)),
        line_state=_shared(_back(line_state)),
        registered=None if reg is None else reg == "1",
        email=_back(email),
        id=None if (i := _back(ident)) is None else int(i),
        until=None if when is None else dt.datetime.fromisoformat(when),
        note=_back(note),
        role=_shared(_back(role)),
        forwarding=_back(forwarding),
        metadata=_back(metadata),
    )


def _shared(value: str | None) -> str | None:
    return sys.intern(value) if value is not None else None


class SortedPairs:
    """A multimap of int -> int in sorted ``array`` runs: a few bytes a pair, no object each.

    New pairs wait in a small dict, then become a sorted run; runs of like size merge (as a
    binary counter does), so a bulk load sorts each pair about log(n) times and a lookup is a
    bisect per run (a handful)."""

    _PENDING = 1024

    def __init__(self) -> None:
        self._runs: list[tuple[array[int], array[int]]] = []
        self._pending: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._pending) + sum(len(k) for k, _ in self._runs)

    def add(self, key: int, value: int) -> None:
        if key in self._pending or len(self._pending) >= self._PENDING:
            self._flush()
        self._pending[key] = value

    def values(self, key: int) -> list[int]:
        """The values of ``key``, smallest first."""
        found = [self._pending[key]] if key in self._pending else []
        for keys, values in self._runs:
            i = bisect.bisect_left(keys, key)
            while i < len(keys) and keys[i] == key:
                found.append(values[i])
                i += 1
        return sorted(found) if len(found) > 1 else found

    def keep(self, alive: Callable[[int], bool]) -> None:
        """Drop the pairs whose value is no longer ``alive``, into one run."""
        self._flush()
        pairs = [(k, v) for keys, values in self._runs for k, v in zip(keys, values, strict=True)
                 if alive(v)]  # fmt: skip
        pairs.sort()
        self._runs = [_run(pairs)] if pairs else []

    def clear(self) -> None:
        self._runs.clear()
        self._pending.clear()

    def _flush(self) -> None:
        if not self._pending:
            return
        run = _run(sorted(self._pending.items()))
        self._pending.clear()
        while self._runs and len(self._runs[-1][0]) <= len(run[0]):
            merged = _combined(*self._runs.pop()) + _combined(*run)
            merged.sort()  # one int per pair sorts much faster than tuples
            run = (
                array("q", [(c >> _SHIFT) - _BIAS for c in merged]),
                array("i", [c & _MASK for c in merged]),
            )
        self._runs.append(run)


_SHIFT = 48  # a value (a slot or an id) is below 2**31 (an array('i') holds them)
_MASK = (1 << _SHIFT) - 1
_BIAS = 1 << 63  # keys are signed


def _combined(keys: array[int], values: array[int]) -> list[int]:
    return [((k + _BIAS) << _SHIFT) | v for k, v in zip(keys, values, strict=True)]


def _run(pairs: list[tuple[int, int]]) -> tuple[array[int], array[int]]:
    return array("q", [k for k, _ in pairs]), array("i", [v for _, v in pairs])


class Records:
    """Entries by slot, ``key_of`` naming an entry's key. Packed entries live end to end in one
    ``bytearray`` (a start and a size per slot, no object each); users, whose presence changes
    often, and entries that cannot be packed stay objects. A changed or removed entry's bytes
    are garbage until :meth:`settle` compacts them."""

    _REMOVED, _OBJECT = -1, -2

    def __init__(self, key_of: Callable[[DirectoryEntry], str]) -> None:
        self._key_of = key_of
        self._arena = bytearray()
        self._starts = array("i")  # per slot: where its bytes start, or _REMOVED / _OBJECT
        self._sizes = array("i")
        self._objects: dict[int, DirectoryEntry] = {}
        self._garbage = 0
        self._strings = Strings()
        self._type: type[DirectoryEntry] | None = None  # packed entries come back as this
        self._keys = SortedPairs()  # hash of the key -> slot
        self.live = 0

    def __len__(self) -> int:
        return len(self._starts)

    def get(self, slot: int) -> DirectoryEntry | None:
        start = self._starts[slot]
        if start >= 0 and self._type is not None:
            data = self._arena[start : start + self._sizes[slot]]
            return unpack(data, self._type, self._strings)
        return self._objects.get(slot) if start == self._OBJECT else None

    def slots(self) -> Iterator[int]:
        """Slots of the entries held, in order."""
        return (i for i, start in enumerate(self._starts) if start != self._REMOVED)

    def find(self, key: str) -> int | None:
        """The slot of ``key``, or None."""
        for slot in self._keys.values(hash(key)):
            entry = self.get(slot)
            if entry is not None and self._key_of(entry) == key:
                return slot
        return None

    def set(self, key: str, entry: DirectoryEntry) -> int:
        """Put ``entry`` at its key's slot (a new one at the end); returns the slot."""
        data = None
        if entry.kind != "user":
            self._type = type(entry)
            data = pack(entry, self._strings)
        slot = self.find(key)
        if slot is None:
            slot = len(self._starts)
            self._starts.append(self._REMOVED)
            self._sizes.append(0)
            self._keys.add(hash(key), slot)
            self.live += 1
        else:
            self._forget(slot)
        if data is None:
            self._objects[slot] = entry
            self._starts[slot] = self._OBJECT
        else:
            self._starts[slot] = len(self._arena)
            self._sizes[slot] = len(data)
            self._arena += data
        return slot

    def _forget(self, slot: int) -> None:
        if self._starts[slot] >= 0:
            self._garbage += self._sizes[slot]
        self._objects.pop(slot, None)
        self._starts[slot] = self._REMOVED

    def drop(self, slot: int) -> None:
        self._forget(slot)
        self.live -= 1

    def clear(self) -> None:
        self._arena = bytearray()
        self._starts = array("i")
        self._sizes = array("i")
        self._objects.clear()
        self._garbage = 0
        self._strings = Strings()
        self._keys.clear()
        self.live = 0

    def settle(self) -> None:
        """Forget the keys of removed entries; compact the bytes when half are garbage, and
        give back what the arena over-allocated while it grew."""
        if self.live != len(self._starts) and len(self._keys) > self.live:
            self._keys.keep(lambda slot: self._starts[slot] != self._REMOVED)
        if self._garbage * 2 > len(self._arena):
            arena = bytearray()
            for slot, start in enumerate(self._starts):
                if start >= 0:
                    self._starts[slot] = len(arena)
                    arena += self._arena[start : start + self._sizes[slot]]
            self._arena, self._garbage = arena, 0
        elif sys.getsizeof(self._arena) - len(self._arena) > 65536:
            self._arena = bytearray(self._arena)  # exactly its size


def number_key(form: str) -> int | None:
    """A digit string as one int (leading zeros kept); None when it is too long for 64 bits."""
    return int("1" + form) if 0 < len(form) <= 17 else None


class NumberNames:
    """Number forms -> slots; the first slot of a form wins, as entries arrived."""

    def __init__(self) -> None:
        self._pairs = SortedPairs()

    def add(self, forms: Iterator[str], slot: int) -> None:
        for form in forms:
            key = number_key(form)
            if key is not None:
                self._pairs.add(key, slot)

    def clear(self) -> None:
        self._pairs.clear()

    def candidates(self, form: str) -> list[int]:
        """Slots that had ``form`` when they were added, first come first."""
        key = number_key(form)
        return [] if key is None else self._pairs.values(key)


SEP = "\x00"


def joined(parts: Iterable[str]) -> tuple[str, array[int]]:
    starts = array("l")
    chunks: list[str] = []
    pos = 0
    for part in parts:
        starts.append(pos)
        chunks.append(part)
        pos += len(part) + 1
    return SEP.join(chunks), starts


def appended(blob: str, starts: array[int], parts: list[str]) -> tuple[str, array[int]]:
    more, more_starts = joined(parts)
    if not starts:
        return more, more_starts
    offset = len(blob) + 1
    starts.extend(s + offset for s in more_starts)
    return blob + SEP + more, starts


def positions(blob: str, starts: array[int], needle: str) -> Iterator[int]:
    pos = blob.find(needle)
    while pos >= 0:
        i = bisect.bisect_right(starts, pos) - 1
        yield i
        pos = blob.find(needle, starts[i + 1] if i + 1 < len(starts) else len(blob))
