"""Calls: dial, answer, decline, hang up, mute, hold, DTMF, F8, transfer, park, move, pickup,
conference; states from SIP events only.

Call control (:mod:`app.call_control`): a blind transfer, park (to ``7000``) and a move to the
user's mobile number are REFERs; a move to another of the user's phones (:mod:`app.devices`)
asks the server (``POST /api/v1/active-calls/{id}/move``); an attended transfer is a consult
call (the first one held), swap, and a REFER with Replaces from either window; an invitation
dials a colleague and merges him into the local conference when he answers; pickup dials
``*9*<ext>*`` or a park slot.

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
from app.call_control import (
    PARK_NUMBER,
    PICK_UP_AGAIN,
    TransferKind,
    pickup_code,
    supervisor_code,
)
from app.call_model import CallChanged, CallModelError
from app.connection import Connection
from app.devices import MoveChoice, move_choices, pbx_call_id
from app.errors import AppError, ServerRejected
from app.notices import Notices
from app.numbers import extract_number
from app.settings import Settings
from app.stores._base import tr
from app.stores.calls import CallsStore
from app.stores.devices import DevicesStore
from app.stores.directory import DirectoryStore
from app.tasks import TaskRunner
from sip import CallId, EngineEvent, EngineNotRunningError, SipEngine

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
        phones: DevicesStore | None = None,
    ) -> None:
        self._store = store
        self._phones = phones
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

    async def _dial(self, number: str) -> CallId:
        account, account_id = self._conn.require_account()
        await self._hold_others(None)
        # the call is listed from the engine's first event for it
        return await self._engine.call(account.uri_for(number), account_id)

    def _number(self, text: str) -> str | None:
        number = extract_number(text, self._settings.region)
        if number is None:
            self._notices.post("warning", tr("There is no phone number in “{0}”.").format(text))
        return number

    # -- call control -----------------------------------------------------------------
    @property
    def move_choices(self) -> list[MoveChoice]:
        """Where "Move" can send a call: the user's other registered phones, then the mobile
        number from the settings; empty when there is neither."""
        devices = self._phones.devices if self._phones is not None else []
        return move_choices(devices, self._own_ports(), None, self._settings.mobile_number or None)

    def _own_ports(self) -> set[int]:
        """The engine's SIP ports: this app's own registration has them in its Contact."""
        try:
            return {self._engine.sip_port, self._engine.sip_tcp_port}
        except EngineNotRunningError:  # not started: no registration of ours to leave out
            return set()

    def transfer(self, key: str, text: str) -> None:
        """Blind transfer: the remote party is handed to ``text``'s number at once."""
        number = self._number(text)
        if number is not None:
            self._runner.spawn(self._transfer(key, number, "blind"), "transferring")

    def park(self, key: str) -> None:
        """Park the call at the PBX (a blind transfer to 7000); colleagues can pick it up."""
        self._runner.spawn(self._transfer(key, PARK_NUMBER, "park"), "parking")

    def move(self, key: str, choice: MoveChoice) -> None:
        """Move the call to another phone of the user (through the server), or to his mobile
        number (a blind transfer there)."""
        if choice.number is not None:
            self._runner.spawn(
                self._transfer(key, choice.number, "move", choice), "moving the call"
            )
        elif choice.device_id is not None:
            self._runner.spawn(self._move_to_device(key, choice), "moving the call")

    async def _move_to_device(self, key: str, choice: MoveChoice) -> None:
        call = self._store.model.get(key)
        if call is None or not call.live or choice.device_id is None:
            return
        self._store.note(self._store.model.note_move(key, choice))
        try:
            api = self._conn.require_api()
            call_id = pbx_call_id(await api.active_calls(), self._conn.extension or "", call.number)
            if call_id is None:
                raise ServerRejected(tr("The server does not list this call."), 409)
            await api.move_call(call_id, choice.device_id)
        except AppError as exc:
            code = exc.status if isinstance(exc, ServerRejected) else 0
            _log.warning("moving call %s to phone %s failed: %s", key, choice.device_id, exc)
            self._store.note(self._store.model.move_refused(key, code))
            self._notices.post("warning", tr("The call could not be moved: {0}").format(exc))
            return
        _log.info("call %s (PBX %s) is moving to phone %s", key, call_id, choice.device_id)

    async def _transfer(
        self, key: str, number: str, kind: TransferKind, move_to: MoveChoice | None = None
    ) -> None:
        account, _account_id = self._conn.require_account()
        self._store.note(self._store.model.note_transfer(key, kind, move_to))
        await self._engine.transfer(CallId(key), account.uri_for(number))

    def consult(self, key: str, text: str) -> None:
        """Attended transfer, first step: hold ``key`` and call ``text`` to announce it."""
        number = self._number(text)
        if number is not None:
            self._runner.spawn(self._consult(key, number), "calling")

    async def _consult(self, key: str, number: str) -> None:
        consult = await self._dial(number)
        self._store.note(self._store.model.link_consult(key, consult))

    def swap(self, key: str) -> None:
        """Talk to ``key`` (resume it) and hold the other call of the pair."""
        self.resume(key)

    def complete_transfer(self, key: str) -> None:
        """Attended transfer, last step (from either window): connect the two remote parties."""
        pair = self._store.model.consult_pair(key)
        if pair is None:
            self._notices.post("warning", tr("There is no second call to transfer to."))
            return
        original, consult = pair
        self._runner.spawn(self._complete(original.key, consult.key), "transferring")

    async def _complete(self, original: str, consult: str) -> None:
        self._store.note(self._store.model.note_transfer(original, "attended"))
        await self._engine.transfer_replaces(CallId(original), CallId(consult))

    def invite(self, key: str, text: str) -> None:
        """Call ``text`` and add him to ``key``'s conversation when he answers."""
        number = self._number(text)
        if number is not None:
            self._runner.spawn(self._invite(key, number), "inviting")

    async def _invite(self, key: str, number: str) -> None:
        new = await self._dial(number)
        self._store.note(self._store.model.note_invite(new, key))

    def merge(self, key: str, other: str) -> None:
        """Put two calls (and the conference either is in) into one conference."""
        self._runner.spawn(self._merge(key, other), "merging the calls")

    async def _merge(self, key: str, other: str) -> None:
        model = self._store.model
        keys = [key, other]
        for k in (key, other):  # and every call already in a conference with either
            call = model.get(k)
            keys += [m for m in (call.conference if call else ()) if m not in keys]
        for k in keys:
            call = model.get(k)
            if call is not None and call.held:
                await self._engine.resume(CallId(k))
        await self._engine.conference([CallId(k) for k in keys])

    def remove_from_conference(self, key: str) -> None:
        """The initiator removes one party: his call ends."""
        self.hangup(key)

    def pickup(self, extension: str) -> None:
        """Answer the call ringing at a colleague's phone (``*9*<ext>*``)."""
        self._runner.spawn(self._dial(pickup_code(extension)), "picking up")

    def supervise(self, action: str, extension: str) -> None:
        """Listen to, whisper to or barge in on (``action``) the queue call of agent
        ``extension`` (``*66*`` / ``*67*`` / ``*68*<ext>*``; the PBX checks the supervisor)."""
        self._runner.spawn(self._dial(supervisor_code(action, extension)), "joining the call")

    def pickup_parked(self, slot: str) -> None:
        """Take a parked call (dial its slot)."""
        self._runner.spawn(self._dial(slot), "picking up")

    def pick_up_again(self) -> None:
        """Bring the user's own call on another phone to this one (``*7*``)."""
        self._runner.spawn(self._dial(PICK_UP_AGAIN), "picking up again")

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
        if isinstance(change, CallChanged) and change.call.state == "connected":
            into = change.call.invited_into
            if into is not None and change.before.state != "connected":
                self.merge(into, change.call.key)  # the invited colleague answered
