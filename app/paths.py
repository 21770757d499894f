"""Where the app keeps its files: one data folder holding settings, logs and the PBX's data.

``--data-dir`` chooses the folder; without it the platform's app-data folder is used
(``QStandardPaths.AppDataLocation``: ``%APPDATA%\\AcmePhone`` on Windows,
``~/Library/Application Support/AcmePhone`` on macOS, ``~/.local/share/AcmePhone`` on Linux).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["APP_NAME", "ORG_NAME", "AppPaths", "default_data_dir", "resource", "resource_dir"]

APP_NAME = "AcmePhone"
ORG_NAME = "Acme"


def resource_dir() -> Path:
    """The ``resources/`` folder (icons, sounds, translations): inside the frozen program
    (PyInstaller's ``sys._MEIPASS``, installers/acmephone.spec) or in the checkout."""
    frozen = getattr(sys, "_MEIPASS", None)
    base = Path(frozen) if isinstance(frozen, str) else Path(__file__).resolve().parent.parent
    return base / "resources"


def resource(*parts: str) -> Path:
    """A file or folder under :func:`resource_dir`, e.g. ``resource("sounds", "ringtone.wav")``."""
    return resource_dir().joinpath(*parts)


def default_data_dir() -> Path:
    """The platform's app-data folder for this app (needs no QCoreApplication)."""
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    if not base:
        return Path.home() / f".{APP_NAME.lower()}"
    return Path(base) / APP_NAME


@dataclass(frozen=True, slots=True)
class AppPaths:
    """The files and folders inside the data folder."""

    root: Path

    @classmethod
    def create(cls, data_dir: Path | str | None = None) -> AppPaths:
        """Resolve the data folder (default: the platform's) and create its folders."""
        root = Path(data_dir) if data_dir is not None else default_data_dir()
        paths = cls(root.expanduser().resolve())
        for folder in (paths.root, paths.logs_dir, paths.pbx_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return paths

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.ini"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def pbx_dir(self) -> Path:
        """The embedded PBX's ``--data-dir``."""
        return self.root / "pbx"
