"""Calls: dial, answer, decline, hang up, mute, hold, DTMF, F8; states from SIP events only.

Several calls at once: dialling or answering puts the connected calls on hold first. The live
state of a call changes only when the engine reports a SIP event (RFC 3261 INVITE states, RFC
3264 hold in the SDP), never on a timer; an ended call lingers ``ENDED_LINGER_S`` in the store so
its window can say why, then it is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from app.notices import Notices
from app.numbers import extract_number
from app.settings import Settings
from app.softphone import Softphone
from app.stores._base import tr
from app.stores.calls import ActiveCall, CallsStore
from app.stores.directory import DirectoryStore
from app.tasks import TaskRunner
from sip import CallStateChanged, EngineEvent, IncomingCall, MediaStateChanged

__all__ = ["ENDED_LINGER_S", "CallsController", "number_of_uri"]

ENDED_LINGER_S = 2.0
_log = logging.getLogger(__name__)


def number_of_uri(uri: str) -> str:
    """The user part of ``sip:202@host`` (the whole text when there is none)."""
    rest = uri.split(":", 1)[1] if uri.startswith(("sip:", "sips:", "tel:")) else uri
    return rest.split("@", 1)[0].split(";", 1)[0]


class CallsController:
    """Methods are plain calls from the GUI thread; the work runs as tasks."""

    def __init__(
        self,
        store: CallsStore,
        directory: DirectoryStore,
        softphone: Softphone,
        settings: Settings,
        notices: Notices,
        runner: TaskRunner,
        on_call_ended: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        self._directory = directory
        self._phone = softphone
        self._settings = settings
        self._notices = notices
        self._runner = runner
        self._on_call_ended = on_call_ended
        directory.changed.connect(self._directory_changed)

    def _directory_changed(self, what: str) -> None:
        """A call placed before the directory loaded gets its name when it arrives."""
        if what != "everyone":
            return
        for call in list(self._store.calls):
            if call.name is None and (name := self._directory.name_for(call.number)):
                self._store.update(call.key, name=name)

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
        await self._hold_others(None)
        key = await self._phone.call(number)
        name = self._directory.name_for(number)
        if self._store.get(key) is None:
            self._store.add(ActiveCall(key, "outgoing", number, name, "calling"))
        else:
            self._store.update(key, number=number, name=name)

    async def _hold_others(self, keep: str | None) -> None:
        for call in list(self._store.calls):
            if call.key != keep and call.state == "connected":
                await self._phone.hold(call.key)

    def answer(self, key: str) -> None:
        self._runner.spawn(self._answer(key), "answering")

    async def _answer(self, key: str) -> None:
        await self._hold_others(key)
        await self._phone.answer(key)

    def decline(self, key: str) -> None:
        self._runner.spawn(self._phone.decline(key), "declining")

    def hangup(self, key: str) -> None:
        self._runner.spawn(self._phone.hangup(key), "hanging up")

    def set_mute(self, key: str, muted: bool) -> None:
        self._runner.spawn(self._mute(key, muted), "muting")

    async def _mute(self, key: str, muted: bool) -> None:
        await self._phone.set_mute(key, muted)
        self._store.update(key, muted=muted)

    def hold(self, key: str) -> None:
        self._runner.spawn(self._phone.hold(key), "holding")

    def resume(self, key: str) -> None:
        self._runner.spawn(self._resume(key), "resuming")

    async def _resume(self, key: str) -> None:
        await self._hold_others(key)
        await self._phone.resume(key)

    def send_dtmf(self, key: str, digits: str) -> None:
        self._runner.spawn(self._phone.send_dtmf(key, digits), "sending tones")

    def dismiss(self, key: str) -> None:
        """Drop an ended call from the store now (its window was closed)."""
        call = self._store.get(key)
        if call is not None and not call.live:
            self._store.remove(key)

    # -- SIP events (already on the loop) ---------------------------------------------
    def on_engine_event(self, event: EngineEvent) -> None:
        if isinstance(event, IncomingCall):
            number = number_of_uri(event.remote_uri)
            name = self._directory.name_for(number) or event.remote_display_name or None
            self._store.add(ActiveCall(event.call_id, "incoming", number, name, "incoming"))
        elif isinstance(event, CallStateChanged):
            self._call_state(event)
        elif isinstance(event, MediaStateChanged):
            self._media_state(event)

    def _call_state(self, event: CallStateChanged) -> None:
        key = event.call_id
        call = self._store.get(key)
        if call is None:
            if event.incoming or event.state == "disconnected":
                return
            number = number_of_uri(event.remote_uri)
            name = self._directory.name_for(number) or event.remote_display_name or None
            call = ActiveCall(key, "outgoing", number, name, "calling")
            self._store.add(call)
        if event.state in ("ringing", "early") and call.direction == "outgoing":
            self._store.update(key, state="ringing")
        elif event.state == "confirmed":
            connected_at = call.connected_at or time.monotonic()
            state = "held" if call.held else "connected"
            self._store.update(key, state=state, connected_at=connected_at)
        elif event.state == "disconnected":
            reason = event.reason if event.code >= 300 or call.connected_at is None else None
            self._store.update(key, state="ended", end_reason=reason or None)
            asyncio.get_running_loop().call_later(ENDED_LINGER_S, self.dismiss, key)
            if self._on_call_ended is not None:
                self._on_call_ended()

    def _media_state(self, event: MediaStateChanged) -> None:
        call = self._store.get(event.call_id)
        if call is None or not call.live:
            return
        fields: dict[str, object] = {
            "held": event.held_by_us,
            "remote_held": event.held_by_remote,
        }
        if call.state in ("connected", "held"):
            fields["state"] = "held" if event.held_by_us else "connected"
        self._store.update(event.call_id, **fields)
