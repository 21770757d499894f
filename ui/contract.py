"""The shapes `ui/` reads from `app/` (docs/desktop-app.md), as structural protocols.

The widgets depend on these protocols, not on the concrete classes of `app/`, so they can be
built and tested against small fakes and stay free of httpx, pjsua2 and hid imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

__all__ = [
    "ActiveCallLike",
    "AppContextLike",
    "AudioDeviceLike",
    "DirectoryEntryLike",
    "HistoryEntryLike",
    "NoticeLike",
    "suggested_end",
]


class HistoryEntryLike(Protocol):
    @property
    def id(self) -> Any: ...
    @property
    def direction(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def duration_s(self) -> float | int: ...
    @property
    def seen(self) -> bool: ...


class DirectoryEntryLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def extension(self) -> str | None: ...
    @property
    def numbers(self) -> Sequence[str]: ...
    @property
    def department(self) -> str | None: ...
    @property
    def company(self) -> str | None: ...
    @property
    def presence(self) -> str | None: ...
    @property
    def line_state(self) -> str | None: ...


class ActiveCallLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def state(self) -> str: ...
    @property
    def connected_at(self) -> float | None: ...
    @property
    def muted(self) -> bool: ...
    @property
    def held(self) -> bool: ...
    @property
    def end_reason(self) -> str | None: ...


class AudioDeviceLike(Protocol):
    @property
    def name(self) -> str: ...


class NoticeLike(Protocol):
    @property
    def level(self) -> str: ...
    @property
    def text(self) -> str: ...


class AppContextLike(Protocol):
    """What `ui.main.run` receives: `app.context.AppContext` or a test double."""

    settings: Any
    session: Any
    history: Any
    directory: Any
    presence: Any
    calls: Any
    audio: Any
    notices: Any
    session_ctl: Any
    calls_ctl: Any
    presence_ctl: Any
    directory_ctl: Any
    history_ctl: Any
    settings_ctl: Any


def suggested_end(presence: Any, status: str) -> timedelta:
    """The store's suggestion for a status, one hour when it has none."""
    fn = getattr(presence, "suggested_end", None)
    value = fn(status) if callable(fn) else None
    return value if isinstance(value, timedelta) else timedelta(hours=1)
