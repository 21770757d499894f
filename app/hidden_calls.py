"""Calls hidden on this computer by an older version, before the server could remove them.

That version kept "Remove from this list" in ``hidden_calls.json`` in the data folder. The
history controller now asks the server (``DELETE /api/v1/calls/{id}``); this file is read once,
its calls are removed on the server, and then it is deleted.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

__all__ = ["HiddenCalls"]

_log = logging.getLogger(__name__)


class HiddenCalls:
    """The ids of an old ``hidden_calls.json``; ``path`` None (tests, headless): none."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self.ids: set[int] = set()
        if path is not None and path.exists():
            try:
                value = json.loads(path.read_text(encoding="utf-8"))
                self.ids = {int(i) for i in value}
            except (OSError, ValueError, TypeError) as exc:
                _log.warning("could not read %s: %s", path, exc)

    def forget(self) -> None:
        """The server has them now: delete the file."""
        self.ids = set()
        if self._path is None:
            return
        try:
            self._path.unlink(missing_ok=True)
        except OSError as exc:
            _log.warning("could not delete %s: %s", self._path, exc)
