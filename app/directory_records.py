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
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from app.stores.directory import DirectoryEntry, EntryKind

__all__ = ["NumberNames", "Records", "number_key"]

_FIELD = "\x1f"
_LIST = "\x1e"
_NONE = "\x1d"
_MARKS = (_FIELD, _LIST, _NONE)


def _text(value: str | None) -> str:
    return _NONE if value is None else value


def _back(value: str) -> str | None:
    return None if value == _NONE else value


def pack(entry: DirectoryEntry) -> bytes | None:
    """``entry`` as one bytes object; None when a field holds a separator (kept as it is)."""
    until = entry.until.isoformat() if entry.until is not None else None
    registered = None if entry.registered is None else ("1" if entry.registered else "0")
    fields = (
        entry.kind, entry.name, _text(entry.extension), _LIST.join(entry.numbers) or _NONE,
        _text(entry.department), _text(entry.company), _text(entry.presence),
        _text(entry.line_state), _text(registered), _text(entry.email),
        _text(None if entry.id is None else str(entry.id)), _text(until), _text(entry.note),
        _text(entry.role),
    )  # fmt: skip
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
            *entry.numbers,
        )
    )
    if _FIELD in raw or _LIST in raw or _NONE in raw or "" in entry.numbers:
        return None
    return _FIELD.join(fields).encode()


def unpack(data: bytes) -> DirectoryEntry:
    """The entry :func:`pack` made ``data`` of."""
    from app.stores.directory import DirectoryEntry

    (kind, name, extension, numbers, department, company, presence, line_state, registered,
     email, ident, until, note, role) = data.decode().split(_FIELD)  # fmt: skip
    reg = _back(registered)
    when = _back(until)
    ext = _back(extension)
    return DirectoryEntry(
        kind=cast("EntryKind", kind),
        name=name,
        extension=ext,
        numbers=() if numbers == _NONE else tuple(numbers.split(_LIST)),
        department=_shared(_back(department)),
        company=_shared(_back(company)),
        presence=_shared(_back(presence)),
        line_state=_shared(_back(line_state)),
        registered=None if reg is None else reg == "1",
        email=_back(email),
        id=None if (i := _back(ident)) is None else int(i),
        until=None if when is None else dt.datetime.fromisoformat(when),
        note=_back(note),
        role=_shared(_back(role)),
    )


def _shared(value: str | None) -> str | None:
    return sys.intern(value) if value is not None else None


class Records:
    """Entries by slot; ``None`` marks a removed one. ``key_of`` names an entry's key."""

    def __init__(self, key_of: Callable[[DirectoryEntry], str]) -> None:
        self._key_of = key_of
        self._items: list[DirectoryEntry | bytes | None] = []
        self._hashes = array("q")
        self._slots = array("l")
        self._pending: dict[str, int] = {}
        self.live = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, slot: int) -> DirectoryEntry | None:
        item = self._items[slot]
        return unpack(item) if isinstance(item, bytes) else item

    def slots(self) -> Iterator[int]:
        """Slots of the entries held, in order."""
        return (i for i, item in enumerate(self._items) if item is not None)

    def find(self, key: str) -> int | None:
        """The slot of ``key``, or None."""
        slot = self._pending.get(key)
        if slot is not None:
            return slot
        h = hash(key)
        i = bisect.bisect_left(self._hashes, h)
        while i < len(self._hashes) and self._hashes[i] == h:
            slot = self._slots[i]
            entry = self.get(slot)
            if entry is not None and self._key_of(entry) == key:
                return slot
            i += 1
        return None

    def set(self, key: str, entry: DirectoryEntry) -> int:
        """Put ``entry`` at its key's slot (a new one at the end); returns the slot."""
        item: DirectoryEntry | bytes = entry
        if entry.kind != "user":
            item = pack(entry) or entry
        slot = self.find(key)
        if slot is None:
            slot = len(self._items)
            self._items.append(item)
            self._pending[key] = slot
            self.live += 1
        else:
            self._items[slot] = item
        return slot

    def drop(self, slot: int, key: str) -> None:
        self._items[slot] = None
        self._pending.pop(key, None)
        self.live -= 1

    def clear(self) -> None:
        self._items.clear()
        self._hashes, self._slots = array("q"), array("l")
        self._pending.clear()
        self.live = 0

    def settle(self) -> None:
        """Move the new keys into the sorted arrays and forget removed slots' keys."""
        if not self._pending and self.live == len(self._items):
            return
        pairs = [(h, s) for h, s in zip(self._hashes, self._slots, strict=True)
                 if self._items[s] is not None]  # fmt: skip
        pairs.extend((hash(k), s) for k, s in self._pending.items())
        pairs.sort()
        self._hashes = array("q", (h for h, _ in pairs))
        self._slots = array("l", (s for _, s in pairs))
        self._pending.clear()


def number_key(form: str) -> int | None:
    """A digit string as one int (leading zeros kept); None when it is too long for 64 bits."""
    return int("1" + form) if 0 < len(form) <= 17 else None


class NumberNames:
    """Number forms -> slots, sorted; the first slot of a form wins, as entries arrived."""

    def __init__(self) -> None:
        self._keys = array("q")
        self._slots = array("l")
        self._pending: list[tuple[int, int]] = []

    def add(self, forms: Iterator[str], slot: int) -> None:
        for form in forms:
            key = number_key(form)
            if key is not None:
                self._pending.append((key, slot))

    def clear(self) -> None:
        self._keys, self._slots = array("q"), array("l")
        self._pending.clear()

    def settle(self) -> None:
        if not self._pending:
            return
        if len(self._pending) < 64:
            for key, slot in self._pending:
                i = bisect.bisect_left(self._keys, key)
                while i < len(self._keys) and self._keys[i] == key and self._slots[i] < slot:
                    i += 1
                self._keys.insert(i, key)
                self._slots.insert(i, slot)
        else:
            pairs = list(zip(self._keys, self._slots, strict=True)) + self._pending
            pairs.sort()
            self._keys = array("q", (k for k, _ in pairs))
            self._slots = array("l", (s for _, s in pairs))
        self._pending.clear()

    def candidates(self, form: str) -> Iterator[int]:
        """Slots that had ``form`` when they were added, first come first."""
        self.settle()
        key = number_key(form)
        if key is None:
            return
        i = bisect.bisect_left(self._keys, key)
        while i < len(self._keys) and self._keys[i] == key:
            yield self._slots[i]
            i += 1
