"""SIP transaction state machines, sans-IO (RFC 3261 §17, RFC 6026 Accepted states).

Each machine takes messages, the clock and fired timers, and returns actions (``Send``,
``StartTimer``, ``CancelTimer``, ``Deliver``, ``Timeout``, ``Terminated``) for an asyncio driver
to perform; no sockets, no clock of its own. Every legal transition is one row of the class's
``TABLE``; anything else raises ``TransactionStateError("<Class>: <event> not allowed in
<STATE>")``. Peer misbehaviour (a stray response, a late retransmission) has rows that absorb it.

Over reliable transports the retransmission timers (A, E, G) are never started and the
zero-length timers D, I, J, K are not started either: the machine terminates at once. Timer D
is 64*T1 (32 s with the default T1), so tests and benchmarks scale it with T1. A timer that is
no longer running when ``timer_fired`` is called (a late callback) is ignored.
"""

from __future__ import annotations

from typing import ClassVar

from pbx_core.signaling._tx_base import (
    T1,
    T2,
    T4,
    Message,
    S,
    TransactionState,
    _ClientTransaction,
    _ServerTransaction,
    _Transaction,
)
from pbx_core.signaling._tx_support import (
    Action,
    CancelTimer,
    Deliver,
    DeliverRequest,
    Send,
    StartTimer,
    Terminated,
    Timeout,
    TransactionKey,
    TransactionStateError,
    build_ack,
    build_cancel,
    client_key,
    server_key,
)
from pbx_core.signaling.message import SipRequest, SipResponse

__all__ = [
    "T1",
    "T2",
    "T4",
    "Action",
    "CancelTimer",
    "Deliver",
    "DeliverRequest",
    "InviteClientTransaction",
    "InviteServerTransaction",
    "NonInviteClientTransaction",
    "NonInviteServerTransaction",
    "Send",
    "StartTimer",
    "Terminated",
    "Timeout",
    "TransactionKey",
    "TransactionState",
    "TransactionStateError",
    "build_ack",
    "build_cancel",
    "client_key",
    "server_key",
]


class InviteClientTransaction(_ClientTransaction):
    """INVITE client transaction (§17.1.1, RFC 6026 §8.4): ACKs non-2xx finals itself."""

    INITIAL = S.CALLING

    INVITE = True

    ack: SipRequest | None = None  # the ACK we built for a non-2xx final, once there is one

    def _classify(self, status: int) -> str:
        return "1xx" if status < 200 else "2xx" if status < 300 else "final"

    def _on_start(self, message: Message) -> list[Action]:
        actions: list[Action] = [Send(self.request)]
        if not self.reliable:
            actions += self._start("A", self.t1)
        return actions + self._start("B", 64 * self.t1)

    def _on_timer_a(self, message: Message) -> list[Action]:
        self._interval *= 2
        return [Send(self.request), *self._start("A", self._interval)]

    def _on_timeout(self, message: Message) -> list[Action]:
        return [Timeout()]

    def _on_provisional(self, message: Message) -> list[Action]:
        return self._cancel("A", "B") + self._deliver(message)

    def _on_2xx(self, message: Message) -> list[Action]:
        actions = self._cancel("A", "B") + self._deliver(message)
        return actions + self._start("M", 64 * self.t1)

    def _on_final(self, message: Message) -> list[Action]:
        assert isinstance(message, SipResponse)
        self.ack = build_ack(self.request, message)
        actions = [*self._cancel("A", "B"), Send(self.ack), *self._deliver(message)]
        return actions + self._start_or_finish("D", 64 * self.t1)

    def _on_final_again(self, message: Message) -> list[Action]:
        assert self.ack is not None
        return [Send(self.ack)]

    def _on_2xx_again(self, message: Message) -> list[Action]:
        return self._deliver(message)

    _n = _Transaction._nothing
    TABLE: ClassVar = {
        (S.CALLING, "start"): (S.CALLING, _on_start),
        (S.CALLING, "timer_A"): (S.CALLING, _on_timer_a),
        (S.CALLING, "timer_B"): (S.TERMINATED, _on_timeout),
        (S.CALLING, "1xx"): (S.PROCEEDING, _on_provisional),
        (S.CALLING, "2xx"): (S.ACCEPTED, _on_2xx),
        (S.CALLING, "final"): (S.COMPLETED, _on_final),
        (S.PROCEEDING, "1xx"): (S.PROCEEDING, _ClientTransaction._deliver),
        (S.PROCEEDING, "2xx"): (S.ACCEPTED, _on_2xx),
        (S.PROCEEDING, "final"): (S.COMPLETED, _on_final),
        (S.COMPLETED, "1xx"): (S.COMPLETED, _n),
        (S.COMPLETED, "2xx"): (S.COMPLETED, _n),
        (S.COMPLETED, "final"): (S.COMPLETED, _on_final_again),
        (S.COMPLETED, "timer_D"): (S.TERMINATED, _n),
        (S.ACCEPTED, "1xx"): (S.ACCEPTED, _n),
        (S.ACCEPTED, "2xx"): (S.ACCEPTED, _on_2xx_again),
        (S.ACCEPTED, "final"): (S.ACCEPTED, _n),
        (S.ACCEPTED, "timer_M"): (S.TERMINATED, _n),
    }

    def cancel_request(self) -> SipRequest:
        """The CANCEL for this INVITE (send it in its own non-INVITE client transaction)."""
        return build_cancel(self.request)


class NonInviteClientTransaction(_ClientTransaction):
    """Non-INVITE client transaction (§17.1.2): E doubles up to T2, F times out."""

    INITIAL = S.TRYING

    INVITE = False

    def _on_start(self, message: Message) -> list[Action]:
        actions: list[Action] = [Send(self.request)]
        if not self.reliable:
            actions += self._start("E", self.t1)
        return actions + self._start("F", 64 * self.t1)

    def _on_timer_e(self, message: Message) -> list[Action]:
        if self.state is S.PROCEEDING:
            self._interval = self.t2
        else:
            self._interval = min(2 * self._interval, self.t2)
        return [Send(self.request), *self._start("E", self._interval)]

    def _on_timeout(self, message: Message) -> list[Action]:
        return [Timeout()]

    def _on_final(self, message: Message) -> list[Action]:
        actions = self._cancel("E", "F") + self._deliver(message)
        return actions + self._start_or_finish("K", self.t4)

    _n = _Transaction._nothing
    TABLE: ClassVar = {
        (S.TRYING, "start"): (S.TRYING, _on_start),
        (S.TRYING, "timer_E"): (S.TRYING, _on_timer_e),
        (S.TRYING, "timer_F"): (S.TERMINATED, _on_timeout),
        (S.TRYING, "1xx"): (S.PROCEEDING, _ClientTransaction._deliver),
        (S.TRYING, "final"): (S.COMPLETED, _on_final),
        (S.PROCEEDING, "timer_E"): (S.PROCEEDING, _on_timer_e),
        (S.PROCEEDING, "timer_F"): (S.TERMINATED, _on_timeout),
        (S.PROCEEDING, "1xx"): (S.PROCEEDING, _ClientTransaction._deliver),
        (S.PROCEEDING, "final"): (S.COMPLETED, _on_final),
        (S.COMPLETED, "1xx"): (S.COMPLETED, _n),
        (S.COMPLETED, "final"): (S.COMPLETED, _n),
        (S.COMPLETED, "timer_K"): (S.TERMINATED, _n),
    }


class InviteServerTransaction(_ServerTransaction):
    """INVITE server transaction (§17.2.1, RFC 6026 §8.7): G/H for non-2xx, L after a 2xx."""

    INITIAL = S.PROCEEDING

    INVITE = True

    def _classify(self, status: int) -> str:
        return "respond_1xx" if status < 200 else "respond_2xx" if status < 300 else "respond_final"

    def _on_2xx(self, message: Message) -> list[Action]:
        return self._send(message) + self._start("L", 64 * self.t1)

    def _on_final(self, message: Message) -> list[Action]:
        actions = self._send(message)
        if not self.reliable:
            actions += self._start("G", self.t1)
        return actions + self._start("H", 64 * self.t1)

    def _on_timer_g(self, message: Message) -> list[Action]:
        self._interval = min(2 * self._interval, self.t2)
        return self._resend(None) + self._start("G", self._interval)

    def _on_timer_h(self, message: Message) -> list[Action]:
        return [Timeout()]

    def _on_ack(self, message: Message) -> list[Action]:
        return self._cancel("G", "H") + self._start_or_finish("I", self.t4)

    def _on_ack_accepted(self, message: Message) -> list[Action]:
        assert isinstance(message, SipRequest)
        return [DeliverRequest(message)]

    _n = _Transaction._nothing
    TABLE: ClassVar = {
        (S.PROCEEDING, "request"): (S.PROCEEDING, _ServerTransaction._resend),
        (S.PROCEEDING, "ack"): (S.PROCEEDING, _n),
        (S.PROCEEDING, "respond_1xx"): (S.PROCEEDING, _ServerTransaction._send),
        (S.PROCEEDING, "respond_2xx"): (S.ACCEPTED, _on_2xx),
        (S.PROCEEDING, "respond_final"): (S.COMPLETED, _on_final),
        (S.COMPLETED, "request"): (S.COMPLETED, _ServerTransaction._resend),
        (S.COMPLETED, "ack"): (S.CONFIRMED, _on_ack),
        (S.COMPLETED, "timer_G"): (S.COMPLETED, _on_timer_g),
        (S.COMPLETED, "timer_H"): (S.TERMINATED, _on_timer_h),
        (S.CONFIRMED, "request"): (S.CONFIRMED, _n),
        (S.CONFIRMED, "ack"): (S.CONFIRMED, _n),
        (S.CONFIRMED, "timer_I"): (S.TERMINATED, _n),
        (S.ACCEPTED, "request"): (S.ACCEPTED, _n),
        (S.ACCEPTED, "ack"): (S.ACCEPTED, _on_ack_accepted),
        (S.ACCEPTED, "respond_2xx"): (S.ACCEPTED, _ServerTransaction._send),
        (S.ACCEPTED, "timer_L"): (S.TERMINATED, _n),
    }


class NonInviteServerTransaction(_ServerTransaction):
    """Non-INVITE server transaction (§17.2.2): replays the last response, J absorbs."""

    INITIAL = S.TRYING

    INVITE = False

    def _on_final(self, message: Message) -> list[Action]:
        return self._send(message) + self._start_or_finish("J", 64 * self.t1)

    _n = _Transaction._nothing
    TABLE: ClassVar = {
        (S.TRYING, "request"): (S.TRYING, _n),
        (S.TRYING, "respond_1xx"): (S.PROCEEDING, _ServerTransaction._send),
        (S.TRYING, "respond_final"): (S.COMPLETED, _on_final),
        (S.PROCEEDING, "request"): (S.PROCEEDING, _ServerTransaction._resend),
        (S.PROCEEDING, "respond_1xx"): (S.PROCEEDING, _ServerTransaction._send),
        (S.PROCEEDING, "respond_final"): (S.COMPLETED, _on_final),
        (S.COMPLETED, "request"): (S.COMPLETED, _ServerTransaction._resend),
        (S.COMPLETED, "timer_J"): (S.TERMINATED, _n),
    }
