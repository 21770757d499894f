"""Logging of the server process: ``DIR/logs/server.log`` (rotating) and stderr.

stdout is reserved for the one ready line, so no handler ever writes there.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

__all__ = ["configure_logging"]

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Send all logging to the rotating file and stderr; returns the log file's path."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "server.log"
    formatter = logging.Formatter(_FORMAT)
    file_handler = RotatingFileHandler(path, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    file_handler.setFormatter(formatter)
    err_handler = logging.StreamHandler(sys.stderr)
    err_handler.setFormatter(formatter)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(file_handler)
    root.addHandler(err_handler)
    root.setLevel(level)
    for noisy in ("uvicorn.access", "sqlalchemy.engine", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    return path
