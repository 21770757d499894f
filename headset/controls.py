"""Telephony and LED controls found in a descriptor, and the bytes of their reports.

HID Usage Tables 1.5 section 3.4.1.2 (On/Off Control): an on/off control is a bistable switch
(absolute), a toggle button (relative, or absolute with a preferred state), or a pair of on and
off buttons (a relative 2-bit field with logical range -1..1). Each control is classified from its
descriptor flags, never from the vendor. Output reports are always built whole: every control of
the report ID gets its current value, because several LEDs share one report on most devices.

Array fields (HID 1.11 section 6.2.2.5): a value selects the usage at ``value - Logical
Minimum``; 0 and values outside the logical range or the usage list select nothing (the
null value: EPOS sends 0 for "no button" with a Logical Minimum of 0). Programmable Button
(0x0B:0x07) names an NAry collection of Button page usages (HID Usage Tables 1.5 section 14.1),
so a slot selecting one of the buttons that follow it selects the Programmable Button.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from headset.descriptor import ReportDescriptor, ReportField, ReportKind
from headset.usages import (
    CONTROL_PAGES,
    PAGE_BUTTON,
    PAGE_LED,
    PAGE_TELEPHONY,
    USAGE_PLANTRONICS_MUTE,
    USAGE_PROGRAMMABLE_BUTTON,
    Role,
    role_of,
    usage_name,
)

__all__ = ["Control", "ControlSet", "ControlStyle", "find_controls"]

_MAX_ARRAY_USAGES = 64


class ControlStyle(StrEnum):
    """How a control's value maps to presses and states."""

    SWITCH = "switch"  # absolute, no preferred state: the value is the state
    BUTTON = "button"  # absolute with a preferred state: 1 while held down
    TOGGLE = "toggle"  # relative: each 0 -> 1 edge is one press
    ON_OFF = "on_off"  # -1..1: +1 is the "on" button, -1 the "off" button
    SELECTOR = "selector"  # one usage of an array field: 1 while selected
    VALUE = "value"  # multi-bit value without a call-control meaning


@dataclass(frozen=True, slots=True)
class Control:
    """One usage at one place in one report."""

    kind: ReportKind
    usage: int
    report_id: int
    bit_offset: int
    size: int
    logical_min: int
    logical_max: int
    relative: bool
    constant: bool
    no_preferred: bool
    style: ControlStyle
    application: int
    array_index: int | None = None
    array_count: int = 1
    selectors: tuple[int, ...] = ()  # array indices that select this control

    @property
    def page(self) -> int:
        return self.usage >> 16

    @property
    def usage_id(self) -> int:
        return self.usage & 0xFFFF

    @property
    def name(self) -> str:
        return usage_name(self.usage)

    @property
    def role(self) -> Role | None:
        return role_of(self.usage)

    @property
    def standard(self) -> bool:
        """True on the standard Telephony and LED pages (not a vendor mirror)."""
        return self.page in (PAGE_TELEPHONY, PAGE_LED)

    def to_json(self) -> dict[str, object]:
        """The ``python -m headset inspect`` entry."""
        return {
            "kind": str(self.kind),
            "page": self.page,
            "usage": self.usage_id,
            "name": self.name,
            "report_id": self.report_id,
            "relative": self.relative,
            "style": str(self.style),
            "constant": self.constant,
            "bit_offset": self.bit_offset,
            "size": self.size,
            "logical_min": self.logical_min,
            "logical_max": self.logical_max,
            "role": None if self.role is None else str(self.role),
            "application": {"page": self.application >> 16, "usage": self.application & 0xFFFF},
        }


def _style(f: ReportField) -> ControlStyle:
    if not f.flags.variable:
        return ControlStyle.SELECTOR
    if f.logical_min < 0 and f.logical_max > 0:
        return ControlStyle.ON_OFF
    if f.size != 1 and f.logical_max > 1:
        return ControlStyle.VALUE
    if f.flags.relative:
        return ControlStyle.TOGGLE
    if f.kind == ReportKind.INPUT and not f.flags.no_preferred:
        return ControlStyle.BUTTON
    return ControlStyle.SWITCH


def _control(
    f: ReportField, usage: int, bit_offset: int, index: int | None, selectors: tuple[int, ...] = ()
) -> Control:
    app = f.application
    return Control(
        kind=f.kind,
        usage=usage,
        report_id=f.report_id,
        bit_offset=bit_offset,
        size=f.size,
        logical_min=f.logical_min,
        logical_max=f.logical_max,
        relative=f.flags.relative,
        constant=f.flags.constant,
        no_preferred=f.flags.no_preferred,
        style=_style(f),
        application=0 if app is None else app.usage,
        array_index=index,
        array_count=1 if index is None else f.count,
        selectors=selectors,
    )


def _controls_of(f: ReportField) -> list[Control]:
    out: list[Control] = []
    if not f.flags.variable:
        usages = f.usages(_MAX_ARRAY_USAGES)
        for index, usage in enumerate(usages):
            if usage >> 16 in CONTROL_PAGES:
                out.append(_control(f, usage, f.bit_offset, index, _selectors(usages, index)))
        return out
    for index in range(min(f.count, max(f.usage_total, 1))):
        at = f.usage_at(index)
        if at is not None and at >> 16 in CONTROL_PAGES:
            out.append(_control(f, at, f.bit_offset + index * f.size, None))
    return out


def _selectors(usages: tuple[int, ...], index: int) -> tuple[int, ...]:
    """The array indices selecting ``usages[index]``: the Programmable Button NAry also owns the
    Button page usages right after it."""
    chosen = [index]
    if usages[index] == USAGE_PROGRAMMABLE_BUTTON:
        for following in range(index + 1, len(usages)):
            if usages[following] >> 16 != PAGE_BUTTON:
                break
            chosen.append(following)
    return tuple(chosen)


def _array_index(raw: int, c: Control) -> int | None:
    """The usage index an array slot selects, or None for the null value."""
    value = _signed_if(raw, c.size, c.logical_min < 0)
    if value == 0 or not c.logical_min <= value <= c.logical_max:
        return None
    return value - c.logical_min


def find_controls(descriptor: ReportDescriptor) -> tuple[Control, ...]:
    """Every telephony, LED and supported vendor control, in descriptor order."""
    return tuple(c for f in descriptor.fields for c in _controls_of(f))


def _get_bits(data: bytes, offset: int, size: int) -> int:
    value = int.from_bytes(data, "little") >> offset
    return value & ((1 << size) - 1)


def _signed_if(value: int, size: int, signed: bool) -> int:
    if signed and value >> (size - 1) & 1:
        return value - (1 << size)
    return value


class ControlSet:
    """The controls of one device, with report decoding and encoding."""

    def __init__(self, descriptor: ReportDescriptor) -> None:
        self.descriptor = descriptor
        self.controls = find_controls(descriptor)

    def inputs(self) -> tuple[Control, ...]:
        return tuple(c for c in self.controls if c.kind == ReportKind.INPUT)

    def outputs(self) -> tuple[Control, ...]:
        return tuple(c for c in self.controls if c.kind == ReportKind.OUTPUT)

    def by_role(self, role: Role, kind: ReportKind) -> tuple[Control, ...]:
        """Controls for a role, standard pages first; vendor mirrors only when no standard one."""
        found = [c for c in self.controls if c.kind == kind and c.role == role]
        standard = [c for c in found if c.standard]
        return tuple(standard or found)

    @property
    def has_call_control(self) -> bool:
        return any(c.role in (Role.HOOK, Role.MUTE, Role.TEAMS) for c in self.inputs()) or any(
            c.role is not None for c in self.outputs()
        )

    def decode(self, report: bytes) -> dict[Control, int]:
        """Values of the input controls carried by one input report (report ID byte first
        when the descriptor numbers its reports). Array selectors read 1 while selected."""
        if self.descriptor.uses_report_ids:
            if not report:
                raise ValueError("input report is empty")
            report_id, payload = report[0], report[1:]
        else:
            report_id, payload = 0, report
        needed = self.descriptor.report_length(ReportKind.INPUT, report_id)
        if len(payload) < needed:
            raise ValueError(
                f"input report {report_id} has {len(payload)} bytes, expected {needed}"
            )
        values: dict[Control, int] = {}
        for c in self.inputs():
            if c.report_id != report_id:
                continue
            if c.array_index is None:
                raw = _get_bits(payload, c.bit_offset, c.size)
                values[c] = _signed_if(raw, c.size, c.logical_min < 0)
                continue
            slots = (
                _array_index(_get_bits(payload, c.bit_offset + i * c.size, c.size), c)
                for i in range(c.array_count)
            )
            values[c] = int(any(index in c.selectors for index in slots if index is not None))
        return values

    def mute_state(self) -> tuple[Control, ...]:
        """The Plantronics host-written mute state (0xFFA0:0xB5): its output usages where the
        descriptor declares any, else its feature usages."""
        found = [
            c
            for c in self.controls
            if c.usage == USAGE_PLANTRONICS_MUTE and c.array_index is None and not c.constant
        ]
        outputs = [c for c in found if c.kind == ReportKind.OUTPUT]
        return tuple(outputs or [c for c in found if c.kind == ReportKind.FEATURE])

    def encode(
        self,
        report_id: int,
        values: Mapping[Control, int],
        kind: ReportKind = ReportKind.OUTPUT,
    ) -> bytes:
        """A whole output (or feature) report, report ID byte first (0 when reports are
        unnumbered); controls of the report missing from ``values`` are written as 0 (or their
        minimum)."""
        length = self.descriptor.report_length(kind, report_id)
        bits = 0
        for c in self.controls:
            if c.kind != kind or c.report_id != report_id or c.array_index is not None:
                continue
            value = values.get(c, max(0, c.logical_min) if c.logical_max >= 0 else c.logical_min)
            if not c.logical_min <= value <= c.logical_max:
                raise ValueError(
                    f"value {value} for {c.name} is outside {c.logical_min}..{c.logical_max}"
                )
            bits |= (value & ((1 << c.size) - 1)) << c.bit_offset
        return bytes([report_id]) + bits.to_bytes(length, "little")
