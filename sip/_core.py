"""The engine thread's state: endpoint, accounts, calls and their media wiring.

Every method here runs on the engine thread (see :mod:`sip._worker`). Calls
follow RFC 3261 (INVITE, CANCEL, BYE), hold/resume RFC 3264 section 8.4, DTMF
RFC 4733 telephone-events. The conference bridge is clocked only while some
call carries media (:mod:`sip._clock`); queued commands wake the thread out of
``libHandleEvents`` (:mod:`sip._waker`).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from typing import Any

import pjsua2 as pj

from sip._accounts import PjAccount, build_account_config
from sip._callcontrol import CallControl, queue_of, referred_by_of
from sip._calls import CallRecord, Hooks, PjCall, SilencePort, map_state
from sip._clock import ConferenceClock
from sip._edge import mapped as _mapped
from sip._endpoint import Endpoint, create_endpoint, destroy_endpoint, sound_device
from sip._recording import ClosingRecordings
from sip._uri import split_name_addr
from sip._waker import Waker
from sip._wav import WavMedia
from sip.config import AccountSettings, EngineConfig
from sip.errors import PjsuaError, UnknownAccountError, UnknownCallError
from sip.events import (
    CallStateChanged,
    DtmfReceived,
    EngineEvent,
    IncomingCall,
    MediaStateChanged,
    RegistrationChanged,
)
from sip.types import AccountId, CallId, DeclineCode, SoundDevice

__all__ = ["Core"]

_log = logging.getLogger(__name__)
_DTMF_DIGITS = frozenset("0123456789*#ABCD")
_MEDIA_UP = frozenset(
    {pj.PJSUA_CALL_MEDIA_ACTIVE, pj.PJSUA_CALL_MEDIA_LOCAL_HOLD, pj.PJSUA_CALL_MEDIA_REMOTE_HOLD}
)


class Core(WavMedia):
    """Owns every pjsua2 object of the process; engine thread only."""

    def __init__(
        self,
        config: EngineConfig,
        emit: Callable[[EngineEvent], None],
        port_factory: Callable[[], Any] | None = None,
    ) -> None:
        self._config = config
        self._emit = emit
        self._port_factory = port_factory
        self._endpoint: Endpoint | None = None
        self._accounts: dict[AccountId, PjAccount] = {}
        self._calls: dict[CallId, CallRecord] = {}
        self._graveyard: list[Any] = []
        self._closing = ClosingRecordings()
        self._clock: ConferenceClock | None = None
        self._waker: Waker | None = None
        self._port: Any = None
        self._silence: Any = None
        self._ids = itertools.count(1)
        self.control = CallControl(self._calls, emit, self.hangup)
        self._hooks = Hooks(
            self._on_call_state,
            self._on_call_media,
            self._on_dtmf,
            self.control.on_transfer_status,
            self._on_replaced,
            self._on_referred,
        )

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> tuple[int, int]:
        """Create the endpoint; return the (UDP, TCP) SIP ports it listens on."""
        self._endpoint = create_endpoint(self._config)
        self._clock = ConferenceClock(self._endpoint.ep)
        self._waker = Waker(self._config.bound_address, self._endpoint.udp_port)
        self._silence = SilencePort(self._config.clock_rate, self._config.frame_ms)
        if self._port_factory is not None:
            self._port = self._port_factory()
        return self._endpoint.udp_port, self._endpoint.tcp_port

    def pump(self, timeout_ms: int) -> int:
        """Let pjsua2 handle packets, timers and queued callbacks."""
        assert self._endpoint is not None and self._clock is not None
        if self._closing:
            timeout_ms = min(timeout_ms, 10)
        timeout_ms = self._clock.timeout_ms(timeout_ms)
        count = int(self._endpoint.ep.libHandleEvents(timeout_ms))
        if self._graveyard:
            self._graveyard.clear()
        if self._closing:
            self._closing.check()
            count += 1
        self._clock.tick(hold=bool(self._closing))
        if self._calls:
            self.control.sample_quality(time.monotonic())
        return count

    def wake(self) -> None:
        """Interrupt ``libHandleEvents`` (any thread; a no-op before start)."""
        waker = self._waker
        if waker is not None:
            waker.wake()

    def sound_device(self) -> SoundDevice:
        """What clocks the conference bridge now, as pjsua reports it."""
        return sound_device(self.ep)

    def shutdown(self) -> None:
        """Hang up, drop media and Call objects, remove accounts, then libDestroy."""
        if self._endpoint is None:
            return
        ep = self._endpoint.ep
        if self._calls:
            ep.hangupAllCalls()
            deadline = time.monotonic() + 1.0
            while self._calls and time.monotonic() < deadline:
                ep.libHandleEvents(10)
        for rec in list(self._calls.values()):
            self._drop_media(rec)
        self._calls.clear()
        self._graveyard.clear()
        if self._clock is not None:
            self._clock.stop()  # no frame callback may reach a port dropped below
        if self._port is not None:
            self._port.set_in_use(False)
        self._port = None
        self._silence = None
        self._closing.release_all()
        for acc in self._accounts.values():
            acc.shutdown()
        self._accounts.clear()
        self._clock = None
        destroy_endpoint(self._endpoint)
        self._endpoint = None
        if self._waker is not None:
            self._waker.close()

    @property
    def ep(self) -> Any:
        assert self._endpoint is not None
        return self._endpoint.ep

    # -- accounts ------------------------------------------------------------
    def add_account(self, settings: AccountSettings) -> AccountId:
        assert self._endpoint is not None
        account_id = AccountId(f"account-{next(self._ids)}")
        tid = {
            "udp": self._endpoint.udp_id,
            "tcp": self._endpoint.tcp_id,
            "tls": self._endpoint.tls_id,
        }[settings.transport]
        if tid < 0:
            raise PjsuaError("this build of pjsip has no SIP over TLS")
        cfg = build_account_config(settings, tid, self._config.bound_address, self._config.rtp_port)
        acc = PjAccount(account_id, self._on_reg_state, self._on_incoming)
        with _mapped("creating the account"):
            acc.create(cfg, len(self._accounts) == 0)
        self._accounts[account_id] = acc
        return account_id

    def set_registration(self, account_id: AccountId, registered: bool) -> None:
        with _mapped("REGISTER"):
            self._account(account_id).setRegistration(registered)

    def remove_account(self, account_id: AccountId) -> None:
        acc = self._account(account_id)
        for rec in [r for r in self._calls.values() if r.account_id == account_id]:
            self.hangup(rec.call_id)
        acc.shutdown()
        del self._accounts[account_id]
        self._graveyard.append(acc)

    def handle_ip_change(self) -> None:
        with _mapped("handling the network change"):
            self.ep.handleIpChange(pj.IpChangeParam())

    def _account(self, account_id: AccountId) -> PjAccount:
        try:
            return self._accounts[account_id]
        except KeyError:
            raise UnknownAccountError(f"no account {account_id!r}") from None

    def _on_reg_state(self, acc: PjAccount, code: int, reason: str) -> None:
        info = acc.getInfo()
        expires = max(int(info.regExpiresSec), 0) if code // 100 == 2 else 0
        event = RegistrationChanged(
            acc.account_id, code, reason, expires, bool(info.regIsActive) and expires > 0
        )
        self._emit(event)

    # -- calls ---------------------------------------------------------------
    def make_call(self, account_id: AccountId | None, uri: str) -> CallId:
        if not uri.startswith(("sip:", "sips:", "tel:")):
            raise ValueError(f"call target must be a SIP URI: {uri!r}")
        if account_id is None:
            if not self._accounts:
                raise UnknownAccountError("no account to call from")
            account_id = next(iter(self._accounts))
        acc = self._account(account_id)
        call_id = CallId(f"call-{next(self._ids)}")
        call = PjCall(acc, pj.PJSUA_INVALID_ID, call_id, self._hooks)
        rec = CallRecord(call_id, account_id, incoming=False, call=call)
        self._calls[call_id] = rec
        prm = pj.CallOpParam(True)
        prm.opt.audioCount = 1
        prm.opt.videoCount = 0
        try:
            call.makeCall(uri, prm)
        except pj.Error as exc:
            reason = str(exc.reason)
        else:
            return call_id
        # no frame of the traceback may keep the Call alive past libDestroy
        if self._calls.pop(call_id, None) is not None:
            self._graveyard.append(call)
        del call, rec
        raise PjsuaError(f"INVITE failed: {reason}")

    def _on_incoming(self, acc: PjAccount, pj_call_id: int, message: str) -> None:
        call_id = CallId(f"call-{next(self._ids)}")
        call = PjCall(acc, pj_call_id, call_id, self._hooks)
        rec = CallRecord(call_id, acc.account_id, incoming=True, call=call)
        self._calls[call_id] = rec
        info = call.getInfo()
        name, uri = split_name_addr(str(info.remoteUri))
        by_name, by_uri = referred_by_of(message)
        queue_name, queue_uri = queue_of(message)
        self._emit(
            IncomingCall(call_id, acc.account_id, uri, name, by_uri, by_name, queue_uri, queue_name)
        )
        prm = pj.CallOpParam()
        prm.statusCode = 180
        call.answer(prm)

    def _on_replaced(self, old: CallId, pj_call_id: int) -> PjCall:
        """A new call replaces ``old`` (RFC 3891; pjsua answers it itself): list it as incoming."""
        rec = self._call(old)
        acc = self._account(rec.account_id)
        call_id = CallId(f"call-{next(self._ids)}")
        call = PjCall(acc, pj_call_id, call_id, self._hooks)
        self._calls[call_id] = CallRecord(call_id, acc.account_id, incoming=True, call=call)
        name, uri = split_name_addr(str(call.getInfo().remoteUri))
        self._emit(IncomingCall(call_id, acc.account_id, uri, name))
        return call

    def _on_referred(self, old: CallId) -> PjCall:
        """The remote transferred us: the call pjsua now places to the target is a new
        outgoing call of ours (listed from its first state, like any other)."""
        rec = self._call(old)
        acc = self._account(rec.account_id)
        call_id = CallId(f"call-{next(self._ids)}")
        call = PjCall(acc, pj.PJSUA_INVALID_ID, call_id, self._hooks)
        self._calls[call_id] = CallRecord(call_id, acc.account_id, incoming=False, call=call)
        return call

    def _call(self, call_id: CallId) -> CallRecord:
        try:
            return self._calls[call_id]
        except KeyError:
            raise UnknownCallError(f"no call {call_id!r}") from None

    def answer(self, call_id: CallId) -> None:
        rec = self._call(call_id)
        prm = pj.CallOpParam(True)
        prm.statusCode = 200
        with _mapped("answering"):
            rec.call.answer(prm)

    def decline(self, call_id: CallId, code: DeclineCode) -> None:
        if code not in (486, 603):
            raise ValueError("decline code must be 486 or 603")
        rec = self._call(call_id)
        prm = pj.CallOpParam()
        prm.statusCode = code
        with _mapped("declining"):
            rec.call.hangup(prm)

    def hangup(self, call_id: CallId) -> None:
        rec = self._call(call_id)
        with _mapped("hanging up"):
            rec.call.hangup(pj.CallOpParam())

    def set_mute(self, call_id: CallId, muted: bool) -> None:
        rec = self._call(call_id)
        changed = rec.muted != muted
        rec.muted = muted
        self._apply_tx_level(rec)
        if changed:
            self._emit_media(rec)

    def hold(self, call_id: CallId) -> None:
        rec = self._call(call_id)
        with _mapped("hold"):
            rec.call.setHold(pj.CallOpParam(True))
        rec.held_by_us = True
        self._apply_tx_level(rec)

    def resume(self, call_id: CallId) -> None:
        rec = self._call(call_id)
        prm = pj.CallOpParam(True)
        prm.opt.flag = pj.PJSUA_CALL_UNHOLD
        with _mapped("resume"):
            rec.call.reinvite(prm)
        rec.held_by_us = False
        self._apply_tx_level(rec)

    def send_dtmf(self, call_id: CallId, digits: str) -> None:
        if not digits or any(d not in _DTMF_DIGITS for d in digits.upper()):
            raise ValueError(f"DTMF digits must be 0-9, *, #, A-D: {digits!r}")
        rec = self._call(call_id)
        prm = pj.CallSendDtmfParam()
        prm.digits = digits.upper()
        prm.method = pj.PJSUA_DTMF_METHOD_RFC2833
        with _mapped("sending DTMF"):
            rec.call.sendDtmf(prm)

    def account_uri(self, call_id: CallId) -> str:
        """Our own address on the call's account (for ``Referred-By``)."""
        rec = self._call(call_id)
        _name, uri = split_name_addr(str(self._account(rec.account_id).getInfo().uri))
        return uri

    def call_ids(self) -> list[CallId]:
        return list(self._calls)

    def _on_call_state(self, call_id: CallId) -> None:
        rec = self._calls.get(call_id)
        if rec is None:
            return
        info = rec.call.getInfo()
        state = map_state(int(info.state), rec.incoming, int(info.lastStatusCode))
        if state is None or state == rec.last_state:
            return
        rec.last_state = state
        name, uri = split_name_addr(str(info.remoteUri))
        event = CallStateChanged(
            call_id, state, int(info.lastStatusCode), str(info.lastReason), uri, name, rec.incoming
        )
        if state != "disconnected":
            self._emit(event)
            return
        self._emit(event)  # first: a conference member ends as a member, then leaves it
        self.control.forget(call_id)
        self._drop_media(rec)
        del self._calls[call_id]
        self._graveyard.append(rec.call)

    def _on_dtmf(self, call_id: CallId, digit: str) -> None:
        if call_id in self._calls:
            self._emit(DtmfReceived(call_id, digit))

    # -- media ---------------------------------------------------------------
    def _on_call_media(self, call_id: CallId) -> None:
        rec = self._calls.get(call_id)
        if rec is None:
            return
        status = rec.audio_status()
        if status in _MEDIA_UP:
            rec.media = rec.call.getAudioMedia(-1)
            self._wire(rec)
            if call_id in self.control.members:
                self.control.rewire()
        else:
            rec.media = None
            self._update_audio_use()
        rec.media_active = status == pj.PJSUA_CALL_MEDIA_ACTIVE
        rec.held_by_remote = status == pj.PJSUA_CALL_MEDIA_REMOTE_HOLD
        if status == pj.PJSUA_CALL_MEDIA_LOCAL_HOLD:
            rec.held_by_us = True
        self._emit_media(rec)

    def _emit_media(self, rec: CallRecord) -> None:
        self._emit(
            MediaStateChanged(
                rec.call_id, rec.media_active, rec.held_by_us, rec.held_by_remote, rec.muted
            )
        )

    def _wire(self, rec: CallRecord) -> None:
        media = rec.media
        self._silence.startTransmit(media)
        if self._port is not None:
            media.startTransmit(self._port)
        if rec.recorder is not None:
            media.startTransmit(rec.recorder)
        self._apply_tx_level(rec)
        self._update_audio_use()

    def _apply_tx_level(self, rec: CallRecord) -> None:
        """Muted or held by us: nothing of ours is connected to the call's slot."""
        media = rec.media
        if media is None:
            return
        sources = ([self._port] if self._port is not None else []) + rec.players
        silent = rec.muted or rec.held_by_us
        for source in sources:
            if silent:
                source.stopTransmit(media)
            else:
                source.startTransmit(media)

    def _drop_media(self, rec: CallRecord) -> None:
        self._graveyard.extend(rec.players)
        rec.players.clear()
        if rec.recorder is not None:
            self._graveyard.append(rec.recorder)
            rec.recorder = None
        rec.media = None
        self._update_audio_use()

    def _update_audio_use(self) -> None:
        """Clock the bridge and keep the sound devices open only while some call has media."""
        in_use = any(r.media is not None for r in self._calls.values())
        if self._port is not None:
            self._port.set_in_use(in_use)
        if self._clock is not None:
            self._clock.want(in_use)
