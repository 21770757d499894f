"""REFER (RFC 3515) and Replaces (RFC 3891) as the PBX reads and answers them. Pure.

A phone transfers its call by sending REFER inside the call's dialog: ``Refer-To`` names the
target (blind transfer), or names another dialog of the same phone with the PBX in a
``Replaces`` URI header (attended transfer). The PBX reports progress to the transferor with
NOTIFY requests in the implicit ``refer`` subscription, each carrying a ``message/sipfrag`` of
the status line (RFC 3515 §2.4.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from pbx_core.signaling._reasons import REASONS
from pbx_core.signaling.dialog import Dialog
from pbx_core.signaling.message import SipRequest
from pbx_core.signaling.uri import NameAddr

__all__ = [
    "ReferTo",
    "Replaces",
    "parse_refer_to",
    "parse_replaces",
    "replaces_of",
    "sipfrag_notify",
]

SIPFRAG = "message/sipfrag;version=2.0"


@dataclass(frozen=True, slots=True)
class Replaces:
    """The dialog an attended transfer or an INVITE with Replaces takes over (RFC 3891 §6.1).
    ``to_tag`` is the tag of the side that receives it (ours), ``from_tag`` the phone's."""

    call_id: str
    to_tag: str
    from_tag: str


@dataclass(frozen=True, slots=True)
class ReferTo:
    """Where a REFER sends the other party: an extension, perhaps with a dialog to replace."""

    target: str
    replaces: Replaces | None = None


def parse_replaces(value: str) -> Replaces:
    """``callid;to-tag=x;from-tag=y`` (parameters in any order); ValueError if incomplete."""
    call_id, *params = [part.strip() for part in value.split(";")]
    tags: dict[str, str] = {}
    for param in params:
        name, _, tag = param.partition("=")
        tags[name.strip().lower()] = tag.strip()
    if not call_id or not tags.get("to-tag") or not tags.get("from-tag"):
        raise ValueError("Replaces needs a Call-ID, a to-tag and a from-tag")
    return Replaces(call_id, tags["to-tag"], tags["from-tag"])


def parse_refer_to(request: SipRequest) -> ReferTo:
    """The ``Refer-To`` of a REFER; ValueError when it is missing, repeated or unusable."""
    values = request.headers.get_lines("Refer-To")
    if len(values) != 1:
        raise ValueError("exactly one Refer-To is required")
    uri = NameAddr.parse(values[0]).uri
    if uri.scheme not in ("sip", "sips", "tel") or not uri.user:
        raise ValueError("Refer-To must name a number")
    replaces = None
    for name, value in uri.headers.items():
        if name.lower() == "replaces":
            replaces = parse_replaces(unquote(value))
    return ReferTo(unquote(uri.user), replaces)


def sipfrag_notify(dialog: Dialog, status: int, *, final: bool) -> SipRequest:
    """The NOTIFY that tells the transferor how the transfer goes (RFC 3515 §2.4.5)."""
    body = f"SIP/2.0 {status} {REASONS.get(status, '')}\r\n".encode()
    request = dialog.create_request("NOTIFY", body=body, content_type=SIPFRAG)
    request.headers.add("Event", "refer")
    state = "terminated;reason=noresource" if final else "active;expires=60"
    request.headers.add("Subscription-State", state)
    return request


def replaces_of(value: str | None) -> Replaces | None:
    """The Replaces header of an INVITE (RFC 3891), or None when absent or unusable."""
    if not value:
        return None
    try:
        return parse_replaces(value)
    except ValueError:
        return None
