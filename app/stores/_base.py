"""The base of every store: a QObject with one ``changed(what)`` signal."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal

__all__ = ["Store", "tr"]


class Store(QObject):
    """State for the UI; ``changed`` says what changed so a view redraws only that.

    Each store types its change: a ``Literal`` of names (e.g. ``HistoryChange``), and for the
    calls the model's own change objects (``CallAdded``, ``CallChanged``, ``CallRemoved``).
    """

    changed = Signal(object)


def tr(text: str) -> str:
    """Translate a user-visible message (context ``app``; .ts files live in resources/)."""
    return QCoreApplication.translate("app", text)
