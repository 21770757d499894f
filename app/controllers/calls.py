"""Calls: dial, answer, decline, hang up, mute, hold, DTMF, F8; states from SIP events only.

Several calls at once: dialling, answering or resuming puts the connected call on hold first
(:meth:`app.call_model.CallModel.to_hold_for`). Commands only ask the engine; the live state of
a call (hold and mute included) changes only when the engine reports it, through
:class:`app.call_model.CallModel`, never on a command's return or a timer. An ended call lingers
``ENDED_LINGER_S`` in the store so its window can say why, then it is dropped.
"""

from __future__ import annotations

import asyncio
import logging

from app.bus import Changes
from app.call_model import CallChanged, CallModelError
from app.connection import Connection
from app.notices import Notices
from app.numbers import extract_number
from app.settings import Settings
from app.stores._base import tr
from app.stores.calls import CallsStore
from app.stores.directory import DirectoryStore
from app.tasks import TaskRunner
from sip import CallId, EngineEvent, SipEngine

__all__ = ["ENDED_LINGER_S", "CallsController"]

ENDED_LINGER_S = 2.0
_log = logging.getLogger(__name__)


class CallsController:
    """Methods are plain calls from the GUI thread; the work runs as tasks."""

    def __init__(
        self,
        store: CallsStore,
        directory: DirectoryStore,
        engine: SipEngine,
        connection: Connection,
        settings: Settings,
        notices: Notices,
        runner: TaskRunner,
    ) -> None:
        self._store = store
        self._directory = directory
        self._engine = engine
        self._conn = connection
        self._settings = settings
        self._notices = notices
        self._runner = runner

    def on_changes(self, changes: Changes) -> None:
        """A call placed before the directory loaded gets its name when it arrives."""
        if changes.touches("directory", "everyone"):
            self._store.fill_names()

    # -- commands --------------------------------------------------------------------
    def dial(self, text: str) -> None:
        """Call the extension or number in ``text`` (typed, pasted or picked)."""
        number = extract_number(text, self._settings.region)
        if number is None:
            self._notices.post("warning", tr("There is no phone number in “{0}”.").format(text))
            return
        self._runner.spawn(self._dial(number), "calling")

    def call_clipboard(self, text: str) -> None:
        """F8: call the number found in the clipboard text."""
        if extract_number(text, self._settings.region) is None:
            self._notices.post("warning", tr("The clipboard holds no phone number."))
            return
        self.dial(text)

    async def _dial(self, number: str) -> None:
        account, account_id = self._conn.require_account()
        await self._hold_others(None)
        # the call is listed from the engine's first event for it
        await self._engine.call(account.uri_for(number), account_id)

    async def _hold_others(self, keep: str | None) -> None:
        for call in self._store.model.to_hold_for(keep):
            await self._engine.hold(CallId(call.key))

    def answer(self, key: str) -> None:
        self._runner.spawn(self._answer(key), "answering")

    async def _answer(self, key: str) -> None:
        await self._hold_others(key)
        await self._engine.answer(CallId(key))

    def decline(self, key: str) -> None:
        self._runner.spawn(self._engine.decline(CallId(key), 603), "declining")

    def hangup(self, key: str) -> None:
        self._runner.spawn(self._engine.hangup(CallId(key)), "hanging up")

    def set_mute(self, key: str, muted: bool) -> None:
        self._runner.spawn(self._engine.set_mute(CallId(key), muted), "muting")

    def hold(self, key: str) -> None:
        self._runner.spawn(self._engine.hold(CallId(key)), "holding")

    def resume(self, key: str) -> None:
        self._runner.spawn(self._resume(key), "resuming")

    async def _resume(self, key: str) -> None:
        await self._hold_others(key)
        await self._engine.resume(CallId(key))

    def send_dtmf(self, key: str, digits: str) -> None:
        self._runner.spawn(self._engine.send_dtmf(CallId(key), digits), "sending tones")

    def dismiss(self, key: str) -> None:
        """Drop an ended call from the store now (its window was closed)."""
        self._store.dismiss(key)

    # -- SIP events (already on the loop) ---------------------------------------------
    def on_engine_event(self, event: EngineEvent) -> None:
        try:
            change = self._store.apply(event)
        except CallModelError as exc:
            _log.warning("ignored an engine event: %s", exc)
            return
        if isinstance(change, CallChanged) and change.ended:
            asyncio.get_running_loop().call_later(ENDED_LINGER_S, self.dismiss, change.call.key)
