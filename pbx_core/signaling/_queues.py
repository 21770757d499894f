"""Queue calls in the call machine, sans-IO (P9; the queue itself: :mod:`pbx_core.acd`).

A call to a queue's number is a service call with only the caller's leg. Once its RTP port is
open the machine asks the queue desk (the ACD driver) whether the caller may wait: a full queue
answers 486 (or sends the caller to its overflow number); a caller who may wait is answered and
hears the welcome prompt, then music (or ringback). The desk then rings agents as forks of the
same call (:meth:`QueueCalls.queue_offer`, each INVITE naming the queue in ``X-Queue``); the
first agent to answer is connected and the call goes on as any other (hold, transfer, park);
when every phone rung refuses, the desk hears of it and offers the caller again. ``*11*<code>*``
and ``**11*<code>*`` log the caller in to or out of a queue; the desk confirms and hangs up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from pbx_core.acd.call_events import (
    QueueCallAnswered,
    QueueCodeAnswered,
    QueueOfferFailed,
    QueueSays,
)
from pbx_core.errors import MediaError
from pbx_core.ids import CallId
from pbx_core.media import CONFERENCE_CODECS, CodecSpec
from pbx_core.media.connections import ConnectPrompt, ConnectTone
from pbx_core.permissions import Member, Permission
from pbx_core.signaling._call_actions import CallAction, FindRoute, LinesChanged, Publish
from pbx_core.signaling._forks import Forks
from pbx_core.signaling.callcontrol import CallOptions
from pbx_core.signaling.calls import Call, ForkTarget, Leg, LegState, Transfer
from pbx_core.store import CallReason

__all__ = ["QUEUE_HEADER", "Admission", "QueueCalls", "QueueDesk"]

_L = LegState
QUEUE_HEADER = "X-Queue"  # on the INVITE to an agent: "<shown name>" <sip:<queue>@<host>>
QUEUE_SERVICES = ("queue", "queue-login", "queue-logout")


@dataclass(frozen=True, slots=True)
class Admission:
    """The desk's answer to a caller arriving: ``wait`` (with ``prompts`` first, then
    ``music`` or ``ringing``), ``busy`` (486), ``forward`` to ``number``, or ``message``:
    answer, say ``prompts`` and hang up (closed)."""

    verdict: Literal["wait", "busy", "forward", "message"]
    prompts: tuple[str, ...] = ()
    then: Literal["music", "ringing"] = "music"
    number: str | None = None
    queue: str | None = None  # where the caller waits (another queue after an overflow)
    name: str | None = None  # that queue's name for agents


class QueueDesk(Protocol):
    """What the call machine asks of the queues (the ACD driver)."""

    def queue_name(self, number: str) -> str | None:
        """The name agents see for queue ``number``; None when it is not a queue."""
        ...

    def admit(
        self, call_id: CallId, queue: str, caller: str, caller_name: str | None
    ) -> Admission: ...

    def supervises(self, queue: str, extension: str) -> bool:
        """Whether ``extension`` is a supervisor of ``queue``."""
        ...


class QueueCalls(Forks):
    """The machine's queue handlers; ``queue_desk`` is None until the ACD attaches."""

    queue_desk: QueueDesk | None = None
    options: CallOptions
    _country: str

    if TYPE_CHECKING:  # the machine's own, found later in its MRO (never shadowed here)

        def _answer_leg(
            self,
            call: Call,
            leg: Leg,
            prefer: Leg | None = None,
            codecs: Sequence[CodecSpec] | None = None,
        ) -> list[CallAction]: ...

        def _refuse(self, call: Call, status: int) -> list[CallAction]: ...

        def _disarm_all(self, call: Call) -> list[CallAction]: ...

        @staticmethod
        def _may(
            call: Call, permission: Permission, extension: str, target: Member | None
        ) -> bool: ...

        def _end(
            self, call: Call, reason: CallReason, ended_by: str | None = None
        ) -> list[CallAction]: ...

    def _queue_service(self, call: Call) -> list[CallAction]:
        """A call to a queue, or a queue code, has its RTP port."""
        if call.service == "queue":
            return self._queue_ready(call)
        if call.service in ("listen", "whisper", "barge"):
            return self._supervise(call)
        return self._queue_code(call)

    def _supervise(self, call: Call) -> list[CallAction]:
        """``*66*``/``*67*``/``*68*<ext>*``: a queue's supervisor joins ``ext``'s queue call
        listening, whispering to the agent, or talking to both."""
        desk, extension = self.queue_desk, call.service_arg
        found = next(
            (
                (other, leg)
                for other in self.registry.calls.values()
                if not other.ended
                and other.queue is not None
                and other.b is not None
                and other.intruder is None
                and other.service is None
                for leg in other.answered_legs()
                if leg.extension == extension and leg is other.b
            ),
            None,
        )
        if desk is None or found is None:
            return self._refuse(call, 404)
        target, agent = found
        assert target.queue is not None
        may = desk.supervises(target.queue, call.caller) or self._may(
            call, Permission.INTRUDE, extension or "", call.callee_member
        )
        if not may:
            return self._refuse(call, 403)
        try:
            actions = self._answer_leg(call, call.a, codecs=CONFERENCE_CODECS)
        except MediaError:
            actions = self._step(call, call.a, "reject", 488)
            return actions + self._end(call, "no-common-codec")
        target.intruder, target.intruded, target.supervision = call.a, agent, call.service
        call.intrudes = target.call_id
        return [*actions, *self._wiring(target), LinesChanged(call.extensions())]

    def queue_of(self, dialled: str) -> str | None:
        """The shown name of the queue ``dialled`` names (None: not a queue)."""
        desk = self.queue_desk
        return desk.queue_name(dialled) if desk is not None else None

    def _queue_ready(self, call: Call) -> list[CallAction]:
        desk = self.queue_desk
        queue = call.service_arg
        if desk is None or queue is None:
            return self._refuse(call, 404)
        admission = desk.admit(call.call_id, queue, call.caller, call.caller_name)
        if admission.verdict == "busy":
            return self._step(call, call.a, "reject", 486) + self._end(call, "busy")
        try:  # G.711 where the phone has it: prompts and music are mixed like a room's
            actions = self._answer_leg(call, call.a, codecs=CONFERENCE_CODECS)
        except MediaError:
            actions = self._step(call, call.a, "reject", 488)
            return actions + self._end(call, "no-common-codec")
        if admission.verdict == "message":
            says = QueueSays(call.call_id, call.a.leg_id, admission.prompts)
            return [*actions, Publish(says), LinesChanged(call.extensions())]
        call.queue = admission.queue or queue
        call.queue_name = admission.name or call.callee_name
        if admission.verdict == "forward" and admission.number:
            return actions + self.queue_forward(call.call_id, admission.number)
        actions += self._queue_sound(call, admission.prompts, admission.then)
        return [*actions, LinesChanged(call.extensions())]

    def _queue_sound(
        self, call: Call, prompts: tuple[str, ...], then: Literal["music", "ringing"]
    ) -> list[CallAction]:
        leg = call.a.leg_id
        if then == "ringing" and not prompts:
            return [ConnectTone(leg, "ringback", self._country)]
        if then == "ringing":  # the prompts, then silence: ringback needs its own connection
            return [ConnectPrompt(leg, prompts, self.options.language, "silence")]
        return [ConnectPrompt(leg, prompts, self.options.language, "music")]

    def _queue_code(self, call: Call) -> list[CallAction]:
        if self.queue_desk is None or call.service_arg is None:
            return self._refuse(call, 404)
        try:
            actions = self._answer_leg(call, call.a)
        except MediaError:
            actions = self._step(call, call.a, "reject", 488)
            return actions + self._end(call, "no-common-codec")
        login = call.service == "queue-login"
        code = QueueCodeAnswered(call.call_id, call.a.leg_id, call.caller, call.service_arg, login)
        return [*actions, Publish(code), LinesChanged(call.extensions())]

    def queue_take(self, call_id: CallId, queue: str) -> list[CallAction]:
        """A ringing call nobody answered goes to ``queue`` (a routing rule's queue step):
        the phones stop ringing and the caller is answered by the queue."""
        call = self.registry.calls.get(call_id)
        name = self.queue_of(queue)
        if (
            call is None
            or call.ended
            or name is None
            or call.b is not None
            or call.service is not None
            or call.transfer is not None
            or call.a.state not in (_L.TRYING, _L.RINGING)
        ):
            return []
        actions: list[CallAction] = []
        for fork in call.forks:
            if fork.state in (_L.OPENING, _L.TRYING, _L.RINGING):
                actions += self._step(call, fork, "cancel")
        actions += self._disarm_all(call)
        call.service, call.service_arg = "queue", queue
        call.callee, call.callee_name, call.callee_member = queue, name, None
        return actions + self._queue_ready(call)

    # -- what the desk asks ----------------------------------------------------------------

    def _waiting(self, call_id: CallId) -> Call | None:
        """A queue call whose caller is answered and waits for an agent."""
        call = self.registry.calls.get(call_id)
        if (
            call is None
            or call.ended
            or call.queue is None
            or call.b is not None
            or call.transfer is not None
            or call.a.state is not _L.ANSWERED
        ):
            return None
        return call

    def queue_hear(
        self, call_id: CallId, prompts: tuple[str, ...], then: Literal["music", "ringing"]
    ) -> list[CallAction]:
        """The waiting caller hears ``prompts``, then music or ringback."""
        call = self._waiting(call_id)
        if call is None or call.a.holding:
            return []
        return self._queue_sound(call, prompts, then)

    def queue_offer(self, call_id: CallId, wanted: Sequence[ForkTarget]) -> list[CallAction]:
        """Ring exactly ``wanted`` (agents' phones) for the waiting caller; cancel the rest."""
        if self._waiting(call_id) is None:
            return []
        return self.ring_only(call_id, wanted)

    def queue_forward(self, call_id: CallId, number: str) -> list[CallAction]:
        """The waiting caller leaves the queue for ``number`` (an overflow): it rings there
        as a transfer would; when nobody answers, the call ends."""
        call = self._waiting(call_id)
        if call is None:
            return []
        actions = self.ring_only(call_id, [])
        call.queue = call.queue_name = None
        call.service = None
        call.transfer = Transfer(None, None, number, phase="recall")
        ringback = ConnectTone(call.a.leg_id, "ringback", self._country)
        return [*actions, ringback, FindRoute(call.call_id, number)]

    def queue_move(self, call_id: CallId, queue: str, name: str | None) -> list[CallAction]:
        """The waiting caller now waits in ``queue`` (an overflow into another queue)."""
        call = self._waiting(call_id)
        if call is None:
            return []
        actions = self.ring_only(call_id, [])
        call.queue, call.queue_name = queue, name
        call.callee, call.callee_name = queue, name
        return actions

    # -- what the phones did -----------------------------------------------------------------

    def _transfer_answered(self, call: Call, fork: Leg) -> list[CallAction]:
        queue = call.queue
        if queue is None or call.transfer is not None:
            return super()._transfer_answered(call, fork)
        call.service = None  # from now on an ordinary call: hold, transfer, park
        call.callee, call.callee_name = fork.extension or call.callee, fork.name
        call.callee_member = None
        actions: list[CallAction] = super()._transfer_answered(call, fork)
        answered = QueueCallAnswered(call.call_id, queue, fork.extension or "")
        return [*actions, Publish(answered)]

    def _answered_forks_failed(self, call: Call) -> list[CallAction]:
        if call.queue is not None and call.b is None and call.transfer is None:
            return [Publish(QueueOfferFailed(call.call_id, call.queue))]
        return super()._answered_forks_failed(call)
