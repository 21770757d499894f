"""Calls and legs of the B2BUA, and the line state of each extension derived from them.

A call is the caller's leg (``a``: we are its UAS) plus one leg per phone we ring (``forks``:
we are their UAC); when a phone answers, its fork becomes ``b`` and the others are cancelled.
Each leg owns one RTP endpoint on the PBX, so media is anchored and every later feature is a
re-wiring of legs (:mod:`pbx_core.media.connections`). Plain data: the call machine
(:mod:`pbx_core.signaling.callmachine`) moves the states.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from pbx_core.ids import CallId, LegId
from pbx_core.media import CodecSpec, MediaLeg, SessionDescription
from pbx_core.permissions import Member
from pbx_core.signaling.dialog import Dialog
from pbx_core.signaling.message import SipRequest
from pbx_core.signaling.refer import Replaces
from pbx_core.signaling.reliable import ReliableProvisionals
from pbx_core.signaling.session_timer import SessionTerms, SessionTimer
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import SipUri
from pbx_core.signaling.useragent import ServerTransactionHandle
from pbx_core.store import CallReason, CallRecord

__all__ = [
    "Call",
    "CallRegistry",
    "Contact",
    "ForkTarget",
    "Leg",
    "LegState",
    "Route",
    "Transfer",
]


class LegState(enum.Enum):
    OPENING = "opening"  # its RTP port is being opened
    TRYING = "trying"
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Contact:
    """One registered phone of the callee: the URI to INVITE and where to send it."""

    uri: SipUri
    destination: Address
    route: tuple[str, ...] = ()  # the binding's Path (RFC 3327): the INVITE's Route set


@dataclass(frozen=True, slots=True)
class ForkTarget:
    """A phone to ring for a call: where (``contact``), and whose fork it is (``extension``,
    ``name``: the callee's own phone, or another number's)."""

    contact: Contact
    extension: str
    name: str | None


@dataclass(frozen=True, slots=True)
class Route:
    """What the store and the registrar say about a new call (looked up by the driver)."""

    caller_name: str | None
    callee_name: str | None
    callee_exists: bool
    contacts: tuple[Contact, ...] = ()
    caller_member: Member | None = None  # the caller's roles and department (permissions)
    callee_member: Member | None = None  # the callee's department and user groups
    unavailable: bool = False  # the callee takes no calls now (routing: 486, no phone rings)


@dataclass(eq=False, slots=True)
class Leg:
    """One side of a call: a dialog with one phone plus its RTP endpoint on the PBX."""

    leg_id: LegId
    extension: str | None
    destination: Address
    name: str | None = None  # the display name of the party on this leg
    state: LegState = LegState.OPENING
    media: MediaLeg | None = None
    dialog: Dialog | None = None
    local_tag: str = ""
    server_tx: ServerTransactionHandle | None = None  # the caller's INVITE (leg a)
    target: SipUri | None = None  # the phone's contact (forks)
    route: tuple[str, ...] = ()  # the Route set of our INVITE to it (a binding's Path)
    invite: SipRequest | None = None  # our INVITE to the phone (forks)
    offer: SessionDescription | None = None  # the caller's offer (leg a)
    holding: bool = False  # this phone put the call on hold
    referring: bool = False  # this phone sent REFER: it gets the NOTIFYs (RFC 3515 §2.4.4)
    reinvite_out: SipRequest | None = None  # our re-INVITE waiting for its answer
    reinvite_in: ServerTransactionHandle | None = None  # its re-INVITE waiting on the peer
    reinvite_answer: SessionDescription | None = None  # our answer to ``reinvite_in``
    was_holding: bool = False  # ``holding`` before ``reinvite_in``
    awaiting_answer: bool = False  # our offer went in a 2xx; the answer comes in the ACK
    reinvite_retries: int = 0  # our re-INVITEs on this leg that got 491 (§14.1)
    allows_update: bool = False  # the phone listed UPDATE in Allow (RFC 3311)
    session: SessionTimer | None = None  # the session timer of this dialog (RFC 4028)
    session_terms: SessionTerms | None = None  # for the 2xx to the request being answered
    reliable: ReliableProvisionals | None = None  # the caller requires 100rel (RFC 3262)
    final_status: int | None = None  # the final status of the INVITE (ours to a fork, or ours
    # to the caller on leg a: 200, 486, 603, 487...)

    @classmethod
    def fork(cls, leg_id: LegId, extension: str | None, contact: Contact, name: str | None) -> Leg:
        """A fork ringing ``contact`` (its URI, where to send, its Route set) for ``extension``."""
        return cls(
            leg_id, extension, contact.destination, name=name, target=contact.uri,
            route=contact.route,
        )  # fmt: skip


@dataclass(eq=False, slots=True)
class Transfer:
    """A transfer under way in a call: the target (or, on recall, the transferor) rings."""

    transferor: str | None  # who transferred (rung again on recall)
    transferor_name: str | None
    target: str
    leg: LegId | None = None  # the transferor's leg while it is still in the call
    phase: str = "routing"  # "routing", "ringing", then "recall"
    parked_slot: str | None = None  # a recall of a parked call goes back to the lot
    device: str | None = None  # ring only this Contact of the target (moving a call)


@dataclass(eq=False, slots=True)
class Call:
    """A call between a caller and an extension (or a service such as the echo test)."""

    call_id: CallId
    caller: str
    callee: str
    caller_name: str | None
    callee_name: str | None
    a: Leg
    started_at: datetime
    forks: list[Leg] = field(default_factory=list)
    b: Leg | None = None
    answered_at: datetime | None = None
    ended: bool = False
    service: str | None = None  # "echo", "conference", "pickup", "retrieve", "intrude", ...
    codecs: list[CodecSpec] = field(default_factory=list)  # offered to the forks
    caller_member: Member | None = None  # who may pick up and intrude (permissions)
    callee_member: Member | None = None  # whose calls those are: department, user groups
    transfer: Transfer | None = None
    parked: str | None = None  # the park slot while parked
    room: str | None = None  # the conference room of a "conference" service call
    service_arg: str | None = None  # the extension or slot a feature code named
    intruder: Leg | None = None  # a colleague talking to ``intruded`` (``*65*``)
    intruded: Leg | None = None
    intrudes: CallId | None = None  # on the intruder's own call: the call it broke into
    replaces: Replaces | None = None  # an INVITE with Replaces (RFC 3891): the leg it takes over
    timers: set[str] = field(default_factory=set)
    picked_by: str | None = None  # a colleague whose phones ring for this call (API pickup)
    queue: str | None = None  # the queue the caller waits in (agents' INVITEs name it)
    queue_name: str | None = None  # the name agents see for it
    supervision: str | None = None  # the intruder is a supervisor: "listen", "whisper", "barge"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def record(
        self, reason: CallReason, ended_at: datetime, ended_by: str | None = None
    ) -> CallRecord:
        """The record this call leaves when it ends at ``ended_at``: the one place a call
        becomes a :class:`~pbx_core.store.CallRecord` (a call that never rang anywhere is
        recorded by the machine straight away, with no ``Call``)."""
        return CallRecord(
            call_id=self.call_id,
            caller=self.caller,
            callee=self.callee,
            caller_name=self.caller_name,
            callee_name=self.callee_name,
            started_at=self.started_at,
            answered_at=self.answered_at,
            ended_at=ended_at,
            reason=reason,
            ended_by=ended_by,
            sip_status=self.a.final_status,
        )

    def legs(self) -> list[Leg]:
        legs = [self.a, *self.forks]
        if self.b is not None and self.b not in legs:
            legs.append(self.b)
        return legs

    def peer(self, leg: Leg) -> Leg | None:
        """The leg on the other side of ``leg`` once answered."""
        if leg is self.a:
            return self.b
        return self.a if leg is self.b else None

    def extensions(self) -> frozenset[str]:
        return frozenset(leg.extension for leg in self.legs() if leg.extension)

    def answered_legs(self) -> list[Leg]:
        return [leg for leg in self.legs() if leg.state is LegState.ANSWERED]

    def new_segment(self, a: Leg, b: Leg | None, at: datetime) -> None:
        """After a transfer, park or pickup the call goes on between other parties: its record
        from now on names them (the part before was recorded when it ended)."""
        self.a, self.b = a, b
        self.forks = [f for f in self.forks if f is not a and f is not b]
        self.caller, self.caller_name = a.extension or "", a.name
        if b is not None:
            self.callee, self.callee_name = b.extension or "", b.name
        self.started_at = at
        self.answered_at = at if b is not None else None


class CallRegistry:
    """Finds calls by the caller's INVITE, legs by id and by dialog; derives line states."""

    def __init__(self) -> None:
        self.calls: dict[CallId, Call] = {}
        self._by_invite: dict[int, Call] = {}
        self._by_leg: dict[LegId, tuple[Call, Leg]] = {}
        self._by_dialog: dict[tuple[str, str], tuple[Call, Leg]] = {}

    def add(self, call: Call) -> None:
        self.calls[call.call_id] = call
        if call.a.server_tx is not None:
            self._by_invite[id(call.a.server_tx)] = call
        for leg in call.legs():
            self._by_leg[leg.leg_id] = (call, leg)

    def index_early(self, call: Call, leg: Leg) -> None:
        """Make the caller's leg findable by its early dialog (a PRACK, RFC 3262)."""
        if leg.server_tx is not None:
            self._by_dialog[(leg.server_tx.request.call_id, leg.local_tag)] = (call, leg)

    def index_dialog(self, call: Call, leg: Leg) -> None:
        """Make ``leg`` findable by its dialog (Call-ID + our tag)."""
        if leg.dialog is not None:
            self._by_dialog[(leg.dialog.call_id, leg.dialog.local_tag)] = (call, leg)

    def move(self, leg: Leg, to: Call) -> None:
        """``leg`` belongs to ``to`` from now on (pickup, park retrieval, transfers)."""
        self._by_leg[leg.leg_id] = (to, leg)
        if leg.dialog is not None:
            self._by_dialog[(leg.dialog.call_id, leg.dialog.local_tag)] = (to, leg)
        if leg.server_tx is not None:
            self._by_invite[id(leg.server_tx)] = to

    def detach(self, leg: Leg) -> None:
        """Forget a leg that left its call (the transferor after a transfer)."""
        self._by_leg.pop(leg.leg_id, None)
        if leg.dialog is not None:
            self._by_dialog.pop((leg.dialog.call_id, leg.dialog.local_tag), None)

    def drop(self, call: Call) -> None:
        """Forget a call whose legs have all moved to other calls."""
        self.calls.pop(call.call_id, None)
        if call.a.server_tx is not None and self._by_invite.get(id(call.a.server_tx)) is call:
            del self._by_invite[id(call.a.server_tx)]

    def by_invite(self, tx: ServerTransactionHandle) -> Call | None:
        return self._by_invite.get(id(tx))

    def by_leg(self, leg_id: LegId) -> tuple[Call, Leg] | None:
        return self._by_leg.get(leg_id)

    def forget_leg(self, leg_id: LegId) -> None:
        self._by_leg.pop(leg_id, None)

    def by_dialog(self, call_id: str, local_tag: str | None) -> tuple[Call, Leg] | None:
        return self._by_dialog.get((call_id, local_tag or ""))

    def remove(self, call: Call) -> None:
        """Forget an ended call; a fork whose INVITE has no final answer yet stays findable
        by id until :meth:`forget_leg` (a 2xx may still come and need ACK and BYE)."""
        self.calls.pop(call.call_id, None)
        if call.a.server_tx is not None:
            self._by_invite.pop(id(call.a.server_tx), None)
            early = (call.a.server_tx.request.call_id, call.a.local_tag)
            if self._by_dialog.get(early, (None, None))[1] is call.a:
                del self._by_dialog[early]
        for leg in call.legs():
            if leg.invite is None or leg.final_status is not None:
                self._by_leg.pop(leg.leg_id, None)
            if leg.dialog is not None:
                self._by_dialog.pop((leg.dialog.call_id, leg.dialog.local_tag), None)

    def line_state(self, extension: str) -> str:
        """ "busy" while dialling out or in a call, else "ringing" while a call rings there."""
        ringing = False
        for call in self.calls.values():
            if call.ended:
                continue
            for leg in call.legs():
                if leg.extension != extension or leg.state is LegState.ENDED:
                    continue
                if leg is call.a or leg.state is LegState.ANSWERED:
                    return "busy"
                ringing = True
        return "ringing" if ringing else "idle"
