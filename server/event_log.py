"""The recent events, kept so that a client coming back after a blip gets what it missed.

Pure: no sockets, no clock. :class:`EventLog` keeps the last ``capacity`` numbered event messages
with their audience. :meth:`EventLog.after` answers a reconnecting client that says it has seen
everything up to ``since``: the messages after it that are for that user, in order, or a
:class:`Resync` when that cannot be told (the messages are no longer kept, or ``since`` belongs
to an earlier run of the server). The hub (:mod:`server.events`) is the driver.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from itertools import islice
from typing import Literal

__all__ = ["EVENT_BUFFER", "EventLog", "Resync", "ResyncReason"]

EVENT_BUFFER = 5000
"""How many recent events the server keeps for clients that reconnect."""

ResyncReason = Literal["too old", "server restarted"]


@dataclass(frozen=True, slots=True)
class Resync:
    """The client must reload everything: its events since ``since`` cannot be replayed."""

    reason: ResyncReason
    last_seq: int
    epoch: str

    def message(self) -> str:
        """The wire message: ``{"seq": last, "type": "resync", "data": {"reason", "epoch"}}``."""
        data = {"reason": self.reason, "epoch": self.epoch}
        return json.dumps(
            {"seq": self.last_seq, "type": "resync", "data": data}, separators=(",", ":")
        )


@dataclass(frozen=True, slots=True)
class _Kept:
    seq: int
    text: str
    audience: frozenset[str] | None  # None: for everyone


class EventLog:
    """The last ``capacity`` events of one server run (``epoch``), numbered 1, 2, 3…"""

    def __init__(self, capacity: int = EVENT_BUFFER, epoch: str = "") -> None:
        if capacity < 0:
            raise ValueError("event buffer size must not be negative")
        self.epoch = epoch
        self._kept: deque[_Kept] = deque(maxlen=capacity)
        self._last = 0

    @property
    def last_seq(self) -> int:
        return self._last

    def record(self, seq: int, text: str, audience: frozenset[str] | None) -> None:
        """Keep one event; numbers come one by one, from 1."""
        if seq != self._last + 1:
            raise ValueError(f"event {seq} does not follow event {self._last}")
        self._last = seq
        if self._kept.maxlen:
            self._kept.append(_Kept(seq, text, audience))

    def after(
        self, since: int, extension: str | None, epoch: str | None = None
    ) -> list[str] | Resync:
        """The messages after ``since`` for ``extension`` (those without an audience, and those
        whose audience names it), oldest first; or why the client must reload instead."""
        if since > self._last or (epoch is not None and epoch != self.epoch):
            return Resync("server restarted", self._last, self.epoch)
        if since == self._last:
            return []
        first = self._kept[0].seq if self._kept else self._last + 1
        if since < first - 1:
            return Resync("too old", self._last, self.epoch)
        return [
            kept.text
            for kept in islice(self._kept, since - first + 1, None)
            if kept.audience is None or (extension is not None and extension in kept.audience)
        ]
