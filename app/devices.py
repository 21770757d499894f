"""The user's other phones, for "Move" in a call window (pure: no Qt, no sockets).

The server lists the signed-in user's registered phones (``GET /api/v1/me/devices``); this
module reads that list, says what each phone is from its user agent (a desk phone and its
model, a softphone, a phone app), leaves out this app's own registration (its Contact port is
the engine's SIP port), adds the mobile number from the settings, and finds the PBX's id of
the app's call in ``GET /api/v1/active-calls`` (the move API names the call by it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from app.server_events import parse_until

__all__ = [
    "Device",
    "DeviceKind",
    "MoveChoice",
    "describe",
    "is_own_device",
    "move_choices",
    "pbx_call_id",
]

DeviceKind = Literal["desk_phone", "softphone", "phone_app", "phone", "mobile"]
"""What a phone is, in plain words: the ui says "Desk phone (Yealink T54W)", "Other
softphone", "Phone app", "Other phone" or "Mobile (+31 6 …)"."""


@dataclass(frozen=True, slots=True)
class Device:
    """One registered phone of the user (a row of ``GET /api/v1/me/devices``)."""

    id: str
    contact: str
    user_agent: str | None
    transport: str
    expires_at: dt.datetime

    @classmethod
    def from_api(cls, row: Mapping[str, object]) -> Device:
        """``ValueError`` names a bad field."""
        values: dict[str, str] = {}
        for name in ("id", "contact", "transport"):
            value = row.get(name)
            if not isinstance(value, str) or not value:
                raise ValueError(f"device: {name} must be a non-empty string")
            values[name] = value
        agent = row.get("user_agent")
        if agent is not None and not isinstance(agent, str):
            raise ValueError("device: user_agent must be a string or null")
        try:
            expires = parse_until(row.get("expires_at"))
        except ValueError:
            expires = None
        if expires is None:
            raise ValueError("device: expires_at must be an ISO-8601 time")
        return cls(values["id"], values["contact"], agent or None, values["transport"], expires)


@dataclass(frozen=True, slots=True)
class MoveChoice:
    """One entry of the Move menu: a phone of the user (``device_id``) or the mobile number."""

    kind: DeviceKind
    model: str | None = None
    """The phone's make and model or the softphone's name ("Yealink T54W"), when known."""
    device_id: str | None = None
    """Set for a registered phone (moved through the API); None for the mobile number."""
    number: str | None = None
    """The mobile number (a blind transfer there); None for a registered phone."""


# Desk phone makers as they start their User-Agent, and the name shown for them.
_DESK_MAKERS = {
    "yealink": "Yealink",
    "snom": "Snom",
    "polycom": "Poly",
    "poly": "Poly",
    "grandstream": "Grandstream",
    "cisco": "Cisco",
    "fanvil": "Fanvil",
    "gigaset": "Gigaset",
    "panasonic": "Panasonic",
    "avaya": "Avaya",
    "mitel": "Mitel",
    "aastra": "Aastra",
    "htek": "Htek",
    "alcatel": "Alcatel",
    "auerswald": "Auerswald",
}
_SOFTPHONES = {
    "zoiper": "Zoiper",
    "linphone": "Linphone",
    "microsip": "MicroSIP",
    "bria": "Bria",
    "x-lite": "X-Lite",
    "jitsi": "Jitsi",
    "telephone": "Telephone",
    "acmephone": "AcmePhone",
    "groundwire": "Groundwire",
    "acrobits": "Acrobits",
    "baresip": "baresip",
    "blink": "Blink",
}
_MOBILE = re.compile(r"\b(android|iphone|ios|ipad|groundwire|acrobits)\b")
_LIBRARIES = ("pjsua", "pjsip", "sofia", "resiprocate")  # softphones built on these


def _model_of(maker: str, rest: str) -> str:
    """Make and model from what follows the maker in the User-Agent: ("Yealink",
    " SIP-T54W 96.86.0.100") → "Yealink T54W"; just the maker when no model is there."""
    if maker == "Poly":
        vvx = re.search(r"VVX[-_ ]?(\d+)", rest, flags=re.IGNORECASE)
        return f"Poly VVX {vvx.group(1)}" if vvx else maker
    token = (re.split(r"[\s/]+", rest.strip(" -_/"), maxsplit=1) or [""])[0]
    token = re.sub(r"^SIP[-_]", "", token, flags=re.IGNORECASE).strip(" -_")
    if not token or len(token) > 20 or re.fullmatch(r"[\d.]+", token):
        return maker  # nothing, or only a firmware version
    return f"{maker} {token}"


def describe(user_agent: str | None) -> tuple[DeviceKind, str | None]:
    """What a phone is from its User-Agent: ``("desk_phone", "Yealink T54W")``,
    ``("softphone", "Zoiper")``, ``("phone_app", "Zoiper")``, or ``("phone", None)``."""
    text = (user_agent or "").strip()
    low = text.lower()
    for key, maker in _DESK_MAKERS.items():
        if low.startswith(key):
            return "desk_phone", _model_of(maker, text[len(key) :])
    mobile = _MOBILE.search(low) is not None
    for key, name in _SOFTPHONES.items():
        if key in low:
            return ("phone_app" if mobile else "softphone"), name
    if mobile:
        return "phone_app", None
    if any(lib in low for lib in _LIBRARIES):
        return "softphone", None
    return "phone", None


def _port_of(contact: str) -> int | None:
    """The port of a Contact URI (``<sip:201@10.0.0.5:5062;ob>`` → 5062)."""
    match = re.search(r"@(\[[^\]]+\]|[^:;>\s]+)(?::(\d+))?", contact)
    if match is None or match.group(2) is None:
        return None
    return int(match.group(2))


def is_own_device(device: Device, own_ports: Collection[int], own_agent: str | None) -> bool:
    """This app's own registration: its Contact port is one of the engine's SIP ports (and its
    user agent, when both are known, is the app's)."""
    if _port_of(device.contact) not in own_ports:
        return False
    return own_agent is None or device.user_agent is None or device.user_agent == own_agent


def move_choices(
    devices: Sequence[Device],
    own_ports: Collection[int],
    own_agent: str | None,
    mobile_number: str | None,
) -> list[MoveChoice]:
    """The Move menu: the user's other phones (newest first, as listed), then the mobile."""
    choices = []
    for device in devices:
        if is_own_device(device, own_ports, own_agent):
            continue
        kind, model = describe(device.user_agent)
        choices.append(MoveChoice(kind, model, device_id=device.id))
    if mobile_number:
        choices.append(MoveChoice("mobile", number=mobile_number))
    return choices


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _same_number(a: str, b: str) -> bool:
    """Extensions match exactly; longer numbers on their last nine digits (+31 6… = 06…)."""
    da, db = _digits(a), _digits(b)
    if not da or not db:
        return a == b
    if len(da) <= 6 or len(db) <= 6:
        return da == db
    return da[-9:] == db[-9:]


def pbx_call_id(rows: Sequence[Mapping[str, object]], me: str, other_number: str) -> str | None:
    """The PBX's id of the user's answered call with ``other_number`` (a row of
    ``GET /api/v1/active-calls``); None when there is none, or several match."""
    found = []
    for row in rows:
        call_id, caller, callee = row.get("call_id"), row.get("caller"), row.get("callee")
        if not isinstance(call_id, str) or not isinstance(caller, str):
            continue
        if not isinstance(callee, str) or row.get("answered") is False:
            continue
        other = callee if caller == me else caller
        parties = row.get("parties")
        numbers = [other]
        if isinstance(parties, list):
            numbers += [
                str(p["extension"])
                for p in parties
                if isinstance(p, Mapping) and p.get("extension") not in (None, me)
            ]
        if any(_same_number(n, other_number) for n in numbers):
            found.append(call_id)
    return found[0] if len(found) == 1 else None
