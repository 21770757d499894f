"""The event stream: every bus event to every signed-in WebSocket client, numbered.

Wire format, one JSON text message per event: ``{"seq": N, "type": event.kind, "data": {...}}``.
``seq`` grows strictly by one per event across the whole server, so a client sees gaps only if
it missed events (a full queue closes its connection with 1013; it reconnects with ``since``), or
where an event was for other users only: an event with an ``audience`` (chat: the
conversation's members) goes to those users' clients alone.

Sign-in: ``?token=`` on the URL (the subscription is live when the handshake completes), or a
first message ``{"token": ...}`` within 10 s, answered with ``{"seq": last, "type":
"subscribed", ...}`` once live. A bad token (also one that is not valid text, or a first message
that is not JSON or nested too deep) closes the socket with code 4401, without a traceback.
When the session ends (sign-out, account deleted, or its expiry passes unrenewed) the socket is
closed with 4401 too, so a revoked token receives nothing more. One address may have
``--http-per-source`` sockets still signing in, one user ``--event-sockets-per-user`` signed-in
sockets; a socket beyond either is refused (1008, or 403 to the handshake).

Reconnecting: the hub keeps the last events (:class:`server.event_log.EventLog`). A client that
signs in with ``since`` (its last ``seq``; ``?since=`` or ``"since"`` in the first message, with
the ``epoch`` it was told, optionally) first gets the events after it that are for its user, in
order, then the live ones: no gap, no duplicate, since both are taken in the same step as the
client is attached. When that cannot be done the first message after ``subscribed`` is
``{"seq": last, "type": "resync", "data": {"reason", "epoch"}}`` and the client reloads.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import secrets
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from pbx_core.config import Limits
from pbx_core.events import Event
from server.auth import Session, TokenStore
from server.connections import SourceCounter
from server.event_log import EVENT_BUFFER, EventLog, Resync

__all__ = ["EventHub", "event_message", "router"]

_log = logging.getLogger(__name__)
QUEUE_SIZE = 1000
"""Events a client may have waiting; one more closes its connection with 1013."""
_AUTH_TIMEOUT = 10.0
CLOSE_BAD_TOKEN = 4401
CLOSE_TOO_SLOW = 1013
_DEFAULTS = Limits()
CLOSE_POLICY = 1008  # too many sockets of one user (or, before the handshake, of one address)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def event_message(seq: int, event: Event) -> dict[str, Any]:
    data = {
        f.name: _jsonable(getattr(event, f.name))
        for f in dataclasses.fields(event)
        if f.metadata.get("wire", True)
    }
    return {"seq": seq, "type": event.kind, "data": data}


def _audience(event: Event) -> frozenset[str] | None:
    """The extensions an event is for (``event.audience``), or None: for everyone."""
    audience = getattr(event, "audience", None)
    return audience if isinstance(audience, frozenset) else None


class _Client:
    """One connection's events waiting to be sent; ``wake`` is set when there is something to do
    (an event, the client leaving, its session ending, its backlog overflowing)."""

    __slots__ = ("backlog", "ended", "extension", "overflowed", "pending", "token", "wake")

    def __init__(self, extension: str | None = None) -> None:
        self.backlog: deque[str] = deque()  # what it missed (or a resync), sent before pending
        self.pending: deque[str] = deque()
        self.wake = asyncio.Event()
        self.overflowed = False
        self.token: str | None = None
        self.ended = asyncio.Event()
        self.extension = extension


class EventHub:
    """Numbers bus events, keeps the recent ones and hands them to the connected clients' queues.

    ``epoch`` names this run of the server (random), so that a client can tell a restart."""

    def __init__(
        self,
        buffer_size: int = EVENT_BUFFER,
        epoch: str | None = None,
        *,
        per_source: int = _DEFAULTS.http_per_source,
        per_user: int = _DEFAULTS.event_sockets_per_user,
    ) -> None:
        self._seq = 0
        self._clients: set[_Client] = set()
        self._signing_in = SourceCounter(per_source)
        self._per_user = per_user
        self.epoch = epoch or secrets.token_hex(8)
        self._log = EventLog(buffer_size, self.epoch)

    @property
    def last_seq(self) -> int:
        return self._seq

    def publish(self, event: Event) -> None:
        """Bus subscriber: runs on the loop thread, never blocks."""
        if not event.on_the_wire:
            return
        self._seq += 1
        text = json.dumps(event_message(self._seq, event), separators=(",", ":"))
        audience = _audience(event)
        self._log.record(self._seq, text, audience)
        for client in list(self._clients):
            if audience is not None and client.extension not in audience:
                continue
            if len(client.pending) >= QUEUE_SIZE:
                client.overflowed = True
                self._clients.discard(client)
            else:
                client.pending.append(text)
            client.wake.set()

    def _attach(
        self, extension: str | None = None, since: int | None = None, epoch: str | None = None
    ) -> _Client:
        """A new client, live from now; with ``since``, what it missed goes first (same step:
        nothing can be published in between)."""
        client = _Client(extension)
        if since is not None:
            missed = self._log.after(since, extension, epoch)
            if isinstance(missed, Resync):
                client.backlog.append(missed.message())
                _log.info("events: %s resyncs (%s)", extension, missed.reason)
            else:
                client.backlog.extend(missed)
            if client.backlog:
                client.wake.set()
        self._clients.add(client)
        return client

    def _detach(self, client: _Client) -> None:
        self._clients.discard(client)

    def _revoked(self, token: str) -> None:
        """TokenStore listener: end every connection signed in with ``token``."""
        for client in list(self._clients):
            if client.token == token:
                client.ended.set()

    def _full(self, extension: str) -> bool:
        """``extension`` has as many event sockets as it may."""
        return sum(1 for c in self._clients if c.extension == extension) >= self._per_user

    async def serve(
        self,
        ws: WebSocket,
        tokens: TokenStore,
        query_token: str | None,
        since: int | None = None,
        epoch: str | None = None,
    ) -> None:
        """Run one client connection until it closes. One source address may have
        ``per_source`` sockets signing in at once, one user ``per_user`` signed-in sockets;
        beyond, the socket is refused (403 to the handshake, or closed with 1008)."""
        host = ws.client.host if ws.client else "-"
        if not self._signing_in.admit(host):
            _log.warning("events: socket from %s refused: too many signing in from there", host)
            await ws.close(code=CLOSE_POLICY)
            return
        waiting = True

        def signed_in() -> None:
            nonlocal waiting
            if waiting:
                waiting = False
                self._signing_in.release(host)

        try:
            await self._serve(ws, tokens, query_token, since, epoch, signed_in)
        finally:
            signed_in()

    async def _serve(
        self,
        ws: WebSocket,
        tokens: TokenStore,
        query_token: str | None,
        since: int | None,
        epoch: str | None,
        signed_in: Callable[[], None],
    ) -> None:
        tokens.on_revoke(self._revoked)
        first = tokens.resolve(query_token) if query_token is not None else None
        if first is not None and self._full(first.extension):
            _log.warning("events: socket of %s refused: %d open", first.extension, self._per_user)
            await ws.close(code=CLOSE_POLICY)
            return
        client = self._attach(first.extension, since, epoch) if first is not None else None
        await ws.accept()
        try:
            if query_token is not None:
                token, session = query_token, first
            else:
                token, session, since, epoch = await self._first_message(ws, tokens)
            if session is None:
                await ws.close(code=CLOSE_BAD_TOKEN, reason="invalid or expired token")
                return
            signed_in()
            if client is None and self._full(session.extension):
                _log.warning(
                    "events: socket of %s refused: %d open", session.extension, self._per_user
                )
                await ws.close(code=CLOSE_POLICY, reason="too many event sockets of this user")
                return
            if client is None:
                client = self._attach(session.extension, since, epoch)
                await ws.send_text(
                    json.dumps(
                        {
                            "seq": self._seq,
                            "type": "subscribed",
                            "data": {
                                "extension": session.extension,
                                "last_seq": self._seq,
                                "epoch": self.epoch,
                            },
                        }
                    )
                )
            client.token = token
            _log.info("events: %s connected", session.extension)
            await self._pump(ws, client, tokens)
        except WebSocketDisconnect:
            pass
        finally:
            if client is not None:
                self._detach(client)

    async def _first_message(
        self, ws: WebSocket, tokens: TokenStore
    ) -> tuple[str, Session | None, int | None, str | None]:
        """The first message's token, its session, and the optional ``since`` and ``epoch``."""
        try:
            raw = await asyncio.wait_for(ws.receive_text(), _AUTH_TIMEOUT)
            message = json.loads(raw)
        except (TimeoutError, ValueError, KeyError, RecursionError):
            return "", None, None, None
        if not isinstance(message, dict) or not isinstance(token := message.get("token"), str):
            return "", None, None, None
        since, epoch = message.get("since"), message.get("epoch")
        return (
            token,
            tokens.resolve(token),
            since if isinstance(since, int) and not isinstance(since, bool) else None,
            epoch if isinstance(epoch, str) else None,
        )

    async def _pump(self, ws: WebSocket, client: _Client, tokens: TokenStore) -> None:
        """Send what is waiting, as it comes; a reader task notices the client leaving, a
        watcher the end of its session. No task per event: one wake-up sends every event
        queued by then (a burst to hundreds of clients stays a few sends each)."""
        reader = asyncio.create_task(self._drain_incoming(ws))
        watcher = asyncio.create_task(_session_end(client, tokens))
        for task in (reader, watcher):
            task.add_done_callback(lambda _task: client.wake.set())
        try:
            while True:
                await client.wake.wait()
                client.wake.clear()
                if reader.done():
                    break
                if watcher.done():
                    await ws.close(code=CLOSE_BAD_TOKEN, reason="the session ended")
                    break
                while (client.backlog or client.pending) and not reader.done():
                    await ws.send_text((client.backlog or client.pending).popleft())
                if client.overflowed and not client.pending:
                    await ws.close(code=CLOSE_TOO_SLOW, reason="too slow; reconnect")
                    break
        finally:
            for task in (reader, watcher):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                    await task

    @staticmethod
    async def _drain_incoming(ws: WebSocket) -> None:
        """Read and ignore what the client sends, until it disconnects."""
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return


async def _session_end(client: _Client, tokens: TokenStore) -> None:
    """Return when ``client``'s session is revoked or lapses without being renewed."""
    while True:
        left = tokens.remaining(client.token or "")
        if left is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(client.ended.wait(), left + 0.05)
            return


router = APIRouter()


@router.websocket("/api/v1/events")
async def events(
    ws: WebSocket, token: str | None = None, since: int | None = None, epoch: str | None = None
) -> None:
    """Every bus event as ``{"seq", "type", "data"}``; sign in with ?token= or a first message;
    ``since`` (and ``epoch``): replay what was missed after that event, or say ``resync``."""
    hub: EventHub = ws.app.state.events
    tokens: TokenStore = ws.app.state.tokens
    await hub.serve(ws, tokens, token, since, epoch)
