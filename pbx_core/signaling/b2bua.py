"""The B2BUA's asyncio driver: runs the call machine's actions (RFC 3261 §6).

:class:`~pbx_core.signaling.callmachine.CallMachine` decides; this class does. It feeds the
machine what the endpoint reports (INVITEs after authentication, CANCELs, responses, time-outs,
in-dialog requests), then performs the actions the machine returns: SIP through the endpoint,
RTP ports and connections on the media engine, events on the bus, call records in the store.
Every store call of the call core goes through :class:`CallStore`, so making the store
awaitable changes that one class.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from pbx_core.bus import EventBus
from pbx_core.errors import MediaError, StoreError
from pbx_core.ids import LegId
from pbx_core.media import MediaEngine
from pbx_core.media.connections import Connect, ConnectMusic, Disconnect, Patchbay
from pbx_core.signaling._call_actions import (
    CallAction,
    CancelInvite,
    CloseMedia,
    LegRequest,
    LinesChanged,
    OpenMedia,
    Publish,
    Record,
    Reply,
    SendAck,
    SendRequest,
)
from pbx_core.signaling._ua_actions import (
    AckTimedOut,
    InviteCancelled,
    RequestTimedOut,
    ResponseReceived,
    UaEvent,
)
from pbx_core.signaling.authenticator import DigestAuthenticator
from pbx_core.signaling.callmachine import ALLOW, ECHO_EXTENSION, CallMachine
from pbx_core.signaling.calls import Contact, Route
from pbx_core.signaling.endpoint import ClientTransactionHandle, SipEndpoint
from pbx_core.signaling.registrar import Registrar
from pbx_core.signaling.uri import SipUri
from pbx_core.signaling.useragent import ServerTransactionHandle
from pbx_core.store import CallRecordIn, Store

__all__ = ["ALLOW", "ECHO_EXTENSION", "B2bua", "CallStore"]

_log = logging.getLogger(__name__)


class CallStore:
    """The store as the call core sees it: who is calling whom, and the records calls leave."""

    def __init__(self, store: Store, registrar: Registrar) -> None:
        self._store = store
        self._registrar = registrar

    async def route(self, caller: str, target: str) -> Route:
        """Names of both sides and the callee's registered phones."""
        caller_user = self._store.user_by_extension(caller)
        caller_name = caller_user.display_name if caller_user else None
        if target == ECHO_EXTENSION:
            return Route(caller_name, None, True)
        callee = self._store.user_by_extension(target)
        if callee is None:
            return Route(caller_name, None, False)
        contacts = tuple(
            Contact(SipUri.parse(b.contact), Registrar.destination(b))
            for b in self._registrar.bindings(target)
        )
        return Route(caller_name, callee.display_name, True, contacts)

    async def record(self, record: CallRecordIn) -> None:
        try:
            self._store.add_call_record(record)
        except StoreError:
            _log.exception("could not store the record of call %s", record.call_id)


class B2bua:
    """Runs the call machine on the endpoint, the media engine, the bus and the store."""

    def __init__(
        self,
        endpoint: SipEndpoint,
        registrar: Registrar,
        authenticator: DigestAuthenticator,
        media: MediaEngine,
        store: Store,
        bus: EventBus,
        on_line_change: Callable[[set[str]], None],
    ) -> None:
        self._endpoint = endpoint
        self._auth = authenticator
        self._media = media
        self._bus = bus
        self._on_line_change = on_line_change
        self.store = CallStore(store, registrar)
        self.machine = CallMachine(
            host=endpoint.host,
            contact=lambda transport: endpoint.contact_uri("pbx", transport),
            clock=lambda: datetime.now(UTC),
        )
        self.registry = self.machine.registry
        self._patchbay = Patchbay(media.get_leg)
        self._invites: dict[LegId, ClientTransactionHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    # -- what comes in -------------------------------------------------------------------

    def on_invite(self, tx: ServerTransactionHandle) -> None:
        """An INVITE outside any dialog: authenticate, then route it."""
        outcome = self._auth.check(tx.request)
        if not outcome.ok:
            tx.reply(outcome.status, extra_headers=list(outcome.headers))
            return
        tx.reply(100)
        self._spawn(self._route(tx, outcome.extension or ""))

    async def _route(self, tx: ServerTransactionHandle, caller: str) -> None:
        route = await self.store.route(caller, tx.request.uri.user or "")
        self._perform(self.machine.new_call(tx, caller, route))

    def on_in_dialog(self, tx: ServerTransactionHandle) -> None:
        self._perform(self.machine.in_dialog(tx))

    def on_event(self, event: UaEvent) -> None:
        """CANCEL, a missing ACK, a response or a time-out from the user-agent layer."""
        if isinstance(event, InviteCancelled):
            self._perform(self.machine.cancelled(event.handle))
        elif isinstance(event, AckTimedOut):
            self._perform(self.machine.ack_timed_out(event.handle))
        elif isinstance(event, ResponseReceived | RequestTimedOut):
            context = event.handle.context
            if not isinstance(context, LegRequest):
                return
            if isinstance(event, RequestTimedOut):
                self._invites.pop(context.leg_id, None)
                self._perform(self.machine.timed_out(context))
                return
            if event.response.status >= 200 and context.purpose == "invite":
                self._invites.pop(context.leg_id, None)
            self._perform(self.machine.response(context, event.response))

    async def shutdown(self) -> None:
        """End every call: BYE answered legs, CANCEL ringing ones, 503 to waiting callers."""
        self._perform(self.machine.shutdown())
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=2.0)
        await asyncio.sleep(0.3)  # let BYE and CANCEL leave before the sockets close

    # -- what goes out -------------------------------------------------------------------

    def _perform(self, actions: list[CallAction]) -> None:
        for action in actions:
            try:
                self._do(action)
            except Exception:
                _log.exception("call action %s failed", type(action).__name__)
        self._endpoint.flush()

    def _do(self, action: CallAction) -> None:
        if isinstance(action, Reply):
            action.handle.respond(action.response)
        elif isinstance(action, SendRequest):
            handle = self._endpoint.send_request(
                action.request, action.dest, context=action.context
            )
            if action.context.purpose == "invite":
                self._invites[action.context.leg_id] = handle
        elif isinstance(action, SendAck):
            self._endpoint.send_stateless(action.request, action.dest)
        elif isinstance(action, CancelInvite):
            invite = self._invites.pop(action.leg_id, None)
            if invite is not None:
                invite.cancel()
        elif isinstance(action, OpenMedia):
            self._spawn(self._open(action.leg_id))
        elif isinstance(action, CloseMedia):
            leg = self._media.get_leg(action.leg_id)
            if leg is not None:
                self._spawn(leg.close())
        elif isinstance(action, Connect | ConnectMusic | Disconnect):
            self._patchbay.apply(action)
        elif isinstance(action, Publish):
            self._bus.publish(action.event)
        elif isinstance(action, Record):
            self._spawn(self.store.record(action.record))
        elif isinstance(action, LinesChanged):
            self._on_line_change(set(action.extensions))

    async def _open(self, leg_id: LegId) -> None:
        try:
            media = await self._media.open_leg(leg_id)
        except MediaError as exc:
            _log.warning("no RTP port for %s: %s", leg_id, exc)
            self._perform(self.machine.media_failed(leg_id))
            return
        self._perform(self.machine.media_opened(leg_id, media))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("call task failed", exc_info=task.exception())
