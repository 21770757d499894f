"""What a UAS checks before it acts on a new request (RFC 3261 §8.2.1 to §8.2.3), in one place.

Pure: a request in, ``None`` (go on) or the refusal to send. The order is the RFC's: the method
(501 for one we do not know at all; 405 for a known one we do not serve stays with the
dispatcher, which knows what it serves), hops (483 for an INVITE or MESSAGE we would pass on
with Max-Forwards 0), then the option tags the request requires (420 with
``Unsupported``), then the body (415 with ``Accept``) and what the caller accepts in return
(406). CANCEL and ACK are never refused here (§8.2.2.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from pbx_core.signaling.headers import split_header_values
from pbx_core.signaling.message import SipRequest

__all__ = ["KNOWN_METHODS", "SUPPORTED_OPTIONS", "Refusal", "check_request"]

# Every method of RFC 3261 and the extensions in common use; anything else is "not implemented".
KNOWN_METHODS = frozenset(
    {
        "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER",  # RFC 3261
        "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE",
    }
)  # fmt: skip
# Option tags a request may require of us: Replaces on INVITE (RFC 3891), session timers
# (RFC 4028) and reliable provisionals (RFC 3262: a phone that only lists 100rel in
# ``Supported`` gets ordinary provisionals, as §3 allows).
SUPPORTED_OPTIONS = frozenset({"100rel", "replaces", "timer"})
# and Path on REGISTER (RFC 3327 §5.3: the registrar keeps it with the bindings)
_REGISTER_OPTIONS = SUPPORTED_OPTIONS | {"path"}
_RELAYED = frozenset({"INVITE", "MESSAGE"})
_BODY_TYPES = ("application/sdp",)
_ACCEPTABLE = ("application/sdp", "application/*", "*/*")


@dataclass(frozen=True, slots=True)
class Refusal:
    """The final response to send instead of handling the request."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()


def check_request(request: SipRequest, allow: str) -> Refusal | None:
    """The refusal for ``request`` by §8.2.1 to §8.2.3, or None when it may be handled."""
    method = request.method
    if method in ("ACK", "CANCEL"):
        return None
    if method not in KNOWN_METHODS:
        return Refusal(501, (("Allow", allow),))
    if method in _RELAYED and request.to_addr.tag is None:
        hops = request.headers.get("Max-Forwards")
        if hops is not None and int(hops) == 0:
            return Refusal(483)  # we would pass it on (a new leg, a relayed message): no hops left
    supported = _REGISTER_OPTIONS if method == "REGISTER" else SUPPORTED_OPTIONS
    required = [
        tag
        for line in request.headers.get_lines("Require")
        for tag in split_header_values(line)
        if tag.strip() and tag.strip().lower() not in supported
    ]
    if required:
        return Refusal(420, (("Unsupported", ", ".join(t.strip() for t in required)),))
    if method != "INVITE":
        return None
    content_type = (request.content_type or "").split(";", 1)[0].strip().lower()
    if request.body and content_type and content_type not in _BODY_TYPES:
        return Refusal(415, (("Accept", "application/sdp"),))
    accept = [
        value.split(";", 1)[0].strip().lower()
        for line in request.headers.get_lines("Accept")
        for value in split_header_values(line)
    ]
    if accept and not any(value in _ACCEPTABLE for value in accept):
        return Refusal(406, (("Accept", "application/sdp"),))
    return None
