"""Which numbers each user has blocked: a snapshot in memory, asked on every incoming call.

:class:`BlockList` is immutable and answers without SQL or I/O, so the call set-up can ask it
on the event loop; the address book builds a new one after each change and swaps it in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pbx_core.contacts.model import normalise

__all__ = ["BlockList", "is_blocked"]


@dataclass(frozen=True, slots=True)
class BlockList:
    """Blocked numbers (normalised) per user extension."""

    numbers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    region: str = "NL"

    def is_blocked(self, user: str, number: str) -> bool:
        """True when ``user`` (an extension) has blocked ``number`` in any form it is dialled."""
        blocked = self.numbers.get(user)
        if not blocked:
            return False
        return _forms(number, self.region) & blocked != frozenset()

    def with_user(self, user: str, numbers: frozenset[str]) -> BlockList:
        """A copy in which ``user`` blocks exactly ``numbers``."""
        rest = {u: n for u, n in self.numbers.items() if u != user}
        return BlockList(rest | ({user: numbers} if numbers else {}), self.region)


def is_blocked(blocks: BlockList, user: str, number: str) -> bool:
    """Pure: whether the PBX rejects a call from ``number`` to ``user`` (see :class:`BlockList`)."""
    return blocks.is_blocked(user, number)


def _forms(number: str, region: str) -> frozenset[str]:
    """The number as stored (normalised) and as given, so a bad number still compares."""
    raw = number.strip()
    try:
        return frozenset({normalise(raw, region), raw})
    except ValueError:
        return frozenset({raw})
