"""The SIP endpoint: the asyncio driver of the sans-IO user-agent layer (RFC 3261 §17, §18).

Received bytes go into :class:`~pbx_core.signaling.useragent.UserAgent`; its actions are
performed here and nowhere else: ``Transmit`` on the transports, ``ArmTimer``/``DisarmTimer``
as ``call_later`` handles on the loop, and the events for the transaction user handed to
:class:`Core`. After each event the layer's queue (responses and requests the TU sent while
handling it) is flushed and performed in turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from pbx_core.signaling._ua_actions import (
    ArmTimer,
    DisarmTimer,
    RequestReceived,
    Transmit,
    UaAction,
    UaEvent,
)
from pbx_core.signaling.message import SipRequest, SipResponse
from pbx_core.signaling.transport import Address, TransportLayer
from pbx_core.signaling.uri import SipUri
from pbx_core.signaling.useragent import (
    ClientTransactionHandle,
    ServerTransactionHandle,
    TimerOwner,
    UserAgent,
)

__all__ = ["ClientTransactionHandle", "Core", "ServerTransactionHandle", "SipEndpoint"]

_log = logging.getLogger(__name__)
_sip_log = logging.getLogger("pbx_core.sip.wire")


class Core(Protocol):
    """The transaction user above the endpoint."""

    def on_event(self, event: UaEvent) -> None:
        """A request, CANCEL, ACK, response or time-out from the user-agent layer."""


class SipEndpoint:
    """The user-agent layer on the transports and the running asyncio loop."""

    def __init__(
        self, core: Core, *, host: str, t1: float = 0.5, t2: float = 4.0, t4: float = 5.0
    ) -> None:
        self.core = core
        self.host = host
        self.transport = TransportLayer(self._on_data)
        self.ua = UserAgent(host=host, clock=self._now, t1=t1, t2=t2, t4=t4)
        self._timers: dict[tuple[int, str], asyncio.TimerHandle] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flush_due = False
        self._driving = 0  # > 0 while we are inside the layer or performing its actions
        self.ua.on_queued = self._flush_soon

    async def start(self, bind: str, port: int) -> None:
        self._loop = asyncio.get_running_loop()
        await self.transport.start(bind, port)
        self.ua.ports = {"udp": self.transport.udp_port, "tcp": self.transport.tcp_port}

    async def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        await self.transport.close()

    def _now(self) -> float:
        return self._loop.time() if self._loop is not None else 0.0

    def port_for(self, transport: str) -> int:
        return self.transport.udp_port if transport == "udp" else self.transport.tcp_port

    def contact_uri(self, user: str, transport: str = "udp") -> SipUri:
        """Our Contact URI for ``transport`` (RFC 3261 §8.1.1.8)."""
        params: dict[str, str | None] = {"transport": "tcp"} if transport == "tcp" else {}
        return SipUri(user, self.host, self.port_for(transport), params=params)

    # -- what the TU sends ---------------------------------------------------------------

    def send_request(
        self, request: SipRequest, dest: Address, *, context: object = None
    ) -> ClientTransactionHandle:
        """Send ``request`` in a new client transaction; its events carry ``context``."""
        handle = self.ua.send_request(request, dest, context=context)
        self.flush()
        return handle

    def send_stateless(self, message: SipRequest | SipResponse, dest: Address) -> None:
        """Send outside any transaction: the ACK for a 2xx (gets a fresh Via)."""
        self.ua.send_stateless(message, dest)
        self.flush()

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
            self.core.on_event(event)
        except Exception:
            _log.exception("transaction user failed on %s", type(event).__name__)
            if isinstance(event, RequestReceived) and not event.handle.final_sent:
                event.handle.reply(500)
        self.flush()

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

    def _on_data(self, data: bytes, source: Address) -> None:
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
