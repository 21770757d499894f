"""Calls the user removed from his history list on this computer (the PBX keeps its record).

The API has no way to delete a call record yet, so "Remove from this list" is kept here, in
``hidden_calls.json`` in the data folder, and the history controller leaves those ids out.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["MAX_HIDDEN", "HiddenCalls"]

MAX_HIDDEN = 5000
_log = logging.getLogger(__name__)


class HiddenCalls:
    """A persisted set of history ids; ``path`` None keeps it in memory (tests, headless)."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self.ids: set[int] = set()
        if path is not None and path.exists():
            try:
                value = json.loads(path.read_text(encoding="utf-8"))
                self.ids = {int(i) for i in value}
            except (OSError, ValueError, TypeError) as exc:
                _log.warning("could not read %s: %s", path, exc)

    def hide(self, ids: Iterable[int]) -> None:
        self.ids |= set(ids)
        if self._path is None:
            return
        kept = sorted(self.ids)[-MAX_HIDDEN:]
        tmp = self._path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(kept), encoding="utf-8")
            os.replace(tmp, self._path)
        except OSError as exc:
            _log.warning("could not write %s: %s", self._path, exc)
