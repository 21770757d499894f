"""pjsua2 Call subclass and the per-call record the engine thread keeps.

The record keeps the Call object alive for as long as pjsua uses it (until the
DISCONNECTED state has been handled) together with what is wired into the
call's conference slot: the audio bridge, WAV players and a recorder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pjsua2 as pj

from sip.types import AccountId, CallId, CallState

__all__ = ["CallRecord", "PjCall", "map_state"]

_log = logging.getLogger(__name__)


def map_state(inv_state: int, incoming: bool, last_code: int) -> CallState | None:
    """Translate a pjsip INVITE session state to the engine's words (None: skip)."""
    if inv_state == pj.PJSIP_INV_STATE_CALLING:
        return "calling"
    if inv_state == pj.PJSIP_INV_STATE_INCOMING:
        return "ringing"
    if inv_state == pj.PJSIP_INV_STATE_EARLY:
        return "ringing" if incoming or last_code == 180 else "early"
    if inv_state == pj.PJSIP_INV_STATE_CONNECTING:
        return "connecting"
    if inv_state == pj.PJSIP_INV_STATE_CONFIRMED:
        return "confirmed"
    if inv_state == pj.PJSIP_INV_STATE_DISCONNECTED:
        return "disconnected"
    return None


class PjCall(pj.Call):  # type: ignore[misc]
    """Forwards call callbacks to the engine core by our own call id."""

    def __init__(
        self,
        account: Any,
        pj_call_id: int,
        call_id: CallId,
        hooks: _Hooks,
    ) -> None:
        super().__init__(account, pj_call_id)
        self.call_id = call_id
        self._hooks = hooks

    def onCallState(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback name
        self._guard(self._hooks.state, self.call_id)

    def onCallMediaState(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback name
        self._guard(self._hooks.media, self.call_id)

    def onDtmfDigit(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback name
        digit = str(prm.digit)
        self._guard(lambda cid: self._hooks.dtmf(cid, digit), self.call_id)

    def onCallTransferStatus(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback name
        code, reason, final = int(prm.statusCode), str(prm.reason), bool(prm.finalNotify)
        self._guard(lambda cid: self._hooks.transfer(cid, code, reason, final), self.call_id)

    def onCallTransferRequest(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback name
        """The remote REFERs us (RFC 3515): pjsua calls the target; without a Call of our own
        in ``prm.newCall`` it would reuse this call's object for the new call."""
        try:
            prm.newCall = self._hooks.referred(self.call_id)
        except Exception:
            _log.exception("accepting the transfer of %s failed", self.call_id)

    def onCallReplaced(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback name
        """An INVITE with Replaces (RFC 3891) took this call's place: pjsua2 needs the new
        call's object in ``prm.newCall`` (without one it makes a bare Call we never see)."""
        try:
            prm.newCall = self._hooks.replaced(self.call_id, int(prm.newCallId))
        except Exception:
            _log.exception("replacing call %s failed", self.call_id)

    @staticmethod
    def _guard(fn: Callable[[CallId], None], call_id: CallId) -> None:
        try:
            fn(call_id)
        except Exception:
            _log.exception("call handler failed for %s", call_id)


@dataclass(slots=True)
class _Hooks:
    state: Callable[[CallId], None]
    media: Callable[[CallId], None]
    dtmf: Callable[[CallId, str], None]
    transfer: Callable[[CallId, int, str, bool], None]
    replaced: Callable[[CallId, int], Any]
    referred: Callable[[CallId], Any]


Hooks = _Hooks


@dataclass(slots=True)
class CallRecord:
    """What the engine thread knows about one live call."""

    call_id: CallId
    account_id: AccountId
    incoming: bool
    call: PjCall
    muted: bool = False
    held_by_us: bool = False
    held_by_remote: bool = False
    media_active: bool = False
    media: Any = None
    players: list[Any] = field(default_factory=list)
    recorder: Any = None
    last_state: CallState | None = None

    def audio_status(self) -> int:
        """The pjsua media status of the call's first audio stream."""
        info = self.call.getInfo()
        for media in info.media:
            if media.type == pj.PJMEDIA_TYPE_AUDIO:
                return int(media.status)
        return int(pj.PJSUA_CALL_MEDIA_NONE)


class SilencePort(pj.AudioMediaPort):  # type: ignore[misc]
    """Feeds zeros to every call so its stream keeps sending RTP while muted or held.

    Without a source the conference bridge hands the stream empty frames, RTP
    stops, and the remote's jitter buffer needs half a second to recover when
    audio returns.
    """

    def __init__(self, clock_rate: int, frame_ms: int) -> None:
        super().__init__()
        samples = clock_rate * frame_ms // 1000
        self._zeros = pj.ByteVector(bytes(2 * samples))
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, clock_rate, 1, frame_ms * 1000, 16)
        self.createPort("silence", fmt)

    def onFrameRequested(self, frame: Any) -> None:  # noqa: N802 - pjsua2 callback name
        frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
        frame.buf = self._zeros
