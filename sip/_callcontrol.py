"""Call control on the engine thread: transfer (RFC 3515, RFC 3891), local conference, quality.

- Blind transfer: REFER with ``Refer-To: <target>`` (``Call.xfer``); attended transfer: REFER
  whose ``Refer-To`` names our other call with ``Replaces`` (``Call.xferReplaces``). Both carry
  ``Referred-By`` (RFC 3892) with our address. pjsua reports the REFER's response and each
  NOTIFY's sipfrag in ``onCallTransferStatus``; they go out as :class:`TransferProgress`, and a
  transfer that succeeded hangs the call up (it has been handed over).
- Local conference: up to :data:`MAX_CONFERENCE` calls whose conference-bridge slots transmit to
  each other (our microphone and speaker are connected to every call anyway), so each party
  hears all the others and us. Meet-me rooms (8000-8009) are the PBX's, not this.
- Quality: every :data:`QUALITY_INTERVAL_S` the receive statistics of each call with media
  (``Call.getStreamStat``) become a :class:`CallQuality` with a MOS estimate.

The pure parts (:func:`stage_of`, :func:`referred_by_of`, :func:`queue_of`, :func:`mos_estimate`)
need no pjsua.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pjsua2 as pj

from sip._uri import split_name_addr
from sip.errors import PjsuaError, UnknownCallError
from sip.events import CallQuality, ConferenceChanged, EngineEvent, TransferProgress
from sip.types import CallId, TransferStage

__all__ = [
    "MAX_CONFERENCE",
    "QUALITY_INTERVAL_S",
    "CallControl",
    "mos_estimate",
    "queue_of",
    "referred_by_of",
    "stage_of",
]

MAX_CONFERENCE = 8
QUALITY_INTERVAL_S = 2.0
_log = logging.getLogger(__name__)
_REFERRED_BY = re.compile(r"^(?:referred-by|b)[ \t]*:[ \t]*(.+)$", re.IGNORECASE | re.MULTILINE)
_X_QUEUE = re.compile(r"^x-queue[ \t]*:[ \t]*(.+)$", re.IGNORECASE | re.MULTILINE)


def stage_of(code: int, final: bool) -> TransferStage:
    """The stage of a transfer from the status pjsua reports (a sipfrag's or the REFER's).

    100 is "trying"; any other provisional status, or 2xx while the subscription goes on
    (202 Accepted to the REFER), is "accepted"; a final NOTIFY with 2xx "succeeded"; a final
    one with anything else, or an error status, "failed".
    """
    if code >= 300:
        return "failed"
    if final:
        return "succeeded" if 200 <= code < 300 else "failed"
    return "trying" if code == 100 else "accepted"


def referred_by_of(message: str) -> tuple[str, str]:
    """``(display_name, uri)`` of the ``Referred-By`` (compact ``b``) header of a raw request."""
    return _name_addr_header(message, _REFERRED_BY)


def queue_of(message: str) -> tuple[str, str]:
    """``(shown_name, uri)`` of the PBX's ``X-Queue: "Support" <sip:1500@pbx>`` header of a raw
    INVITE: the call rings us for that queue; ``("", "")`` without one (or a broken one)."""
    return _name_addr_header(message, _X_QUEUE)


def _name_addr_header(message: str, header: re.Pattern[str]) -> tuple[str, str]:
    head = message.split("\r\n\r\n", 1)[0].replace("\r\n", "\n")
    match = header.search(head)
    if match is None:
        return "", ""
    value = match.group(1).strip()
    try:
        name, uri = split_name_addr(value)
    except ValueError:
        return "", ""
    return name, uri.split(";", 1)[0]


def mos_estimate(loss_percent: float, jitter_ms: float, rtt_ms: float) -> float:
    """Mean opinion score 1.0-4.5 from the simplified E-model (ITU-T G.107).

    Effective latency is half the round trip plus twice the jitter plus 10 ms of codec delay;
    each percent of loss costs 2.5 points of R.
    """
    latency = rtt_ms / 2 + 2 * jitter_ms + 10
    r = 93.2 - (latency / 40 if latency < 160 else (latency - 120) / 10)
    r -= 2.5 * max(0.0, loss_percent)
    if r <= 0:
        return 1.0
    r = min(r, 100.0)
    mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)
    return round(max(1.0, min(4.5, mos)), 2)


class CallControl:
    """Transfers, the conference and quality sampling over the engine's call table."""

    def __init__(
        self,
        calls: dict[CallId, Any],
        emit: Callable[[EngineEvent], None],
        hangup: Callable[[CallId], None],
    ) -> None:
        self._calls = calls
        self._emit = emit
        self._hangup = hangup
        self.members: list[CallId] = []
        self._sampled_at = 0.0

    # -- transfer -------------------------------------------------------------------------
    def transfer(self, call_id: CallId, target: str, referred_by: str) -> None:
        """REFER the remote party of ``call_id`` to ``target`` (a SIP URI)."""
        if not target.startswith(("sip:", "sips:", "tel:")):
            raise ValueError(f"transfer target must be a SIP URI: {target!r}")
        call = self._record(call_id).call
        reason = _pj_reason(partial(call.xfer, target, _referred_by_param(referred_by)))
        del call  # no frame of the error may keep the Call alive (see Core.make_call)
        if reason is not None:
            raise PjsuaError(f"transfer failed: {reason}")

    def transfer_replaces(self, call_id: CallId, other_call_id: CallId, referred_by: str) -> None:
        """REFER the remote party of ``call_id`` to the remote party of ``other_call_id``."""
        if call_id == other_call_id:
            raise ValueError("an attended transfer needs two different calls")
        call = self._record(call_id).call
        other = self._record(other_call_id).call
        prm = _referred_by_param(referred_by)
        reason = _pj_reason(partial(call.xferReplaces, other, prm))
        del call, other
        if reason is not None:
            raise PjsuaError(f"attended transfer failed: {reason}")

    def on_transfer_status(self, call_id: CallId, code: int, reason: str, final: bool) -> None:
        if call_id not in self._calls:
            return
        stage = stage_of(code, final)
        self._emit(TransferProgress(call_id, stage, code, reason))
        if stage == "succeeded":
            try:
                self._hangup(call_id)
            except Exception as exc:  # the other side may have ended it first (BYE)
                _log.info("call %s already ended after the transfer: %s", call_id, exc)

    # -- conference -----------------------------------------------------------------------
    def conference(self, call_ids: list[CallId]) -> None:
        """Mix ``call_ids`` (with the calls already in the conference) together."""
        wanted = list(dict.fromkeys([*self.members, *call_ids]))
        for call_id in wanted:
            self._record(call_id)
        if len(wanted) > MAX_CONFERENCE:
            raise ValueError(f"a conference holds at most {MAX_CONFERENCE} calls")
        if len(wanted) < 2:
            raise ValueError("a conference needs at least two calls")
        self._set_members(wanted)

    def split(self, call_id: CallId) -> None:
        """Take one call out of the conference (its audio no longer reaches the others)."""
        self._record(call_id)
        if call_id in self.members:
            rest = [c for c in self.members if c != call_id]
            self._set_members(rest if len(rest) >= 2 else [])

    def forget(self, call_id: CallId) -> None:
        """The call ended: drop it (a conference of one is no conference)."""
        if call_id in self.members:
            rest = [c for c in self.members if c != call_id]
            self._set_members(rest if len(rest) >= 2 else [], gone=call_id)

    def rewire(self) -> None:
        """A member's media came up or changed: connect its slot to the others again."""
        self._connect(self.members, True)

    def _set_members(self, members: list[CallId], gone: CallId | None = None) -> None:
        leaving = [c for c in self.members if c not in members and c != gone]
        for call_id in leaving:
            self._disconnect(call_id, self.members)
        if gone is not None:
            self._disconnect(gone, self.members)
        self.members = members
        self._connect(members, True)
        self._emit(ConferenceChanged(tuple(members)))

    def _media_of(self, call_id: CallId) -> Any:
        rec = self._calls.get(call_id)
        return None if rec is None else rec.media

    def _connect(self, members: list[CallId], on: bool) -> None:
        for a in members:
            for b in members:
                if a == b:
                    continue
                src, dst = self._media_of(a), self._media_of(b)
                if src is None or dst is None:
                    continue
                fn = src.startTransmit if on else src.stopTransmit
                reason = _pj_reason(partial(fn, dst))
                if reason is not None:
                    _log.warning("conference wiring %s -> %s failed: %s", a, b, reason)

    def _disconnect(self, call_id: CallId, members: list[CallId]) -> None:
        media = self._media_of(call_id)
        if media is None:
            return
        for other in members:
            dst = self._media_of(other)
            if other == call_id or dst is None:
                continue
            for reason in (
                _pj_reason(partial(media.stopTransmit, dst)),
                _pj_reason(partial(dst.stopTransmit, media)),
            ):
                if reason is not None:
                    _log.warning("conference unwiring %s failed: %s", call_id, reason)

    # -- quality --------------------------------------------------------------------------
    def sample_quality(self, now: float) -> None:
        """Every few seconds: a :class:`CallQuality` for each call whose media is up."""
        if now - self._sampled_at < QUALITY_INTERVAL_S:
            return
        self._sampled_at = now
        for call_id, rec in list(self._calls.items()):
            if rec.media is None or not rec.media_active or rec.last_state != "confirmed":
                continue  # only a settled call's stream is asked (never one being torn down)
            quality = _quality_of(call_id, rec.call)
            if quality is not None:
                self._emit(quality)

    def _record(self, call_id: CallId) -> Any:
        try:
            return self._calls[call_id]
        except KeyError:
            raise UnknownCallError(f"no call {call_id!r}") from None


def _pj_reason(fn: Callable[[], object]) -> str | None:
    """Run a pjsua2 call; its error's reason, or None. The error (whose frames would hold
    pjsua2 objects) does not leave this function."""
    try:
        fn()
    except pj.Error as exc:
        return str(exc.reason)
    return None


def _referred_by_param(referred_by: str) -> Any:
    """CallOpParam whose REFER carries ``Referred-By: <referred_by>`` (RFC 3892)."""
    prm = pj.CallOpParam(True)
    if referred_by:
        header = pj.SipHeader()
        header.hName = "Referred-By"
        header.hValue = f"<{referred_by}>"
        prm.txOption.headers.append(header)
    return prm


def _quality_of(call_id: CallId, call: Any) -> CallQuality | None:
    """The receive side of the first stream's RTCP statistics (None before any packet)."""
    try:
        stat = call.getStreamStat(0)
    except Exception:  # no stream (yet): nothing to say
        return None
    rx = stat.rtcp.rxStat
    received = int(rx.pkt)
    lost = int(rx.loss)
    if received + lost == 0:
        return None
    loss = 100.0 * lost / (received + lost)
    jitter = float(rx.jitterUsec.mean) / 1000.0
    rtt = float(stat.rtcp.rttUsec.mean) / 1000.0 if int(stat.rtcp.rttUsec.n) else 0.0
    mos = mos_estimate(loss, jitter, rtt)
    return CallQuality(call_id, round(loss, 2), round(jitter, 1), round(rtt, 1), mos)
