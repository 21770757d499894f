"""The SIP endpoint: drives the sans-IO transactions over the transports (RFC 3261 §17, §18).

It parses what arrives, matches it to a transaction (or makes a new server transaction), performs
the transactions' actions (send, start and cancel timers on the event loop) and hands requests,
responses and time-outs to the transaction user (registrar, B2BUA) through :class:`Core`.
Two jobs of the transaction user that RFC 3261 keeps out of the transaction layer live here too
because every user needs them the same way: re-sending a 2xx to INVITE until its ACK arrives
(§13.3.1.4) and CANCEL (§9).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

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
from pbx_core.signaling.transport import Address, TransportLayer

__all__ = ["ClientTransactionHandle", "Core", "ServerTransactionHandle", "SipEndpoint"]

_log = logging.getLogger(__name__)
_sip_log = logging.getLogger("pbx_core.sip.wire")

ServerTx = InviteServerTransaction | NonInviteServerTransaction
ClientTx = InviteClientTransaction | NonInviteClientTransaction
ResponseCallback = Callable[[SipResponse], None]


class Core(Protocol):
    """What the transaction user above the endpoint implements."""

    def on_request(self, tx: ServerTransactionHandle) -> None:
        """A new request (not ACK, not CANCEL) arrived; answer it through ``tx.respond``."""

    def on_cancel(self, tx: ServerTransactionHandle) -> None:
        """The INVITE of ``tx`` was cancelled; the endpoint already answered the CANCEL."""

    def on_ack(self, request: SipRequest, source: Address) -> None:
        """The ACK for a 2xx to INVITE arrived."""

    def on_ack_timeout(self, tx: ServerTransactionHandle) -> None:
        """A 2xx to INVITE was never acknowledged (64*T1); the dialog must end (§13.3.1.4)."""


@dataclass(slots=True)
class ServerTransactionHandle:
    """A request we answer; ``respond`` sends through its server transaction."""

    endpoint: SipEndpoint
    tx: ServerTx
    request: SipRequest
    source: Address
    final_sent: bool = False
    cancelled: bool = False

    def respond(self, response: SipResponse) -> None:
        if self.final_sent:
            return
        if response.status >= 200:
            self.final_sent = True
        if 200 <= response.status < 300 and self.request.method == "INVITE":
            self.endpoint._start_2xx_retransmission(self, response)
        self.endpoint._run(self.tx, self.tx.respond(response, self.endpoint._now()), self.source)

    def reply(self, status: int, reason: str | None = None, **kwargs: object) -> SipResponse:
        """Build and send a response with ``make_response`` arguments."""
        response = make_response(self.request, status, reason, **kwargs)  # type: ignore[arg-type]
        self.respond(response)
        return response


@dataclass(slots=True)
class ClientTransactionHandle:
    """A request we sent; responses and the time-out come back through the callbacks."""

    endpoint: SipEndpoint
    tx: ClientTx
    request: SipRequest
    dest: Address
    on_response: ResponseCallback
    on_timeout: Callable[[], None] | None
    provisional_seen: bool = False
    final_seen: bool = False
    cancel_wanted: bool = False
    _cancel_sent: bool = field(default=False)

    def cancel(self) -> None:
        """CANCEL the INVITE (§9.1): now if a provisional came, else as soon as one does."""
        if self.final_seen or self._cancel_sent or self.request.method != "INVITE":
            return
        self.cancel_wanted = True
        if self.provisional_seen:
            self._cancel_sent = True
            self.endpoint.send_request(
                build_cancel(self.request), self.dest, lambda _r: None, None, keep_via=True
            )


@dataclass(slots=True)
class _Pending2xx:
    handle: ServerTransactionHandle
    response: bytes
    interval: float
    timer: asyncio.TimerHandle | None = None
    deadline: float = 0.0


_RAW_HEADER = re.compile(
    rb"^(via|v|from|f|to|t|call-id|i|cseq)[ \t]*:[ \t]*(.*?)\r?$", re.IGNORECASE | re.MULTILINE
)
_COMPACT = {b"v": b"Via", b"f": b"From", b"t": b"To", b"i": b"Call-ID"}


class SipEndpoint:
    """Transactions on top of the transports, on the running asyncio loop."""

    def __init__(
        self, core: Core, *, host: str, t1: float = 0.5, t2: float = 4.0, t4: float = 5.0
    ) -> None:
        self.core = core
        self.host = host
        self.transport = TransportLayer(self._on_data)
        self._t1, self._t2, self._t4 = t1, t2, t4
        self._server: dict[TransactionKey, ServerTransactionHandle] = {}
        self._client: dict[TransactionKey, ClientTransactionHandle] = {}
        self._timers: dict[tuple[int, str], asyncio.TimerHandle] = {}
        self._pending_2xx: dict[tuple[str, int], _Pending2xx] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self, bind: str, port: int) -> None:
        self._loop = asyncio.get_running_loop()
        await self.transport.start(bind, port)

    async def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        for pending in self._pending_2xx.values():
            if pending.timer is not None:
                pending.timer.cancel()
        self._timers.clear()
        self._pending_2xx.clear()
        await self.transport.close()

    def _now(self) -> float:
        assert self._loop is not None
        return self._loop.time()

    def port_for(self, transport: str) -> int:
        return self.transport.udp_port if transport == "udp" else self.transport.tcp_port

    def contact_uri(self, user: str, transport: str = "udp") -> str:
        suffix = ";transport=tcp" if transport == "tcp" else ""
        return f"sip:{user}@{self.host}:{self.port_for(transport)}{suffix}"

    # -- sending -------------------------------------------------------------------------

    def _our_via(self, transport: str, branch: str | None = None) -> Via:
        return Via(
            transport.upper(),
            self.host,
            self.port_for(transport),
            {"branch": branch or new_branch(), "rport": None},
        )

    def send_request(
        self,
        request: SipRequest,
        dest: Address,
        on_response: ResponseCallback,
        on_timeout: Callable[[], None] | None = None,
        *,
        keep_via: bool = False,
    ) -> ClientTransactionHandle:
        """Send ``request`` in a new client transaction; the endpoint adds the top Via."""
        if not keep_via:
            request.headers.prepend("Via", str(self._our_via(dest.transport)))
        reliable = dest.transport != "udp"
        timers = {"t1": self._t1, "t2": self._t2, "t4": self._t4}
        tx: ClientTx
        if request.method == "INVITE":
            tx = InviteClientTransaction(request, reliable=reliable, **timers)
        else:
            tx = NonInviteClientTransaction(request, reliable=reliable, **timers)
        handle = ClientTransactionHandle(self, tx, request, dest, on_response, on_timeout)
        self._client[tx.key] = handle
        self._run(tx, tx.start(self._now()), dest)
        return handle

    def send_stateless(self, message: SipRequest | SipResponse, dest: Address) -> None:
        """Send outside any transaction: ACK for 2xx (gets a fresh Via), 2xx re-sends."""
        if isinstance(message, SipRequest) and "Via" not in message.headers:
            message.headers.prepend("Via", str(self._our_via(dest.transport)))
        self._send(message, dest)

    def _send(self, message: SipRequest | SipResponse, dest: Address) -> None:
        data = bytes(message)
        if _sip_log.isEnabledFor(logging.DEBUG):
            _sip_log.debug("send to %s:\n%s", dest, data.decode("utf-8", "replace"))
        self.transport.send(data, dest)

    # -- actions -------------------------------------------------------------------------

    def _run(self, tx: ServerTx | ClientTx, actions: list[Action], dest: Address) -> None:
        for action in actions:
            if isinstance(action, Send):
                self._send(action.message, dest)
            elif isinstance(action, StartTimer):
                self._start_timer(tx, action.name, action.delay, dest)
            elif isinstance(action, CancelTimer):
                timer = self._timers.pop((id(tx), action.name), None)
                if timer is not None:
                    timer.cancel()
            elif isinstance(action, Deliver):
                self._deliver_response(tx, action.response)
            elif isinstance(action, DeliverRequest):
                self._on_2xx_ack(action.request, dest)
            elif isinstance(action, Timeout):
                self._deliver_timeout(tx)
            elif isinstance(action, Terminated):
                self._forget(tx)

    def _start_timer(self, tx: ServerTx | ClientTx, name: str, delay: float, dest: Address) -> None:
        assert self._loop is not None
        old = self._timers.pop((id(tx), name), None)
        if old is not None:
            old.cancel()

        def fire() -> None:
            self._timers.pop((id(tx), name), None)
            self._run(tx, tx.timer_fired(name, self._now()), dest)

        self._timers[(id(tx), name)] = self._loop.call_later(delay, fire)

    def _forget(self, tx: ServerTx | ClientTx) -> None:
        for key in [k for k in self._timers if k[0] == id(tx)]:
            self._timers.pop(key).cancel()
        if isinstance(tx, InviteServerTransaction | NonInviteServerTransaction):
            self._server.pop(tx.key, None)
        else:
            self._client.pop(tx.key, None)

    def _deliver_response(self, tx: ServerTx | ClientTx, response: SipResponse) -> None:
        handle = self._client.get(tx.key)
        if handle is None:
            return
        if response.status < 200:
            handle.provisional_seen = True
            if handle.cancel_wanted:
                handle.cancel()
        else:
            handle.final_seen = True
        try:
            handle.on_response(response)
        except Exception:
            _log.exception("response handler failed for %s", response.cseq)

    def _deliver_timeout(self, tx: ServerTx | ClientTx) -> None:
        handle = self._client.get(tx.key)
        if handle is None or handle.on_timeout is None:
            return
        try:
            handle.on_timeout()
        except Exception:
            _log.exception("time-out handler failed")

    # -- 2xx retransmission (§13.3.1.4) --------------------------------------------------

    def _start_2xx_retransmission(
        self, handle: ServerTransactionHandle, response: SipResponse
    ) -> None:
        key = (handle.request.call_id, handle.request.cseq.seq)
        pending = _Pending2xx(
            handle, bytes(response), self._t1, deadline=self._now() + 64 * self._t1
        )
        self._pending_2xx[key] = pending
        if handle.source.transport == "udp":
            self._schedule_2xx(key, pending)
        else:
            self._schedule_ack_deadline(key, pending)

    def _schedule_2xx(self, key: tuple[str, int], pending: _Pending2xx) -> None:
        assert self._loop is not None

        def resend() -> None:
            if self._pending_2xx.get(key) is not pending:
                return
            if self._now() >= pending.deadline:
                self._ack_never_came(key, pending)
                return
            self.transport.send(pending.response, pending.handle.source)
            pending.interval = min(pending.interval * 2, self._t2)
            self._schedule_2xx(key, pending)

        pending.timer = self._loop.call_later(pending.interval, resend)

    def _schedule_ack_deadline(self, key: tuple[str, int], pending: _Pending2xx) -> None:
        assert self._loop is not None
        pending.timer = self._loop.call_later(
            64 * self._t1, lambda: self._ack_never_came(key, pending)
        )

    def _ack_never_came(self, key: tuple[str, int], pending: _Pending2xx) -> None:
        if self._pending_2xx.pop(key, None) is pending:
            _log.warning("no ACK for 2xx to INVITE %s", key[0])
            self.core.on_ack_timeout(pending.handle)

    # -- receiving -----------------------------------------------------------------------

    def _on_data(self, data: bytes, source: Address) -> None:
        try:
            message = parse_message(data)
        except SipParseError as exc:
            _log.info("dropped a malformed message from %s: %s", source, exc)
            self._reply_bad_request(data, source, str(exc))
            return
        if _sip_log.isEnabledFor(logging.DEBUG):
            _sip_log.debug("received from %s:\n%s", source, data.decode("utf-8", "replace"))
        try:
            if isinstance(message, SipRequest):
                self._on_request(message, source)
            else:
                self._on_response(message)
        except (SipParseError, ValueError) as exc:
            _log.info("dropped a message from %s: %s", source, exc)

    def _reply_bad_request(self, data: bytes, source: Address, error: str) -> None:
        """Answer 400 to a malformed request when its routing headers can be read (§8.2)."""
        if data[:8].upper().startswith(b"SIP/"):
            return  # a malformed response is dropped
        lines = []
        for match in _RAW_HEADER.finditer(data[:8192]):
            name = _COMPACT.get(match.group(1).lower(), match.group(1))
            lines.append(name + b": " + match.group(2))
        names = {line.split(b":", 1)[0].lower() for line in lines}
        if not {b"via", b"from", b"to", b"call-id", b"cseq"} <= names:
            return
        reason = ("Bad Request - " + error)[:100].encode("ascii", "replace")
        head = b"SIP/2.0 400 " + reason + b"\r\n" + b"\r\n".join(lines)
        self.transport.send(head + b"\r\nContent-Length: 0\r\n\r\n", source)

    def _on_request(self, request: SipRequest, source: Address) -> None:
        self._stamp_via(request, source)
        key = server_key(request)
        if request.method == "ACK":
            handle = self._server.get(key)
            if handle is not None:  # ACK for a non-2xx, or a 2xx in the Accepted state
                self._run(handle.tx, handle.tx.receive(request, self._now()), source)
            else:
                self._on_2xx_ack(request, source)
            return
        handle = self._server.get(key)
        if handle is not None:  # a retransmission
            self._run(handle.tx, handle.tx.receive(request, self._now()), source)
            return
        timers = {"t1": self._t1, "t2": self._t2, "t4": self._t4}
        reliable = source.transport != "udp"
        tx: ServerTx
        if request.method == "INVITE":
            tx = InviteServerTransaction(request, reliable=reliable, **timers)
        else:
            tx = NonInviteServerTransaction(request, reliable=reliable, **timers)
        handle = ServerTransactionHandle(self, tx, request, source)
        self._server[tx.key] = handle
        if request.method == "CANCEL":
            self._on_cancel(handle)
            return
        try:
            self.core.on_request(handle)
        except Exception:
            _log.exception("request handler failed for %s", request.method)
            if not handle.final_sent:
                handle.reply(500)

    def _on_cancel(self, handle: ServerTransactionHandle) -> None:
        invite = self._server.get(replace(server_key(handle.request), method="INVITE"))
        if invite is None or invite.final_sent:
            handle.reply(481)
            return
        handle.reply(200)
        invite.cancelled = True
        self.core.on_cancel(invite)

    def _on_2xx_ack(self, request: SipRequest, source: Address) -> None:
        pending = self._pending_2xx.pop((request.call_id, request.cseq.seq), None)
        if pending is not None and pending.timer is not None:
            pending.timer.cancel()
        self.core.on_ack(request, source)

    @staticmethod
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

    def _on_response(self, response: SipResponse) -> None:
        handle = self._client.get(client_key(response))
        if handle is not None:
            self._run(handle.tx, handle.tx.receive(response, self._now()), handle.dest)
            return
        _log.debug("stray response %s %s", response.status, response.cseq)
