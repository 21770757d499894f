"""Qt list models that views render: call history and search results."""

from __future__ import annotations

from ui.models.history import HistoryModel
from ui.models.search import SearchModel, primary_number

__all__ = ["HistoryModel", "SearchModel", "primary_number"]
