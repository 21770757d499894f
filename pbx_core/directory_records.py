"""Directory entries kept small: one ``bytes`` per entry and sorted arrays instead of dicts.

100,000 contacts as frozen dataclasses with their own strings, keyed by strings in several
dicts, cost the PBX well over 100 MiB; packed, the same entries cost a fraction of it.
:class:`Records` holds a kind's entries by slot (in the order they arrived) with each one's
cursor, packed to UTF-8 bytes (users stay objects: few, and written often), and finds a slot by
key through :class:`SortedPairs` of key hashes.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pbx_core.directory_index import Entry, EntryKind

__all__ = [
    "SEP",
    "Records",
    "SortedPairs",
    "appended",
    "joined",
    "number_key",
    "positions",
]

_FIELD = "\x1f"
_LIST = "\x1e"
_EMPTY = "\x1d"


def _joined(values: tuple[str, ...]) -> str:
    return _LIST.join(values) if values else _EMPTY


def _split(text: str) -> tuple[str, ...]:
    return () if text == _EMPTY else tuple(text.split(_LIST))


def pack(entry: Entry) -> bytes | None:
    """``entry`` as one bytes object; None when a value holds a separator (kept as it is)."""
    values = (entry.key, *entry.texts, *entry.numbers, *entry.labels)
    raw = "".join(values)
    if _FIELD in raw or _LIST in raw or _EMPTY in raw:
        return None
    parts = (entry.key, _joined(entry.texts), _joined(entry.numbers), _joined(entry.labels))
    return _FIELD.join(parts).encode()


def unpack(kind: EntryKind, data: bytes, entry_type: type[Entry]) -> Entry:
    """The entry of ``kind`` that :func:`pack` made ``data`` of, as an ``entry_type``."""
    key, texts, numbers, labels = data.decode().split(_FIELD)
    return entry_type(key, kind, _split(texts), _split(numbers), _split(labels))


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
                array("q", [c & _MASK for c in merged]),
            )
        self._runs.append(run)


_SHIFT = 48  # a value (a slot or an id) is below 2**48
_MASK = (1 << _SHIFT) - 1
_BIAS = 1 << 63  # keys are signed


def _combined(keys: array[int], values: array[int]) -> list[int]:
    return [((k + _BIAS) << _SHIFT) | v for k, v in zip(keys, values, strict=True)]


def _run(pairs: list[tuple[int, int]]) -> tuple[array[int], array[int]]:
    return array("q", [k for k, _ in pairs]), array("q", [v for _, v in pairs])


class Records:
    """A kind's entries by slot, each with its cursor; ``None`` marks a removed one."""

    def __init__(self, kind: EntryKind) -> None:
        self._kind: EntryKind = kind
        self._items: list[Entry | bytes | None] = []
        self.cursors = array("q")
        self._type: type[Entry] | None = None  # packed entries come back as this
        self._keys = SortedPairs()  # hash of the key -> slot
        self.live = 0

    def get(self, slot: int) -> Entry | None:
        item = self._items[slot]
        if isinstance(item, bytes) and self._type is not None:
            return unpack(self._kind, item, self._type)
        return item if not isinstance(item, bytes) else None

    def slots(self, first: int = 0) -> Iterator[int]:
        """Slots of the entries held from ``first``, in order (the order of their cursors)."""
        items = self._items
        return (i for i in range(first, len(items)) if items[i] is not None)

    def find(self, key: str) -> int | None:
        for slot in self._keys.values(hash(key)):
            entry = self.get(slot)
            if entry is not None and entry.key == key:
                return slot
        return None

    def set(self, entry: Entry, cursor: Callable[[], int]) -> int:
        """Put ``entry`` at its key's slot (a new one at the end, with a new ``cursor()``)."""
        item: Entry | bytes = entry
        if entry.kind != "user":
            self._type = type(entry)
            item = pack(entry) or entry
        slot = self.find(entry.key)
        if slot is None:
            slot = len(self._items)
            self._items.append(item)
            self.cursors.append(cursor())
            self._keys.add(hash(entry.key), slot)
            self.live += 1
        else:
            self._items[slot] = item
        return slot

    def drop(self, slot: int) -> None:
        self._items[slot] = None
        self.live -= 1

    def settle(self) -> None:
        """Forget the keys of removed entries."""
        if self.live != len(self._items) and len(self._keys) > self.live:
            self._keys.keep(lambda slot: self._items[slot] is not None)


def number_key(form: str) -> int | None:
    """A digit string as one int (leading zeros kept); None when it is too long for 64 bits."""
    return int("1" + form) if 0 < len(form) <= 17 else None


SEP = "\x00"


def joined(parts: Iterable[str]) -> tuple[str, array[int]]:
    starts = array("q")
    pos = 0
    chunks: list[str] = []
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
    """Indexes of the entries whose part of ``blob`` contains ``needle``, each once, in order."""
    pos = blob.find(needle)
    while pos >= 0:
        i = bisect.bisect_right(starts, pos) - 1
        yield i
        nxt = starts[i + 1] if i + 1 < len(starts) else len(blob)
        pos = blob.find(needle, nxt)
