"""The ordered, case-insensitive header multi-map of a SIP message (RFC 3261 §7.3).

Names are stored canonically (compact forms of §7.3.3 expanded, known headers spelled as in the
RFCs) so every later lookup and the serialised message agree on one spelling.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from pbx_core.signaling.headers import split_header_values

__all__ = ["COMPACT_FORMS", "LIST_HEADERS", "Headers", "canonical_name"]

COMPACT_FORMS: dict[str, str] = {
    "i": "Call-ID",
    "f": "From",
    "t": "To",
    "v": "Via",
    "m": "Contact",
    "l": "Content-Length",
    "c": "Content-Type",
    "k": "Supported",
    "s": "Subject",
    "e": "Content-Encoding",
    "o": "Event",
    "u": "Allow-Events",
    "r": "Refer-To",
    "b": "Referred-By",
    "x": "Session-Expires",
    "a": "Accept-Contact",
    "j": "Reject-Contact",
    "d": "Request-Disposition",
    "y": "Identity",
}

_KNOWN = [
    "Accept", "Accept-Contact", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow",
    "Allow-Events", "Authentication-Info", "Authorization", "Call-ID", "Call-Info", "Contact",
    "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length",
    "Content-Type", "CSeq", "Date", "Diversion", "Error-Info", "Event", "Expires", "From",
    "History-Info", "Identity", "In-Reply-To", "Max-Forwards", "MIME-Version", "Min-Expires",
    "Min-SE", "Organization", "P-Asserted-Identity", "P-Preferred-Identity", "Path", "Priority",
    "Privacy", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Require", "RAck", "Reason",
    "Record-Route", "Refer-To", "Referred-By", "Reject-Contact", "Replaces", "Reply-To",
    "Request-Disposition", "Require", "Retry-After", "Route", "RSeq", "Server", "Service-Route",
    "Session-Expires", "SIP-ETag", "SIP-If-Match", "Subject", "Subscription-State", "Supported",
    "Timestamp", "To", "Unsupported", "User-Agent", "Via", "Warning", "WWW-Authenticate",
]  # fmt: skip
_CANONICAL = {name.lower(): name for name in _KNOWN}

# Headers whose values are comma-separated lists (§7.3.1); auth headers are not.
LIST_HEADERS = frozenset(
    name.lower()
    for name in [
        "Accept", "Accept-Contact", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow",
        "Allow-Events", "Call-Info", "Contact", "Content-Encoding", "Content-Language",
        "Error-Info", "History-Info", "In-Reply-To", "P-Asserted-Identity", "Path",
        "Proxy-Require", "Reason", "Record-Route", "Reject-Contact", "Require", "Route",
        "Service-Route", "Supported", "Unsupported", "Via", "Warning",
    ]
)  # fmt: skip


def canonical_name(name: str) -> str:
    """Expand a compact form and spell a known header canonically; unknown names kept as given."""
    stripped = name.strip()
    lower = stripped.lower()
    if len(lower) == 1 and lower in COMPACT_FORMS:
        return COMPACT_FORMS[lower]
    return _CANONICAL.get(lower, stripped)


@lru_cache(maxsize=1024)
def _key(name: str) -> str:
    """The lower-case canonical name lookups compare (cached: a few dozen names recur)."""
    return canonical_name(name).lower()


class Headers:
    """Ordered header fields; lookups ignore case and accept compact names."""

    __slots__ = ("_items", "_keys")

    def __init__(self, items: list[tuple[str, str]] | None = None) -> None:
        self._items: list[tuple[str, str]] = []
        self._keys: list[str] = []  # the lower-case name of each item, for lookups
        for name, value in items or ():
            self.add(name, value)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of ``name`` as written, or ``default``."""
        key = _key(name)
        if key not in self._keys:
            return default
        return self._items[self._keys.index(key)][1]

    def get_all(self, name: str) -> list[str]:
        """All values of ``name``; list headers are split at top-level commas."""
        key = _key(name)
        values = self._values(key)
        if key in LIST_HEADERS:
            return [part for value in values for part in split_header_values(value)]
        return values

    def get_lines(self, name: str) -> list[str]:
        """All header lines of ``name`` unsplit (to copy them verbatim)."""
        return self._values(_key(name))

    def _values(self, key: str) -> list[str]:
        if key not in self._keys:
            return []
        return [item[1] for k, item in zip(self._keys, self._items, strict=True) if k == key]

    def add(self, name: str, value: str) -> None:
        """Append a header line."""
        canon = canonical_name(name)
        self._items.append((canon, value.strip()))
        self._keys.append(canon.lower())

    def prepend(self, name: str, value: str) -> None:
        """Insert a header line before all others (a new top Via or Route)."""
        canon = canonical_name(name)
        self._items.insert(0, (canon, value.strip()))
        self._keys.insert(0, canon.lower())

    def set(self, name: str, value: str) -> None:
        """Replace every line of ``name`` with one line, kept where the first one was."""
        canon = canonical_name(name)
        key = canon.lower()
        if key not in self._keys:
            self._items.append((canon, value.strip()))
            self._keys.append(key)
            return
        first = self._keys.index(key)
        self._items[first] = (canon, value.strip())
        if key in self._keys[first + 1 :]:
            self._drop(key, after=first)

    def remove(self, name: str) -> None:
        """Drop every line of ``name`` (no error when absent)."""
        key = _key(name)
        if key in self._keys:
            self._drop(key, after=-1)

    def _drop(self, key: str, *, after: int) -> None:
        """Drop the lines of ``key`` after index ``after``."""
        kept = [
            (k, item)
            for i, (k, item) in enumerate(zip(self._keys, self._items, strict=True))
            if k != key or i <= after
        ]
        self._keys = [k for k, _ in kept]
        self._items = [item for _, item in kept]

    def copy(self) -> Headers:
        """An independent copy."""
        new = Headers()
        new._items = list(self._items)
        new._keys = list(self._keys)
        return new

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return _key(name) in self._keys

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Headers):
            return NotImplemented
        return self._items == other._items

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"
