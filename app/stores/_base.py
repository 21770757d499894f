"""The base of every store: a QObject that publishes what changed into the one change hub."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QObject

from app.bus import ChangeHub, ChangeName, Changes, StoreName

__all__ = ["Store", "tr"]


class Store(QObject):
    """State for the UI; every change goes to :attr:`hub` as :class:`app.bus.Changes`.

    The app gives all stores one hub (``AppContext.changes``); a store made alone gets its own.
    Views and the app's followers subscribe to the hub (a store has no signal of its own) and
    act only on what the changes name.
    """

    name: ClassVar[StoreName]

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__()
        self.hub = hub if hub is not None else ChangeHub()

    def _publish(self, names: Iterable[ChangeName], initiator: object | None = None) -> None:
        self.hub.publish(Changes(self.name, frozenset(names), initiator=initiator))


def tr(text: str) -> str:
    """Translate a user-visible message (context ``app``; .ts files live in resources/)."""
    return QCoreApplication.translate("app", text)
