"""Messages for the user (a banner or the tray shows them); failures end here, in plain words."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QObject, Signal

__all__ = ["Notice", "NoticeLevel", "Notices"]

NoticeLevel = Literal["info", "warning", "error"]
_log = logging.getLogger(__name__)
_KEEP = 50


@dataclass(frozen=True, slots=True)
class Notice:
    level: NoticeLevel
    text: str


class Notices(QObject):
    """``posted(Notice)`` for every message; the last few are kept in :attr:`recent`."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.recent: list[Notice] = []

    def post(self, level: NoticeLevel, text: str) -> None:
        notice = Notice(level, text)
        _log.log(logging.ERROR if level == "error" else logging.INFO, "notice: %s", text)
        self.recent = [*self.recent, notice][-_KEEP:]
        self.posted.emit(notice)
