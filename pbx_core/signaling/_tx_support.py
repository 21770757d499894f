"""Transaction actions, keys and the requests a UAC builds itself (RFC 3261 §9.1, §17.1.1.3,
§17.1.3, §17.2.3).

Kept apart from the state machines so the driver and dialog layer can import the value types
without the machines.
"""

from __future__ import annotations

from dataclasses import dataclass

from pbx_core.errors import PbxError
from pbx_core.signaling._header_map import Headers
from pbx_core.signaling.headers import MAGIC_COOKIE, Via, split_header_values
from pbx_core.signaling.message import SipRequest, SipResponse

__all__ = [
    "Action",
    "CancelTimer",
    "Deliver",
    "DeliverRequest",
    "Send",
    "StartTimer",
    "Terminated",
    "Timeout",
    "TransactionKey",
    "TransactionStateError",
    "build_ack",
    "build_cancel",
    "client_key",
    "server_key",
]


class TransactionStateError(PbxError, ValueError):
    """A transaction was asked to do something its current state does not allow."""


@dataclass(frozen=True, slots=True)
class Send:
    """Hand ``message`` to the transport (to the transaction's peer)."""

    message: SipRequest | SipResponse


@dataclass(frozen=True, slots=True)
class StartTimer:
    """(Re)start the timer ``name`` (an RFC 3261 letter) to fire after ``delay`` seconds."""

    name: str
    delay: float


@dataclass(frozen=True, slots=True)
class CancelTimer:
    """Stop the timer ``name``; it must not fire any more."""

    name: str


@dataclass(frozen=True, slots=True)
class Deliver:
    """Pass a response to the transaction user (client transactions)."""

    response: SipResponse


@dataclass(frozen=True, slots=True)
class DeliverRequest:
    """Pass a request to the transaction user (an ACK for a 2xx that matched, RFC 6026 §7.1)."""

    request: SipRequest


@dataclass(frozen=True, slots=True)
class Timeout:
    """Timer B, F or H expired: the TU treats it as a 408 (or an unacknowledged final)."""


@dataclass(frozen=True, slots=True)
class Terminated:
    """The transaction is over; the driver forgets it (all its timers are already cancelled)."""


Action = Send | StartTimer | CancelTimer | Deliver | DeliverRequest | Timeout | Terminated


@dataclass(frozen=True, slots=True)
class TransactionKey:
    """What a message is matched on: top Via branch and sent-by, method (ACK counts as INVITE)."""

    branch: str
    sent_by: str
    method: str


def _sent_by(via: Via) -> str:
    port = via.port or (5061 if via.transport == "TLS" else 5060)
    host, _ = via.sent_by
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _method(method: str) -> str:
    return "INVITE" if method == "ACK" else method


def server_key(request: SipRequest) -> TransactionKey:
    """Key of the server transaction a request belongs to (§17.2.3).

    A branch without the magic cookie comes from an RFC 2543 phone (RFC 4475 §3.2.1, §3.4.1):
    its transaction is what the request says about itself — Request-URI, From tag, Call-ID,
    CSeq number and top Via — so a retransmission, its ACK (To tag aside, which our answer
    added) and its CANCEL all find it."""
    via = request.top_via
    branch = via.branch
    if not branch or not branch.startswith(MAGIC_COOKIE) or branch == MAGIC_COOKIE:
        branch = "rfc2543 {} {} {} {} {}".format(
            request.uri, request.from_addr.tag or "", request.call_id, request.cseq.seq, branch
        )
    return TransactionKey(branch, _sent_by(via), _method(request.method))


def client_key(response: SipResponse) -> TransactionKey:
    """Key of the client transaction a response belongs to (§17.1.3: branch + CSeq method).
    Our requests always carry a magic-cookie branch; a response without one is not ours."""
    via = response.top_via
    branch = via.branch
    if not branch or not branch.startswith(MAGIC_COOKIE):
        raise ValueError("a response without a branch of ours")
    return TransactionKey(branch, _sent_by(via), _method(response.cseq.method))


def _copy_route_headers(invite: SipRequest, headers: Headers) -> None:
    for line in invite.headers.get_lines("Route"):
        headers.add("Route", line)


def _first_via(invite: SipRequest) -> str:
    if not invite.vias:
        raise ValueError("missing header: Via")
    return split_header_values(invite.headers.get_lines("Via")[0])[0]


def build_cancel(invite: SipRequest) -> SipRequest:
    """CANCEL for a pending INVITE (§9.1): same Request-URI, top Via, From, To, Call-ID, Route,
    CSeq number."""
    headers = Headers()
    headers.add("Via", _first_via(invite))
    headers.add("Max-Forwards", "70")
    headers.add("From", invite.headers.get("From") or "")
    headers.add("To", invite.headers.get("To") or "")
    headers.add("Call-ID", invite.call_id)
    headers.add("CSeq", f"{invite.cseq.seq} CANCEL")
    _copy_route_headers(invite, headers)
    headers.add("Content-Length", "0")
    return SipRequest("CANCEL", invite.uri.copy(), headers)


def build_ack(invite: SipRequest, response: SipResponse) -> SipRequest:
    """ACK for a non-2xx final response (§17.1.1.3): the INVITE's top Via and branch, To from
    the response (with its tag)."""
    if response.status < 300:
        raise ValueError("ACK for a 2xx is built by the dialog, not the transaction")
    headers = Headers()
    headers.add("Via", _first_via(invite))
    headers.add("Max-Forwards", "70")
    headers.add("From", invite.headers.get("From") or "")
    headers.add("To", response.headers.get("To") or "")
    headers.add("Call-ID", invite.call_id)
    headers.add("CSeq", f"{invite.cseq.seq} ACK")
    _copy_route_headers(invite, headers)
    headers.add("Content-Length", "0")
    return SipRequest("ACK", invite.uri.copy(), headers)
