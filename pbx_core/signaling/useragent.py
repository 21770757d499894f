"""The user-agent layer, sans-IO: transactions and INVITE usages between the wire and the TU.

It takes received bytes, fired timers and the TU's requests and responses, and returns actions
(:mod:`pbx_core.signaling._ua_actions`): ``Transmit`` and ``ArmTimer``/``DisarmTimer`` for the
driver, events such as ``RequestReceived`` or ``AckTimedOut`` for the transaction user. No
sockets, no loop: the clock is a callable, so tests run it with a fake one.

Its jobs: parse and answer malformed requests with 400 when their routing headers can be read
(§8.2, see :func:`bad_request`); stamp ``received``/``rport`` (§18.2.1, RFC 3581); match
messages to transactions (§17.1.3, §17.2.3) or open server transactions; CANCEL (§9.2: 200 to
the CANCEL, then the TU answers the INVITE 487; 481 when nothing matches); a CANCEL of our own
INVITE waits for a provisional (§9.1); the 2xx to INVITE is re-sent by an
:class:`~pbx_core.signaling.usage.InviteUsage` until its ACK (§13.3.1.4).

What handles send (``respond``, ``cancel``) is queued; the driver takes it with :meth:`flush`
after handing each event to the TU.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeAlias

from pbx_core.signaling._bad_request import bad_request
from pbx_core.signaling._tx_base import T1, T2, T4
from pbx_core.signaling._ua_actions import (
    AckReceived,
    AckTimedOut,
    ArmTimer,
    DisarmTimer,
    InviteCancelled,
    RequestReceived,
    RequestTimedOut,
    ResponseReceived,
    Transmit,
    UaAction,
)
from pbx_core.signaling.headers import Via
from pbx_core.signaling.message import (
    SipParseError,
    SipRequest,
    SipResponse,
    make_response,
    new_branch,
    parse_message,
)
from pbx_core.signaling.transaction import (
    Action,
    CancelTimer,
    Deliver,
    DeliverRequest,
    InviteClientTransaction,
    InviteServerTransaction,
    NonInviteClientTransaction,
    NonInviteServerTransaction,
    Send,
    StartTimer,
    Terminated,
    Timeout,
    TransactionKey,
    build_cancel,
    client_key,
    server_key,
)
from pbx_core.signaling.transport import Address
from pbx_core.signaling.usage import AckArrived, AckMissing, InviteUsage, UsageAction

__all__ = [
    "AnsweredContext",
    "ClientTransactionHandle",
    "ServerTransactionHandle",
    "TimerOwner",
    "UserAgent",
]

_log = logging.getLogger(__name__)

ServerTx: TypeAlias = InviteServerTransaction | NonInviteServerTransaction
ClientTx: TypeAlias = InviteClientTransaction | NonInviteClientTransaction


@dataclass(frozen=True, slots=True)
class AnsweredContext:
    """The context of a request we sent outside any call (a NOTIFY, a keep-alive OPTIONS): its
    final status goes to ``answered(key, status)``, 408 when nothing came back."""

    key: object
    answered: Callable[[object, int], None]


@dataclass(eq=False, slots=True)
class ServerTransactionHandle:
    """A request we answer; ``respond`` sends through its server transaction."""

    ua: UserAgent
    tx: ServerTx
    request: SipRequest
    source: Address
    final_sent: bool = False
    cancelled: bool = False

    def respond(self, response: SipResponse) -> None:
        """Queue ``response``; only the first final response is sent."""
        self.ua.respond(self, response)

    def reply(self, status: int, reason: str | None = None, **kwargs: object) -> SipResponse:
        """Build and send a response with ``make_response`` arguments."""
        response = make_response(self.request, status, reason, **kwargs)  # type: ignore[arg-type]
        self.respond(response)
        return response


@dataclass(eq=False, slots=True)
class ClientTransactionHandle:
    """A request we sent; responses and the time-out come back as events naming it."""

    ua: UserAgent
    tx: ClientTx
    request: SipRequest
    dest: Address
    context: object = None  # whatever the TU wants to find again with the events
    provisional_seen: bool = False
    final_seen: bool = False
    cancel_wanted: bool = False
    cancel_sent: bool = field(default=False)

    def cancel(self) -> None:
        """CANCEL the INVITE (§9.1): now if a provisional came, else as soon as one does."""
        self.ua.cancel(self)


@dataclass(eq=False, slots=True)
class _Usage:
    usage: InviteUsage
    handle: ServerTransactionHandle


TimerOwner: TypeAlias = ServerTransactionHandle | ClientTransactionHandle | _Usage


class UserAgent:
    """Transactions and INVITE usages of one SIP endpoint, without I/O."""

    def __init__(
        self,
        *,
        host: str,
        clock: Callable[[], float],
        t1: float = T1,
        t2: float = T2,
        t4: float = T4,
    ) -> None:
        self.host = host
        self.ports: dict[str, int] = {"udp": 0, "tcp": 0}
        self._clock = clock
        self._timers = {"t1": t1, "t2": t2, "t4": t4}
        self._server: dict[TransactionKey, ServerTransactionHandle] = {}
        # §8.2.2.2: the ongoing server transaction of each (From tag, Call-ID, CSeq) without a
        # To tag, to tell a request that reached us twice by different paths (a merge)
        self._merges: dict[tuple[str, str, str], TransactionKey] = {}
        self._client: dict[TransactionKey, ClientTransactionHandle] = {}
        self._usages: dict[tuple[str, int], _Usage] = {}
        self._out: list[UaAction] = []
        self.on_queued: Callable[[], None] | None = None  # the driver's "come and flush"
        # told of each final answer to a request outside any dialog (the source shield)
        self.on_answer: Callable[[ServerTransactionHandle, int], None] | None = None

    def flush(self) -> list[UaAction]:
        """Everything queued since the last call, in order."""
        out, self._out = self._out, []
        return out

    def _emit(self, action: UaAction) -> None:
        if not self._out and self.on_queued is not None:
            self.on_queued()
        self._out.append(action)

    # -- sending -------------------------------------------------------------------------

    def via(self, transport: str) -> Via:
        """A fresh top Via of ours for ``transport`` (new branch, RFC 3581 ``rport``)."""
        port = self.ports.get(transport, 0)
        return Via(transport.upper(), self.host, port, {"branch": new_branch(), "rport": None})

    def send_request(
        self, request: SipRequest, dest: Address, *, context: object = None, keep_via: bool = False
    ) -> ClientTransactionHandle:
        """Start a client transaction for ``request``; we add the top Via unless ``keep_via``."""
        if not keep_via:
            request.headers.prepend("Via", str(self.via(dest.transport)))
        reliable = dest.transport != "udp"
        tx: ClientTx
        if request.method == "INVITE":
            tx = InviteClientTransaction(request, reliable=reliable, **self._timers)
        else:
            tx = NonInviteClientTransaction(request, reliable=reliable, **self._timers)
        handle = ClientTransactionHandle(self, tx, request, dest, context)
        self._client[tx.key] = handle
        self._run_client(handle, tx.start(self._clock()))
        return handle

    def send_stateless(self, message: SipRequest | SipResponse, dest: Address) -> None:
        """Send outside any transaction (the ACK for a 2xx gets a fresh Via)."""
        if isinstance(message, SipRequest) and "Via" not in message.headers:
            message.headers.prepend("Via", str(self.via(dest.transport)))
        self._emit(Transmit(message, dest))

    def respond(self, handle: ServerTransactionHandle, response: SipResponse) -> None:
        """Send a response through the transaction of ``handle``; a 2xx to INVITE gets a usage."""
        if handle.final_sent:
            return
        if response.status >= 200:
            handle.final_sent = True
            if self.on_answer is not None and handle.request.to_addr.tag is None:
                self.on_answer(handle, response.status)
        now = self._clock()
        self._run_server(handle, handle.tx.respond(response, now))
        if 200 <= response.status < 300 and handle.request.method == "INVITE":
            usage = InviteUsage(
                response,
                reliable=handle.source.transport != "udp",
                t1=self._timers["t1"],
                t2=self._timers["t2"],
            )
            entry = _Usage(usage, handle)
            self._usages[usage.key] = entry
            self._run_usage(entry, usage.start(now))

    def cancel(self, handle: ClientTransactionHandle) -> None:
        """CANCEL the INVITE of ``handle`` once it had a provisional response (§9.1)."""
        if handle.final_seen or handle.cancel_sent or handle.request.method != "INVITE":
            return
        handle.cancel_wanted = True
        if handle.provisional_seen:
            handle.cancel_sent = True
            self.send_request(build_cancel(handle.request), handle.dest, keep_via=True)

    # -- receiving -----------------------------------------------------------------------

    def receive(self, data: bytes, source: Address) -> list[UaAction]:
        """Take one received message (a datagram or a framed TCP message)."""
        try:
            message = parse_message(data)
        except SipParseError as exc:
            _log.info("dropped a malformed message from %s: %s", source, exc)
            reply = bad_request(data, str(exc), exc.status)
            if reply is not None:
                self._emit(Transmit(reply, source))
            return self.flush()
        try:
            if isinstance(message, SipRequest):
                self._on_request(message, source)
            else:
                self._on_response(message)
        except (SipParseError, ValueError) as exc:
            _log.info("dropped a message from %s: %s", source, exc)
        return self.flush()

    def timer_fired(self, owner: TimerOwner, name: str) -> list[UaAction]:
        """Timer ``name`` of ``owner`` expired."""
        now = self._clock()
        if isinstance(owner, ServerTransactionHandle):
            self._run_server(owner, owner.tx.timer_fired(name, now))
        elif isinstance(owner, ClientTransactionHandle):
            self._run_client(owner, owner.tx.timer_fired(name, now))
        else:
            self._run_usage(owner, owner.usage.timer_fired(name, now))
        return self.flush()

    def _on_request(self, request: SipRequest, source: Address) -> None:
        _stamp_via(request, source)
        key = server_key(request)
        handle = self._server.get(key)
        if request.method == "ACK":
            if handle is not None:  # ACK for a non-2xx, or a 2xx in the Accepted state
                self._run_server(handle, handle.tx.receive(request, self._clock()))
            else:
                self._on_2xx_ack(request, source)
            return
        if handle is not None:  # a retransmission
            self._run_server(handle, handle.tx.receive(request, self._clock()))
            return
        reliable = source.transport != "udp"
        tx: ServerTx
        if request.method == "INVITE":
            tx = InviteServerTransaction(request, reliable=reliable, **self._timers)
        else:
            tx = NonInviteServerTransaction(request, reliable=reliable, **self._timers)
        handle = ServerTransactionHandle(self, tx, request, source)
        self._server[tx.key] = handle
        if request.method == "CANCEL":
            self._on_cancel(handle)
        elif self._merged(request, tx.key):
            handle.reply(482)  # Loop Detected: the same request by another path (§8.2.2.2)
        else:
            self._emit(RequestReceived(handle))

    def _merged(self, request: SipRequest, key: TransactionKey) -> bool:
        """True when ``request`` (no To tag) repeats an ongoing transaction's From tag, Call-ID
        and CSeq under another branch; otherwise it becomes that triple's transaction."""
        if request.to_addr.tag is not None:
            return False
        triple = (request.from_addr.tag or "", request.call_id, str(request.cseq))
        earlier = self._merges.get(triple)
        if earlier is not None and earlier != key and earlier in self._server:
            return True
        self._merges[triple] = key
        return False

    def _on_cancel(self, handle: ServerTransactionHandle) -> None:
        invite = self._server.get(replace(server_key(handle.request), method="INVITE"))
        if invite is None or invite.final_sent:
            handle.reply(481)
            return
        handle.reply(200)
        invite.cancelled = True
        self._emit(InviteCancelled(invite))

    def _on_2xx_ack(self, request: SipRequest, source: Address) -> None:
        entry = self._usages.get((request.call_id, request.cseq.seq))
        if entry is None:
            self._emit(AckReceived(request, source))
            return
        self._run_usage(entry, entry.usage.receive(request, self._clock()), source)

    def _on_response(self, response: SipResponse) -> None:
        handle = self._client.get(client_key(response))
        if handle is None:
            _log.debug("stray response %s %s", response.status, response.cseq)
            return
        self._run_client(handle, handle.tx.receive(response, self._clock()))

    # -- performing the machines' actions ------------------------------------------------

    def _run_server(self, handle: ServerTransactionHandle, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Send):
                self._emit(Transmit(action.message, handle.source))
            elif isinstance(action, StartTimer):
                self._emit(ArmTimer(handle, action.name, action.delay))
            elif isinstance(action, CancelTimer):
                self._emit(DisarmTimer(handle, action.name))
            elif isinstance(action, DeliverRequest):
                self._on_2xx_ack(action.request, handle.source)
            elif isinstance(action, Terminated):
                self._server.pop(handle.tx.key, None)
                request = handle.request
                triple = (request.from_addr.tag or "", request.call_id, str(request.cseq))
                if self._merges.get(triple) == handle.tx.key:
                    del self._merges[triple]
            # Timeout (timer H): the non-2xx final was never acknowledged; nothing to tell

    def _run_client(self, handle: ClientTransactionHandle, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Send):
                self._emit(Transmit(action.message, handle.dest))
            elif isinstance(action, StartTimer):
                self._emit(ArmTimer(handle, action.name, action.delay))
            elif isinstance(action, CancelTimer):
                self._emit(DisarmTimer(handle, action.name))
            elif isinstance(action, Deliver):
                self._deliver(handle, action.response)
            elif isinstance(action, Timeout):
                self._emit(RequestTimedOut(handle))
            elif isinstance(action, Terminated):
                self._client.pop(handle.tx.key, None)

    def _deliver(self, handle: ClientTransactionHandle, response: SipResponse) -> None:
        if response.status < 200:
            handle.provisional_seen = True
        else:
            handle.final_seen = True
        self._emit(ResponseReceived(handle, response))
        if handle.cancel_wanted and response.status < 200:
            self.cancel(handle)

    def _run_usage(
        self, entry: _Usage, actions: list[UsageAction], source: Address | None = None
    ) -> None:
        for action in actions:
            if isinstance(action, Send):
                self._emit(Transmit(action.message, entry.handle.source))
            elif isinstance(action, StartTimer):
                self._emit(ArmTimer(entry, action.name, action.delay))
            elif isinstance(action, CancelTimer):
                self._emit(DisarmTimer(entry, action.name))
            elif isinstance(action, AckArrived):
                self._emit(AckReceived(action.ack, source or entry.handle.source))
            elif isinstance(action, AckMissing):
                _log.warning("no ACK for 2xx to INVITE %s", entry.usage.key[0])
                self._emit(AckTimedOut(entry.handle))
            elif isinstance(action, Terminated) and self._usages.get(entry.usage.key) is entry:
                del self._usages[entry.usage.key]


def _stamp_via(request: SipRequest, source: Address) -> None:
    """RFC 3261 §18.2.1 ``received`` and RFC 3581 ``rport`` on the top Via."""
    via = request.top_via
    if "rport" in via.params:
        via.params["rport"] = str(source.port)
        via.params["received"] = source.host
    elif via.host != source.host:
        via.params["received"] = source.host
    else:
        return
    request.replace_top_via(via)
