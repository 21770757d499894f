"""The app's side of :class:`sip.SipEngine`: awaitable commands, events hopped to the loop.

The engine runs pjsua2 on its own thread and calls ``on_event`` there. Every event is handed to
the GUI/asyncio loop with ``loop.call_soon_threadsafe`` before anything touches a store; the
engine's ``concurrent.futures`` results are awaited with ``asyncio.wrap_future``. With
:class:`app.audio.AudioDevices` (and a sound card) the engine's calls use its bridge to the sound
devices; without, they run on pjsua2's null device.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from app.audio import AudioDevices
from sip import AccountId, AccountSettings, CallId, EngineConfig, EngineEvent, SipEngine

__all__ = ["Softphone"]

_log = logging.getLogger(__name__)
T = TypeVar("T")


class Softphone:
    """One SIP engine, one account (the signed-in user's), calls by key."""

    def __init__(
        self,
        on_event: Callable[[EngineEvent], None],
        *,
        loop: asyncio.AbstractEventLoop | None = None,
        config: EngineConfig | None = None,
        engine_factory: Callable[..., SipEngine] = SipEngine,
        audio: AudioDevices | None = None,
    ) -> None:
        self._loop = loop or asyncio.get_event_loop()
        self._on_event = on_event
        self._config = config or EngineConfig(bound_address="0.0.0.0", log_level=1)
        self._factory = engine_factory
        self._engine: SipEngine | None = None
        self.audio = audio
        self.account_id: AccountId | None = None
        self.account: AccountSettings | None = None

    # -- threads ---------------------------------------------------------------------
    def _from_engine_thread(self, event: EngineEvent) -> None:
        """Runs on the engine thread: never touch state here, only hop."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: the app is quitting
            self._loop.call_soon_threadsafe(self._deliver, event)

    def _deliver(self, event: EngineEvent) -> None:
        try:
            self._on_event(event)
        except Exception:
            _log.exception("handling %r failed", event)

    async def _wait(self, future: Future[T]) -> T:
        return await asyncio.wrap_future(future, loop=self._loop)

    # -- lifecycle -------------------------------------------------------------------
    @property
    def engine(self) -> SipEngine:
        if self._engine is None:
            raise RuntimeError("the SIP engine is not started")
        return self._engine

    @property
    def started(self) -> bool:
        return self._engine is not None

    def start(self) -> None:
        """Start pjsua2 on its thread (idempotent).

        The bridge to the sound devices is attached only when there are devices: without a
        sound card the engine runs on pjsua2's null device and never tries to open one.
        """
        if self._engine is None:
            bridge = None
            if self.audio is not None and self.audio.list_devices():
                bridge = self.audio.bridge
            engine = self._factory(self._from_engine_thread, self._config, audio=bridge)
            engine.start()
            self._engine = engine

    def close(self) -> None:
        """Hang up everything and free pjsua2 (blocks until the engine thread ends)."""
        engine, self._engine = self._engine, None
        self.account_id = None
        if self.audio is not None:
            self.audio.close()
        if engine is not None:
            engine.close()

    # -- account ---------------------------------------------------------------------
    async def register(self, settings: AccountSettings) -> AccountId:
        """Replace the account with ``settings`` (new server address or user) and register."""
        self.start()
        await self.unregister()
        self.account_id = await self._wait(self.engine.add_account(settings))
        self.account = settings
        return self.account_id

    async def unregister(self) -> None:
        """Drop the account (its calls end, the binding is removed)."""
        account_id, self.account_id = self.account_id, None
        if account_id is not None and self._engine is not None:
            try:
                await self._wait(self._engine.remove_account(account_id))
            except Exception as exc:
                _log.warning("removing the SIP account failed: %s", exc)

    def uri_for(self, number: str) -> str:
        """The request URI for a dialled extension or E.164 number via our registrar."""
        if self.account is None:
            raise RuntimeError("no SIP account")
        host = self.account.server
        host = f"[{host}]" if ":" in host else host
        tail = ";transport=tcp" if self.account.transport == "tcp" else ""
        return f"sip:{number}@{host}:{self.account.port}{tail}"

    # -- calls -----------------------------------------------------------------------
    async def call(self, number: str) -> CallId:
        return await self._wait(self.engine.call(self.uri_for(number), self.account_id))

    async def answer(self, key: str) -> None:
        await self._wait(self.engine.answer(CallId(key)))

    async def decline(self, key: str) -> None:
        await self._wait(self.engine.decline(CallId(key), 603))

    async def hangup(self, key: str) -> None:
        await self._wait(self.engine.hangup(CallId(key)))

    async def set_mute(self, key: str, muted: bool) -> None:
        await self._wait(self.engine.set_mute(CallId(key), muted))

    async def hold(self, key: str) -> None:
        await self._wait(self.engine.hold(CallId(key)))

    async def resume(self, key: str) -> None:
        await self._wait(self.engine.resume(CallId(key)))

    async def send_dtmf(self, key: str, digits: str) -> None:
        await self._wait(self.engine.send_dtmf(CallId(key), digits))

    async def call_media(self, method: str, key: str, *args: Any) -> None:
        """WAV play/record on a call (tests and the "test call" diagnostic)."""
        await self._wait(getattr(self.engine, method)(CallId(key), *args))
