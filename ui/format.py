"""Small text helpers shared by views: durations, local times, highlighted matches."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

__all__ = ["format_duration", "format_local", "highlight", "local_datetime", "timer_text"]


def timer_text(seconds: float) -> str:
    """A running call timer: ``m:ss`` below an hour, ``h:mm:ss`` above."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def format_duration(seconds: float) -> str:
    """A call length in words ("2 min 05 s"), translated."""
    total = max(0, round(seconds))
    minutes, secs = divmod(total, 60)
    if minutes == 0:
        return QCoreApplication.translate("format", "{s} s").format(s=secs)
    return QCoreApplication.translate("format", "{m} min {s:02d} s").format(m=minutes, s=secs)


def local_datetime(value: datetime) -> QDateTime:
    """A timezone-aware UTC datetime as local time for display."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return QDateTime.fromSecsSinceEpoch(int(aware.timestamp())).toLocalTime()


def format_local(value: datetime, fmt: QLocale.FormatType = QLocale.FormatType.ShortFormat) -> str:
    """Date and time in the user's locale."""
    return QLocale().toString(local_datetime(value), fmt)


def highlight(text: str, query: str) -> str:
    """HTML of ``text`` with every case-insensitive occurrence of the query's words in bold."""
    words = [w for w in query.split() if w]
    if not words:
        return html.escape(text)
    pattern = re.compile(
        "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE
    )
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        out.append(f"<b>{html.escape(m.group(0))}</b>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)
