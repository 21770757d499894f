"""Find HID devices with call control, and explain the ones that cannot be used.

A node qualifies when its report descriptor holds telephony or LED controls (any vendor, no
model table). Nodes whose enumeration already names another usage page are skipped without
opening them (keyboards, mice); nodes with an unknown page (0) are opened and read.

hidapi opens devices exclusively on macOS, so a poll must not open the headset in use again:
a :class:`DescriptorCache` keeps each node's controls by (path, vendor, product, serial) for as
long as the node stays enumerated, and ``scan`` opens only nodes it has not read yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from headset.controls import ControlSet
from headset.descriptor import parse_descriptor
from headset.device import BUS_BLUETOOTH, DeviceInfo, HidBackend
from headset.usages import CONTROL_PAGES

__all__ = ["DescriptorCache", "Found", "Skipped", "scan"]

_HEADSET_VENDORS = {0x0B0E, 0x047F, 0x1395, 0x6993, 0x046D, 0x03F0, 0x1E7D, 0x0D8C}


@dataclass(frozen=True, slots=True)
class Found:
    info: DeviceInfo
    controls: ControlSet


@dataclass(frozen=True, slots=True)
class Skipped:
    """A likely headset that offers no usable call control, with the reason for the user."""

    info: DeviceInfo
    reason: str


_Key = tuple[bytes, int, int, str]


def _key(info: DeviceInfo) -> _Key:
    return (info.path, info.vendor_id, info.product_id, info.serial)


class DescriptorCache:
    """Controls of the nodes already read, dropped when a node leaves the enumeration."""

    def __init__(self) -> None:
        self._entries: dict[_Key, ControlSet] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, info: DeviceInfo) -> ControlSet | None:
        return self._entries.get(_key(info))

    def put(self, info: DeviceInfo, controls: ControlSet) -> None:
        self._entries[_key(info)] = controls

    def retain(self, infos: list[DeviceInfo]) -> None:
        """Forget every node not in ``infos`` (unplugged: re-read when it comes back)."""
        present = {_key(info) for info in infos}
        self._entries = {k: v for k, v in self._entries.items() if k in present}


def _read_controls(backend: HidBackend, info: DeviceInfo) -> ControlSet | Skipped:
    try:
        device = backend.open(info.path)
    except OSError as exc:
        return Skipped(info, f"cannot be opened ({exc}); see the udev rule")
    try:
        return ControlSet(parse_descriptor(device.get_report_descriptor()))
    except (OSError, ValueError) as exc:
        return Skipped(info, f"report descriptor unusable: {exc}")
    finally:
        device.close()


def _candidates(infos: list[DeviceInfo]) -> dict[bytes, DeviceInfo]:
    by_path: dict[bytes, list[DeviceInfo]] = {}
    for info in infos:
        by_path.setdefault(info.path, []).append(info)
    out = {}
    for path, entries in by_path.items():
        pages = {e.usage_page for e in entries}
        if pages & CONTROL_PAGES or 0 in pages:
            best = next((e for e in entries if e.usage_page == 0x0B), entries[0])
            out[path] = best
    return out


def scan(
    backend: HidBackend, cache: DescriptorCache | None = None
) -> tuple[list[Found], list[Skipped]]:
    """Devices with call control, and likely headsets skipped with a reason. With a cache, a
    node read before (and enumerated ever since) is not opened again."""
    found: list[Found] = []
    skipped: list[Skipped] = []
    infos = backend.enumerate()
    candidates = _candidates(infos)
    if cache is not None:
        cache.retain(list(candidates.values()))
    for info in candidates.values():
        if info.bus_type == BUS_BLUETOOTH:
            skipped.append(
                Skipped(
                    info,
                    "connected over Bluetooth: call buttons reach the computer only through "
                    "the headset's USB dongle (over Bluetooth the system's hands-free profile "
                    "handles them)",
                )
            )
            continue
        controls = None if cache is None else cache.get(info)
        if controls is None:
            read = _read_controls(backend, info)
            if isinstance(read, Skipped):
                skipped.append(read)  # not cached: tried again on the next poll
                continue
            controls = read
            if cache is not None:
                cache.put(info, controls)
        if controls.has_call_control:
            found.append(Found(info, controls))
    seen = {f.info.path for f in found} | {s.info.path for s in skipped}
    for info in infos:
        if info.path in seen or info.vendor_id not in _HEADSET_VENDORS:
            continue
        if info.bus_type == BUS_BLUETOOTH:
            seen.add(info.path)
            skipped.append(Skipped(info, "connected over Bluetooth without HID telephony controls"))
    return found, skipped
