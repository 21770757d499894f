"""USB headset call control wired into the app: headset buttons act like the call windows' own.

:class:`headset.HeadsetManager` calls back on its reader and poll threads; every callback is
handed to the GUI/asyncio loop with ``call_soon_threadsafe`` before a store or controller is
touched. Intents become :class:`app.controllers.calls.CallsController` calls chosen exactly as
the on-screen buttons would be (answer the ringing call, which holds the connected one; hang up
the connected call; explicit mute on/off; hold/resume; reject with 603). The calls store's
changes go the other way: the headset's call state (ring, off-hook, hold LEDs) and mute LED.

The HID backend is hidapi; ``ACME_HEADSET_BACKEND=software`` (read only in
:func:`default_backend`) gives an empty :class:`headset.SoftwareBackend` instead, for tests and
benchmarks that plug software devices into it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from app.bus import Changes
from app.call_model import ActiveCall, LiveState, focus_call, ringing_call
from app.controllers.calls import CallsController
from app.notices import Notices
from app.settings import Settings
from app.stores.calls import CallsStore
from app.stores.headset import AUTOMATIC, HeadsetDevice, HeadsetStore
from app.stores.history import HistoryStore
from app.tasks import TaskRunner
from headset import (
    CallState,
    DeviceInfo,
    HeadsetManager,
    HidapiBackend,
    HidBackend,
    Intent,
    Press,
    SoftwareBackend,
)

__all__ = [
    "BACKEND_ENV",
    "POLL_INTERVAL_S",
    "HeadsetBridge",
    "call_state_of",
    "default_backend",
    "headset_device",
]

BACKEND_ENV = "ACME_HEADSET_BACKEND"
POLL_INTERVAL_S = 2.0
_log = logging.getLogger(__name__)
T = TypeVar("T")


def default_backend() -> HidBackend:
    """hidapi; an empty SoftwareBackend when ``ACME_HEADSET_BACKEND=software``."""
    if os.environ.get(BACKEND_ENV, "").strip().lower() == "software":
        return SoftwareBackend()
    return HidapiBackend()


def headset_device(info: DeviceInfo) -> HeadsetDevice:
    return HeadsetDevice(info.device_id, info.name, info.vendor_id, info.product_id)


def call_state_of(calls: Sequence[ActiveCall]) -> tuple[CallState, bool]:
    """What the headset shows for the calls, and whether its mute LED is lit.

    A ringing call wins (so the answer button answers it, as with several calls on screen),
    then the focus call (:func:`app.call_model.focus_call`): connected, dialled or held. The
    mute LED shows the focus call's mute.
    """
    live = [c for c in calls if c.live]
    focus = focus_call(live)
    muted = focus.muted if focus is not None else False
    if ringing_call(live) is not None:
        return CallState.RINGING, muted
    if focus is None:
        return CallState.IDLE, False
    return _HEADSET_STATE[focus.state], muted


_HEADSET_STATE: dict[LiveState, CallState] = {
    "connected": CallState.ACTIVE,
    "calling": CallState.DIALING,
    "ringing": CallState.DIALING,
    "held": CallState.HELD,
}


@dataclass(slots=True)
class _Run:
    """One manager with its poll thread; ``lock`` keeps a poll and the close apart."""

    manager: HeadsetManager
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    closed: bool = False


class HeadsetBridge:
    """Headset call control for the app; plain calls from the GUI thread.

    :meth:`start` (when the session is online) opens the chosen headset and polls for
    re-plugs; the app's quit cancels the runner's tasks, which closes the device.
    """

    def __init__(
        self,
        store: HeadsetStore,
        calls: CallsStore,
        calls_ctl: CallsController,
        settings: Settings,
        notices: Notices,
        runner: TaskRunner,
        history: HistoryStore | None = None,
        *,
        backend: HidBackend | None = None,
        backend_factory: Callable[[], HidBackend] = default_backend,
        poll_interval: float = POLL_INTERVAL_S,
    ) -> None:
        self._store = store
        self._calls = calls
        self._calls_ctl = calls_ctl
        self._settings = settings
        self._notices = notices
        self._runner = runner
        self._history = history
        self._backend = backend
        self._backend_factory = backend_factory
        self._interval = poll_interval
        self._run: _Run | None = None
        self._lifetime: asyncio.Task[None] | None = None
        self._started = False
        self._pushed: tuple[CallState, bool] | None = None
        store.set_enabled(settings.headset_enabled)
        store.set_selected(settings.headset_device)
        calls.hub.subscribe(self.on_changes)

    # -- commands ------------------------------------------------------------------------
    @property
    def backend(self) -> HidBackend | None:
        """The HID backend in use (None until started, or when HID is unavailable)."""
        if self._backend is None:
            try:
                self._backend = self._backend_factory()
            except (ImportError, OSError) as exc:
                _log.warning("headset support unavailable: %s", exc)
        return self._backend

    @property
    def manager(self) -> HeadsetManager | None:
        return self._run.manager if self._run is not None else None

    def start(self) -> None:
        """Begin call control (idempotent; called each time the session comes online)."""
        self._started = True
        if self._store.enabled and self._run is None:
            self._open()

    def set_enabled(self, enabled: bool) -> None:
        """The Options menu's and Settings' "Headset call control" switch."""
        if enabled == self._store.enabled:
            return
        self._settings.headset_enabled = enabled
        self._store.set_enabled(enabled)
        if not enabled:
            self._close()
            self._store.set_devices([])
            self._store.set_current(None)
            return
        self._notices.post("warning", self._store.warning)
        if self._started:
            self._open()

    def select(self, device_id: str) -> None:
        """Use one headset by ``HeadsetDevice.device_id``, or ``AUTOMATIC``."""
        device_id = device_id or AUTOMATIC
        self._settings.headset_device = device_id
        self._store.set_selected(device_id)
        run = self._run
        if run is not None:
            with run.lock:
                if not run.closed:
                    run.manager.select(device_id)
            self._show_current(run)

    def refresh(self) -> None:
        """Look for headsets now instead of at the next poll (on its own thread)."""
        run = self._run
        if run is not None:
            threading.Thread(target=self._poll, args=(run,), daemon=True).start()

    def stop(self) -> None:
        """Release the headset until the next :meth:`start`."""
        self._started = False
        self._close()

    # -- lifecycle -----------------------------------------------------------------------
    def _open(self) -> None:
        backend = self.backend
        if backend is None:
            return
        manager = HeadsetManager(
            backend,
            lambda intent: self._hop(run, self._apply_intent, intent),
            lambda devices: self._hop(run, self._devices_changed, devices),
            lambda press: self._hop(run, self._pressed, press),
        )
        run = _Run(manager)
        self._run = run
        manager.select(self._store.selected)
        state, muted = call_state_of(self._calls.calls)
        manager.set_mute(muted)
        manager.set_call_state(state)
        self._pushed = (state, muted)
        run.thread = threading.Thread(
            target=self._poll_loop, args=(run,), name="headset-poll", daemon=True
        )
        run.thread.start()
        if self._lifetime is None or self._lifetime.done():
            self._lifetime = self._runner.spawn(
                self._until_quit(), "headset call control", lasting=True
            )

    async def _until_quit(self) -> None:
        try:
            await asyncio.Event().wait()
        finally:
            self._close()

    def _close(self) -> None:
        run, self._run = self._run, None
        if run is None:
            return
        run.stop.set()
        with run.lock:  # waits for a poll in progress, so it cannot re-open the device
            run.closed = True
            run.manager.close()
        self._pushed = None

    def _poll_loop(self, run: _Run) -> None:
        while not run.stop.is_set():
            self._poll(run)
            run.stop.wait(self._interval)

    def _poll(self, run: _Run) -> None:
        """Poll thread: re-enumerate; the manager opens, keeps or drops the device."""
        with run.lock:
            if run.closed:
                return
            try:
                run.manager.poll()
            except Exception:
                _log.exception("looking for headsets failed")
                return
        self._hop(run, self._show_current, run)

    # -- from the reader and poll threads --------------------------------------------------
    def _hop(self, run: _Run, fn: Callable[[T], None], arg: T) -> None:
        """Runs on a headset thread: never touch state here, only hop to the loop."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: the app is quitting
            self._runner.loop.call_soon_threadsafe(self._deliver, run, fn, arg)

    def _deliver(self, run: _Run, fn: Callable[[T], None], arg: T) -> None:
        if run is not self._run or run.closed:
            return  # from a manager that was closed meanwhile
        try:
            fn(arg)
        except Exception:
            _log.exception("handling a headset event failed")

    def _devices_changed(self, devices: list[DeviceInfo]) -> None:
        self._store.set_devices([headset_device(d) for d in devices])
        if self._run is not None:
            self._show_current(self._run)

    def _show_current(self, run: _Run) -> None:
        if run is not self._run:
            return
        current = run.manager.current
        self._store.set_devices([headset_device(d) for d in run.manager.devices])
        self._store.set_current(headset_device(current) if current is not None else None)

    def _pressed(self, press: Press) -> None:
        self._store.add_press(press.name, str(press.role), press.value)

    def _apply_intent(self, intent: Intent) -> None:
        """Do what the matching on-screen button does."""
        model = self._calls.model
        ctl = self._calls_ctl
        ringing, focus = model.ringing_call(), model.focus_call()
        _log.info("headset: %s", intent)
        if intent == Intent.ANSWER and ringing is not None:
            ctl.answer(ringing.key)  # holds the connected call first
        elif intent == Intent.REJECT and ringing is not None:
            ctl.decline(ringing.key)
        elif intent == Intent.HANG_UP and focus is not None:
            ctl.hangup(focus.key)
        elif intent in (Intent.MUTE_ON, Intent.MUTE_OFF) and focus is not None:
            ctl.set_mute(focus.key, intent == Intent.MUTE_ON)
        elif intent == Intent.HOLD and focus is not None and focus.state == "connected":
            ctl.hold(focus.key)
        elif intent == Intent.RESUME and (held := model.last_held()) is not None:
            ctl.resume(held.key)
        elif intent == Intent.REDIAL and model.idle:
            number = self._last_dialled()
            if number:
                ctl.dial(number)

    def _last_dialled(self) -> str | None:
        if self._history is None:
            return None
        entry = next((e for e in self._history.entries if e.direction == "outgoing"), None)
        return entry.number if entry is not None else None

    # -- app state to the headset ---------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        """A call change (on the hub): tell the headset the call state and mute."""
        if changes.touches("calls"):
            self._push_call_state()

    def _push_call_state(self) -> None:
        run = self._run
        if run is None:
            return
        state, muted = call_state_of(self._calls.calls)
        pushed = self._pushed
        if pushed is not None and pushed == (state, muted):
            return
        if pushed is None or pushed[1] != muted:
            run.manager.set_mute(muted)
        if pushed is None or pushed[0] != state:
            run.manager.set_call_state(state)
        self._pushed = (state, muted)
