"""HID report descriptor parser: items in, a flat list of report fields out.

Device Class Definition for HID 1.11, section 6.2.2 (report descriptor items: short and long
items, Main/Global/Local, Push/Pop, Collection) and section 8 (report IDs). The parser is strict
and bounded: every malformed descriptor raises ``ValueError`` with an exact text, and no input
makes it loop or grow without limit. Logical Maximum follows the Linux kernel: read as signed
when Logical Minimum is negative, otherwise unsigned (``26 FF 00`` and ``25 FF`` both mean 255).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

__all__ = [
    "MAX_DESCRIPTOR_LENGTH",
    "Collection",
    "CollectionType",
    "MainFlags",
    "ReportDescriptor",
    "ReportField",
    "ReportKind",
    "parse_descriptor",
]

MAX_DESCRIPTOR_LENGTH = 65536
_MAX_NESTING = 32
_MAX_PUSH = 16
_MAX_REPORT_SIZE = 256
_MAX_REPORT_COUNT = 12288
_MAX_USAGES = 12288
_MAX_REPORT_BITS = 8 * 65535


class ReportKind(StrEnum):
    """The three report directions a Main item can declare."""

    INPUT = "input"
    OUTPUT = "output"
    FEATURE = "feature"


class CollectionType(IntEnum):
    """Collection item data values (HID 1.11 section 6.2.2.6)."""

    PHYSICAL = 0
    APPLICATION = 1
    LOGICAL = 2
    REPORT = 3
    NAMED_ARRAY = 4
    USAGE_SWITCH = 5
    USAGE_MODIFIER = 6


@dataclass(frozen=True, slots=True)
class Collection:
    """One open collection around a field; ``usage`` is extended (page << 16 | id)."""

    type: int
    usage: int

    @property
    def page(self) -> int:
        return self.usage >> 16


@dataclass(frozen=True, slots=True)
class MainFlags:
    """Input/Output/Feature item data bits (HID 1.11 section 6.2.2.5)."""

    constant: bool = False
    variable: bool = False
    relative: bool = False
    wrap: bool = False
    nonlinear: bool = False
    no_preferred: bool = False
    null_state: bool = False
    volatile: bool = False
    buffered_bytes: bool = False

    @classmethod
    def from_bits(cls, value: int) -> MainFlags:
        return cls(*(bool(value >> bit & 1) for bit in range(9)))


@dataclass(frozen=True, slots=True)
class ReportField:
    """A run of ``count`` values of ``size`` bits inside one report.

    ``bit_offset`` counts from the first bit after the report ID byte. ``usage_spans`` keeps the
    declared usages in order as inclusive (first, last) extended-usage pairs, so a Usage Minimum
    0 / Usage Maximum 0xFFFF range costs one pair instead of 65536 entries.
    """

    kind: ReportKind
    report_id: int
    bit_offset: int
    size: int
    count: int
    flags: MainFlags
    logical_min: int
    logical_max: int
    usage_spans: tuple[tuple[int, int], ...]
    collections: tuple[Collection, ...]

    @property
    def usage_total(self) -> int:
        return sum(last - first + 1 for first, last in self.usage_spans)

    def usage_at(self, index: int) -> int | None:
        """Usage of value ``index`` (variable) or of array selector ``index``.

        For variable fields the last usage repeats for remaining values (HID 1.11 6.2.2.8).
        """
        if not self.usage_spans or index < 0:
            return None
        for first, last in self.usage_spans:
            width = last - first + 1
            if index < width:
                return first + index
            index -= width
        return self.usage_spans[-1][1] if self.flags.variable else None

    def usages(self, limit: int = 256) -> tuple[int, ...]:
        """The first ``limit`` declared usages, ranges expanded."""
        out: list[int] = []
        for first, last in self.usage_spans:
            out.extend(range(first, min(last, first + limit - len(out) - 1) + 1))
            if len(out) >= limit:
                break
        return tuple(out)

    @property
    def application(self) -> Collection | None:
        """The innermost application collection around the field (EPOS nests two)."""
        for collection in reversed(self.collections):
            if collection.type == CollectionType.APPLICATION:
                return collection
        return None


@dataclass(frozen=True, slots=True)
class ReportDescriptor:
    """Parsed descriptor: its fields and top-level application collections."""

    fields: tuple[ReportField, ...]
    applications: tuple[Collection, ...]
    uses_report_ids: bool

    def report_bits(self, kind: ReportKind, report_id: int) -> int:
        ends = [
            f.bit_offset + f.size * f.count
            for f in self.fields
            if f.kind == kind and f.report_id == report_id
        ]
        return max(ends, default=0)

    def report_length(self, kind: ReportKind, report_id: int) -> int:
        """Report payload length in bytes, without the report ID byte."""
        return (self.report_bits(kind, report_id) + 7) // 8

    def report_ids(self, kind: ReportKind) -> tuple[int, ...]:
        return tuple(sorted({f.report_id for f in self.fields if f.kind == kind}))


@dataclass(slots=True)
class _Globals:
    usage_page: int = 0
    logical_min: int = 0
    logical_max_raw: int = 0
    logical_max_size: int = 0
    report_size: int = 0
    report_id: int = 0
    report_count: int = 0

    def copy(self) -> _Globals:
        return _Globals(
            self.usage_page,
            self.logical_min,
            self.logical_max_raw,
            self.logical_max_size,
            self.report_size,
            self.report_id,
            self.report_count,
        )

    @property
    def logical_max(self) -> int:
        if self.logical_min < 0:
            return _signed(self.logical_max_raw, self.logical_max_size)
        return self.logical_max_raw


@dataclass(slots=True)
class _Locals:
    spans: list[tuple[int, int]] = field(default_factory=list)
    total: int = 0
    minimum: int | None = None
    maximum: int | None = None
    delimiter_depth: int = 0
    delimiter_sets: int = 0


def _signed(value: int, size: int) -> int:
    if size == 0:
        return 0
    bits = 8 * size
    return value - (1 << bits) if value >> (bits - 1) else value


def _extend(usage: int, size: int, page: int) -> int:
    return usage if size == 4 else (page << 16) | usage


def parse_descriptor(data: bytes) -> ReportDescriptor:
    """Parse a report descriptor; raise ValueError naming the first problem and its offset."""
    return _Parser(bytes(data)).run()


class _Parser:
    def __init__(self, data: bytes) -> None:
        if len(data) > MAX_DESCRIPTOR_LENGTH:
            raise ValueError(f"report descriptor is longer than {MAX_DESCRIPTOR_LENGTH} bytes")
        self.data = data
        self.g = _Globals()
        self.stack: list[_Globals] = []
        self.local = _Locals()
        self.collections: list[Collection] = []
        self.applications: list[Collection] = []
        self.fields: list[ReportField] = []
        self.offsets: dict[tuple[ReportKind, int], int] = {}
        self.saw_report_id = False

    def run(self) -> ReportDescriptor:
        pos = 0
        data = self.data
        while pos < len(data):
            prefix = data[pos]
            if prefix == 0xFE:  # long item: skipped, but its length must fit
                if pos + 3 > len(data):
                    raise ValueError(f"report descriptor long item at offset {pos} is truncated")
                end = pos + 3 + data[pos + 1]
                if end > len(data):
                    raise ValueError(f"report descriptor long item at offset {pos} is truncated")
                pos = end
                continue
            size = (0, 1, 2, 4)[prefix & 0x03]
            if pos + 1 + size > len(data):
                raise ValueError(f"report descriptor item at offset {pos} is truncated")
            value = int.from_bytes(data[pos + 1 : pos + 1 + size], "little")
            item_type = (prefix >> 2) & 0x03
            tag = prefix >> 4
            if item_type == 0:
                self._main(tag, value, pos)
            elif item_type == 1:
                self._global(tag, value, size, pos)
            elif item_type == 2:
                self._local(tag, value, size, pos)
            else:
                raise ValueError(f"report descriptor item at offset {pos} has reserved type 3")
            pos += 1 + size
        if self.collections:
            raise ValueError(
                f"report descriptor ends with {len(self.collections)} unclosed collection(s)"
            )
        return ReportDescriptor(tuple(self.fields), tuple(self.applications), self.saw_report_id)

    def _main(self, tag: int, value: int, pos: int) -> None:
        if tag in (0x8, 0x9, 0xB):
            kind = {0x8: ReportKind.INPUT, 0x9: ReportKind.OUTPUT, 0xB: ReportKind.FEATURE}[tag]
            self._add_field(kind, value, pos)
        elif tag == 0xA:
            if len(self.collections) >= _MAX_NESTING:
                raise ValueError(f"report descriptor nests collections deeper than {_MAX_NESTING}")
            collection = Collection(value & 0xFF, self._first_usage(pos))
            if collection.type == CollectionType.APPLICATION and not self.collections:
                self.applications.append(collection)
            self.collections.append(collection)
        elif tag == 0xC:
            if not self.collections:
                raise ValueError(
                    f"report descriptor has End Collection without Collection at offset {pos}"
                )
            self.collections.pop()
        # other main tags are reserved: ignored like the Linux kernel does
        self.local = _Locals()

    def _first_usage(self, pos: int) -> int:
        self._close_range(pos)
        return self.local.spans[0][0] if self.local.spans else self.g.usage_page << 16

    def _add_field(self, kind: ReportKind, value: int, pos: int) -> None:
        g = self.g
        self._close_range(pos)
        key = (kind, g.report_id)
        start = self.offsets.get(key, 0)
        end = start + g.report_size * g.report_count
        if end > _MAX_REPORT_BITS:
            raise ValueError(f"report descriptor report {g.report_id} is too long at offset {pos}")
        self.offsets[key] = end
        if g.report_count == 0 or g.report_size == 0:
            return
        if g.logical_max < g.logical_min and not (value & 1):
            raise ValueError(
                f"report descriptor Logical Minimum {g.logical_min} is greater than "
                f"Logical Maximum {g.logical_max} at offset {pos}"
            )
        self.fields.append(
            ReportField(
                kind=kind,
                report_id=g.report_id,
                bit_offset=start,
                size=g.report_size,
                count=g.report_count,
                flags=MainFlags.from_bits(value),
                logical_min=g.logical_min,
                logical_max=g.logical_max,
                usage_spans=tuple(self.local.spans),
                collections=tuple(self.collections),
            )
        )

    def _global(self, tag: int, value: int, size: int, pos: int) -> None:
        g = self.g
        if tag == 0x0:
            g.usage_page = value & 0xFFFF
        elif tag == 0x1:
            g.logical_min = _signed(value, size)
        elif tag == 0x2:
            g.logical_max_raw, g.logical_max_size = value, size
        elif tag in (0x3, 0x4, 0x5, 0x6):  # physical min/max, unit exponent, unit
            pass
        elif tag == 0x7:
            if value > _MAX_REPORT_SIZE:
                raise ValueError(
                    f"report descriptor Report Size {value} at offset {pos} is invalid"
                )
            g.report_size = value
        elif tag == 0x8:
            if not 0 < value <= 0xFF:
                raise ValueError(f"report descriptor Report ID {value} at offset {pos} is invalid")
            g.report_id = value
            self.saw_report_id = True
        elif tag == 0x9:
            if value > _MAX_REPORT_COUNT:
                raise ValueError(
                    f"report descriptor Report Count {value} at offset {pos} is invalid"
                )
            g.report_count = value
        elif tag == 0xA:
            if len(self.stack) >= _MAX_PUSH:
                raise ValueError(
                    f"report descriptor pushes deeper than {_MAX_PUSH} at offset {pos}"
                )
            self.stack.append(g.copy())
        elif tag == 0xB:
            if not self.stack:
                raise ValueError(f"report descriptor has Pop without Push at offset {pos}")
            self.g = self.stack.pop()
        else:
            raise ValueError(f"report descriptor has unknown global tag {tag:#x} at offset {pos}")

    def _local(self, tag: int, value: int, size: int, pos: int) -> None:
        local = self.local
        if tag == 0x0:
            self._add_span(_extend(value, size, self.g.usage_page), None, pos)
        elif tag == 0x1:
            local.minimum = _extend(value, size, self.g.usage_page)
            self._close_range(pos)
        elif tag == 0x2:
            local.maximum = _extend(value, size, self.g.usage_page)
            self._close_range(pos)
        elif tag == 0xA:  # delimiter: keep the first usage of each alias set
            if value == 1:
                local.delimiter_depth += 1
                local.delimiter_sets = 0
            elif value == 0 and local.delimiter_depth:
                local.delimiter_depth -= 1
        # designators and strings (3-5, 7-9) do not change field layout

    def _close_range(self, pos: int) -> None:
        local = self.local
        if local.minimum is None or local.maximum is None:
            return
        first, last = local.minimum, local.maximum
        local.minimum = local.maximum = None
        if first > last:
            raise ValueError(
                f"report descriptor Usage Minimum {first:#x} is greater than "
                f"Usage Maximum {last:#x} at offset {pos}"
            )
        self._add_span(first, last, pos)

    def _add_span(self, first: int, last: int | None, pos: int) -> None:
        local = self.local
        if local.delimiter_depth:
            local.delimiter_sets += 1
            if local.delimiter_sets > 1:
                return
        last = first if last is None else last
        local.total += last - first + 1
        if len(local.spans) >= _MAX_USAGES:
            raise ValueError(f"report descriptor declares too many usages at offset {pos}")
        local.spans.append((first, last))
