"""Bodies of the three event packages the PBX serves, from one :class:`PresenceView`. Pure.

- ``dialog`` (RFC 4235, ``application/dialog-info+xml``) for BLF lamps: full state, one
  ``<dialog>`` per call: ``early`` while it rings, ``confirmed`` once answered (hold shows as
  ``+sip.rendering=no`` on the side that holds, RFC 4235 §4.1.6.2), and ``terminated`` once in
  the first NOTIFY after the call ended.
- ``presence`` (RFC 3856, PIDF RFC 3863 with RPID RFC 4480 activities): basic ``open`` while a
  phone is registered, the activity with its end time, the shared note, and the upcoming
  planned statuses as RFC 4481 ``<ts:timed-status from=… until=…>`` elements of the person,
  each with its RPID activities and our ``<ap:status>`` (the status by its API name).
- ``message-summary`` (RFC 3842): voicemail counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from pbx_core.presence_view import LineDialog, PlannedStatus, PresenceView

__all__ = [
    "ANONYMOUS",
    "MailboxCounts",
    "dialog_info",
    "message_summary",
    "pidf",
]

ANONYMOUS: Final = "sip:anonymous@anonymous.invalid"

_RPID: Final[dict[str, str]] = {
    "meeting": "meeting",
    "not_present": "away",
    "vacation": "vacation",
    "lunch": "meal",
    "business_trip": "travel",
    "dnd": "busy",
    "in_call": "on-the-phone",
}

_SHOWN_AS: Final[dict[str, str]] = {  # the generic RPID activity for clients that know
    "meeting": "busy",  # only "busy" and "away" (pjsua)
    "dnd": "busy",
    "in_call": "busy",
    "business_trip": "away",
    "not_present": "away",
    "vacation": "away",
    "lunch": "away",
}

_TEXT: Final[dict[str, str]] = {
    "available": "Available",
    "meeting": "In a meeting",
    "not_present": "Not present",
    "vacation": "On vacation",
    "lunch": "At lunch",
    "business_trip": "On a business trip",
    "dnd": "Do not disturb",
    "in_call": "In a call",
}


@dataclass(frozen=True, slots=True)
class MailboxCounts:
    """Voicemail counts of one mailbox (RFC 3842 ``Voice-Message: new/old``)."""

    new: int = 0
    old: int = 0


def _uri(number: str, domain: str) -> str:
    return f"sip:{number}@{domain}"


def _identity(number: str, name: str | None, domain: str) -> str:
    display = f" display={quoteattr(name)}" if name else ""
    return f"<identity{display}>{escape(_uri(number, domain))}</identity>"


def _participant(
    side: str, number: str, name: str | None, held: bool, domain: str, shown: bool
) -> str:
    if not shown:
        return f"<{side}><identity>{ANONYMOUS}</identity></{side}>"
    rendering = '<param pname="+sip.rendering" pvalue="no"/>' if held else ""
    target = f"<target uri={quoteattr(_uri(number, domain))}>{rendering}</target>"
    return f"<{side}>{_identity(number, name, domain)}{target}</{side}>"


def _dialog(view: PresenceView, d: LineDialog, domain: str, show_peer: bool) -> str:
    local = _participant("local", view.extension, None, d.local_held, domain, True)
    remote = _participant("remote", d.peer, d.peer_name, d.remote_held, domain, show_peer)
    return (
        f"<dialog id={quoteattr(d.call_id)} call-id={quoteattr(d.call_id)} "
        f"direction={quoteattr(d.direction)}><state>{d.state}</state>{remote}{local}</dialog>"
    )


def dialog_info(
    view: PresenceView, version: int, domain: str, ended: tuple[str, ...] = ()
) -> bytes:
    """A full-state ``dialog-info`` document; ``ended`` lists calls to report terminated.

    The caller's identity is shown to watchers unless the user is in the private role."""
    show_peer = view.role == "work"
    parts = [_dialog(view, d, domain, show_peer) for d in view.dialogs]
    parts += [
        f"<dialog id={quoteattr(c)} call-id={quoteattr(c)}><state>terminated</state></dialog>"
        for c in ended
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="{version}" '
        f'state="full" entity={quoteattr(_uri(view.extension, domain))}>'
        + "".join(parts)
        + "</dialog-info>\n"
    ).encode()


def status_text(view: PresenceView) -> str:
    """The human text of the status: "In a meeting until 15:00 UTC", "Not registered"."""
    if not view.registered and view.activity == "available":
        return "Not registered"
    text = _TEXT[view.activity]
    if view.until is not None and view.activity != "in_call":
        text += f" until {view.until:%H:%M} UTC"
    return text


def _activities(activity: str, until: str = "") -> str:
    names = [_SHOWN_AS[activity], _RPID[activity]] if activity in _RPID else []
    elements = "".join(f"<rpid:{n}/>" for n in dict.fromkeys(names))
    return f"<rpid:activities{until}>{elements}</rpid:activities>" if names else ""


def _timed(planned: PlannedStatus) -> str:
    """One upcoming planned status as an RFC 4481 timed status of the person."""
    start, end = quoteattr(planned.start.isoformat()), quoteattr(planned.end.isoformat())
    return (
        f"<ts:timed-status from={start} until={end}>{_activities(planned.status)}"
        f"<ap:status>{escape(planned.status)}</ap:status></ts:timed-status>"
    )


def pidf(view: PresenceView, domain: str) -> bytes:
    """A PIDF document with RPID activities, timed statuses (RFC 4481) and our extension
    elements (line, role, status names)."""
    entity = _uri(view.extension, domain)
    basic = "open" if view.registered else "closed"
    until = f" until={quoteattr(view.until.isoformat())}" if view.until is not None else ""
    activities = _activities(view.activity, until)
    timed = "".join(_timed(p) for p in view.planned)
    note = f"<dm:note>{escape(view.note)}</dm:note>" if view.note else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<presence xmlns="urn:ietf:params:xml:ns:pidf" '
        'xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" '
        'xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" '
        'xmlns:ts="urn:ietf:params:xml:ns:pidf:timed-status" '
        'xmlns:ap="urn:x-acme:params:xml:ns:presence" '
        f"entity={quoteattr(entity)}>"
        f'<tuple id="line"><status><basic>{basic}</basic></status>'
        f"<contact>{escape(entity)}</contact><note>{escape(status_text(view))}</note></tuple>"
        f'<dm:person id="p-{escape(view.extension)}">{activities}{timed}{note}'
        f"<ap:line>{view.line}</ap:line><ap:role>{view.role}</ap:role></dm:person>"
        "</presence>\n"
    ).encode()


def message_summary(extension: str, counts: MailboxCounts, domain: str) -> bytes:
    """An RFC 3842 ``simple-message-summary`` body."""
    waiting = "yes" if counts.new > 0 else "no"
    return (
        f"Messages-Waiting: {waiting}\r\n"
        f"Message-Account: {_uri(extension, domain)}\r\n"
        f"Voice-Message: {counts.new}/{counts.old} (0/0)\r\n"
    ).encode()
