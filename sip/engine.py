"""SipEngine: the desktop client's SIP user agent, one pjsua2 Endpoint per process.

The one facade over pjsua2: every command is queued to the engine thread and returns a
:class:`sip._worker.Pending`, which a thread waits on with ``.result(timeout)`` and an asyncio
task simply awaits. There is no other layer between the application and :mod:`sip._core`.

Threading: a single engine thread owns pjsua2 (``threadCnt = 0``,
``mainThreadOnly``) and also receives RTP (no pjmedia worker thread). Public
methods may be called from any thread.
Events (:mod:`sip.events`) are passed to ``on_event`` on the engine thread, or, when the
engine was given a ``loop``, on that loop (handed over with ``call_soon_threadsafe``, so the
application never sees the engine thread). ``on_event`` must not block. Audio frames run on
pjmedia's clock thread (which exists only while a call has media) and PortAudio's threads
inside :mod:`sip.audio` and never reach ``on_event``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from sip._core import Core
from sip._worker import Pending, Worker
from sip.audio._port import BridgePort
from sip.audio.bridge import AudioBridge
from sip.config import AccountSettings, EngineConfig
from sip.errors import EngineNotRunningError
from sip.events import AudioDeviceChanged, EngineEvent
from sip.types import AccountId, CallId, DeclineCode, SoundDevice

__all__ = ["AudioSource", "Pending", "SipEngine"]

_log = logging.getLogger(__name__)

AudioSource = AudioBridge | Callable[[], AudioBridge | None] | None
"""The bridge to the sound devices, or a function that picks it (or none) at :meth:`start`."""


class SipEngine:
    """Accounts, calls, DTMF and WAV media over pjsua2, driven from one thread."""

    def __init__(
        self,
        on_event: Callable[[EngineEvent], None],
        config: EngineConfig | None = None,
        audio: AudioSource = None,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self._config = config or EngineConfig()
        self._on_event = on_event
        self._loop = loop
        self._audio_source = audio
        self._audio: AudioBridge | None = None
        self._core = Core(self._config, self._emit, self._make_port)
        self._worker = Worker(
            "sip-engine", self._config.busy_poll_ms, self._config.idle_poll_ms, self._core.wake
        )
        self._ports: tuple[int, int] | None = None
        self._started = False
        if not callable(audio):
            self._attach(audio)

    def _attach(self, audio: AudioBridge | None) -> None:
        if audio is not None and audio.clock_rate != self._config.clock_rate:
            raise ValueError("the audio bridge must run at the engine's clock rate")
        self._audio = audio
        if audio is not None:
            audio.set_device_listener(self._device_changed)

    def _make_port(self) -> Any:
        """Engine thread, at start: our conference port to the sound devices (None: none)."""
        audio = self._audio
        return BridgePort(audio, self._config.frame_ms) if audio is not None else None

    # -- lifecycle -----------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        """Start the engine thread and wait until pjsua2 is up."""
        if self._started:
            raise RuntimeError("the SIP engine is already started")
        self._started = True
        source = self._audio_source
        if callable(source):
            self._attach(source())

        def setup() -> Callable[[int], int]:
            self._ports = self._core.start()
            return self._core.pump

        self._worker.start(setup, self._core.shutdown).result(timeout)

    @property
    def started(self) -> bool:
        """True once :meth:`start` was called (also after :meth:`close`)."""
        return self._started

    def close(self, timeout: float = 10.0) -> None:
        """Hang up every call, free media and Call objects, libDestroy, join the thread."""
        self._worker.stop(timeout)

    def __enter__(self) -> SipEngine:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sip_port(self) -> int:
        """The UDP port the SIP transport listens on."""
        if self._ports is None:
            raise EngineNotRunningError("the SIP engine is not running")
        return self._ports[0]

    @property
    def sip_tcp_port(self) -> int:
        """The TCP port the SIP transport listens on."""
        if self._ports is None:
            raise EngineNotRunningError("the SIP engine is not running")
        return self._ports[1]

    @property
    def wakeups(self) -> int:
        """How many times the engine loop came out of ``libHandleEvents`` (idle cost)."""
        return self._worker.wakeups

    def sound_device(self) -> Pending[SoundDevice]:
        """What clocks the conference bridge: "none" while no call has media, else "null"."""
        return self._worker.submit(self._core.sound_device)

    def submit(self, fn: Callable[[], Any]) -> Pending[Any]:
        """Run ``fn`` on the engine thread (for components that own pjsua2 objects)."""
        return self._worker.submit(fn)

    @property
    def audio_available(self) -> bool:
        """False when calls run on the null sound device (no bridge or no sound card)."""
        return self._audio is not None and self._audio.devices_available()

    @property
    def audio_reason(self) -> str:
        """Why there is no audio, in plain words ("" when there is)."""
        if self._audio is None:
            return "no audio bridge: calls use the null sound device"
        if not self._audio.devices_available():
            return "no sound device found: calls use the null sound device"
        return ""

    def _device_changed(self, role: str, available: bool, reason: str) -> None:
        event = AudioDeviceChanged(role, available, reason)
        self._worker.submit(lambda: self._emit(event))

    def _emit(self, event: EngineEvent) -> None:
        """Engine thread: hand the event to the loop, or straight to ``on_event``."""
        if self._loop is None:
            self._deliver(event)
            return
        with contextlib.suppress(RuntimeError):  # the loop is closed: the app is quitting
            self._loop.call_soon_threadsafe(self._deliver, event)

    def _deliver(self, event: EngineEvent) -> None:
        try:
            self._on_event(event)
        except Exception:
            _log.exception("event handler failed for %r", event)

    # -- accounts ------------------------------------------------------------
    def add_account(self, settings: AccountSettings) -> Pending[AccountId]:
        """Create the profile's account; it registers at once when ``settings.register``."""
        return self._worker.submit(lambda: self._core.add_account(settings))

    def register(self, account_id: AccountId) -> Pending[None]:
        """Send REGISTER now (and keep refreshing)."""
        return self._worker.submit(lambda: self._core.set_registration(account_id, True))

    def unregister(self, account_id: AccountId) -> Pending[None]:
        """Remove the binding (REGISTER with Expires: 0)."""
        return self._worker.submit(lambda: self._core.set_registration(account_id, False))

    def remove_account(self, account_id: AccountId) -> Pending[None]:
        """Hang up the account's calls, unregister and forget it."""
        return self._worker.submit(lambda: self._core.remove_account(account_id))

    def network_changed(self) -> Pending[None]:
        """Tell pjsua the IP address changed: it re-creates transports and re-registers."""
        return self._worker.submit(self._core.handle_ip_change)

    # -- calls ---------------------------------------------------------------
    def call(self, uri: str, account_id: AccountId | None = None) -> Pending[CallId]:
        """Send INVITE to ``uri`` from the account (default: the first one)."""
        return self._worker.submit(lambda: self._core.make_call(account_id, uri))

    def answer(self, call_id: CallId) -> Pending[None]:
        """Answer a ringing incoming call with 200 OK."""
        return self._worker.submit(lambda: self._core.answer(call_id))

    def decline(self, call_id: CallId, code: DeclineCode = 486) -> Pending[None]:
        """Reject a ringing incoming call: 486 Busy Here or 603 Decline."""
        return self._worker.submit(lambda: self._core.decline(call_id, code))

    def hangup(self, call_id: CallId) -> Pending[None]:
        """End a call in any state (CANCEL, final response or BYE as fits)."""
        return self._worker.submit(lambda: self._core.hangup(call_id))

    def set_mute(self, call_id: CallId, muted: bool) -> Pending[None]:
        """Stop (or restart) sending our audio to the remote."""
        return self._worker.submit(lambda: self._core.set_mute(call_id, muted))

    def hold(self, call_id: CallId) -> Pending[None]:
        """Put the call on hold (re-INVITE, a=sendonly); our audio stops too."""
        return self._worker.submit(lambda: self._core.hold(call_id))

    def resume(self, call_id: CallId) -> Pending[None]:
        """Take the call off hold (re-INVITE, a=sendrecv)."""
        return self._worker.submit(lambda: self._core.resume(call_id))

    def send_dtmf(self, call_id: CallId, digits: str) -> Pending[None]:
        """Send digits as RFC 4733 telephone-events."""
        return self._worker.submit(lambda: self._core.send_dtmf(call_id, digits))

    # -- call control --------------------------------------------------------
    def transfer(self, call_id: CallId, target: str) -> Pending[None]:
        """Blind transfer: REFER the remote party to ``target`` (a SIP URI).

        Progress arrives as :class:`sip.events.TransferProgress`; on success the engine hangs
        the call up itself.
        """
        core = self._core
        return self._worker.submit(
            lambda: core.control.transfer(call_id, target, core.account_uri(call_id))
        )

    def transfer_replaces(self, call_id: CallId, other_call_id: CallId) -> Pending[None]:
        """Attended transfer: connect the remote of ``call_id`` to the remote of the other call.

        The REFER on ``call_id`` names ``other_call_id``'s dialog in ``Replaces`` (RFC 3891).
        """
        core = self._core
        return self._worker.submit(
            lambda: core.control.transfer_replaces(
                call_id, other_call_id, core.account_uri(call_id)
            )
        )

    def conference(self, call_ids: list[CallId]) -> Pending[None]:
        """Mix these calls (and those already in the conference) in the bridge; at most 8."""
        return self._worker.submit(lambda: self._core.control.conference(list(call_ids)))

    def split(self, call_id: CallId) -> Pending[None]:
        """Take one call out of the local conference (it stays connected to us alone)."""
        return self._worker.submit(lambda: self._core.control.split(call_id))

    def call_ids(self) -> Pending[list[CallId]]:
        """The calls pjsua still knows about."""
        return self._worker.submit(self._core.call_ids)

    # -- WAV media -----------------------------------------------------------
    def play_wav(self, call_id: CallId, path: str, loop: bool = True) -> Pending[None]:
        """Send a WAV file (16-bit PCM) into the call, replacing any file playing."""
        return self._worker.submit(lambda: self._core.play_wav(call_id, path, loop))

    def stop_playback(self, call_id: CallId) -> Pending[None]:
        """Stop sending the WAV file."""
        return self._worker.submit(lambda: self._core.stop_playback(call_id))

    def start_recording(self, call_id: CallId, path: str) -> Pending[None]:
        """Record what the remote sends into a WAV file."""
        return self._worker.submit(lambda: self._core.start_recording(call_id, path))

    def stop_recording(self, call_id: CallId) -> Pending[None]:
        """Close the recording; the file is complete when the future resolves."""
        return _flatten(self._worker.submit(lambda: self._core.stop_recording(call_id)))


def _flatten(outer: Future[Future[None]]) -> Pending[None]:
    """A future that resolves when the future returned by ``outer`` does."""
    result: Pending[None] = Pending()

    def inner_done(inner: Future[None]) -> None:
        exc = inner.exception()
        if exc is not None:
            result.set_exception(exc)
        else:
            result.set_result(None)

    def outer_done(fut: Future[Future[None]]) -> None:
        exc = fut.exception()
        if exc is not None:
            result.set_exception(exc)
        else:
            fut.result().add_done_callback(inner_done)

    outer.add_done_callback(outer_done)
    return result
