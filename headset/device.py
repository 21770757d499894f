"""Device I/O: the small OS HID node interface, hidapi behind it, a software stand-in for tests,
and the reader thread.

On Linux the ``hidraw`` module of the hidapi wheel is used (the hidraw kernel interface); the
libusb backend is never used because it detaches the kernel driver and takes the audio with it.
The reader thread hands each input report to a callback on that thread; an unplug ends the
thread with one ``on_gone`` call instead of a storm of exceptions.
"""

from __future__ import annotations

import importlib
import queue
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "BUS_BLUETOOTH",
    "BUS_USB",
    "DeviceInfo",
    "HidBackend",
    "HidapiBackend",
    "RawDevice",
    "ReportReader",
    "SoftwareBackend",
    "SoftwareDevice",
]

BUS_USB = 1
BUS_BLUETOOTH = 2
_READ_SIZE = 256
_READ_TIMEOUT_MS = 100


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One HID node as enumerated (one per interface on Linux, per collection on Windows)."""

    path: bytes
    vendor_id: int
    product_id: int
    manufacturer: str = ""
    product: str = ""
    serial: str = ""
    usage_page: int = 0
    usage: int = 0
    bus_type: int = 0

    @property
    def device_id(self) -> str:
        """Stable across re-plugs: VID:PID plus serial (path when there is no serial)."""
        tail = self.serial or self.path.decode("utf-8", "replace")
        return f"{self.vendor_id:04x}:{self.product_id:04x}:{tail}"

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.manufacturer, self.product) if p) or "HID device"


class RawDevice(Protocol):
    """The operating system's HID node, reduced to what a headset needs."""

    def read(self, timeout_ms: int) -> bytes: ...  # b"" on timeout, OSError when gone
    def write(self, report: bytes) -> None: ...
    def send_feature_report(self, report: bytes) -> None: ...
    def get_report_descriptor(self) -> bytes: ...
    def close(self) -> None: ...


class HidBackend(Protocol):
    def enumerate(self) -> list[DeviceInfo]: ...
    def open(self, path: bytes) -> RawDevice: ...


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


class _HidapiDevice:
    def __init__(self, module: Any, path: bytes) -> None:
        self._dev = module.device()
        try:
            self._dev.open_path(path)
        except (OSError, ValueError) as exc:
            raise OSError(f"cannot open HID device {path!r}: {exc}") from exc

    def read(self, timeout_ms: int) -> bytes:
        try:
            return bytes(self._dev.read(_READ_SIZE, timeout_ms))
        except (OSError, ValueError) as exc:
            raise OSError(f"HID read failed: {exc}") from exc

    def write(self, report: bytes) -> None:
        try:
            if self._dev.write(report) < 0:
                raise OSError("HID write failed")
        except ValueError as exc:
            raise OSError(f"HID write failed: {exc}") from exc

    def send_feature_report(self, report: bytes) -> None:
        try:
            if self._dev.send_feature_report(report) < 0:
                raise OSError("HID feature report failed")
        except ValueError as exc:
            raise OSError(f"HID feature report failed: {exc}") from exc

    def get_report_descriptor(self) -> bytes:
        try:
            return bytes(self._dev.get_report_descriptor())
        except (OSError, ValueError, AttributeError) as exc:
            raise OSError(f"report descriptor unavailable: {exc}") from exc

    def close(self) -> None:
        self._dev.close()


class HidapiBackend:
    """hidapi (PyPI ``hidapi``): the ``hidraw`` module on Linux, ``hid`` elsewhere."""

    def __init__(self) -> None:
        name = "hidraw" if sys.platform.startswith("linux") else "hid"
        try:
            self._module: Any = importlib.import_module(name)
        except ImportError:
            self._module = importlib.import_module("hid")

    def enumerate(self) -> list[DeviceInfo]:
        out = []
        for entry in self._module.enumerate():
            out.append(
                DeviceInfo(
                    path=bytes(entry.get("path", b"")),
                    vendor_id=int(entry.get("vendor_id", 0)),
                    product_id=int(entry.get("product_id", 0)),
                    manufacturer=_text(entry.get("manufacturer_string")),
                    product=_text(entry.get("product_string")),
                    serial=_text(entry.get("serial_number")),
                    usage_page=int(entry.get("usage_page", 0)),
                    usage=int(entry.get("usage", 0)),
                    bus_type=int(entry.get("bus_type", 0)),
                )
            )
        return out

    def open(self, path: bytes) -> RawDevice:
        return _HidapiDevice(self._module, path)


class SoftwareDevice:
    """A stand-in for the OS HID node: replays input reports, captures output reports.

    Reports pressed before an unplug are still read, then reads fail as on a real node.
    ``handles`` counts the opens not closed yet.
    """

    def __init__(self, info: DeviceInfo, descriptor: bytes) -> None:
        self.info = info
        self.descriptor = descriptor
        self.written: list[bytes] = []
        self.features: list[bytes] = []
        self.plugged = True
        self.handles = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue()

    def press(self, *reports: bytes) -> None:
        for report in reports:
            self._queue.put(report)

    def unplug(self) -> None:
        self.plugged = False
        self._queue.put(None)  # wakes a blocked reader

    def read(self, timeout_ms: int) -> bytes:
        try:
            report = self._queue.get(block=self.plugged, timeout=timeout_ms / 1000)
        except queue.Empty:
            report = None
        if report is None:
            if not self.plugged:
                raise OSError("device unplugged")
            return b""  # a timeout, or the wake-up of an unplug before the re-plug
        return report

    def write(self, report: bytes) -> None:
        if not self.plugged:
            raise OSError("device unplugged")
        self.written.append(bytes(report))

    def send_feature_report(self, report: bytes) -> None:
        if not self.plugged:
            raise OSError("device unplugged")
        self.features.append(bytes(report))

    def get_report_descriptor(self) -> bytes:
        return self.descriptor

    def close(self) -> None:
        self.handles = max(0, self.handles - 1)


class SoftwareBackend:
    """Enumerates the software devices currently plugged in; records every open.

    ``exclusive=True`` refuses a second open of a device that is still open, as hidapi does on
    macOS by default.
    """

    def __init__(self, *, exclusive: bool = False) -> None:
        self.devices: list[SoftwareDevice] = []
        self.exclusive = exclusive
        self.opens: list[bytes] = []

    def plug(self, device: SoftwareDevice) -> None:
        device.plugged = True
        self.devices.append(device)

    def unplug(self, device: SoftwareDevice) -> None:
        device.unplug()
        self.devices.remove(device)

    def enumerate(self) -> list[DeviceInfo]:
        return [d.info for d in self.devices]

    def open(self, path: bytes) -> RawDevice:
        for device in self.devices:
            if device.info.path == path:
                if self.exclusive and device.handles:
                    raise OSError(f"cannot open HID device {path!r}: opened exclusively")
                self.opens.append(path)
                device.handles += 1
                return device
        raise OSError(f"cannot open HID device {path!r}: not found")


class ReportReader:
    """Reads input reports on its own thread; ``on_report`` and ``on_gone`` run there."""

    def __init__(
        self,
        device: RawDevice,
        on_report: Callable[[bytes], None],
        on_gone: Callable[[OSError], None],
    ) -> None:
        self._device = device
        self._on_report = on_report
        self._on_gone = on_gone
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="headset-reader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = self._device.read(_READ_TIMEOUT_MS)
            except OSError as exc:
                if not self._stop.is_set():
                    self._on_gone(exc)
                return
            if report and not self._stop.is_set():
                self._on_report(report)
