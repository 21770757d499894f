"""Dialogs (RFC 3261 §12): the peer-to-peer relationship an INVITE creates.

Sans-IO: a :class:`Dialog` holds the identifiers, sequence numbers, route set and remote target,
builds requests inside the dialog and checks the ones that arrive. Where the requests go on the
wire (``destination``) is the address the peer's messages come from, which keeps phones behind
NAT reachable (the same idea as RFC 3581 ``rport`` for responses).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pbx_core.signaling.message import Headers, SipRequest, SipResponse
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import NameAddr, SipUri

__all__ = ["Dialog", "DialogId"]

USER_AGENT = "Acme PBX"


@dataclass(frozen=True, slots=True)
class DialogId:
    """Call-ID plus the two tags, as seen from our side (§12)."""

    call_id: str
    local_tag: str
    remote_tag: str


@dataclass(slots=True)
class Dialog:
    """One dialog, from our side: we are ``local``, the phone is ``remote``."""

    call_id: str
    local_tag: str
    remote_tag: str
    local_uri: NameAddr
    remote_uri: NameAddr
    remote_target: SipUri
    destination: Address
    local_seq: int
    remote_seq: int | None = None
    route_set: list[str] = field(default_factory=list)
    contact: NameAddr | None = None  # ours, sent in target-refresh requests

    @property
    def id(self) -> DialogId:
        return DialogId(self.call_id, self.local_tag, self.remote_tag)

    @classmethod
    def as_uas(
        cls, request: SipRequest, response: SipResponse, *, source: Address, contact: NameAddr
    ) -> Dialog:
        """The dialog a 2xx to ``request`` creates on the answering side (§12.1.1)."""
        contacts = request.contacts
        return cls(
            call_id=request.call_id,
            local_tag=response.to_addr.tag or "",
            remote_tag=request.from_addr.tag or "",
            local_uri=response.to_addr,
            remote_uri=request.from_addr,
            remote_target=contacts[0].uri if contacts else request.from_addr.uri,
            destination=source,
            local_seq=0,
            remote_seq=request.cseq.seq,
            route_set=request.headers.get_all("Record-Route"),
            contact=contact,
        )

    @classmethod
    def as_uac(
        cls,
        request: SipRequest,
        response: SipResponse,
        *,
        destination: Address,
        contact: NameAddr | None = None,
    ) -> Dialog:
        """The dialog a 2xx to our ``request`` creates on the calling side (§12.1.2)."""
        contacts = response.contacts
        return cls(
            call_id=request.call_id,
            local_tag=request.from_addr.tag or "",
            remote_tag=response.to_addr.tag or "",
            local_uri=request.from_addr,
            remote_uri=response.to_addr,
            remote_target=contacts[0].uri if contacts else request.uri,
            destination=destination,
            local_seq=request.cseq.seq,
            remote_seq=None,
            route_set=list(reversed(response.headers.get_all("Record-Route"))),
            contact=contact,
        )

    def matches(self, message: SipRequest | SipResponse) -> bool:
        """Whether an in-dialog request from the peer belongs to this dialog."""
        return (
            message.call_id == self.call_id
            and message.to_addr.tag == self.local_tag
            and message.from_addr.tag == self.remote_tag
        )

    def accept_request(self, request: SipRequest) -> bool:
        """Check the CSeq of a request from the peer (§12.2.2); False means answer 500."""
        seq = request.cseq.seq
        if request.method != "ACK" and self.remote_seq is not None and seq <= self.remote_seq:
            return False
        if request.method != "ACK":
            self.remote_seq = seq
        contacts = request.contacts
        if request.method == "INVITE" and contacts:
            self.remote_target = contacts[0].uri  # target refresh (§12.2.2)
        return True

    def create_request(
        self,
        method: str,
        *,
        body: bytes = b"",
        content_type: str | None = None,
        seq: int | None = None,
    ) -> SipRequest:
        """A request inside the dialog (§12.2.1.1); ACK reuses ``seq``. The endpoint adds Via."""
        if seq is None:
            self.local_seq += 1
            seq = self.local_seq
        headers = Headers()
        headers.add("Max-Forwards", "70")
        for route in self.route_set:
            headers.add("Route", route)
        headers.add("From", str(self.local_uri.with_tag(self.local_tag)))
        headers.add("To", str(self.remote_uri.with_tag(self.remote_tag)))
        headers.add("Call-ID", self.call_id)
        headers.add("CSeq", f"{seq} {method}")
        if self.contact is not None and method in ("INVITE", "UPDATE"):
            headers.add("Contact", str(self.contact))
        headers.add("User-Agent", USER_AGENT)
        if content_type is not None:
            headers.add("Content-Type", content_type)
        return SipRequest(method, self.remote_target.copy(), headers, body)

    def create_ack(self, invite_seq: int, *, body: bytes = b"") -> SipRequest:
        """The ACK for a 2xx to our INVITE with CSeq ``invite_seq`` (§13.2.2.4)."""
        return self.create_request(
            "ACK", seq=invite_seq, body=body, content_type="application/sdp" if body else None
        )
