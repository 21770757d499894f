"""The forks of a call (we are the UAC of each phone we ring, RFC 3261 §8.1, §13.2.2): the
INVITE, ringing, the first 2xx that wins, failures and the caller's final answer. Part of the
call machine (:mod:`pbx_core.signaling.callmachine`), whose table names these handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pbx_core.errors import MediaError
from pbx_core.ids import CallId, LegId
from pbx_core.media import SessionDescription
from pbx_core.signaling._call_actions import (
    CallAction,
    CancelInvite,
    LegRequest,
    LinesChanged,
    OpenMedia,
    SendAck,
    SendRequest,
)
from pbx_core.signaling._refreshes import Refreshes
from pbx_core.signaling.calls import Call, ForkTarget, Leg, LegState
from pbx_core.signaling.dialog import USER_AGENT, Dialog
from pbx_core.signaling.message import Headers, SipRequest, SipResponse, new_call_id, new_tag
from pbx_core.signaling.midcall import ALLOW, SDP
from pbx_core.signaling.session_timer import DEFAULT_INTERVAL, MIN_SE
from pbx_core.signaling.uri import NameAddr, SipUri
from pbx_core.store import CallReason

__all__ = ["Forks"]

_log = logging.getLogger(__name__)

_BUSY = (486, 600)  # 600 Busy Everywhere: the caller hears busy all the same
_DECLINE = 603
_L = LegState
_Arg = object


class Forks(Refreshes):
    """Handlers for the legs we ring; the machine's table and ``_step``/``_end`` drive them."""

    _host: str

    def _step(self, call: Call, leg: Leg, event: str, arg: _Arg = None) -> list[CallAction]:
        raise NotImplementedError

    def _end(self, call: Call, reason: CallReason, ended_by: str | None = None) -> list[CallAction]:
        raise NotImplementedError

    def _transfer_answered(self, call: Call, fork: Leg) -> list[CallAction]:
        raise NotImplementedError

    def _transfer_failed(self, call: Call) -> list[CallAction]:
        raise NotImplementedError

    def moving(self, call: Call) -> bool:
        raise NotImplementedError

    def _voicemail_instead(self, call: Call, reason: CallReason) -> bool:
        return False  # the machine's voicemail part decides (pbx_core.signaling._voicemail)

    def _to_voicemail(self, call: Call, mailbox: str, reason: CallReason) -> list[CallAction]:
        raise NotImplementedError

    def _send_invite(self, call: Call, fork: Leg, arg: _Arg) -> list[CallAction]:
        assert fork.media is not None and fork.target is not None
        sdp = bytes(fork.media.offer(codecs=call.codecs))
        headers = Headers()
        headers.add("Max-Forwards", str(_hops_left(call)))
        for hop in fork.route:  # a pre-loaded Route set: the binding's Path (RFC 3327 §5.4)
            headers.add("Route", hop)
        caller = NameAddr(SipUri(call.caller, self._host), call.caller_name)
        headers.add("From", str(caller.with_tag(new_tag())))
        headers.add("To", str(NameAddr(SipUri(call.callee, self._host), call.callee_name)))
        headers.add("Call-ID", new_call_id())
        headers.add("CSeq", "1 INVITE")
        headers.add("Contact", str(self._contact_of(fork)))
        headers.add("Allow", ALLOW)
        headers.add("Supported", "replaces, timer")
        headers.add("Session-Expires", str(DEFAULT_INTERVAL))  # RFC 4028 §7.1: the phone
        headers.add("Min-SE", str(MIN_SE))  # may take it on; its 2xx says who refreshes
        headers.add("User-Agent", USER_AGENT)
        transfer = call.transfer
        if transfer is not None and transfer.phase == "ringing" and transfer.transferor:
            by = NameAddr(SipUri(transfer.transferor, self._host), transfer.transferor_name)
            headers.add("Referred-By", str(by))  # RFC 3892: who transferred the call
        if call.queue is not None and call.queue_name is not None and transfer is None:
            headers.add("X-Queue", str(NameAddr(SipUri(call.queue, self._host), call.queue_name)))
        headers.add("Content-Type", SDP)
        fork.invite = SipRequest("INVITE", fork.target.copy(), headers, sdp)
        context = LegRequest(call.call_id, fork.leg_id, "invite")
        return [SendRequest(fork.invite, fork.destination, context)]

    def _fork_ringing(self, call: Call, fork: Leg, arg: _Arg) -> list[CallAction]:
        if call.a.state is _L.TRYING:
            return self._step(call, call.a, "ring")
        return []

    def _fork_2xx(self, call: Call, fork: Leg, arg: _Arg) -> list[CallAction]:
        assert isinstance(arg, SipResponse) and fork.invite is not None
        first = fork.dialog is None
        if first:
            fork.dialog = Dialog.as_uac(
                fork.invite, arg, destination=fork.destination, contact=self._contact_of(fork)
            )
            if not call.ended:
                self.registry.index_dialog(call, fork)
        assert fork.dialog is not None
        actions: list[CallAction] = [
            SendAck(fork.dialog.create_ack(fork.invite.cseq.seq), fork.destination)
        ]
        if not first:
            return actions  # a re-sent 2xx: the ACK above is all it needs
        taken = call.b is not None and not self.moving(call)
        if call.ended or taken or fork.state is _L.ENDED:
            return actions + self._step(call, fork, "hangup")  # lost the race: release it
        assert fork.media is not None
        try:
            fork.media.accept_answer(SessionDescription.parse(arg.body))
        except (ValueError, MediaError) as exc:
            _log.warning("call %s: unusable answer from %s: %s", call.call_id, fork.extension, exc)
            actions += self._step(call, fork, "hangup")
            fork.final_status = 488
            return actions + self._fork_failed(call, fork, None)
        return actions + self._fork_session(call, fork, arg) + self._connect(call, fork)

    def _connect(self, call: Call, fork: Leg) -> list[CallAction]:
        if call.a.state is _L.ANSWERED:  # a transfer target (or the recalled transferor)
            return self._transfer_answered(call, fork)
        call.b = fork
        actions: list[CallAction] = []
        for other in call.forks:
            if other is not fork and other.state is not _L.ENDED:
                actions += self._step(call, other, "cancel")
        a = call.a
        assert a.media is not None and fork.media is not None
        assert fork.media.codec is not None
        try:
            answer = self._caller_sdp(a, [fork.media.codec])
        except MediaError:
            actions += self._step(call, fork, "hangup") + self._step(call, a, "reject", 488)
            return actions + self._end(call, "no-common-codec")
        return actions + self._step(call, a, "answer", answer) + self._wiring(call)

    def _fork_failed(self, call: Call, fork: Leg, arg: _Arg) -> list[CallAction]:
        if call.ended or (call.b is not None and not self.moving(call)):
            return []
        if any(f.state is not _L.ENDED and f is not call.b for f in call.forks):
            return [LinesChanged(call.extensions())]
        if call.a.state is _L.ANSWERED:
            if call.transfer is not None:
                return self._transfer_failed(call)
            return self._answered_forks_failed(call)
        statuses = [f.final_status or 480 for f in call.forks]
        ended_by: str | None = None
        reason: CallReason
        if any(s in _BUSY for s in statuses):
            final, reason = 486, "busy"
        elif _DECLINE in statuses:  # the callee said no (on one phone; the others never did)
            final, reason, ended_by = _DECLINE, "declined", call.callee
        else:
            final, reason = (480 if 408 in statuses else min(statuses)), "no-answer"
        if self._voicemail_instead(call, reason):
            return self._to_voicemail(call, call.callee, reason)
        actions = self._step(call, call.a, "reject", final)
        return actions + self._end(call, reason, ended_by)

    def ring_only(self, call_id: CallId, wanted: Sequence[ForkTarget]) -> list[CallAction]:
        """While ``call_id`` still rings: ring the phones of ``wanted`` that do not ring yet
        (new forks of the same call) and cancel those not in it (a timed routing step)."""
        call = self.registry.calls.get(call_id)
        if call is None or call.ended or call.b is not None or call.a.state is _L.ENDED:
            return []
        live = [f for f in call.forks if f.state is not _L.ENDED]
        have = {str(f.target) for f in live}
        keep = {str(t.contact.uri) for t in wanted}
        actions: list[CallAction] = []
        for target in wanted:
            if str(target.contact.uri) in have:
                continue
            fork = Leg.fork(self._leg_id(), target.extension, target.contact, target.name)
            call.forks.append(fork)
            self.registry.move(fork, call)
            actions.append(OpenMedia(fork.leg_id))
        for fork in live:
            if str(fork.target) not in keep:
                actions += self._step(call, fork, "cancel")
        return [*actions, LinesChanged(call.extensions())]

    def _leg_id(self) -> LegId:  # the machine's own (earlier in its MRO)
        raise NotImplementedError

    def _answered_forks_failed(self, call: Call) -> list[CallAction]:
        """Every phone rung for a caller the PBX had answered refused: the subclass that rang
        them says what follows (voicemail takes the caller back)."""
        return []

    def _cancel_fork(self, call: Call, fork: Leg, arg: _Arg) -> list[CallAction]:
        return [CancelInvite(fork.leg_id)]


def _hops_left(call: Call) -> int:
    """Max-Forwards of the INVITE to a phone: the caller's less one, at most 70, so a call that
    loops through another PBX or a proxy ends with 483 instead of going round for ever (RFC
    7332 §3.1 asks a B2BUA to carry it on)."""
    tx = call.a.server_tx
    value = tx.request.headers.get("Max-Forwards") if tx is not None else None
    if value is None or not value.isdigit():
        return 70
    return max(0, min(70, int(value) - 1))
