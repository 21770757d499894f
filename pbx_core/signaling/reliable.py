"""Reliable provisional responses (RFC 3262) on the answering side, as a machine, sans-IO.

A caller whose INVITE says ``Require: 100rel`` gets its 180 reliably: with ``Require: 100rel``
and an ``RSeq``, sent again at T1, 2·T1, 4·T1 … until the PRACK whose ``RAck`` names it arrives
(§3), and given up after 64·T1 (then the INVITE is rejected with a 5xx, §3). A PRACK that names
no provisional of ours gets 481 (§3). A caller that only lists ``100rel`` in ``Supported`` gets
ordinary provisionals, which §3 allows.

:class:`ReliableProvisionals` is fed responses to send, PRACKs and fired timers, with times in
seconds, and returns actions: ``SendProvisional`` (send this 1xx now), ``ArmResend`` (call
``fired`` after ``delay``), ``AnswerPrack`` (the status for that PRACK), ``NoPrack`` (64·T1
passed unacknowledged). Every transition is one row of ``TABLE``; anything else raises
``ReliableError("100rel: <event> not allowed in <STATE>")``.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeAlias

from pbx_core.signaling._tx_base import T1
from pbx_core.signaling.message import SipRequest, SipResponse

__all__ = [
    "AnswerPrack",
    "ArmResend",
    "NoPrack",
    "ReliableAction",
    "ReliableError",
    "ReliableProvisionals",
    "ReliableState",
    "SendProvisional",
]


class ReliableError(ValueError):
    """The machine was fed an event its state does not allow."""


@dataclass(frozen=True, slots=True)
class SendProvisional:
    response: SipResponse


@dataclass(frozen=True, slots=True)
class ArmResend:
    """Call :meth:`ReliableProvisionals.fired` after ``delay`` seconds."""

    delay: float


@dataclass(frozen=True, slots=True)
class AnswerPrack:
    """Answer the PRACK with ``status`` (200, or 481 when it names nothing of ours)."""

    status: int


@dataclass(frozen=True, slots=True)
class NoPrack:
    """No PRACK came for 64·T1: reject the INVITE with a 5xx (§3)."""


ReliableAction: TypeAlias = SendProvisional | ArmResend | AnswerPrack | NoPrack


class ReliableState(enum.Enum):
    IDLE = "idle"  # nothing unacknowledged
    WAITING = "waiting"  # a reliable provisional waits for its PRACK
    GAVE_UP = "gave_up"


_S = ReliableState
_Handler = Callable[["ReliableProvisionals", object], list[ReliableAction]]


class ReliableProvisionals:
    """The reliable provisionals of one INVITE we answer."""

    def __init__(self, invite: SipRequest, *, first_rseq: int | None = None) -> None:
        self.state = _S.IDLE
        self._cseq = invite.cseq.seq
        self._rseq = first_rseq if first_rseq is not None else 1 + secrets.randbelow(2**31 - 1)
        self._pending: SipResponse | None = None
        self._sent = False
        self._interval = self._armed = T1
        self._waited = 0.0

    def send(self, response: SipResponse) -> list[ReliableAction]:
        """Send ``response`` (a 101-199) reliably."""
        return self._step("send", response)

    def prack(self, request: SipRequest) -> list[ReliableAction]:
        """A PRACK arrived in the dialog."""
        return self._step("prack", request)

    def fired(self) -> list[ReliableAction]:
        """The timer of ``ArmResend`` fired."""
        if self.state is not _S.WAITING:
            return []  # a late callback
        self._waited += self._armed
        if self._waited >= 64 * T1:
            return self._step("timeout", None)
        return self._step("resend", None)

    @property
    def rseq(self) -> int:
        """The RSeq of the last reliable provisional."""
        return self._rseq

    # -- handlers ------------------------------------------------------------------------

    def _send(self, arg: object) -> list[ReliableAction]:
        assert isinstance(arg, SipResponse) and 100 < arg.status < 200
        if self._sent:
            self._rseq += 1  # §3: one more for each reliable provisional
        self._sent = True
        arg.headers.add("Require", "100rel")
        arg.headers.add("RSeq", str(self._rseq))
        self._pending, self._interval, self._armed, self._waited = arg, T1, T1, 0.0
        return [SendProvisional(arg), ArmResend(T1)]

    def _resend(self, arg: object) -> list[ReliableAction]:
        assert self._pending is not None
        self._interval *= 2
        self._armed = min(self._interval, 64 * T1 - self._waited)  # give up at 64·T1 exactly
        return [SendProvisional(self._pending), ArmResend(self._armed)]

    def _matches(self, request: SipRequest) -> bool:
        parts = (request.headers.get("RAck") or "").split()
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return False
        rseq, cseq, method = int(parts[0]), int(parts[1]), parts[2].upper()
        return rseq == self._rseq and cseq == self._cseq and method == "INVITE"

    def _prack(self, arg: object) -> list[ReliableAction]:
        assert isinstance(arg, SipRequest)
        if not self._matches(arg):
            self.state = _S.WAITING  # still waiting for the right one
            return [AnswerPrack(481)]
        self._pending = None
        return [AnswerPrack(200)]

    def _stray_prack(self, arg: object) -> list[ReliableAction]:
        assert isinstance(arg, SipRequest)
        return [AnswerPrack(200 if self._matches(arg) else 481)]  # a PRACK sent again: 200

    def _give_up(self, arg: object) -> list[ReliableAction]:
        self._pending = None
        return [NoPrack()]

    def _step(self, event: str, arg: object) -> list[ReliableAction]:
        row = self.TABLE.get((self.state, event))
        if row is None:
            raise ReliableError(f"100rel: {event} not allowed in {self.state.name}")
        self.state, handler = row
        return handler(self, arg)

    TABLE: ClassVar[dict[tuple[ReliableState, str], tuple[ReliableState, _Handler]]] = {
        (_S.IDLE, "send"): (_S.WAITING, _send),
        (_S.IDLE, "prack"): (_S.IDLE, _stray_prack),
        (_S.WAITING, "resend"): (_S.WAITING, _resend),
        (_S.WAITING, "prack"): (_S.IDLE, _prack),
        (_S.WAITING, "timeout"): (_S.GAVE_UP, _give_up),
        (_S.GAVE_UP, "prack"): (_S.GAVE_UP, _stray_prack),
    }
