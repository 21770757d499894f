from __future__ import annotations

import io
import json
import threading

from headset.cli import main
from headset.device import BUS_USB, DeviceInfo, SoftwareBackend, SoftwareDevice
from tests.headset.conftest import load

PATH = "/dev/hidraw3"


def c5220() -> SoftwareDevice:
    info = DeviceInfo(PATH.encode(), 0x047F, 0xC053, "Plantronics", "C5220", "P1", 0x0B, 5, BUS_USB)
    return SoftwareDevice(info, load("plantronics-blackwire-c5220"))


def split(text: str) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The controls document, then one JSON object per line."""
    head, end = json.JSONDecoder().raw_decode(text)
    return head, [json.loads(line) for line in text[end:].splitlines() if line]


def pressed(line: dict[str, object]) -> dict[str, int]:
    values = line["values"]
    assert isinstance(values, list)
    return {v["name"]: v["value"] for v in values if v["value"]}


def test_live_prints_controls_then_each_report_and_stops_on_unplug() -> None:
    backend = SoftwareBackend()
    device = c5220()
    backend.plug(device)
    # report 8: bit 0 Phone Mute, bit 1 Hook Switch; 155: Teams button; one report too short
    device.press(b"\x08\x02", b"\x08\x03", b"\x9b\x01", b"\x08")
    device.unplug()  # queued behind the reports: read after them, as the user pulls the plug
    out = io.StringIO()
    assert main(["inspect", "--live", PATH], backend=backend, out=out) == 0
    head, lines = split(out.getvalue())
    static = io.StringIO()
    file_main = main(
        ["inspect", "tests/headset/devices/plantronics-blackwire-c5220.hex"], out=static
    )
    assert file_main == 0 and head == json.loads(static.getvalue())
    assert len(lines) == 5
    assert lines[0]["report"] == "0802" and pressed(lines[0]) == {"Hook Switch": 1}
    assert pressed(lines[1]) == {"Hook Switch": 1, "Phone Mute": 1}
    assert {"name": "Phone Mute", "role": "mute", "value": 1} in lines[1]["values"]  # type: ignore[operator]
    assert pressed(lines[2]) == {"Teams Button": 1}
    assert lines[3] == {"report": "08", "error": "input report 8 has 0 bytes, expected 1"}
    assert lines[4] == {"unplugged": "device unplugged"}
    assert device.handles == 0  # closed on the way out
    assert backend.opens == [PATH.encode()]


class Watched(io.StringIO):
    """Output that tells when the command has written something (the controls, first)."""

    def __init__(self) -> None:
        super().__init__()
        self.written = threading.Event()

    def write(self, text: str) -> int:
        count = super().write(text)
        self.written.set()
        return count


def test_live_waits_for_presses_while_running() -> None:
    backend = SoftwareBackend()
    device = c5220()
    backend.plug(device)
    out = Watched()
    status: list[int] = []
    runner = threading.Thread(
        target=lambda: status.append(main(["inspect", "--live", PATH], backend=backend, out=out))
    )
    runner.start()
    try:
        assert out.written.wait(10)  # opened, controls printed: now reading
        device.press(b"\x08\x01")
        device.press(b"\x08\x00")
    finally:
        backend.unplug(device)
        runner.join(10)
    assert not runner.is_alive() and status == [0]
    _, lines = split(out.getvalue())
    assert [line.get("report") for line in lines] == ["0801", "0800", None]
    assert pressed(lines[0]) == {"Phone Mute": 1} and pressed(lines[1]) == {}


def test_live_reports_a_device_that_cannot_be_opened() -> None:
    assert main(["inspect", "--live", PATH], backend=SoftwareBackend(), out=io.StringIO()) == 2
