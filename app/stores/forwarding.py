"""The signed-in user's forwarding (C4, docs/routing.md), for the top bar's indicator.

Filled from ``GET /api/v1/me/forwarding`` at sign-in and kept current by the
``forwarding.changed`` event (:class:`app.controllers.forwarding.ForwardingController`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

__all__ = ["Forwarding", "ForwardingStore"]


@dataclass(frozen=True, slots=True)
class Forwarding:
    """Calls go to ``number`` while ``enabled``; the number is kept while it is off."""

    enabled: bool = False
    number: str | None = None

    @property
    def target(self) -> str | None:
        """Where calls go now (None: not forwarded)."""
        return self.number if self.enabled else None


class ForwardingStore(QObject):
    """Emits ``changed`` whenever :attr:`forwarding` or :attr:`call_flows` change."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.forwarding = Forwarding()
        self.call_flows: dict[str, str] = {}
        """status -> "default", "voicemail" or "forward to <number>" (S9)."""

    def set_call_flows(self, flows: dict[str, str]) -> None:
        if flows != self.call_flows:
            self.call_flows = dict(flows)
            self.changed.emit()

    def set(self, forwarding: Forwarding) -> None:
        if forwarding != self.forwarding:
            self.forwarding = forwarding
            self.changed.emit()
