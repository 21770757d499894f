"""Client of the PBX's event WebSocket (``/api/v1/events``, docs/api.md): reconnects by itself.

The token goes in the first message (not the URL, which ends up in logs); the server's
``subscribed`` answer marks the stream live. Each later text message is decoded and parsed here,
once, into its typed event (:mod:`app.server_events`) and handed to ``on_event`` on the asyncio
loop; a type the desktop does not know is skipped, a malformed event is logged and skipped.
``on_status(True)`` tells when the stream is live, ``on_status(False)`` after every attempt
that ends or fails (also one that never went live); a close with code 4401 (token
no longer valid, e.g. the server restarted) calls ``on_unauthorized`` and ends the client, since
only a new sign-in helps. Any other loss is retried with :class:`app.backoff.Backoff`.

After a blip nothing is reloaded: :class:`StreamCursor` remembers the last event handled and the
server's ``epoch``, and the next connection asks for what came after it (``since``); the server
sends those events first. When it cannot, it sends ``resync`` (parsed into
:class:`app.server_events.Resync`), and so does the cursor itself for a server that does not
replay; whoever handles ``Resync`` reloads every store. Gaps in ``seq`` are normal (events for
other users) and mean nothing here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
from collections.abc import Callable, Mapping

import websockets
from websockets.asyncio.client import connect

from app.backoff import Backoff
from app.server_events import Resync, ServerEvent, parse_event

__all__ = ["UNAUTHORIZED_CLOSE", "EventStream", "StreamCursor"]

UNAUTHORIZED_CLOSE = 4401
_log = logging.getLogger(__name__)


class StreamCursor:
    """The last event handled and the server run (``epoch``) it came from; sans-IO."""

    def __init__(self) -> None:
        self.last_seq: int | None = None
        self.epoch: str | None = None
        self._resuming = False

    def hello(self, token: str) -> dict[str, object]:
        """The first message of a connection: the token, and where to resume if we know."""
        message: dict[str, object] = {"token": token}
        self._resuming = self.last_seq is not None
        if self.last_seq is not None:
            message["since"] = self.last_seq
            if self.epoch is not None:
                message["epoch"] = self.epoch
        return message

    def subscribed(self, data: Mapping[str, object]) -> Resync | None:
        """The server's ``subscribed``: on a first connection it says where we start; on a
        resumed one the missed events follow, unless the server cannot replay (no ``epoch``):
        then the stream must resync by itself."""
        epoch, last = data.get("epoch"), data.get("last_seq")
        resuming, self._resuming = self._resuming, False
        if resuming and isinstance(epoch, str):
            return None  # the replay (or the server's resync) comes next
        self.epoch = epoch if isinstance(epoch, str) else None
        self.last_seq = last if isinstance(last, int) and not isinstance(last, bool) else None
        return Resync("no replay") if resuming else None

    def handled(self, seq: object, event: ServerEvent | None) -> None:
        """One event (or a ``resync``) was handled."""
        if isinstance(seq, int) and not isinstance(seq, bool):
            self.last_seq = seq
        if isinstance(event, Resync) and event.epoch is not None:
            self.epoch = event.epoch


class EventStream:
    """A reconnecting subscription to the server's events; resumes where it left off."""

    def __init__(
        self,
        ws_url: str,
        token: str,
        on_event: Callable[[ServerEvent], None],
        *,
        on_status: Callable[[bool], None] | None = None,
        on_unauthorized: Callable[[], None] | None = None,
        backoff: Backoff | None = None,
        open_timeout: float = 5.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._url = ws_url
        self._tls = tls  # a wss:// server's pinned context (None: the system's trust)
        self._token = token
        self._on_event = on_event
        self._on_status = on_status
        self._on_unauthorized = on_unauthorized
        self.backoff = backoff or Backoff(first=0.5, cap=15.0)
        self._open_timeout = open_timeout
        self._task: asyncio.Task[None] | None = None
        self.connected = False
        self.cursor = StreamCursor()

    def start(self) -> None:
        if self._task is not None:
            raise RuntimeError("the event stream is already started")
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.connected = False

    def _status(self, connected: bool) -> None:
        """Tell ``on_status`` when the stream goes live, and after every attempt that ends or
        fails: a stream that never went live (the server closed it before ``subscribed``, or is
        gone) is news too, or a session that is online would never learn that it is not."""
        changed = connected != self.connected
        self.connected = connected
        if self._on_status is not None and (changed or not connected):
            self._on_status(connected)

    async def _run(self) -> None:
        while True:
            close_code = await self._session()
            self._status(False)
            if close_code == UNAUTHORIZED_CLOSE:
                _log.info("event stream refused the token")
                if self._on_unauthorized is not None:
                    self._on_unauthorized()
                return
            await asyncio.sleep(self.backoff.next_delay())

    async def _session(self) -> int | None:
        """One connection from handshake to close; returns the close code (None: no socket)."""
        try:
            async with connect(
                self._url, open_timeout=self._open_timeout, max_size=2**20, ssl=self._tls
            ) as ws:
                try:
                    await ws.send(json.dumps(self.cursor.hello(self._token)))
                    async for raw in ws:
                        self._deliver(raw)
                except websockets.ConnectionClosed:
                    pass
                return ws.close_code
        except (OSError, TimeoutError, websockets.InvalidHandshake, websockets.InvalidURI) as exc:
            _log.debug("event stream could not connect: %s", exc)
            return None

    def _deliver(self, raw: str | bytes) -> None:
        try:
            event = json.loads(raw)
        except ValueError:
            _log.warning("event stream sent a message that is not JSON")
            return
        if not isinstance(event, dict):
            return
        if event.get("type") == "subscribed":
            data = event.get("data")
            resync = self.cursor.subscribed(data if isinstance(data, Mapping) else {})
            self.backoff.reset()
            self._status(True)
            if resync is not None:
                self._hand_on(resync)
            return
        try:
            parsed = parse_event(event)
        except ValueError as exc:
            _log.warning("event stream sent a bad event: %s", exc)
            parsed = None
        else:
            if parsed is None:
                _log.debug("event stream: %r is not ours", event.get("type"))
        self.cursor.handled(event.get("seq"), parsed)
        if parsed is not None:
            self._hand_on(parsed)

    def _hand_on(self, event: ServerEvent) -> None:
        if isinstance(event, Resync):
            _log.info("event stream: resynchronising (%s)", event.reason)
        try:
            self._on_event(event)
        except Exception:
            _log.exception("event handler failed for %r", event)
