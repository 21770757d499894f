"""Who is recording which call: one recording at a time per call and user (pure).

Keys are ``(call_id, extension)``: each party of a call may record it for themself, and the
same user starts a new recording after each stop. :meth:`RecordingBook.start` refuses a second
one with :class:`~pbx_core.errors.Conflict`, :meth:`RecordingBook.stop` an unknown one with
:class:`~pbx_core.errors.NotFound` (the API's 409 and 404).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from pbx_core.errors import Conflict, NotFound

__all__ = ["ActiveRecording", "RecordingBook"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ActiveRecording(Generic[_T]):
    """A recording under way: whose, of which call, since when, with the other party, and
    what the driver keeps for it (``handle``: the media tap)."""

    call_id: str
    extension: str
    started_at: datetime
    number: str
    name: str | None
    handle: _T


class RecordingBook(Generic[_T]):
    """The recordings under way, by call and user."""

    def __init__(self) -> None:
        self._active: dict[tuple[str, str], ActiveRecording[_T]] = {}

    def start(self, active: ActiveRecording[_T]) -> None:
        key = (active.call_id, active.extension)
        if key in self._active:
            raise Conflict(f"call {active.call_id} is already being recorded by {key[1]}")
        self._active[key] = active

    def stop(self, call_id: str, extension: str) -> ActiveRecording[_T]:
        found = self._active.pop((call_id, extension), None)
        if found is None:
            raise NotFound(f"{extension} is not recording call {call_id}")
        return found

    def get(self, call_id: str, extension: str) -> ActiveRecording[_T] | None:
        return self._active.get((call_id, extension))

    def of_call(self, call_id: str) -> list[ActiveRecording[_T]]:
        """Every recording of ``call_id`` (to stop them when the call ends)."""
        return [a for (cid, _), a in self._active.items() if cid == call_id]

    def __iter__(self) -> Iterator[ActiveRecording[_T]]:
        return iter(list(self._active.values()))

    def __len__(self) -> int:
        return len(self._active)
