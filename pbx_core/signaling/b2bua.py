"""The B2BUA: every call is two legs joined by the PBX (RFC 3261 §6 "back-to-back user agent").

The caller's INVITE ends here (we are its UAS); we ring each registered phone of the callee
with an INVITE of our own (we are their UAC, one fork per binding); the first 2xx wins and the
other forks are cancelled. SDP never crosses: each leg gets an offer or answer naming the PBX's
own RTP port, built by the media engine from the codecs both phones share (RFC 3264). Mid-call
re-INVITEs (hold, resume) are passed across as re-INVITEs of our own on the other leg; who
hears what is the media engine's wiring (see :mod:`pbx_core.signaling.midcall`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from pbx_core.bus import EventBus
from pbx_core.errors import MediaError, StoreError
from pbx_core.events import CallAnswered, CallEnded, CallRinging
from pbx_core.ids import CallId, LegId
from pbx_core.media import MediaEngine, SessionDescription, offered_codecs
from pbx_core.signaling.authenticator import DigestAuthenticator
from pbx_core.signaling.calls import Call, CallRegistry, Leg, LegState, attempt_record
from pbx_core.signaling.dialog import USER_AGENT, Dialog
from pbx_core.signaling.endpoint import ServerTransactionHandle, SipEndpoint
from pbx_core.signaling.message import (
    Headers,
    SipRequest,
    SipResponse,
    make_response,
    new_call_id,
    new_tag,
)
from pbx_core.signaling.midcall import Callbacks, MidCall, rewire
from pbx_core.signaling.registrar import Registrar
from pbx_core.signaling.uri import NameAddr, SipUri
from pbx_core.store import CallRecordIn, Store

__all__ = ["ALLOW", "ECHO_EXTENSION", "B2bua"]

_log = logging.getLogger(__name__)

ECHO_EXTENSION = "9000"
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO"
SDP = "application/sdp"
_BUSY = (486, 600, 603)


def _parse_sdp(body: bytes) -> SessionDescription:
    return SessionDescription.parse(body)


class B2bua:
    """Call control: set-up, answer, hold/resume, hang-up, and the call records they leave."""

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
        self._registrar = registrar
        self._auth = authenticator
        self._media = media
        self._store = store
        self._bus = bus
        self._on_line_change = on_line_change
        self.registry = CallRegistry()
        self._midcall = MidCall(endpoint, bus, self._contact)
        self._tasks: set[asyncio.Task[None]] = set()
        self._next_leg = 0

    # -- plumbing ------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("call task failed", exc_info=task.exception())

    def _leg_id(self) -> LegId:
        self._next_leg += 1
        return LegId(f"leg-{self._next_leg}")

    def _contact(self, leg: Leg) -> NameAddr:
        return NameAddr(self._endpoint.contact_uri("pbx", leg.destination.transport))

    def _touch_lines(self, call: Call) -> None:
        self._on_line_change({leg.extension for leg in call.legs() if leg.extension})

    # -- new calls -----------------------------------------------------------------------

    def on_invite(self, tx: ServerTransactionHandle) -> None:
        """An INVITE outside any dialog: authenticate, then route it."""
        outcome = self._auth.check(tx.request)
        if not outcome.ok:
            tx.reply(outcome.status, extra_headers=list(outcome.headers))
            return
        tx.reply(100)
        self._spawn(self._route(tx, outcome.extension or ""))

    async def _route(self, tx: ServerTransactionHandle, caller: str) -> None:
        request = tx.request
        target = request.uri.user or ""
        if not request.body:
            tx.reply(488, "Not Acceptable Here - an SDP offer is required")
            return
        try:
            offer = _parse_sdp(request.body)
        except ValueError as exc:
            tx.reply(400, f"Bad Request - SDP: {exc}")
            return
        caller_user = self._store.user_by_extension(caller)
        caller_name = caller_user.display_name if caller_user else None
        now = datetime.now(UTC)
        if target == ECHO_EXTENSION:
            await self._echo(tx, caller, caller_name, offer, now)
            return
        callee = self._store.user_by_extension(target)
        if callee is None:
            tx.reply(404)
            self._record_attempt(caller, caller_name, target, None, now, "not-found")
            return
        bindings = self._registrar.bindings(target)
        if not bindings:
            tx.reply(480)
            self._record_attempt(
                caller, caller_name, target, callee.display_name, now, "not-registered"
            )
            return
        codecs = offered_codecs(offer)
        if not codecs:
            tx.reply(488)
            return
        a = await self._caller_leg(tx, caller, offer)
        call = Call(
            CallId(new_call_id()),
            caller,
            target,
            caller_name,
            callee.display_name,
            a,
            started_at=now,
        )
        self.registry.add(call)
        for binding in bindings:
            fork_media = await self._media.open_leg(self._leg_id())
            fork = Leg(LegId(fork_media.leg_id), target, fork_media, Registrar.destination(binding))
            call.forks.append(fork)
            self._send_invite(call, fork, SipUri.parse(binding.contact), codecs)
        self._bus.publish(
            CallRinging(call.call_id, call.forks[0].leg_id, caller, target, caller_name)
        )
        self._touch_lines(call)

    async def _caller_leg(
        self, tx: ServerTransactionHandle, caller: str, offer: SessionDescription
    ) -> Leg:
        """The caller's leg: we answer its INVITE from our own RTP port."""
        media = await self._media.open_leg(self._leg_id())
        return Leg(
            LegId(media.leg_id),
            caller,
            media,
            tx.source,
            server_tx=tx,
            offer=offer,
            local_tag=new_tag(),
        )

    def _send_invite(self, call: Call, fork: Leg, target: SipUri, codecs: list[Any]) -> None:
        host = self._endpoint.host
        sdp = bytes(fork.media.offer(codecs=codecs))
        headers = Headers()
        headers.add("Max-Forwards", "70")
        caller = NameAddr(SipUri(call.caller, host), call.caller_name)
        headers.add("From", str(caller.with_tag(new_tag())))
        headers.add("To", str(NameAddr(SipUri(call.callee, host), call.callee_name)))
        headers.add("Call-ID", new_call_id())
        headers.add("CSeq", "1 INVITE")
        headers.add("Contact", str(self._contact(fork)))
        headers.add("Allow", ALLOW)
        headers.add("User-Agent", USER_AGENT)
        headers.add("Content-Type", SDP)
        invite = SipRequest("INVITE", target, headers, sdp)
        fork.invite = invite
        fork.client_tx = self._endpoint.send_request(
            invite,
            fork.destination,
            context=Callbacks(
                lambda response: self._on_fork_response(call, fork, response),
                lambda: self._on_fork_failed(call, fork, 408),
            ),
        )

    async def _echo(
        self,
        tx: ServerTransactionHandle,
        caller: str,
        caller_name: str | None,
        offer: SessionDescription,
        now: datetime,
    ) -> None:
        a = await self._caller_leg(tx, caller, offer)
        media = a.media
        call = Call(
            CallId(new_call_id()),
            caller,
            ECHO_EXTENSION,
            caller_name,
            "Echo test",
            a,
            started_at=now,
            service="echo",
        )
        try:
            answer = media.answer(offer)
        except MediaError:
            tx.reply(488)
            await media.close()
            return
        self.registry.add(call)
        self._answer_caller(call, answer)
        rewire(call)

    # -- answers from the phones we ring -------------------------------------------------

    def _on_fork_response(self, call: Call, fork: Leg, response: SipResponse) -> None:
        if response.status < 200:
            if response.status > 100 and not call.ended and fork.state is LegState.TRYING:
                fork.state = LegState.RINGING
                if call.a.state is LegState.TRYING:
                    call.a.state = LegState.RINGING
                    self._reply_caller(call, 180)
            return
        if response.status >= 300:
            self._on_fork_failed(call, fork, response.status)
            return
        assert fork.invite is not None
        first_2xx = fork.dialog is None
        if first_2xx:
            fork.dialog = Dialog.as_uac(
                fork.invite, response, destination=fork.destination, contact=self._contact(fork)
            )
            self.registry.index_leg(call, fork)
        assert fork.dialog is not None
        self._endpoint.send_stateless(
            fork.dialog.create_ack(fork.invite.cseq.seq), fork.destination
        )
        if not first_2xx:
            return  # a retransmitted 2xx: the ACK above is all it needs
        if call.ended or call.b is not None:
            self._bye(fork)  # answered elsewhere or caller gone: release this phone
            return
        try:
            fork.media.accept_answer(_parse_sdp(response.body))
        except (ValueError, MediaError) as exc:
            _log.warning("call %s: unusable answer from %s: %s", call.call_id, fork.extension, exc)
            self._bye(fork)
            self._on_fork_failed(call, fork, 488)
            return
        self._connect(call, fork)

    def _connect(self, call: Call, fork: Leg) -> None:
        call.b = fork
        fork.state = LegState.ANSWERED
        for other in call.forks:
            if other is not fork:
                self._cancel_fork(other)
        assert call.a.offer is not None and fork.media.codec is not None
        try:
            answer = call.a.media.answer(call.a.offer, codecs=[fork.media.codec])
        except MediaError:
            self._bye(fork)
            self._reply_caller(call, 488)
            self._end(call, "no-common-codec")
            return
        self._answer_caller(call, answer)
        rewire(call)

    def _answer_caller(self, call: Call, answer: SessionDescription) -> None:
        a = call.a
        assert a.server_tx is not None
        response = make_response(
            a.server_tx.request,
            200,
            to_tag=a.local_tag,
            body=bytes(answer),
            content_type=SDP,
            extra_headers=[("Contact", str(self._contact(a))), ("Allow", ALLOW)],
        )
        a.server_tx.respond(response)
        a.dialog = Dialog.as_uas(
            a.server_tx.request, response, source=a.destination, contact=self._contact(a)
        )
        a.state = LegState.ANSWERED
        call.answered_at = datetime.now(UTC)
        self.registry.index_leg(call, a)
        self._bus.publish(CallAnswered(call.call_id, call.caller, call.callee))
        self._touch_lines(call)

    def _reply_caller(self, call: Call, status: int) -> None:
        tx = call.a.server_tx
        if tx is not None and not tx.final_sent:
            tx.reply(status, to_tag=call.a.local_tag)

    def _on_fork_failed(self, call: Call, fork: Leg, status: int) -> None:
        if fork.state is LegState.ENDED:
            return
        fork.state = LegState.ENDED
        fork.client_tx = None
        self._spawn(fork.media.close())
        if call.ended or call.b is not None:
            return
        fork.final_status = status
        if any(f.state is not LegState.ENDED for f in call.forks):
            self._touch_lines(call)
            return
        statuses = [f.final_status or 480 for f in call.forks]
        if any(s in _BUSY for s in statuses):
            final = 486
        else:
            final = 480 if 408 in statuses else min(statuses)
        self._reply_caller(call, final)
        self._end(call, "busy" if final == 486 else "no-answer")

    def _cancel_fork(self, fork: Leg) -> None:
        if fork.state in (LegState.TRYING, LegState.RINGING) and fork.client_tx is not None:
            fork.client_tx.cancel()
        fork.state = LegState.ENDED
        self._spawn(fork.media.close())

    # -- requests from the caller or callee ----------------------------------------------

    def on_cancel(self, tx: ServerTransactionHandle) -> None:
        call = self.registry.by_invite(tx)
        tx.reply(487, to_tag=call.a.local_tag if call else new_tag())
        if call is None or call.ended:
            return
        for fork in call.forks:
            self._cancel_fork(fork)
        self._end(call, "cancelled", ended_by=call.caller)

    def on_ack(self, request: SipRequest, source: Any) -> None:
        found = self.registry.by_dialog(request.call_id, request.to_addr.tag)
        if found is None:
            _log.debug("ACK for an unknown dialog %s", request.call_id)

    def on_ack_timeout(self, tx: ServerTransactionHandle) -> None:
        call = self.registry.by_invite(tx)
        if call is not None and not call.ended:
            for leg in call.legs():
                self._bye(leg)
            self._end(call, "no-ack")

    def on_in_dialog(self, tx: ServerTransactionHandle) -> None:
        request = tx.request
        found = self.registry.by_dialog(request.call_id, request.to_addr.tag)
        if found is None:
            tx.reply(481)
            return
        call, leg = found
        assert leg.dialog is not None
        if not leg.dialog.accept_request(request):
            tx.reply(500, "Server Internal Error - CSeq out of order")
            return
        if request.method == "BYE":
            tx.reply(200)
            leg.state = LegState.ENDED
            for other in call.legs():
                if other is not leg:
                    self._bye(other)
            self._end(call, "hangup", ended_by=leg.extension)
        elif request.method == "INVITE":
            self._spawn(self._midcall.reinvite(call, leg, tx))
        elif request.method in ("INFO", "OPTIONS"):
            tx.reply(200)
        else:
            tx.reply(501)

    # -- ending --------------------------------------------------------------------------

    def _bye(self, leg: Leg) -> None:
        if leg.dialog is None or leg.state is LegState.ENDED:
            leg.state = LegState.ENDED
            return
        leg.state = LegState.ENDED
        bye = leg.dialog.create_request("BYE")
        self._endpoint.send_request(bye, leg.destination)

    def _end(self, call: Call, reason: str, ended_by: str | None = None) -> None:
        if call.ended:
            return
        call.ended = True
        for leg in call.legs():
            leg.state = LegState.ENDED
            self._spawn(leg.media.close())
        self.registry.remove(call)
        self._bus.publish(
            CallEnded(call.call_id, call.caller, call.callee, call.answered, reason, ended_by)
        )
        self._touch_lines(call)
        self._record(call.record(reason))

    def _record_attempt(
        self,
        caller: str,
        caller_name: str | None,
        callee: str,
        callee_name: str | None,
        started_at: datetime,
        reason: str,
    ) -> None:
        """A call that never rang anywhere (unknown number, nobody registered)."""
        self._record(attempt_record(caller, caller_name, callee, callee_name, started_at, reason))

    def _record(self, record: CallRecordIn) -> None:
        try:
            self._store.add_call_record(record)
        except StoreError:
            _log.exception("could not store the record of call %s", record.call_id)

    async def shutdown(self) -> None:
        """End every call: BYE answered legs, CANCEL ringing ones, 503 to waiting callers."""
        for call in list(self.registry.calls.values()):
            for leg in call.legs():
                if leg in call.forks and leg is not call.b:
                    self._cancel_fork(leg)
                else:
                    self._bye(leg)
            self._reply_caller(call, 503)
            self._end(call, "shutdown")
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=2.0)
        await asyncio.sleep(0.3)  # let BYE and CANCEL leave before the sockets close
