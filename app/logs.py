"""Logging of the desktop app: a rotating ``app.log`` and optional diagnostics files.

Both live in ``DIR/logs/``. Diagnostics logging (Options → Diagnostics logging) adds a DEBUG
handler writing ``AcmePhone-YYYY-MM-DD-NNN.log``, NNN counting up per day from 001, so every
session the user turns it on gives support a fresh file.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.paths import APP_NAME

__all__ = ["AppLogging", "next_diagnostics_path"]

_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_MAX_BYTES = 5 * 1024 * 1024
_BACKUPS = 5


def next_diagnostics_path(logs_dir: Path, day: dt.date, app_name: str = APP_NAME) -> Path:
    """The next free ``<App>-YYYY-MM-DD-NNN.log`` for ``day`` (NNN one above the highest)."""
    pattern = re.compile(rf"^{re.escape(app_name)}-{day.isoformat()}-(\d{{3,}})\.log$")
    numbers = [
        int(m.group(1)) for p in logs_dir.glob("*.log") if (m := pattern.match(p.name)) is not None
    ]
    return logs_dir / f"{app_name}-{day.isoformat()}-{max(numbers, default=0) + 1:03d}.log"


class AppLogging:
    """Owns the app's log handlers on the root logger; :meth:`close` removes them."""

    def __init__(self, logs_dir: Path, level: int = logging.INFO) -> None:
        self.logs_dir = logs_dir
        logs_dir.mkdir(parents=True, exist_ok=True)
        self._root = logging.getLogger()
        self._saved_level = self._root.level
        self._main = RotatingFileHandler(
            logs_dir / "app.log", maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
        )
        self._main.setFormatter(logging.Formatter(_FORMAT))
        self._main.setLevel(level)
        self._root.addHandler(self._main)
        self._level = level
        if self._root.level > level or self._root.level == logging.NOTSET:
            self._root.setLevel(level)
        self._normal_level = self._root.level
        self._diagnostics: logging.FileHandler | None = None

    @property
    def diagnostics_path(self) -> Path | None:
        """The diagnostics file being written, or None when diagnostics logging is off."""
        if self._diagnostics is None:
            return None
        return Path(self._diagnostics.baseFilename)

    def set_diagnostics(self, enabled: bool, today: dt.date | None = None) -> Path | None:
        """Start (a new file) or stop diagnostics logging; returns the file when started."""
        if not enabled:
            if self._diagnostics is not None:
                self._root.removeHandler(self._diagnostics)
                self._diagnostics.close()
                self._diagnostics = None
                self._root.setLevel(self._normal_level)
            return None
        if self._diagnostics is not None:
            return self.diagnostics_path
        path = next_diagnostics_path(self.logs_dir, today or dt.date.today())
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.setLevel(logging.DEBUG)
        self._root.addHandler(handler)
        self._root.setLevel(logging.DEBUG)
        self._diagnostics = handler
        logging.getLogger(__name__).info("diagnostics logging to %s", path)
        return path

    def close(self) -> None:
        self.set_diagnostics(False)
        self._root.removeHandler(self._main)
        self._main.close()
        self._root.setLevel(self._saved_level)
