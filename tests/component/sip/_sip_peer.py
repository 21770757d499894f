"""A SipEngine in a child process, driven over a multiprocessing pipe.

pjsua2 allows one Endpoint per process, so the second user agent of a test
lives here. Requests are ``(req_id, method, args)``; the child answers
``("reply", req_id, ok, value)`` and forwards every engine event as
``("event", event)``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from sip.config import EngineConfig
from sip.engine import SipEngine


def _child(conn: Connection, config: EngineConfig) -> None:
    lock = threading.Lock()

    def send(msg: tuple[Any, ...]) -> None:
        with lock:
            conn.send(msg)

    engine = SipEngine(lambda ev: send(("event", ev)), config)
    engine.start()
    send(("ready", engine.sip_port, engine.sip_tcp_port))
    try:
        while True:
            try:
                req = conn.recv()
            except EOFError:
                return
            if req is None:
                return
            req_id, method, args = req
            try:
                value = getattr(engine, method)(*args).result(10)
            except Exception as exc:
                send(("reply", req_id, False, repr(exc)))
            else:
                send(("reply", req_id, True, value))
    finally:
        engine.close()
        send(("closed",))


class EventLog:
    """Thread-safe list of events with a blocking wait for a matching one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.events: list[Any] = []

    def add(self, event: Any) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(self, pred: Callable[[Any], bool], timeout: float = 10.0) -> Any:
        """Return the first event (already seen or future) matching ``pred``."""
        with self._cond:
            found: list[Any] = []

            def match() -> bool:
                found[:] = [e for e in self.events if pred(e)]
                return bool(found)

            if not self._cond.wait_for(match, timeout):
                raise AssertionError(f"no matching event within {timeout}s: {self.events!r}")
            return found[0]

    def matching(self, pred: Callable[[Any], bool]) -> list[Any]:
        with self._cond:
            return [e for e in self.events if pred(e)]


class Peer:
    """Parent-side handle of the child engine."""

    def __init__(self, config: EngineConfig) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_child, args=(child, config), daemon=True)
        self._proc.start()
        child.close()
        msg = self._conn.recv() if self._conn.poll(30) else None
        if not msg or msg[0] != "ready":
            self._proc.kill()
            raise RuntimeError(f"peer did not start: {msg!r}")
        self.sip_port: int = msg[1]
        self.events = EventLog()
        self._replies: queue.SimpleQueue[tuple[int, bool, Any]] = queue.SimpleQueue()
        self._next = 0
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                msg = self._conn.recv()
            except (EOFError, OSError):
                return
            if msg[0] == "event":
                self.events.add(msg[1])
            elif msg[0] == "reply":
                self._replies.put((msg[1], msg[2], msg[3]))
            elif msg[0] == "closed":
                return

    def request(self, method: str, *args: Any) -> Any:
        with self._lock:
            self._next += 1
            self._conn.send((self._next, method, args))
            req_id, ok, value = self._replies.get(timeout=15)
        assert req_id == self._next
        if not ok:
            raise RuntimeError(f"peer {method} failed: {value}")
        return value

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)
        self._conn.close()
