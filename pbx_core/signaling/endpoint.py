"""The SIP endpoint: the one asyncio driver of the PBX's sans-IO SIP layers (RFC 3261 §17, §18).

The user-agent layer (:class:`~pbx_core.signaling.useragent.UserAgent`) and the call machine
(:class:`~pbx_core.signaling.callmachine.CallMachine`) decide; this class performs what they
return, and nothing else does I/O for them: ``Transmit`` on the transports, ``ArmTimer`` and
``DisarmTimer`` as ``call_later`` handles on the loop; the machine's SIP actions through the
user-agent layer, ``OpenMedia``/``CloseMedia`` and the connections on the media engine,
``Publish`` on the bus, ``Record`` through the :class:`~pbx_core.signaling.callstore.CallStore`.

New requests go to the transaction user (:class:`Core`: registrar, OPTIONS, new calls); the
other events of the user-agent layer (CANCEL, a missing ACK, responses and time-outs of the
requests the machine sent) go straight to the call machine. After each event the layer's queue
(what was answered or sent while handling it) is flushed and performed in turn.

Security (docs/server.md, "TLS and SRTP"): ``tls`` adds the SIP/TLS listener at start, and
``srtp_policy`` with each leg's transport sets up the leg's SRTP offer/answer when its RTP port
opens; a new INVITE whose SRTP offer cannot be answered gets 488 before anything else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from pbx_core.bus import EventBus
from pbx_core.errors import MediaError
from pbx_core.ids import LegId
from pbx_core.media import MediaEngine, MediaLeg
from pbx_core.media.connections import (
    Connect,
    ConnectMusic,
    ConnectPrompt,
    ConnectTone,
    Disconnect,
    JoinRoom,
    LeaveRoom,
    Patchbay,
)
from pbx_core.media.srtp import POLICIES, SrtpNegotiation, SrtpPolicy, offer_refusal, offers_savp
from pbx_core.shield import SourceShield
from pbx_core.signaling._call_actions import (
    CallAction,
    CancelInvite,
    CloseMedia,
    Dtmf,
    FindRoute,
    LegRequest,
    LinesChanged,
    OpenMedia,
    Publish,
    Record,
    Reply,
    SendAck,
    SendRequest,
    StartTimer,
    StopTimer,
)
from pbx_core.signaling._ua_actions import (
    ArmTimer,
    DisarmTimer,
    RequestReceived,
    RequestTimedOut,
    ResponseReceived,
    Transmit,
    UaAction,
    UaEvent,
)
from pbx_core.signaling.callmachine import CallMachine, CallOptions
from pbx_core.signaling.message import SipParseError, SipRequest, SipResponse
from pbx_core.signaling.tls import TlsSettings, tls_contexts
from pbx_core.signaling.transport import Address, TransportLayer
from pbx_core.signaling.uri import SipUri
from pbx_core.signaling.useragent import (
    AnsweredContext,
    ClientTransactionHandle,
    ServerTransactionHandle,
    TimerOwner,
    UserAgent,
)
from pbx_core.signaling.websocket import start_ws

if TYPE_CHECKING:
    from pbx_core.signaling.callstore import CallStore

__all__ = [
    "AnsweredContext",
    "ClientTransactionHandle",
    "Core",
    "ServerTransactionHandle",
    "SipEndpoint",
]

_log = logging.getLogger(__name__)
_sip_log = logging.getLogger("pbx_core.sip.wire")


class Core(Protocol):
    """The transaction user above the endpoint."""

    def on_request(self, handle: ServerTransactionHandle) -> None:
        """A new request (not ACK, not CANCEL); answer it through ``handle.respond``."""


class SipEndpoint:
    """The user-agent layer and the call machine on the transports, the loop, the media engine,
    the bus and the store."""

    def __init__(
        self,
        core: Core,
        *,
        host: str,
        media: MediaEngine,
        bus: EventBus,
        store: CallStore,
        on_line_change: Callable[[set[str]], None],
        t1: float = 0.5,
        t2: float = 4.0,
        t4: float = 5.0,
        options: CallOptions | None = None,
    ) -> None:
        self.core = core
        self.host = host
        self.transport = TransportLayer(self._on_data)
        self.ua = UserAgent(host=host, clock=self._now, t1=t1, t2=t2, t4=t4)
        self.machine = CallMachine(
            host=host,
            contact=lambda transport: self.contact_uri("pbx", transport),
            clock=lambda: datetime.now(UTC),
            options=options,
        )
        self.store = store
        self._media = media
        self._bus = bus
        self._on_line_change = on_line_change
        self._patchbay = Patchbay(media)
        self._invites: dict[LegId, ClientTransactionHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._timers: dict[tuple[int, str], asyncio.TimerHandle] = {}
        self._call_timers: dict[tuple[str, str], asyncio.TimerHandle] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flush_due = False
        self._driving = 0  # > 0 while we are inside the layer or performing its actions
        self.ua.on_queued = self._flush_soon
        self.shield = SourceShield()  # scanners and floods per source (pbx_core/shield.py)
        self.ua.on_answer = self._answered
        self.tls = TlsSettings(port=0)  # no TLS listener unless configured
        self.ws_port: int | None = None  # no SIP over WebSocket unless configured
        self.srtp_policy: SrtpPolicy = "optional"

    def secure(self, tls: TlsSettings, srtp: str) -> None:
        """Set the TLS listener (before :meth:`start`) and the SRTP policy."""
        if srtp not in POLICIES:
            raise ValueError(f"SRTP policy must be one of {', '.join(POLICIES)}: {srtp!r}")
        self.tls = tls
        self.srtp_policy = srtp

    async def start(self, bind: str, port: int) -> None:
        self._loop = asyncio.get_running_loop()
        await self.transport.start(bind, port)
        if self.tls.port != 0:
            await self._start_tls(bind, port)
        if self.ws_port is not None:
            await start_ws(self.transport, bind, self.ws_port)
            _log.info("SIP over WebSocket on %s:%d", bind, self.transport.ws_port)
        self.ua.ports = {
            "udp": self.transport.udp_port,
            "tcp": self.transport.tcp_port,
            "tls": self.transport.tls_port,
            "ws": self.transport.ws_port,
        }

    async def _start_tls(self, bind: str, sip_port: int) -> None:
        """TLS on the configured port, or (not configured) on the SIP port + 1 (5061 next to
        5060) falling back to a free port, like TCP next to UDP."""
        server, client = tls_contexts(self.tls, (self.host, bind))
        wanted = self.tls.port
        if wanted is None:
            wanted = sip_port + 1 if 0 < sip_port < 65535 else 0
            try:
                await self.transport.start_tls(bind, wanted, server, client)
            except OSError:
                wanted = 0
            else:
                _log.info("SIP/TLS on %s:%d", bind, self.transport.tls_port)
                return
        await self.transport.start_tls(bind, wanted, server, client)
        _log.info("SIP/TLS on %s:%d", bind, self.transport.tls_port)

    async def close(self) -> None:
        for timer in [*self._timers.values(), *self._call_timers.values()]:
            timer.cancel()
        self._timers.clear()
        self._call_timers.clear()
        await self.transport.close()

    def _now(self) -> float:
        return self._loop.time() if self._loop is not None else 0.0

    def port_for(self, transport: str) -> int:
        if transport == "tls":
            return self.transport.tls_port
        if transport == "ws":
            return self.transport.ws_port
        return self.transport.udp_port if transport == "udp" else self.transport.tcp_port

    def contact_uri(self, user: str, transport: str = "udp") -> SipUri:
        """Our Contact URI for ``transport`` (RFC 3261 §8.1.1.8)."""
        params: dict[str, str | None] = {"transport": transport} if transport != "udp" else {}
        return SipUri(user, self.host, self.port_for(transport), params=params)

    def flush(self) -> None:
        """Perform what the TU queued on the layer (responses, requests, CANCELs)."""
        self._perform(self.ua.flush())

    def _flush_soon(self) -> None:
        """Something was queued outside a dispatch (a task answered late): send it soon."""
        if not self._driving and not self._flush_due and self._loop is not None:
            self._flush_due = True
            self._loop.call_soon(self._flush_later)

    def _flush_later(self) -> None:
        self._flush_due = False
        self.flush()

    # -- performing actions --------------------------------------------------------------

    def _perform(self, actions: list[UaAction]) -> None:
        for action in actions:
            if isinstance(action, Transmit):
                self._send(action.message, action.dest)
            elif isinstance(action, ArmTimer):
                self._arm(action.owner, action.name, action.delay)
            elif isinstance(action, DisarmTimer):
                timer = self._timers.pop((id(action.owner), action.name), None)
                if timer is not None:
                    timer.cancel()
            else:
                self._hand_over(action)

    def _hand_over(self, event: UaEvent) -> None:
        try:
            if isinstance(event, RequestReceived):
                refusal = self._srtp_refusal(event.handle)
                if refusal is None:
                    self.core.on_request(event.handle)
                else:
                    event.handle.reply(488, f"Not Acceptable Here - {refusal}")
            else:
                self.run(self._to_machine(event))
        except Exception:
            _log.exception("transaction user failed on %s", type(event).__name__)
            if isinstance(event, RequestReceived) and not event.handle.final_sent:
                event.handle.reply(500)
        self.flush()

    def _to_machine(self, event: UaEvent) -> list[CallAction]:
        if isinstance(event, ResponseReceived | RequestTimedOut):
            context = event.handle.context
            if isinstance(context, AnsweredContext):  # not a call's: its sender takes it
                status = 408 if isinstance(event, RequestTimedOut) else event.response.status
                if status >= 200:
                    context.answered(context.key, status)
                return []
            final = isinstance(event, RequestTimedOut) or event.response.status >= 200
            if final and isinstance(context, LegRequest) and context.purpose == "invite":
                self._invites.pop(context.leg_id, None)  # nothing left to CANCEL
        return self.machine.event(event)

    def _send(self, message: SipRequest | SipResponse | bytes, dest: Address) -> None:
        data = message if isinstance(message, bytes) else bytes(message)
        if _sip_log.isEnabledFor(logging.DEBUG):
            _sip_log.debug("send to %s:\n%s", dest, data.decode("utf-8", "replace"))
        self.transport.send(data, dest)

    def _arm(self, owner: TimerOwner, name: str, delay: float) -> None:
        assert self._loop is not None
        key = (id(owner), name)
        old = self._timers.pop(key, None)
        if old is not None:
            old.cancel()

        def fire() -> None:
            self._timers.pop(key, None)
            self._drive(lambda: self.ua.timer_fired(owner, name))

        self._timers[key] = self._loop.call_later(delay, fire)

    def _answered(self, handle: ServerTransactionHandle, status: int) -> None:
        request = handle.request
        names_user = bool(request.uri.user)
        self.shield.answered(handle.source.host, request.method, status, names_user, self._now())

    def _on_data(self, data: bytes, source: Address) -> None:
        if not self.shield.admit(source.host, self._now(), data):
            return
        if _sip_log.isEnabledFor(logging.DEBUG):
            _sip_log.debug("received from %s:\n%s", source, data.decode("utf-8", "replace"))
        self._drive(lambda: self.ua.receive(data, source))

    def _drive(self, step: Callable[[], list[UaAction]]) -> None:
        """Run one step of the layer and perform its actions, flushing as we go."""
        self._driving += 1
        try:
            self._perform(step())
        finally:
            self._driving -= 1

    # -- the call machine's actions ------------------------------------------------------

    def run(self, actions: list[CallAction]) -> None:
        """Perform what the call machine returned, then flush the user-agent layer."""
        for action in actions:
            try:
                self._do(action)
            except Exception:
                _log.exception("call action %s failed", type(action).__name__)
        self.flush()

    def _do(self, action: CallAction) -> None:
        if isinstance(action, Reply):
            action.handle.respond(action.response)
        elif isinstance(action, SendRequest):
            handle = self.ua.send_request(action.request, action.dest, context=action.context)
            if action.context.purpose == "invite":
                self._invites[action.context.leg_id] = handle
        elif isinstance(action, SendAck):
            self.ua.send_stateless(action.request, action.dest)
        elif isinstance(action, CancelInvite):
            invite = self._invites.pop(action.leg_id, None)
            if invite is not None:
                invite.cancel()
        elif isinstance(action, OpenMedia):
            self.spawn(self._open(action.leg_id))
        elif isinstance(action, CloseMedia):
            leg = self._media.get_leg(action.leg_id)
            if leg is not None:
                self.spawn(leg.close())
        elif isinstance(
            action,
            Connect
            | ConnectMusic
            | Disconnect
            | ConnectPrompt
            | ConnectTone
            | JoinRoom
            | LeaveRoom,
        ):
            self._patchbay.apply(action)
        elif isinstance(action, Dtmf):
            leg = self._media.get_leg(action.leg_id)
            if leg is not None and leg.on_dtmf is not None:
                leg.on_dtmf(leg, action.digit)
        elif isinstance(action, FindRoute):
            self.spawn(self._find_route(action))
        elif isinstance(action, StartTimer):
            self._start_call_timer(action)
        elif isinstance(action, StopTimer):
            timer = self._call_timers.pop((action.call_id, action.name), None)
            if timer is not None:
                timer.cancel()
        elif isinstance(action, Publish):
            self._bus.publish(action.event)
        elif isinstance(action, Record):
            self.spawn(self.store.record(action.record))
        elif isinstance(action, LinesChanged):
            self._on_line_change(set(action.extensions))

    async def _find_route(self, action: FindRoute) -> None:
        route = await self.store.route("", action.target)
        self.run(self.machine.routed(action.call_id, action.target, route))

    def _start_call_timer(self, action: StartTimer) -> None:
        assert self._loop is not None
        key = (str(action.call_id), action.name)
        old = self._call_timers.pop(key, None)
        if old is not None:
            old.cancel()

        def fire() -> None:
            self._call_timers.pop(key, None)
            self.run(self.machine.timer_fired(action.call_id, action.name))

        self._call_timers[key] = self._loop.call_later(action.delay, fire)

    async def _open(self, leg_id: LegId) -> None:
        try:
            media = await self._media.open_leg(leg_id)
        except MediaError as exc:
            _log.warning("no RTP port for %s: %s", leg_id, exc)
            self.run(self.machine.media_failed(leg_id))
            return
        self._secure(leg_id, media)
        self.run(self.machine.media_opened(leg_id, media))

    def _secure(self, leg_id: LegId, media: MediaLeg) -> None:
        """The leg's SRTP: keys only if its phone is on TLS; our offers use RTP/SAVP when the
        caller offered it (or the policy is mandatory)."""
        found = self.machine.registry.by_leg(leg_id)
        if found is not None:
            call, leg = found
            media.srtp = SrtpNegotiation(
                self.srtp_policy, leg.destination.transport == "tls", offers_savp(call.a.offer)
            )

    def _srtp_refusal(self, handle: ServerTransactionHandle) -> str | None:
        """Why a new INVITE's SRTP offer cannot be answered (RFC 4568 §8.3), or None;
        re-INVITEs are answered in their dialog (488 there too)."""
        request = handle.request
        if request.method != "INVITE" or not request.body:
            return None
        try:
            if request.to_addr.tag is not None:
                return None
        except SipParseError:
            return None
        secure = handle.source.transport == "tls"
        return offer_refusal(request.body, self.srtp_policy, secure=secure)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run ``coro`` as a task the endpoint waits for when calls are shut down."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("call task failed", exc_info=task.exception())

    async def shutdown(self) -> None:
        """End every call: BYE answered legs, CANCEL ringing ones, 503 to waiting callers."""
        self.run(self.machine.shutdown())
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=2.0)
        await asyncio.sleep(0.3)  # let BYE and CANCEL leave before the sockets close
