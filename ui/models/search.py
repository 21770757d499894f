"""List model of directory search results (DirectoryStore.results for DirectoryStore.query).

Matched text is bold where the query matched, accent-insensitive ("sorensen" bolds "Sørensen"),
with the same folding as the search itself (:mod:`app.directory_index`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.bus import Changes
from app.directory_index import ParsedQuery, number_forms, word_spans
from app.presence_text import presence_line
from app.stores import DirectoryEntry, DirectoryStore

__all__ = [
    "SearchModel",
    "bold",
    "is_number_like",
    "matched_number",
    "primary_number",
    "queue_detail",
]

_Index = QModelIndex | QPersistentModelIndex
_NUMBER_LIKE = re.compile(r"^\+?[\d\s().\-/]+$")


def is_number_like(query: str) -> bool:
    """A query made only of number characters, with at least two digits ("0201234")."""
    text = query.strip()
    return bool(_NUMBER_LIKE.fullmatch(text)) and sum(c.isdigit() for c in text) >= 2


def bold(text: str, query: str) -> str:
    """HTML of ``text`` with the query's words in bold, case- and accent-insensitive."""
    out: list[str] = []
    pos = 0
    for start, end in word_spans(text, query):
        out.append(html.escape(text[pos:start]))
        out.append(f"<b>{html.escape(text[start:end])}</b>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def matched_number(entry: DirectoryEntry, query: str) -> str | None:
    """The entry's number that a number query matched (a mobile, not the work number)."""
    if not is_number_like(query):
        return None
    wanted = ParsedQuery(query).number_forms
    candidates = ((entry.extension,) if entry.extension else ()) + entry.numbers
    for number in candidates:
        if any(w in form for w in wanted for form in number_forms(number)):
            return number
    return None


def primary_number(entry: DirectoryEntry) -> str | None:
    """What a call button dials: the extension, else the first number."""
    if entry.extension:
        return entry.extension
    return entry.numbers[0] if entry.numbers else None


def queue_detail(number: str) -> str:
    """A queue's second line: "Queue · 1500"."""
    return QCoreApplication.translate("SearchField", "Queue · {number}").format(number=number)


class SearchModel(QAbstractListModel):
    """Rows are search results; HtmlRole has the matched words of the query in bold."""

    EntryRole = Qt.ItemDataRole.UserRole + 1
    HtmlRole = Qt.ItemDataRole.UserRole + 2
    DetailHtmlRole = Qt.ItemDataRole.UserRole + 3
    PresenceRole = Qt.ItemDataRole.UserRole + 4
    LineStateRole = Qt.ItemDataRole.UserRole + 5
    NumberRole = Qt.ItemDataRole.UserRole + 6
    PresenceLineRole = Qt.ItemDataRole.UserRole + 7
    """The colleague's state in words and shared note (:class:`app.presence_text.PresenceLine`)."""
    PickupRole = Qt.ItemDataRole.UserRole + 8
    """The extension whose ringing call the user may pick up at this row, or None."""

    def __init__(self, store: DirectoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._query: str = store.query
        self._results: list[DirectoryEntry] = list(store.results)
        self.may_pick_up: Callable[[DirectoryEntry], bool] = lambda _entry: True
        """Whether the PBX lets the user pick up this colleague's calls (P14: the same
        department, or an admin); a Pick up it would refuse is not offered."""
        store.hub.subscribe(self._on_changes, owner=self)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

    def entry(self, row: int) -> DirectoryEntry:
        return self._results[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        e = self._results[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return e.name
        if role == self.EntryRole:
            return e
        if role == self.HtmlRole:
            return bold(e.name, self._query)
        if role == self.DetailHtmlRole:
            matched = matched_number(e, self._query)
            if e.kind == "queue":  # "Queue · 1500", the number bold when the query found it
                own = html.escape(e.extension or "")
                shown = f"<b>{own}</b>" if matched else own
                return html.escape(queue_detail("\x00")).replace("\x00", shown)
            number = matched or (e.numbers[0] if e.numbers else None)
            parts = [p for p in (e.extension, number, e.department, e.company) if p]
            unique = list(dict.fromkeys(parts))
            return " · ".join(
                f"<b>{html.escape(p)}</b>" if p == matched else bold(p, self._query) for p in unique
            )
        if role == self.PresenceRole:
            return "offline" if e.signed_out else e.presence
        if role == self.LineStateRole:
            return "offline" if e.signed_out else e.line_state
        if role == self.NumberRole:
            return matched_number(e, self._query) or primary_number(e)
        if role == self.PresenceLineRole:
            return presence_line(e, dt.datetime.now(dt.UTC))
        if role == self.PickupRole:
            ringing = e.kind == "user" and not e.signed_out and e.line_state == "ringing"
            return e.extension if ringing and e.extension and self.may_pick_up(e) else None
        return None

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("directory", "results"):
            self._on_changed()

    def _on_changed(self) -> None:
        new = list(self._store.results)
        query = self._store.query
        if query == self._query and len(new) == len(self._results):
            changed = [i for i, (a, b) in enumerate(zip(self._results, new, strict=True)) if a != b]
            self._results = new
            if changed:
                self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)), [])
            return
        self.beginResetModel()
        self._query = query
        self._results = new
        self.endResetModel()
