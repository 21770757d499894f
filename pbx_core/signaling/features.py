"""What a dialled number means on this PBX: an extension, or a feature code (seed 004
"Funktionskoder") or a service number. Pure: one parser, used by the route lookup and the call
machine alike, so the two never disagree.

Numbers are contracts (docs/call-control.md): ``*9*<ext>*`` directed pickup, ``*8*`` group
pickup, ``*65*<ext>*`` intrusion, ``*60*<ext>*`` diversion bypass, ``*7*`` fetch my active call,
``7000`` park (as a transfer target), ``7001``-``7019`` parked calls, ``8000``-``8009`` meet-me
conference rooms, ``9000`` the echo test; ``*1*<ext>*`` straight to ``<ext>``'s voicemail and
``9100`` the caller's own voicemail (listening by phone, docs/voicemail.md); ``*21*<number>*``
forward my calls to ``<number>`` and ``#21#*`` stop forwarding (docs/routing.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias
from urllib.parse import unquote

__all__ = [
    "CONFERENCE_ROOMS",
    "ECHO_EXTENSION",
    "PARK_EXTENSION",
    "PARK_SLOTS",
    "SUPERVISE_CODES",
    "VOICEMAIL_NUMBER",
    "Conference",
    "Dial",
    "Echo",
    "Fetch",
    "Forwarding",
    "Intrude",
    "Park",
    "Pickup",
    "QueueCode",
    "Retrieve",
    "Supervise",
    "Target",
    "VoicemailDeposit",
    "VoicemailListen",
    "parse_target",
    "service_of",
]

ECHO_EXTENSION = "9000"
VOICEMAIL_NUMBER = "9100"
PARK_EXTENSION = "7000"
PARK_SLOTS: tuple[str, ...] = tuple(str(n) for n in range(7001, 7020))
CONFERENCE_ROOMS: tuple[str, ...] = tuple(str(n) for n in range(8000, 8010))

_CODE = re.compile(r"^\*(\d+)\*(?:([0-9A-Za-z+#.]+)\*)?$")
_QUEUE_LOGOUT = re.compile(r"^\*\*11\*(\d{1,8})\*?$")


@dataclass(frozen=True, slots=True)
class Dial:
    """A plain call to ``extension`` (``bypass``: ``*60*``, ignore forwarding)."""

    extension: str
    bypass: bool = False


@dataclass(frozen=True, slots=True)
class Echo:
    """The echo test."""


@dataclass(frozen=True, slots=True)
class Park:
    """``7000``: where a transfer parks a call (dialled directly it is refused)."""


@dataclass(frozen=True, slots=True)
class Retrieve:
    """A park slot: pick up the call parked there."""

    slot: str


@dataclass(frozen=True, slots=True)
class Conference:
    """A meet-me conference room."""

    room: str


@dataclass(frozen=True, slots=True)
class Pickup:
    """Pick up a ringing call: of ``extension`` (``*9*X*``), or of the caller's group (``*8*``)."""

    extension: str | None


@dataclass(frozen=True, slots=True)
class Intrude:
    """``*65*X*``: break into X's call; X's other party waits and is reconnected afterwards."""

    extension: str


@dataclass(frozen=True, slots=True)
class Fetch:
    """``*7*``: move my own answered call from another of my phones to this one."""


@dataclass(frozen=True, slots=True)
class VoicemailDeposit:
    """``*1*X*``: leave a message in X's voicemail without ringing X."""

    extension: str


@dataclass(frozen=True, slots=True)
class VoicemailListen:
    """``9100``: listen to my own voicemail messages by phone."""


@dataclass(frozen=True, slots=True)
class Forwarding:
    """``*21*<number>*``: forward my calls to ``number``; ``#21#*`` (None): stop forwarding."""

    number: str | None


@dataclass(frozen=True, slots=True)
class Supervise:
    """``*66*X*`` listen to X's queue call, ``*67*X*`` whisper to X (the caller does not hear),
    ``*68*X*`` barge in (both hear): a queue's supervisor (P15)."""

    extension: str
    mode: str  # "listen", "whisper", "barge"


SUPERVISE_CODES = {"66": "listen", "67": "whisper", "68": "barge"}


@dataclass(frozen=True, slots=True)
class QueueCode:
    """``*11*<code>*``: log in to the queue with that code; ``**11*<code>*``: log out."""

    code: str
    login: bool


Target: TypeAlias = (
    Dial
    | Echo
    | Park
    | Retrieve
    | Conference
    | Pickup
    | Intrude
    | Fetch
    | VoicemailDeposit
    | VoicemailListen
    | Forwarding
    | QueueCode
    | Supervise
)


def parse_target(dialled: str) -> Target | None:
    """What ``dialled`` (the request URI's user part) asks for; None for an unknown code."""
    if dialled == ECHO_EXTENSION:
        return Echo()
    if dialled == PARK_EXTENSION:
        return Park()
    if dialled == VOICEMAIL_NUMBER:
        return VoicemailListen()
    if dialled in PARK_SLOTS:
        return Retrieve(dialled)
    if dialled in CONFERENCE_ROOMS:
        return Conference(dialled)
    if unquote(dialled) in ("#21#*", "#21#"):
        return Forwarding(None)
    if not dialled.startswith("*"):
        return Dial(dialled)
    logout = _QUEUE_LOGOUT.match(unquote(dialled))
    if logout is not None:
        return QueueCode(logout.group(1), login=False)
    match = _CODE.match(dialled)
    if match is None:
        return None
    code, argument = match.group(1), match.group(2)
    if code == "9" and argument:
        return Pickup(argument)
    if code == "8" and not argument:
        return Pickup(None)
    if code == "65" and argument:
        return Intrude(argument)
    if code == "60" and argument:
        return Dial(argument, bypass=True)
    if code == "7" and not argument:
        return Fetch()
    if code == "1" and argument:
        return VoicemailDeposit(argument)
    if code == "21" and argument:
        return Forwarding(argument)
    if code == "11" and argument and argument.isdigit():
        return QueueCode(argument, login=True)
    if code in SUPERVISE_CODES and argument:
        return Supervise(argument, SUPERVISE_CODES[code])
    return None


def service_of(
    target: Target | None, replaces: bool, dialled: str
) -> tuple[str | None, str | None, str]:
    """(service, its argument, the callee to record) for a dialled number; an INVITE with
    Replaces is the "replaces" service whatever it dialled."""
    if replaces:
        return "replaces", None, dialled
    if isinstance(target, Echo):
        return "echo", None, dialled
    if isinstance(target, Dial):
        return None, None, target.extension
    if isinstance(target, Retrieve):
        return "retrieve", target.slot, dialled
    if isinstance(target, Conference):
        return "conference", target.room, dialled
    if isinstance(target, Pickup):
        return "pickup", target.extension, dialled
    if isinstance(target, Intrude):
        return "intrude", target.extension, dialled
    if isinstance(target, Fetch):
        return "fetch", None, dialled
    if isinstance(target, VoicemailDeposit):
        return "voicemail", target.extension, target.extension
    if isinstance(target, VoicemailListen):
        return "voicemail-listen", None, dialled
    if isinstance(target, Forwarding):
        return "forwarding", target.number, dialled
    if isinstance(target, Supervise):
        return target.mode, target.extension, dialled
    if isinstance(target, QueueCode):
        return ("queue-login" if target.login else "queue-logout"), target.code, dialled
    return None, None, dialled
