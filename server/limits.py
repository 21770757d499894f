"""Edge limits of the HTTP API, as ASGI middleware: request body size and sign-in guessing.

``BodyLimit`` answers 413 to a body above ``max_body`` bytes, by its Content-Length or while it
streams, before any route reads it whole. ``LoginGuard`` watches ``POST /api/v1/auth/login``:
after a few wrong passwords for one user name, or many from one source, the next attempts are
answered 429 with ``Retry-After`` (a right password too) until the block lifts by itself; and
at most ``login_concurrency`` passwords are hashed at once, so sign-in cannot take the CPU the
calls need. Waiting sign-ins are served fewest-recent-failures-of-their-source first, so
guessers queue behind everybody else; one source may have at most ``_WAITING_PER_SOURCE`` x
``login_concurrency`` sign-ins waiting (429 beyond), and a waiting attempt is checked again
when its turn comes. The counting is
:class:`pbx_core.guard.FailureGuard`'s. The hashing slots are the app's (``app.state.hash_slots``):
a password change hashes in the same ones (server/routes_sessions.py).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import heapq
import json
import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pbx_core.config import Limits
from pbx_core.guard import FailureGuard, GuardPolicy

__all__ = ["LOGIN_PATH", "BodyLimit", "HashSlots", "LoginGuard", "install_limits"]

_log = logging.getLogger(__name__)

LOGIN_PATH = "/api/v1/auth/login"
_SOURCE_FACTOR = 4  # one source may fail this many times more often than one user name
_WAITING_PER_SOURCE = 16  # sign-ins of one source waiting for a hash, per hashing slot


async def _send_error(
    send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> None:
    body = json.dumps({"error": code, "message": message}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


# Routes that take a file rather than JSON, and the most each may take (their own limits
# answer more precisely inside: docs/contacts.md, docs/voicemail.md).
UPLOADS: dict[str, int] = {
    "/api/v1/contacts/import": 5_000_000,
    "/api/v1/voicemail/greeting": 10_000_000,
}


class BodyLimit:
    """Refuse request bodies above ``max_body`` bytes (a file upload: its own limit) with 413."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = max(self.max_body, UPLOADS.get(str(scope.get("path", "")), 0))
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self._refuse(send, limit)
            return
        seen = 0
        started = refused = False

        async def limited_receive() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # answer now; the app sees the client leave and its answer is dropped
                    refused = True
                    if not started:
                        await self._refuse(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, limited_receive, tracking_send)

    async def _refuse(self, send: Send, limit: int) -> None:
        await _send_error(send, 413, "too_large", f"the request body is larger than {limit} bytes")


class HashSlots:
    """At most ``size`` holders at once; waiters are served lowest ``rank`` first, then in
    order of arrival."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = 0

    async def acquire(self, rank: int) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        self._arrivals += 1
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (rank, self._arrivals, turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release()  # handed the slot just as it was cancelled
            raise

    @contextlib.asynccontextmanager
    async def held(self, rank: int) -> AsyncIterator[None]:
        """Hold one slot for the block (waiting for it by ``rank``)."""
        await self.acquire(rank)
        try:
            yield
        finally:
            self.release()

    def release(self) -> None:
        while self._waiters:
            _, _, turn = heapq.heappop(self._waiters)
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1


class LoginGuard:
    """Blocks guessing at ``POST /api/v1/auth/login`` and bounds concurrent password hashing."""

    def __init__(
        self,
        app: ASGIApp,
        limits: Limits,
        *,
        slots: HashSlots | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self._clock = clock
        user = GuardPolicy(
            max_failures=limits.api_max_failures,
            window=limits.auth_window_seconds,
            block_seconds=limits.api_block_seconds,
        )
        source = GuardPolicy(
            max_failures=limits.api_max_failures * _SOURCE_FACTOR,
            window=limits.auth_window_seconds,
            block_seconds=limits.api_block_seconds,
        )
        self.users = FailureGuard(user)
        self.sources = FailureGuard(source)
        self._hashing = slots or HashSlots(limits.login_concurrency)
        self._max_waiting = _WAITING_PER_SOURCE * limits.login_concurrency
        self._waiting: collections.Counter[str] = collections.Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != LOGIN_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body, after = await _read_body(receive)
        client = scope.get("client")
        user_key = "user:" + _username(body)
        source_key = "source:" + (str(client[0]) if client else "-")
        if self._waiting[source_key] >= self._max_waiting or self._blocked(user_key, source_key):
            await self._refuse(send, user_key, source_key)
            return
        status = 0
        pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
        if after is not None:
            pending.append(after)

        async def replay() -> Message:
            return pending.pop(0) if pending else await receive()

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        self._waiting[source_key] += 1
        try:
            await self._hashing.acquire(self.sources.failures(source_key, self._clock()))
            try:
                if self._blocked(user_key, source_key):  # blocked while this one waited
                    await self._refuse(send, user_key, source_key)
                    return
                await self.app(scope, replay, watch)
            finally:
                self._hashing.release()
        finally:
            self._waiting[source_key] -= 1
            if self._waiting[source_key] <= 0:
                del self._waiting[source_key]
        self._record(status, user_key, source_key)

    def _blocked(self, user_key: str, source_key: str) -> bool:
        now = self._clock()
        return (
            self.users.retry_after((user_key,), now) is not None
            or self.sources.retry_after((source_key,), now) is not None
        )

    async def _refuse(self, send: Send, user_key: str, source_key: str) -> None:
        now = self._clock()
        waits = [
            w
            for w in (
                self.users.retry_after((user_key,), now),
                self.sources.retry_after((source_key,), now),
            )
            if w is not None
        ]
        wait = str(max(1, math.ceil(max(waits, default=1.0))))
        await _send_error(
            send,
            429,
            "too_many_requests",
            "too many sign-ins; try again later",
            {"Retry-After": wait},
        )

    def _record(self, status: int, user_key: str, source_key: str) -> None:
        now = self._clock()
        if status == 401:
            blocked = self.users.failed((user_key,), now) + self.sources.failed((source_key,), now)
            for key in blocked:
                _log.warning("API sign-in: %s blocked after repeated failures", key)
        elif status == 200:
            self.users.succeeded(user_key)


async def _read_body(receive: Receive) -> tuple[bytes, Message | None]:
    """The whole request body (its size is bounded by :class:`BodyLimit` outside)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), None


def _username(body: bytes) -> str:
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return "-"
    name = data.get("username") if isinstance(data, dict) else None
    return name.strip().lower()[:320] if isinstance(name, str) else "-"


def install_limits(app: FastAPI, limits: Limits) -> None:
    """Put the edge limits around ``app`` (a FastAPI/Starlette application); its password
    hashing slots are ``app.state.hash_slots``."""
    app.state.hash_slots = HashSlots(limits.login_concurrency)
    app.add_middleware(LoginGuard, limits=limits, slots=app.state.hash_slots)
    app.add_middleware(BodyLimit, max_body=limits.http_max_body)
