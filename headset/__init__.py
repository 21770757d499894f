"""USB HID headset call control: descriptor parsing, telephony controls, LEDs, device I/O.

No Qt and nothing of the app: it knows intents (answer, hang up, mute on...) and call states.
"""

from __future__ import annotations

from headset.controller import Actions, CallController, CallState, Intent, Press
from headset.controls import Control, ControlSet, ControlStyle, find_controls
from headset.descriptor import ReportDescriptor, ReportField, ReportKind, parse_descriptor
from headset.device import (
    DeviceInfo,
    HidapiBackend,
    HidBackend,
    RawDevice,
    SoftwareBackend,
    SoftwareDevice,
)
from headset.discovery import DescriptorCache, Found, Skipped, scan
from headset.manager import AUTOMATIC, HeadsetManager
from headset.quirks import QUIRKS, Tuning, tuning_for
from headset.usages import Role

__all__ = [
    "AUTOMATIC",
    "QUIRKS",
    "Actions",
    "CallController",
    "CallState",
    "Control",
    "ControlSet",
    "ControlStyle",
    "DescriptorCache",
    "DeviceInfo",
    "Found",
    "HeadsetManager",
    "HidBackend",
    "HidapiBackend",
    "Intent",
    "Press",
    "RawDevice",
    "ReportDescriptor",
    "ReportField",
    "ReportKind",
    "Role",
    "Skipped",
    "SoftwareBackend",
    "SoftwareDevice",
    "Tuning",
    "find_controls",
    "parse_descriptor",
    "scan",
    "tuning_for",
]
