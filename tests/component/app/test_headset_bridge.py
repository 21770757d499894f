"""The bridge's choices without SIP: which call each headset intent acts on, what the headset
shows for several calls, switching call control off and choosing a device (kept in settings)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.call_model import ActiveCall
from app.headless import qt_loop
from app.headset import HeadsetBridge, call_state_of
from app.notices import Notices
from app.settings import Settings
from app.stores.calls import CallsStore
from app.stores.headset import AUTOMATIC, HeadsetStore
from app.tasks import TaskRunner
from headset import CallState, DeviceInfo, Intent, SoftwareBackend, SoftwareDevice
from sip import AccountId, CallId, CallStateChanged, IncomingCall, MediaStateChanged
from tests.component.app._wait import until
from tests.headset.conftest import load
from tests.ui.fakes import FakeCallActions


def _call(key: str, state: str, direction: str = "incoming", **kw: Any) -> ActiveCall:
    return ActiveCall(key, direction, "202", None, state, **kw)  # type: ignore[arg-type]


def test_what_the_headset_shows_for_several_calls() -> None:
    assert call_state_of([]) == (CallState.IDLE, False)
    held, connected = _call("a", "held", muted=True), _call("b", "connected", muted=True)
    ringing = _call("c", "incoming")
    assert call_state_of([held]) == (CallState.HELD, True)
    assert call_state_of([held, connected]) == (CallState.ACTIVE, True)
    assert call_state_of([connected, ringing]) == (CallState.RINGING, True)
    assert call_state_of([_call("d", "calling", "outgoing")]) == (CallState.DIALING, False)
    assert call_state_of([_call("e", "ended")]) == (CallState.IDLE, False)


@pytest.fixture
def bridge(qapp: Any, tmp_path: Path) -> Iterator[tuple[HeadsetBridge, Any, CallsStore, Any]]:
    loop = qt_loop()
    asyncio.set_event_loop(loop)
    backend = SoftwareBackend()
    info = DeviceInfo(b"/dev/hidraw5", 0x1395, 0x009C, "EPOS", "IMPACT D1", "E1", 0x0B, 5, 1)
    device = SoftwareDevice(info, load("epos-impact-d1"))
    backend.plug(device)
    calls, ctl, notices = CallsStore(), FakeCallActions(), Notices()
    runner = TaskRunner(loop, notices)
    store = HeadsetStore()
    b = HeadsetBridge(
        store,
        calls,
        ctl,
        Settings(tmp_path / "s.ini"),
        notices,
        runner,
        backend=backend,  # type: ignore[arg-type]
    )
    b.start()
    loop.run_until_complete(until(lambda: store.current is not None, 5, "headset in use"))
    try:
        yield b, loop, calls, ctl
    finally:
        loop.run_until_complete(runner.cancel_all())
        loop.close()
        asyncio.set_event_loop(None)


def _intent(b: HeadsetBridge, loop: Any, intent: Intent) -> None:
    manager = b.manager
    assert manager is not None
    manager._on_intent(intent)  # as the reader thread delivers it
    loop.run_until_complete(asyncio.sleep(0.05))


def test_intents_act_like_the_call_window_buttons(bridge: Any) -> None:
    b, loop, calls, ctl = bridge
    _intent(b, loop, Intent.MUTE_ON)  # no call: nothing to mute
    assert ctl.calls == []
    for key in ("a", "b"):
        calls.apply(CallStateChanged(CallId(key), "confirmed", 200, "OK", "sip:202@pbx", "", False))
    calls.apply(MediaStateChanged(CallId("a"), False, True, False))
    _intent(b, loop, Intent.HOLD)
    _intent(b, loop, Intent.MUTE_OFF)
    _intent(b, loop, Intent.HANG_UP)
    calls.apply(MediaStateChanged(CallId("b"), False, True, False))
    _intent(b, loop, Intent.RESUME)  # the last held call
    calls.apply(IncomingCall(CallId("c"), AccountId("a"), "sip:203@pbx", ""))
    _intent(b, loop, Intent.ANSWER)
    _intent(b, loop, Intent.REJECT)
    assert ctl.calls == [
        ("hold", ("b",)),
        ("set_mute", ("b", False)),
        ("hangup", ("b",)),
        ("resume", ("b",)),
        ("answer", ("c",)),
        ("decline", ("c",)),
    ]


def test_switching_off_releases_the_headset_and_keeps_choices(bridge: Any, tmp_path: Path) -> None:
    b, loop, _calls, _ctl = bridge
    store = b._store
    device_id = store.devices[0].device_id
    b.select(device_id)
    assert store.selected == device_id and store.current is not None
    b.set_enabled(False)
    assert b.manager is None and store.current is None and not store.enabled
    settings = Settings(tmp_path / "s.ini")
    assert (settings.headset_enabled, settings.headset_device) == (False, device_id)
    b.set_enabled(True)
    loop.run_until_complete(until(lambda: store.current is not None, 5, "in use again"))
    b.select(AUTOMATIC)
    assert Settings(tmp_path / "s.ini").headset_device == AUTOMATIC
