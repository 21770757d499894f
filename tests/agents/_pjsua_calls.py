"""Calls of the pjsua2 test agent and the JSON line writer they report through.

The agent keeps every Call object alive in its table until the call is disconnected, and drops
it outside pjsua2 callbacks. Hold is RFC 3264 section 8.4 (``sendonly``); resume re-INVITEs with
``sendrecv``. Transfer sends REFER (RFC 3515), attended with ``Replaces`` (RFC 3891); the
NOTIFYs come back as ``transfer_status`` events, and after a final 2xx the call is hung up as
phones do, unless the test asked to keep it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
from typing import Any, Protocol, TextIO

import pjsua2 as pj

_MEDIA_STATUS = {
    pj.PJSUA_CALL_MEDIA_NONE: "NONE",
    pj.PJSUA_CALL_MEDIA_ACTIVE: "ACTIVE",
    pj.PJSUA_CALL_MEDIA_LOCAL_HOLD: "LOCAL_HOLD",
    pj.PJSUA_CALL_MEDIA_REMOTE_HOLD: "REMOTE_HOLD",
    pj.PJSUA_CALL_MEDIA_ERROR: "ERROR",
}
_CALL_STATE = {
    pj.PJSIP_INV_STATE_NULL: "NULL",
    pj.PJSIP_INV_STATE_CALLING: "CALLING",
    pj.PJSIP_INV_STATE_INCOMING: "INCOMING",
    pj.PJSIP_INV_STATE_EARLY: "EARLY",
    pj.PJSIP_INV_STATE_CONNECTING: "CONNECTING",
    pj.PJSIP_INV_STATE_CONFIRMED: "CONFIRMED",
    pj.PJSIP_INV_STATE_DISCONNECTED: "DISCONNECTED",
}
_WIRED = (
    pj.PJSUA_CALL_MEDIA_ACTIVE,
    pj.PJSUA_CALL_MEDIA_LOCAL_HOLD,
    pj.PJSUA_CALL_MEDIA_REMOTE_HOLD,
)
_indexes = itertools.count()


def media_status_name(status: int) -> str:
    return _MEDIA_STATUS.get(status, str(status))


def header_value(message: str, name: str, compact: str = "") -> str | None:
    """The first value of a header in a raw SIP message (full or compact name), else None."""
    names = {name.lower(), compact.lower()} - {""}
    head = re.split(r"\r?\n\r?\n", message, maxsplit=1)[0]
    for line in re.split(r"\r?\n", head)[1:]:
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in names:
            return value.strip()
    return None


def _tag_of(value: str | None) -> str | None:
    match = re.search(r";\s*tag=([^;>\s]+)", value or "")
    return match.group(1) if match else None


class Emitter:
    """Writes one JSON object per line; pjsua2 may report from its media thread, hence a lock."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self.broken = False

    def write(self, obj: dict[str, Any]) -> None:
        """Write a line; once the reader is gone (parent died) lines are dropped."""
        line = json.dumps(obj, separators=(",", ":"))
        with self._lock:
            if self.broken:
                return
            try:
                self._stream.write(line + "\n")
                self._stream.flush()
            except (OSError, ValueError):
                self.broken = True


class Owner(Protocol):
    """What a call needs from the agent that owns it."""

    player: pj.AudioMediaPlayer | None

    def emit(self, name: str, **fields: Any) -> None: ...

    def call_ended(self, call: AgentCall) -> None: ...

    def connect_media(self, call: AgentCall, media: pj.AudioMedia) -> None: ...


class AgentCall(pj.Call):  # type: ignore[misc]
    """A call that reports its state, media and DTMF as events and wires its audio."""

    def __init__(self, owner: Owner, account: pj.Account, call_id: int | None = None) -> None:
        if call_id is None:
            super().__init__(account)
        else:
            super().__init__(account, call_id)
        self.owner = owner
        self.index = next(_indexes)
        self.media: pj.AudioMedia | None = None
        self.muted = False
        self.keep_after_transfer = False
        self.incoming = call_id is not None
        self.tags: tuple[str, str] | None = None  # (ours, the other side's) once both are known

    def _note_tags(self, prm: Any) -> None:
        """The dialog's tags from a message of the call (pjsua2 does not report them)."""
        src = prm.e.body.tsxState.src
        for message in (src.rdata.wholeMsg, src.tdata.wholeMsg):
            tags = [_tag_of(header_value(message, h, c)) for h, c in (("From", "f"), ("To", "t"))]
            if tags[0] and tags[1]:
                self.tags = (tags[1], tags[0]) if self.incoming else (tags[0], tags[1])

    def onCallState(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        info = self.getInfo()
        if self.tags is None and prm.e.type == pj.PJSIP_EVENT_TSX_STATE:
            self._note_tags(prm)
        state = _CALL_STATE.get(info.state, str(info.state))
        self.owner.emit(
            "call_state",
            call=self.index,
            state=state,
            code=int(info.lastStatusCode),
            reason=str(info.lastReason),
            remote=str(info.remoteUri),
        )
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.media = None
            self.owner.call_ended(self)

    def onCallMediaState(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        info = self.getInfo()
        for i, media in enumerate(info.media):
            if media.type != pj.PJMEDIA_TYPE_AUDIO:
                continue
            status = media_status_name(media.status)
            codec = ""
            if media.status in _WIRED:
                audio = self.getAudioMedia(i)
                self.owner.connect_media(self, audio)
                if self.muted and self.owner.player is not None:
                    self.owner.player.stopTransmit(audio)
                codec = str(self.getStreamInfo(i).codecName)
            self.owner.emit(
                "media_state", call=self.index, status=status, codec=codec, dir=int(media.dir)
            )
            if media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.owner.emit("media_active", call=self.index, codec=codec)
            return

    def onDtmfDigit(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        self.owner.emit("dtmf", call=self.index, digit=str(prm.digit))

    def onCallTransferStatus(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        """A NOTIFY about our REFER: report it; a final 2xx ends the call (unless kept)."""
        code, final = int(prm.statusCode), bool(prm.finalNotify)
        self.owner.emit(
            "transfer_status", call=self.index, code=code, reason=str(prm.reason), final=final
        )
        prm.cont = True
        if final and 200 <= code < 300 and not self.keep_after_transfer:
            with contextlib.suppress(pj.Error):
                self.hangup(pj.CallOpParam())

    def transfer(self, uri: str, *, keep: bool) -> None:
        """Blind transfer: REFER with ``Refer-To: <uri>``."""
        self.keep_after_transfer = keep
        self.xfer(uri, pj.CallOpParam(True))

    def transfer_replaces(self, other: AgentCall, *, keep: bool) -> None:
        """Attended transfer: REFER whose Refer-To names `other`'s dialog in ``Replaces``."""
        self.keep_after_transfer = keep
        self.xferReplaces(other, pj.CallOpParam(True))

    def set_hold(self, *, mute: bool) -> None:
        """Put the call on hold; `mute` also stops sending our audio, as most phones do."""
        self.muted = mute
        if mute and self.media is not None and self.owner.player is not None:
            self.owner.player.stopTransmit(self.media)
        self.setHold(pj.CallOpParam(True))

    def resume(self) -> None:
        self.muted = False
        prm = pj.CallOpParam(True)
        prm.opt.flag = pj.PJSUA_CALL_UNHOLD
        self.reinvite(prm)
