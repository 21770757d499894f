"""Connection limits of the HTTP server, the process's file limit, and repeated log lines.

``guarded_http_protocol`` is uvicorn's HTTP protocol with two limits: a connection must deliver
a complete request head within ``http_header_seconds`` (of opening, or of its first byte after a
response) and then its body without a pause that long, and one source may hold
``http_per_source`` connections (WebSocket connections leave
the count when they upgrade; their sign-in has a timeout of its own). Idle keep-alive
connections are closed by uvicorn after ``http_idle_seconds``. ``raise_file_limit`` lifts the
soft RLIMIT_NOFILE to the hard one at start. ``RepeatFilter`` lets a log line through once per
minute and says how often it was held back (``report_held_back`` says so when a flood stopped),
so a flood of one error cannot fill the disk.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

from pbx_core.config import Limits

__all__ = [
    "RepeatFilter",
    "SourceCounter",
    "guarded_http_protocol",
    "raise_file_limit",
    "report_held_back",
]

_log = logging.getLogger("server")


class SourceCounter:
    """Open connections per source address, at most ``cap`` each."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._open: dict[str, int] = {}

    def admit(self, host: str) -> bool:
        count = self._open.get(host, 0)
        if count >= self.cap:
            return False
        self._open[host] = count + 1
        return True

    def release(self, host: str) -> None:
        count = self._open.get(host, 0) - 1
        if count > 0:
            self._open[host] = count
        else:
            self._open.pop(host, None)

    def count(self, host: str) -> int:
        return self._open.get(host, 0)


def guarded_http_protocol(limits: Limits) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol class with a request-head timeout and a per-source cap."""
    counter = SourceCounter(limits.http_per_source)
    header_seconds = limits.http_header_seconds
    base: Any = AutoHTTPProtocol

    class GuardedHttp(base):  # type: ignore[misc]
        _host: str | None = None
        _head_since: float | None = None
        _timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            peer = transport.get_extra_info("peername")
            host = str(peer[0]) if peer else "-"
            if not counter.admit(host):
                _log.warning("HTTP connection from %s refused: too many from there", host)
                transport.close()
                return
            self._host = host
            super().connection_made(transport)
            self._waiting()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.transport.get_protocol() is not self:  # upgraded to a WebSocket
                self._release()
            elif self._receiving_body():
                self._waiting(restart=True)  # the body came on: its next part within the time
            elif self._busy():
                self._head_since = None
            elif self._head_since is None:
                self._waiting()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._head_since = None  # idle now: uvicorn's keep-alive timeout takes over

        def connection_lost(self, exc: Exception | None) -> None:
            if self._host is None:
                return  # refused in connection_made
            self._release()
            super().connection_lost(exc)

        def _busy(self) -> bool:
            cycle = self.cycle
            return cycle is not None and not cycle.response_complete

        def _receiving_body(self) -> bool:
            """A request whose head came and whose body has not all come, still unanswered."""
            cycle = self.cycle
            return cycle is not None and cycle.more_body and not cycle.response_complete

        def _waiting(self, *, restart: bool = False) -> None:
            loop = asyncio.get_running_loop()
            if restart or self._head_since is None:
                self._head_since = loop.time()
            if self._timer is None:
                self._timer = loop.call_later(header_seconds, self._check)

        def _check(self) -> None:
            self._timer = None
            since = self._head_since
            if since is None or self._host is None or self.transport.is_closing():
                return
            loop = asyncio.get_running_loop()
            left = since + header_seconds - loop.time()
            if left <= 0 and self._receiving_body() and self.flow.read_paused:
                left = header_seconds  # the app is behind in reading, not the client in sending
            if left > 0:
                self._timer = loop.call_later(left, self._check)
            elif not self._busy() or self._receiving_body():
                _log.info("HTTP connection from %s closed: no complete request", self._host)
                self.transport.close()

        def _release(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._host is not None:
                counter.release(self._host)
                self._host = None

    return GuardedHttp


def raise_file_limit() -> tuple[int, int] | None:
    """Lift the soft open-file limit to the hard one; (before, after), or None where the
    platform has no such limit."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft == hard:
        return soft, soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        return soft, soft
    return soft, hard


class RepeatFilter(logging.Filter):
    """Passes a warning or error once per ``window`` seconds; how many identical ones were held
    back is told by the next one that passes, or by :meth:`overdue` once the window is over
    (when the flood stopped). Lower levels always pass."""

    def __init__(self, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._window = window
        self._clock = clock
        # (logger, level, message) -> (passed at, held back since)
        self._seen: dict[tuple[str, int, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.levelno, record.getMessage())
        now = self._clock()
        last = self._seen.get(key)
        if last is not None and now - last[0] < self._window:
            self._seen[key] = (last[0], last[1] + 1)
            return False
        held = last[1] if last is not None else 0
        if len(self._seen) > 1000:
            self._seen = {k: v for k, v in self._seen.items() if now - v[0] < self._window}
        self._seen[key] = (now, 0)
        if held:
            record.msg = _held_back(record.getMessage(), held)
            record.args = None
        return True

    def overdue(self) -> list[logging.LogRecord]:
        """One line for each message held back whose window is over, saying how many times;
        those messages pass again from now on."""
        now = self._clock()
        summaries = []
        for key, (at, held) in list(self._seen.items()):
            if held and now - at >= self._window:
                del self._seen[key]
                name, level, message = key
                summary = logging.LogRecord(
                    name, level, "", 0, _held_back(message, held), None, None
                )
                summaries.append(summary)
        return summaries


def _held_back(message: str, held: int) -> str:
    return f"{message} (and {held} more like it)"


async def report_held_back(period: float = 10.0) -> None:
    """Every ``period`` seconds, log through each root handler what its :class:`RepeatFilter`
    held back in a window that is over (runs until cancelled)."""
    while True:
        await asyncio.sleep(period)
        for handler in logging.getLogger().handlers:
            for repeats in [f for f in handler.filters if isinstance(f, RepeatFilter)]:
                for record in repeats.overdue():
                    handler.handle(record)
