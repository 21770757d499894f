"""The engine thread: runs queued commands and pumps pjsua2 with an idle back-off.

pjsua2 runs with ``threadCnt = 0`` and ``mainThreadOnly``: it delivers SIP
callbacks only from inside ``libHandleEvents`` on the thread that called
``libCreate``. This thread is that thread. Other threads never call pjsua2; they
queue a command and get a :class:`Pending` result: a
:class:`concurrent.futures.Future` that an asyncio task can also ``await``.

``libHandleEvents(timeout)`` blocks in pjsip's ioqueue until a packet or timer
arrives or the timeout passes. A command does not wait for the timeout: the
submitter calls ``wake`` (the engine sends a tiny datagram to its own SIP
socket, which pjsip ignores) when the thread is blocked or about to block. So
the timeout is only a safety net: an idle engine wakes ``1000 / idle_poll_ms``
times a second; after activity the timeout drops to ``busy_poll_ms`` and
doubles back to idle.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Generator
from concurrent.futures import Future
from typing import Any, TypeVar

from sip.errors import EngineNotRunningError

__all__ = ["Pending", "Worker"]

_log = logging.getLogger(__name__)
T = TypeVar("T")

Pump = Callable[[int], int]


class Pending(Future[T]):
    """A command's result: ``.result(timeout)`` from any thread, or ``await`` on a loop."""

    def __await__(self) -> Generator[Any, None, T]:
        return asyncio.wrap_future(self).__await__()


class Worker:
    """One dedicated thread that owns pjsua2; everything else submits commands."""

    def __init__(
        self, name: str, busy_ms: int, idle_ms: int, wake: Callable[[], None] | None = None
    ) -> None:
        self._busy_ms = busy_ms
        self._idle_ms = idle_ms
        self._wake = wake
        self._sleeping = False
        self._commands: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._setup: Callable[[], Pump] | None = None
        self._teardown: Callable[[], None] | None = None
        self._started: Future[None] = Future()
        self._stopping = False
        self._closed = False
        self.wakeups = 0

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def on_thread(self) -> bool:
        """True when called from the engine thread itself."""
        return threading.current_thread() is self._thread

    def start(self, setup: Callable[[], Pump], teardown: Callable[[], None]) -> Future[None]:
        """Start the thread; ``setup`` runs on it and returns the event pump."""
        self._setup = setup
        self._teardown = teardown
        self._thread.start()
        return self._started

    def submit(self, fn: Callable[[], T]) -> Pending[T]:
        """Queue ``fn`` to run on the engine thread; its result resolves the future."""
        fut: Pending[T] = Pending()
        if self._setup is None or self._stopping or self._closed:
            fut.set_exception(EngineNotRunningError("the SIP engine is not running"))
            return fut
        if self.on_thread():
            self._execute(fn, fut)
        else:
            self._commands.put((fn, fut))
            self._wake_up()
        return fut

    def _wake_up(self) -> None:
        # The loop sets _sleeping before its last look at the queue, so a command
        # queued after that look always sees the flag and wakes the pump.
        if self._sleeping and self._wake is not None:
            self._wake()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the thread to tear down and wait for it to finish."""
        if not self._thread.is_alive():
            return
        self._stopping = True
        self._commands.put(None)
        self._wake_up()
        if not self.on_thread():
            self._thread.join(timeout)

    @staticmethod
    def _execute(fn: Callable[[], Any], fut: Future[Any]) -> None:
        if not fut.set_running_or_notify_cancel():
            return
        try:
            result = fn()
        except BaseException as exc:  # handed to the caller through the future
            fut.set_exception(exc)
        else:
            fut.set_result(result)

    def _drain(self) -> tuple[int, bool]:
        """Run every queued command; return (count, stop requested)."""
        done = 0
        while True:
            try:
                item = self._commands.get_nowait()
            except queue.Empty:
                return done, False
            if item is None:
                return done, True
            self._execute(*item)
            done += 1

    def _run(self) -> None:
        assert self._setup is not None and self._teardown is not None
        try:
            pump = self._setup()
        except BaseException as exc:
            self._closed = True
            self._started.set_exception(exc)
            return
        self._started.set_result(None)
        timeout = self._busy_ms
        try:
            while True:
                ran, stop = self._drain()
                if stop:
                    break
                self._sleeping = True
                if not self._commands.empty():
                    self._sleeping = False
                    continue
                events = pump(timeout)
                self._sleeping = False
                self.wakeups += 1
                timeout = self._busy_ms if ran or events > 0 else min(timeout * 2, self._idle_ms)
        except BaseException:
            _log.exception("SIP engine loop failed")
        finally:
            self._closed = True
            try:
                self._teardown()
            finally:
                self._fail_pending()

    def _fail_pending(self) -> None:
        while True:
            try:
                item = self._commands.get_nowait()
            except queue.Empty:
                return
            if item is not None and item[1].set_running_or_notify_cancel():
                item[1].set_exception(EngineNotRunningError("the SIP engine is not running"))
