"""Shared machinery of the SIP transaction state machines (RFC 3261 §17): the state enum,
default timer values, timer bookkeeping and the table-driven step.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import ClassVar, TypeAlias

from pbx_core.signaling._tx_support import (
    Action,
    CancelTimer,
    Deliver,
    Send,
    StartTimer,
    Terminated,
    TransactionKey,
    TransactionStateError,
    server_key,
)
from pbx_core.signaling.message import SipRequest, SipResponse

__all__ = ["T1", "T2", "T4", "Message", "S", "TransactionState"]

T1 = 0.5
T2 = 4.0
T4 = 5.0


class TransactionState(enum.Enum):
    """States of RFC 3261 §17 figures 5-8 plus RFC 6026 Accepted."""

    CALLING = "Calling"
    TRYING = "Trying"
    PROCEEDING = "Proceeding"
    COMPLETED = "Completed"
    CONFIRMED = "Confirmed"
    ACCEPTED = "Accepted"
    TERMINATED = "Terminated"


S = TransactionState
Message: TypeAlias = SipRequest | SipResponse | None


class _Transaction:
    """Timer bookkeeping and the table-driven step shared by the four machines."""

    TABLE: ClassVar[
        dict[tuple[TransactionState, str], tuple[TransactionState, Callable[..., list[Action]]]]
    ]

    INVITE: ClassVar[bool]  # an INVITE machine (§17.1.1, §17.2.1) or a non-INVITE one

    def __init__(
        self,
        request: SipRequest,
        *,
        reliable: bool,
        t1: float = T1,
        t2: float = T2,
        t4: float = T4,
    ) -> None:
        if self.INVITE and request.method != "INVITE":
            raise ValueError(f"not an INVITE: {request.method}")
        if not self.INVITE and request.method in ("INVITE", "ACK"):
            raise ValueError(f"not a non-INVITE request: {request.method}")
        self.request = request
        self.reliable = reliable
        self.t1, self.t2, self.t4 = t1, t2, t4
        self._interval = t1  # the current retransmission interval (timers A, E, G)
        self.key: TransactionKey = server_key(request)
        self.state: TransactionState = self.INITIAL
        self.last_response: SipResponse | None = None
        self._timers: dict[str, float] = {}
        self._finished = False

    INITIAL: ClassVar[TransactionState]

    def _step(self, event: str, message: Message = None) -> list[Action]:
        row = self.TABLE.get((self.state, event))
        if row is None:
            name = type(self).__name__
            raise TransactionStateError(f"{name}: {event} not allowed in {self.state.name}")
        self.state, handler = row
        actions = handler(self, message)
        if self.state is S.TERMINATED and not self._finished:
            self._finished = True
            actions = [*(CancelTimer(n) for n in self._timers), *actions, Terminated()]
            self._timers.clear()
        return actions

    def _start(self, name: str, delay: float) -> list[Action]:
        self._timers[name] = delay
        return [StartTimer(name, delay)]

    def _cancel(self, *names: str) -> list[Action]:
        return [CancelTimer(n) for n in names if self._timers.pop(n, None) is not None]

    def _start_or_finish(self, name: str, delay: float) -> list[Action]:
        """Start a wait timer, or fire it at once over a reliable transport (zero length)."""
        if self.reliable:
            return self._step(f"timer_{name}")
        return self._start(name, delay)

    def timer_fired(self, name: str, now: float) -> list[Action]:
        """Advance on the expiry of timer ``name``; ignored when the timer is not running."""
        if self._timers.pop(name, None) is None:
            return []
        return self._step(f"timer_{name}", None)

    @staticmethod
    def _nothing(self: _Transaction, message: Message) -> list[Action]:
        return []


class _ClientTransaction(_Transaction):
    def __init__(
        self,
        request: SipRequest,
        *,
        reliable: bool,
        t1: float = T1,
        t2: float = T2,
        t4: float = T4,
    ) -> None:
        super().__init__(request, reliable=reliable, t1=t1, t2=t2, t4=t4)
        self._started = False

    def start(self, now: float) -> list[Action]:
        """Send the request and arm the retransmission and timeout timers."""
        if self._started:
            raise TransactionStateError(f"{type(self).__name__}: start not allowed twice")
        self._started = True
        return self._step("start")

    def receive(self, response: SipResponse, now: float) -> list[Action]:
        """Feed a response whose ``client_key`` equals ``self.key``."""
        if not self._started:
            raise TransactionStateError(f"{type(self).__name__}: receive not allowed before start")
        return self._step(self._classify(response.status), response)

    def _classify(self, status: int) -> str:
        return "1xx" if status < 200 else "final"

    def _deliver(self, message: Message) -> list[Action]:
        assert isinstance(message, SipResponse)
        self.last_response = message
        return [Deliver(message)]


class _ServerTransaction(_Transaction):
    def receive(self, request: SipRequest, now: float) -> list[Action]:
        """Feed a request whose ``server_key`` equals ``self.key`` (a retransmission or ACK)."""
        event = "ack" if request.method == "ACK" else "request"
        return self._step(event, request)

    def respond(self, response: SipResponse, now: float) -> list[Action]:
        """Send a response from the TU through the transaction."""
        return self._step(self._classify(response.status), response)

    def _classify(self, status: int) -> str:
        return "respond_1xx" if status < 200 else "respond_final"

    def _send(self, message: Message) -> list[Action]:
        assert isinstance(message, SipResponse)
        self.last_response = message
        return [Send(message)]

    def _resend(self, message: Message) -> list[Action]:
        return [Send(self.last_response)] if self.last_response is not None else []
