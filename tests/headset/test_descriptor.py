from __future__ import annotations

import random

import pytest

from headset.descriptor import CollectionType, ReportKind, parse_descriptor
from tests.headset.conftest import DEVICES, load


def test_jabra_evolve_link_fields() -> None:
    d = parse_descriptor(load("jabra-evolve-link-ms"))
    assert d.uses_report_ids
    assert [hex(a.usage) for a in d.applications] == ["0xb0005", "0xff000005", "0xc0001"]
    hook = d.fields[0]
    assert (hook.kind, hook.report_id, hook.bit_offset, hook.size, hook.count) == (
        ReportKind.INPUT,
        2,
        0,
        1,
        2,
    )
    assert hook.usages() == (0xB0020, 0xB0097)
    assert hook.flags.variable and not hook.flags.relative and hook.flags.no_preferred
    assert (hook.logical_min, hook.logical_max) == (0, 1)
    buttons = d.fields[1]
    assert buttons.usages() == (0xB002F, 0xB0021, 0xB0024, 0xB0050)
    assert buttons.flags.relative and buttons.bit_offset == 2
    keypad = d.fields[3]
    assert not keypad.flags.variable and keypad.size == 4 and keypad.bit_offset == 7
    assert keypad.usage_at(0) == 0xB00B0 and keypad.usage_at(11) == 0xB00BB
    assert keypad.usage_at(12) is None
    assert keypad.collections[-1].type == CollectionType.LOGICAL
    assert keypad.application is not None and keypad.application.usage == 0xB0005
    leds = next(f for f in d.fields if f.kind == ReportKind.OUTPUT)
    assert leds.kind == ReportKind.OUTPUT and leds.usages() == (
        0x80017,
        0x80009,
        0x80018,
        0x80020,
        0x80021,
    )
    assert d.report_length(ReportKind.OUTPUT, 2) == 2
    assert d.report_ids(ReportKind.INPUT)[:3] == (1, 2, 4)


def test_epos_nested_application_collection() -> None:
    d = parse_descriptor(load("epos-impact-d1"))
    nested = next(f for f in d.fields if f.report_id == 64 and f.kind == ReportKind.FEATURE)
    apps = [c for c in nested.collections if c.type == CollectionType.APPLICATION]
    assert len(apps) == 2 and apps[0].usage == 0xB0005
    assert nested.application is apps[1]


def test_plantronics_signed_and_sixteen_bit_ranges() -> None:
    d = parse_descriptor(load("plantronics-voyager-base-cd"))
    by_usage = {f.usages()[0]: f for f in d.fields if f.usages()}
    assert (by_usage[0xFFA2008C].logical_min, by_usage[0xFFA2008C].logical_max) == (-32768, 32767)
    assert by_usage[0xFFA2007D].logical_max == 65535


@pytest.mark.parametrize("path", sorted(DEVICES.glob("*.hex")), ids=lambda p: p.stem)
def test_every_recorded_descriptor_parses(path: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    d = parse_descriptor(load(path.stem))
    assert d.fields and d.applications


def test_extended_usage_push_pop_and_ranges() -> None:
    data = bytes.fromhex(
        "05 01 09 00 a1 01"  # app collection
        "85 05 15 ff 25 01 75 02 95 01"
        "a4"  # push
        "0b 2f 00 0b 00 81 06"  # extended usage 0x0B:0x2F, input relative
        "75 08 15 00 26 ff 00 19 01 29 ff 95 03 81 00"  # array of 0x01:0x01..0xFF
        "b4"  # pop: size 2, min -1 again
        "fe 02 00 aa bb"  # long item skipped
        "05 08 09 09 91 02"
        "c0".replace(" ", "")
    )
    d = parse_descriptor(data)
    mute, array, led = d.fields
    assert mute.usages() == (0xB002F,) and mute.logical_min == -1 and mute.size == 2
    assert array.usage_total == 255 and array.usage_at(254) == 0x100FF and array.bit_offset == 2
    assert (led.size, led.logical_min, led.logical_max, led.bit_offset) == (2, -1, 1, 0)


@pytest.mark.parametrize(
    ("hexdata", "message"),
    [
        ("05", "report descriptor item at offset 0 is truncated"),
        ("a1 01 c0 c0", "report descriptor has End Collection without Collection at offset 3"),
        ("a1 01", "report descriptor ends with 1 unclosed collection(s)"),
        ("b4", "report descriptor has Pop without Push at offset 0"),
        ("85 00", "report descriptor Report ID 0 at offset 0 is invalid"),
        ("76 01 01", "report descriptor Report Size 257 at offset 0 is invalid"),
        ("96 01 40", "report descriptor Report Count 16385 at offset 0 is invalid"),
        ("fe 05 00 01", "report descriptor long item at offset 0 is truncated"),
        ("0c", "report descriptor item at offset 0 has reserved type 3"),
        ("c4 00", "report descriptor has unknown global tag 0xc at offset 0"),
        (
            "19 05 29 01",
            "report descriptor Usage Minimum 0x5 is greater than Usage Maximum 0x1 at offset 2",
        ),
        (
            "15 05 25 01 75 01 95 01 81 02",
            "report descriptor Logical Minimum 5 is greater than Logical Maximum 1 at offset 8",
        ),
        ("a1 01" * 33, "report descriptor nests collections deeper than 32"),
        ("a4" * 17, "report descriptor pushes deeper than 16 at offset 16"),
    ],
)
def test_malformed_descriptors_raise_exact_errors(hexdata: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_descriptor(bytes.fromhex(hexdata.replace(" ", "")))
    assert str(info.value) == message


def test_too_long_descriptor_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^report descriptor is longer than 65536 bytes$"):
        parse_descriptor(bytes(65537))


def test_fuzzed_descriptors_parse_or_raise_value_error() -> None:
    rng = random.Random(5)
    seeds = [load(p.stem) for p in sorted(DEVICES.glob("*.hex"))]
    outcomes = {"ok": 0, "error": 0}
    for _ in range(1500):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            op = rng.randrange(3)
            pos = rng.randrange(len(data))
            if op == 0:
                data[pos] = rng.randrange(256)
            elif op == 1:
                del data[pos : pos + rng.randint(1, 8)]
            else:
                data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        try:
            parse_descriptor(bytes(data))
        except ValueError:
            outcomes["error"] += 1
        else:
            outcomes["ok"] += 1
    assert outcomes["ok"] > 0 and outcomes["error"] > 0
