"""The base of every store: a QObject that publishes what changed into the one change hub."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.bus import ChangeHub, ChangeName, Changes, StoreName

__all__ = ["Store", "tr"]


class Store(QObject):
    """State for the UI; every change goes to :attr:`hub` as :class:`app.bus.Changes`.

    The app gives all stores one hub (``AppContext.changes``); a store made alone gets its own.
    Views subscribe to the hub and redraw only what the changes name. ``changed`` is a thin
    re-emit of the same change for code that follows one store only (the start-up cache, the
    launch requests): the name (``"entries"``, …) or, for the calls, the model's change object.
    """

    changed = Signal(object)
    name: ClassVar[StoreName]

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__()
        self.hub = hub if hub is not None else ChangeHub()

    def _publish(self, names: Iterable[ChangeName], initiator: object | None = None) -> None:
        names = frozenset(names)
        self.hub.publish(Changes(self.name, names, initiator=initiator))
        for what in sorted(names):
            self.changed.emit(what)


def tr(text: str) -> str:
    """Translate a user-visible message (context ``app``; .ts files live in resources/)."""
    return QCoreApplication.translate("app", text)
