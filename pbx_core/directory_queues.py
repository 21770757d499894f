"""Queues in the directory (C1): found by name and number like a colleague, kind ``queue``.

A queue an administrator has not hidden from the search (:attr:`QueueConfig.hidden_from_search`)
is one directory entry keyed ``queue:<number>``, its searched texts its name and its metadata
(what agents see as "via <metadata>"). The queue store hands the directory every queue each time
one changes (:meth:`pbx_core.directory.Directory.set_queues`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pbx_core.acd.model import QueueConfig
from pbx_core.directory_index import Entry

__all__ = ["QueueEntry", "queue_entries", "queue_key", "queue_of"]


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A queue as the directory shows it: its number, its name and its metadata ("" if none)."""

    number: str
    name: str
    metadata: str = ""


def queue_key(number: str) -> str:
    return f"queue:{number}"


def queue_entries(queues: Iterable[QueueConfig]) -> dict[str, Entry]:
    """The directory entries of the queues not hidden from the search, by key."""
    return {
        queue_key(q.number): Entry(queue_key(q.number), "queue", (q.name, q.metadata), (q.number,))
        for q in queues
        if not q.hidden_from_search
    }


def queue_of(entry: Entry) -> QueueEntry:
    """The :class:`QueueEntry` of an index entry of kind ``queue``."""
    name, metadata = entry.texts
    return QueueEntry(entry.numbers[0], name, metadata)
