"""Per-vendor timing and setup, one small table; the generic path needs no entry.

Each entry says why it exists and where the behaviour is documented. Everything a descriptor can
tell (which LEDs, toggle or switch, report IDs) is read from the descriptor, never from here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["QUIRKS", "Quirk", "Tuning", "tuning_for"]


@dataclass(frozen=True, slots=True)
class Tuning:
    """Timings (seconds) and setup writes the controller uses for one device."""

    debounce: float = 0.005  # identical reports closer than this are one report
    toggle_holdoff: float = 0.3  # a second press of a toggle control within this is a repeat
    echo_window: float = 0.5  # hook reports after the host changed Off-Hook are echoes
    reject_window: float = 2.0  # two on-hook reports while ringing within this mean reject
    zero_features: tuple[int, ...] = ()  # feature usages written 0 when the device opens


@dataclass(frozen=True, slots=True)
class Quirk:
    vendor_id: int
    product_id: int | None
    changes: dict[str, object]
    reason: str
    source: str


QUIRKS: tuple[Quirk, ...] = (
    Quirk(
        0x0B0E,
        None,
        {"toggle_holdoff": 2.5},
        "Jabra sends a second button report about 2 s after the first one",
        "WICG/webhid issue 61 (Jabra Engage 50, reports ~2000 ms apart)",
    ),
    Quirk(
        0x0B0E,
        None,
        {"zero_features": (0xFF30FFFF,)},
        "some Jabra send standard telephony reports only after feature 0xFF30:0xFFFF is 0",
        "Jabra USB HID call control documentation (developer.jabra.com)",
    ),
    Quirk(
        0x047F,
        None,
        {"debounce": 0.005, "toggle_holdoff": 0.3},
        "Plantronics repeat button reports within milliseconds (the kernel drops repeats "
        "within 5 ms, PLT_DOUBLE_KEY_TIMEOUT)",
        "Linux drivers/hid/hid-plantronics.c; WICG/webhid issue 61 (<= 50 ms repeats)",
    ),
)


def tuning_for(vendor_id: int, product_id: int) -> Tuning:
    """The generic tuning with every matching quirk applied in table order."""
    tuning = Tuning()
    for quirk in QUIRKS:
        if quirk.vendor_id == vendor_id and quirk.product_id in (None, product_id):
            tuning = replace(tuning, **quirk.changes)  # type: ignore[arg-type]
    return tuning
