from __future__ import annotations

import io
import json
import threading
from pathlib import Path

from headset.cli import main
from headset.controller import CallState, Intent
from headset.device import BUS_BLUETOOTH, BUS_USB, DeviceInfo, SoftwareBackend, SoftwareDevice
from headset.discovery import DescriptorCache, scan
from headset.manager import HeadsetManager
from tests.headset.conftest import DEVICES, load


def jabra(path: bytes = b"/dev/hidraw7", bus: int = BUS_USB) -> SoftwareDevice:
    info = DeviceInfo(path, 0x0B0E, 0x2453, "GN Netcom", "Jabra BIZ 2400 II", "S1", 0x0B, 5, bus)
    return SoftwareDevice(info, load("jabra-biz-2400-ii"))


class Recorder:
    def __init__(self) -> None:
        self.intents: list[Intent] = []
        self.changes: list[list[DeviceInfo]] = []
        self.event = threading.Event()

    def intent(self, intent: Intent) -> None:
        self.intents.append(intent)
        self.event.set()

    def changed(self, devices: list[DeviceInfo]) -> None:
        self.changes.append(devices)
        self.event.set()

    def wait(self) -> None:
        assert self.event.wait(5)
        self.event.clear()


def test_answer_unplug_and_replug_during_a_call() -> None:
    backend = SoftwareBackend()
    device = jabra()
    backend.plug(device)
    rec = Recorder()
    manager = HeadsetManager(backend, rec.intent, rec.changed)
    try:
        manager.poll()
        rec.wait()
        assert manager.current == device.info
        assert device.features == [b"\x04\x00"]  # Jabra: feature 0xFF30:0xFFFF written 0
        assert device.written[-1] == b"\x02\x00\x00"  # resync: everything off
        manager.set_call_state(CallState.RINGING)
        assert device.written[-1] == b"\x02\x04\x00"
        device.press(b"\x02\x01\x00", b"\x04\x00\x00")
        rec.wait()
        assert rec.intents == [Intent.ANSWER]
        manager.set_call_state(CallState.ACTIVE)
        assert device.written[-1] == b"\x02\x01\x00"

        backend.unplug(device)
        rec.wait()
        assert rec.changes[-1] == [] and manager.current is None
        manager.set_mute(True)  # the app keeps going without the headset

        backend.plug(device)
        device.written.clear()
        manager.poll()
        rec.wait()
        assert manager.current == device.info
        assert device.written == [b"\x02\x13\x00"]  # off-hook, mute and microphone
    finally:
        manager.close()


def test_select_a_device_that_is_not_present_opens_nothing() -> None:
    backend = SoftwareBackend()
    backend.plug(jabra())
    manager = HeadsetManager(backend, lambda intent: None)
    manager.select("0b0e:9999:x")
    manager.poll()
    assert manager.current is None and len(manager.devices) == 1
    manager.select(manager.devices[0].device_id)
    assert manager.current is not None
    manager.close()


def test_cli_inspect_prints_the_contract_shape(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["inspect", str(DEVICES / "plantronics-blackwire-c5220.hex")], out=out) == 0
    controls = json.loads(out.getvalue())["controls"]
    hook = next(c for c in controls if c["page"] == 11 and c["usage"] == 32)
    assert hook["kind"] == "input" and hook["name"] == "Hook Switch"
    assert hook["report_id"] == 8 and hook["relative"] is False
    mute = next(c for c in controls if c["name"] == "Phone Mute")
    assert mute["relative"] is True and mute["style"] == "toggle"
    assert {c["kind"] for c in controls} == {"input", "output", "feature"}
    raw = tmp_path / "raw.bin"
    raw.write_bytes(load("plantronics-blackwire-c5220"))
    out_raw = io.StringIO()
    assert main(["inspect", str(raw)], out=out_raw) == 0
    assert json.loads(out_raw.getvalue()) == {"controls": controls}


def test_cli_inspect_reports_a_malformed_file(tmp_path: Path, capsys: object) -> None:
    bad = tmp_path / "bad.hex"
    bad.write_text("05 0b a1 01\n")
    assert main(["inspect", str(bad)], out=io.StringIO()) == 2


def test_cli_list_without_devices_and_with_bluetooth() -> None:
    out = io.StringIO()
    assert main(["list"], backend=SoftwareBackend(), out=out) == 0
    assert out.getvalue() == "No headsets with call control found\n"
    backend = SoftwareBackend()
    backend.plug(jabra())
    backend.plug(jabra(b"bt-path", BUS_BLUETOOTH))
    out = io.StringIO()
    assert main(["list"], backend=backend, out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "GN Netcom\tJabra BIZ 2400 II\t0b0e:2453\t/dev/hidraw7"
    assert lines[1].startswith("skipped: GN Netcom Jabra BIZ 2400 II 0b0e:2453: connected over")


def test_exported_names_are_sorted_and_present() -> None:
    import headset

    assert headset.__all__ == sorted(headset.__all__, key=lambda n: (not n.isupper(), n))
    assert all(hasattr(headset, name) for name in headset.__all__)


def test_poll_after_close_does_not_reopen_the_device() -> None:
    backend = SoftwareBackend()
    backend.plug(jabra())
    manager = HeadsetManager(backend, lambda intent: None)
    manager.poll()
    assert manager.current is not None
    manager.close()
    assert manager.current is None
    manager.poll()  # a poll already under way when close() ran
    assert manager.current is None


def test_plantronics_mute_state_goes_out_as_a_feature_report() -> None:
    info = DeviceInfo(
        b"/dev/hidraw3", 0x047F, 0xC053, "Plantronics", "C5220", "P1", 0x0B, 5, BUS_USB
    )
    device = SoftwareDevice(info, load("plantronics-blackwire-c5220"))
    backend = SoftwareBackend()
    backend.plug(device)
    manager = HeadsetManager(backend, lambda intent: None)
    try:
        manager.poll()
        assert device.features == [b"\x1b\x00"]  # resync on open: the whole report, unmuted
        manager.set_mute(True)
        assert device.features[-1] == b"\x1b\x02" and device.written[-1] == b"\x09\x01"
    finally:
        manager.close()


def test_scan_reads_each_descriptor_once_while_the_node_stays() -> None:
    backend = SoftwareBackend()
    device = jabra()
    backend.plug(device)
    cache = DescriptorCache()
    for _ in range(3):
        found, skipped = scan(backend, cache)
        assert [f.info for f in found] == [device.info] and skipped == []
    assert backend.opens == [b"/dev/hidraw7"] and len(cache) == 1
    backend.unplug(device)
    assert scan(backend, cache) == ([], []) and len(cache) == 0  # forgotten when gone
    backend.plug(device)
    scan(backend, cache)
    assert backend.opens == [b"/dev/hidraw7"] * 2  # re-read after the re-plug


def test_a_node_that_cannot_be_opened_is_tried_again() -> None:
    backend = SoftwareBackend(exclusive=True)
    device = jabra()
    backend.plug(device)
    other_app = backend.open(device.info.path)
    cache = DescriptorCache()
    found, skipped = scan(backend, cache)
    assert found == [] and "opened exclusively" in skipped[0].reason and len(cache) == 0
    other_app.close()
    found, _ = scan(backend, cache)
    assert [f.info for f in found] == [device.info]


def test_polling_never_reopens_the_device_in_use() -> None:
    # macOS: hidapi opens exclusively; a second open of the headset in use would fail and drop it
    backend = SoftwareBackend(exclusive=True)
    device = jabra()
    backend.plug(device)
    rec = Recorder()
    manager = HeadsetManager(backend, rec.intent, rec.changed)
    try:
        for _ in range(4):
            manager.poll()
            assert manager.current == device.info
        assert backend.opens == [device.info.path] * 2  # the descriptor read, then the open for use
        assert device.handles == 1
        assert rec.changes == [[device.info]]
        rec.event.clear()
        manager.set_call_state(CallState.RINGING)
        device.press(b"\x02\x01\x00")  # still reading after the polls
        rec.wait()
        assert rec.intents == [Intent.ANSWER]
    finally:
        manager.close()
