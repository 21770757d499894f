"""The INVITE usage of a dialog on the answering side, sans-IO (RFC 3261 §13.3.1.4, RFC 6026).

Once a 2xx to INVITE has left through its server transaction (which sends it once, RFC 6026
§8.7), the 2xx is the dialog's business: :class:`InviteUsage` re-sends it at T1, 2*T1, ... up
to T2 over UDP until the ACK arrives, and gives up after 64*T1 (the caller must then end the
dialog with BYE). Over TCP and TLS nothing is re-sent, but the 64*T1 wait for the ACK still
runs.

Like the transactions it takes messages, the clock and fired timers and returns actions
(``Send``, ``StartTimer``, ``CancelTimer``, ``AckArrived``, ``AckMissing``, ``Terminated``).
Every legal transition is one row of ``TABLE``; anything else raises
``UsageStateError("InviteUsage: <event> not allowed in <STATE>")``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeAlias

from pbx_core.signaling._tx_base import T1, T2
from pbx_core.signaling._tx_support import CancelTimer, Send, StartTimer, Terminated
from pbx_core.signaling.message import SipRequest, SipResponse

__all__ = [
    "RETRANSMIT",
    "WAIT_ACK",
    "AckArrived",
    "AckMissing",
    "InviteUsage",
    "UsageAction",
    "UsageState",
    "UsageStateError",
]

RETRANSMIT = "2xx"  # timer: re-send the 2xx
WAIT_ACK = "ack"  # timer: 64*T1 for the ACK


class UsageStateError(ValueError):
    """A usage was asked to do something its current state does not allow."""


class UsageState(enum.Enum):
    """Where the 2xx to an INVITE stands."""

    ANSWERING = "Answering"  # the 2xx is built, not yet sent
    WAITING = "Waiting"  # the 2xx is out, no ACK yet
    CONFIRMED = "Confirmed"  # the ACK came
    TERMINATED = "Terminated"  # the ACK never came


@dataclass(frozen=True, slots=True)
class AckArrived:
    """The ACK for the 2xx arrived; the dialog is confirmed."""

    ack: SipRequest


@dataclass(frozen=True, slots=True)
class AckMissing:
    """64*T1 passed without an ACK: the dialog must be ended with BYE (§13.3.1.4)."""


UsageAction: TypeAlias = Send | StartTimer | CancelTimer | AckArrived | AckMissing | Terminated
_U = UsageState


class InviteUsage:
    """Re-sends one 2xx to INVITE until its ACK, then reports the ACK or its absence."""

    def __init__(
        self, response: SipResponse, *, reliable: bool, t1: float = T1, t2: float = T2
    ) -> None:
        if not 200 <= response.status < 300 or response.cseq.method != "INVITE":
            raise ValueError(f"not a 2xx to INVITE: {response.status} {response.cseq.method}")
        self.response = response
        self.reliable = reliable
        self.t1, self.t2 = t1, t2
        self._interval = t1
        self.state = _U.ANSWERING
        self._timers: set[str] = set()
        self._finished = False

    @property
    def key(self) -> tuple[str, int]:
        """What an ACK is matched on: Call-ID and CSeq number (§17.1.1.3 ACK for 2xx)."""
        return (self.response.call_id, self.response.cseq.seq)

    def start(self, now: float) -> list[UsageAction]:
        """The 2xx has been sent once: arm the re-send and the ACK wait."""
        return self._step("start", None)

    def receive(self, ack: SipRequest, now: float) -> list[UsageAction]:
        """Feed an ACK whose Call-ID and CSeq number equal :attr:`key`."""
        if ack.method != "ACK":
            raise ValueError(f"not an ACK: {ack.method}")
        return self._step("ack", ack)

    def timer_fired(self, name: str, now: float) -> list[UsageAction]:
        """Advance on the expiry of timer ``name``; ignored when it is not running."""
        if name not in self._timers:
            return []
        self._timers.discard(name)
        return self._step(f"timer_{name}", None)

    def _step(self, event: str, ack: SipRequest | None) -> list[UsageAction]:
        row = self.TABLE.get((self.state, event))
        if row is None:
            raise UsageStateError(f"InviteUsage: {event} not allowed in {self.state.name}")
        self.state, handler = row
        actions = handler(self, ack)
        if self.state in (_U.CONFIRMED, _U.TERMINATED) and not self._finished:
            self._finished = True
            stop: list[UsageAction] = [CancelTimer(n) for n in sorted(self._timers)]
            self._timers.clear()
            actions = [*stop, *actions, Terminated()]
        return actions

    def _start(self, name: str, delay: float) -> list[UsageAction]:
        self._timers.add(name)
        return [StartTimer(name, delay)]

    def _on_start(self, ack: SipRequest | None) -> list[UsageAction]:
        actions = [] if self.reliable else self._start(RETRANSMIT, self._interval)
        return actions + self._start(WAIT_ACK, 64 * self.t1)

    def _on_resend(self, ack: SipRequest | None) -> list[UsageAction]:
        self._interval = min(2 * self._interval, self.t2)
        return [Send(self.response), *self._start(RETRANSMIT, self._interval)]

    def _on_ack(self, ack: SipRequest | None) -> list[UsageAction]:
        assert ack is not None
        return [AckArrived(ack)]

    def _on_give_up(self, ack: SipRequest | None) -> list[UsageAction]:
        return [AckMissing()]

    def _nothing(self, ack: SipRequest | None) -> list[UsageAction]:
        return []

    TABLE: ClassVar[
        dict[
            tuple[UsageState, str],
            tuple[UsageState, Callable[[InviteUsage, SipRequest | None], list[UsageAction]]],
        ]
    ] = {
        (_U.ANSWERING, "start"): (_U.WAITING, _on_start),
        (_U.WAITING, f"timer_{RETRANSMIT}"): (_U.WAITING, _on_resend),
        (_U.WAITING, "ack"): (_U.CONFIRMED, _on_ack),
        (_U.WAITING, f"timer_{WAIT_ACK}"): (_U.TERMINATED, _on_give_up),
        (_U.CONFIRMED, "ack"): (_U.CONFIRMED, _nothing),
    }
