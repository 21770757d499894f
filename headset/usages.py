"""Names and call-control roles of the HID usages a headset uses.

HID Usage Tables 1.5: section 10 (LED page 0x08), section 14 (Telephony Device page 0x0B).
Vendor pages: Jabra and Yealink mirror the telephony page on 0xFF30 and the LED page on 0xFF40
(GOnnect ``tests/resources/hid`` captures); Plantronics use 0xFFA0/0xFFA2 ("Plantronics HID 1.0",
developer.plantronics.com); Teams-certified headsets add 0xFF99 with the Teams button (0x04).
Usages are extended: ``page << 16 | id``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CONTROL_PAGES",
    "PAGE_BUTTON",
    "PAGE_LED",
    "PAGE_TELEPHONY",
    "USAGE_PLANTRONICS_MUTE",
    "USAGE_PROGRAMMABLE_BUTTON",
    "Role",
    "role_of",
    "usage_name",
]

PAGE_LED = 0x08
PAGE_BUTTON = 0x09
PAGE_TELEPHONY = 0x0B
PAGE_JABRA_TELEPHONY = 0xFF30
PAGE_JABRA_LED = 0xFF40
PAGE_PLANTRONICS = 0xFFA0
PAGE_PLANTRONICS_2 = 0xFFA2
PAGE_TEAMS = 0xFF99

# Telephony 0x07 names an NAry collection of Button page usages (HID Usage Tables 1.5 14.1).
USAGE_PROGRAMMABLE_BUTTON = PAGE_TELEPHONY << 16 | 0x07
# Plantronics "Microphone Mute" state written by the host (an output or a feature usage), as
# the mute LED of old Plantronics: X-Lite's profile 047F-010C.cps (Plantronics C710) sets
# 0xFFA000B5 to 1 for "mute" and 0 for "unmute"; the Linux driver hid-plantronics.c names the
# usage PLT1_MIC_MUTE (input side, mapped to KEY_MICMUTE).
USAGE_PLANTRONICS_MUTE = PAGE_PLANTRONICS << 16 | 0xB5

CONTROL_PAGES = frozenset(
    {
        PAGE_LED,
        PAGE_TELEPHONY,
        PAGE_JABRA_TELEPHONY,
        PAGE_JABRA_LED,
        PAGE_PLANTRONICS,
        PAGE_PLANTRONICS_2,
        PAGE_TEAMS,
    }
)


class Role(StrEnum):
    """What a control means for call control, independent of page and vendor."""

    HOOK = "hook"
    MUTE = "mute"
    FLASH = "flash"
    REDIAL = "redial"
    REJECT = "reject"
    DROP = "drop"
    HOLD = "hold"
    PROGRAMMABLE = "programmable"
    TEAMS = "teams"
    LED_OFF_HOOK = "led_off_hook"
    LED_RING = "led_ring"
    LED_MUTE = "led_mute"
    LED_MICROPHONE = "led_microphone"
    LED_HOLD = "led_hold"
    RINGER = "ringer"


_TELEPHONY = {
    0x01: "Phone",
    0x02: "Answering Machine",
    0x03: "Message Controls",
    0x04: "Handset",
    0x05: "Headset",
    0x06: "Telephony Key Pad",
    0x07: "Programmable Button",
    0x20: "Hook Switch",
    0x21: "Flash",
    0x22: "Feature",
    0x23: "Hold",
    0x24: "Redial",
    0x25: "Transfer",
    0x26: "Drop",
    0x27: "Park",
    0x28: "Forward Calls",
    0x29: "Alternate Function",
    0x2A: "Line",
    0x2B: "Speaker Phone",
    0x2C: "Conference",
    0x2D: "Ring Enable",
    0x2E: "Ring Select",
    0x2F: "Phone Mute",
    0x30: "Caller ID",
    0x31: "Send",
    0x50: "Speed Dial",
    0x51: "Store Number",
    0x52: "Recall Number",
    0x53: "Phone Directory",
    0x70: "Voice Mail",
    0x71: "Screen Calls",
    0x72: "Do Not Disturb",
    0x73: "Message",
    0x74: "Answer On/Off",
    0x97: "Line Busy Tone",
    0x9E: "Ringer",
    **{0xB0 + n: f"Phone Key {n}" for n in range(10)},
    0xBA: "Phone Key Star",
    0xBB: "Phone Key Pound",
}

_LED = {
    0x09: "Mute",
    0x17: "Off-Hook",
    0x18: "Ring",
    0x19: "Message Waiting",
    0x1A: "Data Mode",
    0x1B: "Battery Operation",
    0x1E: "Speaker",
    0x1F: "Head Set",
    0x20: "Hold",
    0x21: "Microphone",
    0x22: "Coverage",
    0x2A: "On-Line",
    0x2B: "Off-Line",
}

_VENDOR = {
    (PAGE_PLANTRONICS, 0x9E): "Plantronics Ringer",
    (PAGE_PLANTRONICS, 0xB5): "Plantronics Mute",
    (PAGE_PLANTRONICS, 0xB7): "Plantronics Talk",
    (PAGE_TEAMS, 0x04): "Teams Button",
}

_TELEPHONY_ROLES = {
    0x20: Role.HOOK,
    0x2F: Role.MUTE,
    0x21: Role.FLASH,
    0x24: Role.REDIAL,
    0x97: Role.REJECT,
    0x26: Role.DROP,
    0x23: Role.HOLD,
    0x07: Role.PROGRAMMABLE,
    0x9E: Role.RINGER,
}

_LED_ROLES = {
    0x17: Role.LED_OFF_HOOK,
    0x18: Role.LED_RING,
    0x09: Role.LED_MUTE,
    0x21: Role.LED_MICROPHONE,
    0x20: Role.LED_HOLD,
}

_VENDOR_ROLES = {
    (PAGE_PLANTRONICS, 0x9E): Role.RINGER,
    (PAGE_PLANTRONICS, 0xB5): Role.MUTE,
    (PAGE_PLANTRONICS, 0xB7): Role.HOOK,
    (PAGE_TEAMS, 0x04): Role.TEAMS,
}


def usage_name(usage: int) -> str:
    """Human name of an extended usage; unknown ones read ``Usage 0xPPPP:0xUUUU``."""
    page, uid = usage >> 16, usage & 0xFFFF
    if page in (PAGE_TELEPHONY, PAGE_JABRA_TELEPHONY) and uid in _TELEPHONY:
        return _TELEPHONY[uid]
    if page in (PAGE_LED, PAGE_JABRA_LED) and uid in _LED:
        return _LED[uid]
    if (page, uid) in _VENDOR:
        return _VENDOR[(page, uid)]
    if page == PAGE_BUTTON:
        return f"Button {uid}"
    return f"Usage {page:#06x}:{uid:#06x}"


def role_of(usage: int) -> Role | None:
    """Call-control role of an extended usage, or None when it has none."""
    page, uid = usage >> 16, usage & 0xFFFF
    if page in (PAGE_TELEPHONY, PAGE_JABRA_TELEPHONY):
        return _TELEPHONY_ROLES.get(uid)
    if page in (PAGE_LED, PAGE_JABRA_LED):
        return _LED_ROLES.get(uid)
    return _VENDOR_ROLES.get((page, uid))
