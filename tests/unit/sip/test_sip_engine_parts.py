from __future__ import annotations

import asyncio
import threading

import pytest

from sip._uri import split_name_addr
from sip._worker import Worker
from sip.audio.devices import DeviceInfo
from sip.audio.sounddevice_backend import SoundDeviceBackend
from sip.config import AccountSettings, EngineConfig
from sip.engine import SipEngine
from sip.errors import EngineNotRunningError


def test_worker_runs_commands_on_its_thread_and_backs_off_when_idle() -> None:
    timeouts: list[int] = []
    seen = threading.Event()

    def pump(timeout: int) -> int:
        timeouts.append(timeout)
        if len(timeouts) > 8:
            seen.set()
        seen.wait(timeout / 1000)
        return 0

    worker = Worker("test-worker", busy_ms=10, idle_ms=80)
    worker.start(lambda: pump, lambda: None).result(5)
    assert worker.submit(lambda: threading.current_thread().name).result(5) == "test-worker"
    assert seen.wait(10)
    worker.stop(5)
    assert min(timeouts) == 10 and max(timeouts) == 80 and timeouts[-1] == 80
    last_busy = len(timeouts) - 1 - timeouts[::-1].index(10)
    assert timeouts[last_busy : last_busy + 5] == [10, 20, 40, 80, 80]
    with pytest.raises(EngineNotRunningError, match="the SIP engine is not running"):
        worker.submit(lambda: 1).result(1)


def test_command_errors_reach_the_caller() -> None:
    worker = Worker("test-worker", busy_ms=1, idle_ms=5)
    worker.start(lambda: lambda t: 0, lambda: None).result(5)
    try:
        with pytest.raises(ZeroDivisionError):
            worker.submit(lambda: 1 // 0).result(5)
    finally:
        worker.stop(5)


def test_a_command_is_awaited_on_a_loop_or_waited_for_on_a_thread() -> None:
    worker = Worker("test-worker", busy_ms=1, idle_ms=5)
    with pytest.raises(EngineNotRunningError, match="the SIP engine is not running"):
        worker.submit(lambda: 1).result(1)  # not started: refused, never left waiting
    worker.start(lambda: lambda t: 0, lambda: None).result(5)
    try:

        async def on_the_loop() -> str:
            return await worker.submit(lambda: threading.current_thread().name)

        assert asyncio.run(on_the_loop()) == "test-worker"
        assert worker.submit(lambda: 6 * 7).result(5) == 42
    finally:
        worker.stop(5)


def test_account_settings_give_the_uri_for_a_dialled_number() -> None:
    udp = AccountSettings(user="201", server="10.0.0.5", port=5070)
    assert udp.uri_for("202") == "sip:202@10.0.0.5:5070"
    tcp = AccountSettings(user="201", server="fe80::1", transport="tcp")
    assert tcp.uri_for("+31201234567") == "sip:+31201234567@[fe80::1]:5060;transport=tcp"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"Anna de Vries" <sip:201@pbx.example>', ("Anna de Vries", "sip:201@pbx.example")),
        ("<sip:202@127.0.0.1;transport=tcp>", ("", "sip:202@127.0.0.1;transport=tcp")),
        ("sip:203@host", ("", "sip:203@host")),
        ('"Say \\"hi\\"" <sip:1@h>', ('Say "hi"', "sip:1@h")),
    ],
)
def test_split_name_addr(value: str, expected: tuple[str, str]) -> None:
    assert split_name_addr(value) == expected


def test_split_name_addr_refuses_an_open_bracket() -> None:
    with pytest.raises(ValueError, match="name-addr has no closing '>'"):
        split_name_addr("Anna <sip:201@pbx")


def test_account_settings_build_uris_and_refuse_bad_values() -> None:
    tcp = AccountSettings(user="201", server="pbx.example", port=5070, transport="tcp")
    assert tcp.aor == "sip:201@pbx.example"
    assert tcp.server_uri == "sip:pbx.example:5070;transport=tcp"
    assert AccountSettings(user="201", server="::1").server_uri == "sip:[::1]:5060"
    with pytest.raises(ValueError, match="user must be a non-empty SIP user part"):
        AccountSettings(user="a b", server="pbx")
    tls = AccountSettings(user="201", server="pbx.example", port=5061, transport="tls")
    assert tls.server_uri == "sip:pbx.example:5061;transport=tls"
    assert tls.uri_for("202") == "sip:202@pbx.example:5061;transport=tls"
    with pytest.raises(ValueError, match="transport must be 'udp', 'tcp' or 'tls'"):
        AccountSettings(user="201", server="pbx", transport="sctp")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="frame_ms must be 10 or 20"):
        EngineConfig(frame_ms=30)


def test_device_listing_never_shows_null_devices() -> None:
    devices = SoundDeviceBackend().list_devices()
    assert all(isinstance(d, DeviceInfo) for d in devices)
    assert all(d.name.lower() not in {"null", "default null"} for d in devices)


def test_engine_without_bridge_says_it_has_no_audio() -> None:
    engine = SipEngine(lambda e: None)
    assert not engine.audio_available
    assert engine.audio_reason == "no audio bridge: calls use the null sound device"
