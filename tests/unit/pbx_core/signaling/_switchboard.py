"""The PBX's call core in memory: user-agent layer + call machine, fake phones, a fake clock.

Like h11's ``ConnectionPair``: no sockets, no loop. What the PBX sends lands in the addressed
phone's ``inbox``; what a phone sends is fed to the PBX at once; timers fire only when a test
calls ``advance``. RTP legs are real :class:`MediaLeg` objects without sockets, so offer/answer
is the real one and connections can be checked on ``leg.source``. Authentication and the store
are left out: INVITEs come from the extension the phone is named after, and routes are given.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from pbx_core.events import Event
from pbx_core.ids import LegId
from pbx_core.media import MediaLeg
from pbx_core.media.connections import (
    Connect,
    ConnectMusic,
    ConnectPrompt,
    ConnectTone,
    Disconnect,
    JoinRoom,
    LeaveRoom,
    Patchbay,
)
from pbx_core.permissions import Member, Role
from pbx_core.signaling._call_actions import (
    CallAction,
    CancelInvite,
    CloseMedia,
    Dtmf,
    FindRoute,
    LinesChanged,
    OpenMedia,
    Publish,
    Record,
    Reply,
    SendAck,
    SendRequest,
    StartTimer,
    StopTimer,
)
from pbx_core.signaling._ua_actions import (
    RequestReceived,
    UaEvent,
)
from pbx_core.signaling.callmachine import CallMachine, CallOptions
from pbx_core.signaling.calls import Contact, Route
from pbx_core.signaling.dialog import Dialog
from pbx_core.signaling.features import parse_target
from pbx_core.signaling.message import (
    Headers,
    SipRequest,
    SipResponse,
    make_response,
    new_branch,
    new_tag,
    parse_message,
)
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import NameAddr, SipUri
from pbx_core.signaling.useragent import ClientTransactionHandle
from pbx_core.store import CallRecord
from tests.unit.pbx_core.signaling._sipnet import FakeClock, Wire

PBX = Address("udp", "192.0.2.1", 5060)
DEPARTMENTS = {
    "201": "Sales",
    "202": "Support",
    "203": "Support",
    "204": "Reception",
    "205": "Management",
}
EPOCH = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def sdp(host: str, port: int, direction: str = "sendrecv", codecs: str = "0 8 101") -> bytes:
    lines = [
        "v=0",
        f"o=- 1 {port} IN IP4 {host}",
        "s=-",
        f"c=IN IP4 {host}",
        "t=0 0",
        f"m=audio {port} RTP/AVP {codecs}",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        f"a={direction}",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


class _Host:
    def source_changed(self, leg: MediaLeg) -> None:
        pass

    def leg_closed(self, leg: MediaLeg) -> None:
        pass


class Switchboard:
    """Performs the call machine's and the user-agent layer's actions in memory."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.wire = Wire(_ua(self.clock), self.clock)
        self.machine = CallMachine(
            host=PBX.host,
            contact=lambda transport: SipUri("pbx", PBX.host, PBX.port),
            clock=lambda: EPOCH + timedelta(seconds=self.clock.now),
            options=CallOptions(transfer_ring_seconds=20.0, park_recall_seconds=60.0),
        )
        self.timers: dict[tuple[str, str], float] = {}  # (call id, name) -> when it fires
        self.sounds: dict[str, object] = {}  # leg id -> the last prompt, tone or room it got
        self.digits: list[tuple[str, str]] = []  # (leg id, digit) from SIP INFO
        self.phones: dict[Address, Phone] = {}
        self.bindings: dict[str, list[Phone]] = {}
        self.paths: dict[str, tuple[str, ...]] = {}  # extension -> Path of its REGISTER
        self.media: dict[str, MediaLeg] = {}
        self.closed: set[str] = set()
        self.published: list[Event] = []
        self.records: list[CallRecord] = []
        self.lines_changed: set[str] = set()  # every extension a LinesChanged named
        self._invites: dict[LegId, ClientTransactionHandle] = {}
        self._patchbay = Patchbay(self.media.get)
        self.defer_media = False  # hold OpenMedia until ``open_media`` (ports open slowly)
        self._opening: list[LegId] = []

    def phone(
        self, extension: str, last_octet: int, *, register: bool = True, transport: str = "udp"
    ) -> Phone:
        phone = Phone(self, extension, Address(transport, f"192.0.2.{last_octet}", 5060))
        self.phones[phone.address] = phone
        if register:
            self.bindings.setdefault(extension, []).append(phone)
        return phone

    # -- the wire ------------------------------------------------------------------------

    def deliver(self, message: SipRequest | SipResponse, source: Address) -> None:
        self.wire.receive(bytes(message), source)
        self._pump()

    def advance(self, seconds: float) -> None:
        self.wire.advance(seconds)
        self._pump()
        for key, when in sorted(self.timers.items(), key=lambda item: item[1]):
            if when <= self.clock.now and self.timers.get(key) == when:
                del self.timers[key]
                self.perform(self.machine.timer_fired(key[0], key[1]))

    def _pump(self) -> None:
        """Hand the wire's sent messages to the phones and its events to the machine."""
        while self.wire.sent or self.wire.events:
            for message, dest in self.wire.sent:
                assert not isinstance(message, bytes), message
                self.phones[dest].inbox.append(message)
            self.wire.sent.clear()
            for event in self.wire.take_events():
                self._on_event(event)
            self.wire.flush()

    def _on_event(self, event: UaEvent) -> None:
        machine = self.machine
        if isinstance(event, RequestReceived):
            tx = event.handle
            request = tx.request
            if request.to_addr.tag is not None:
                self.perform(machine.in_dialog(tx))
            elif request.method == "INVITE":
                caller = self.phones[tx.source].extension
                tx.reply(100)
                route = self._route(request.uri.user or "", caller)
                self.perform(machine.new_call(tx, caller, route))
            else:
                tx.reply(405)
        else:
            self.perform(machine.event(event))

    def _route(self, target: str, caller: str = "") -> Route:
        """Like the store: 201 is in Sales, 202 and 203 in Support, 205 is an admin; a feature
        code names its extension (``*9*202*``: 202)."""
        roles = frozenset({Role.USER, Role.ADMIN} if caller == "205" else {Role.USER})
        member = Member(caller, DEPARTMENTS.get(caller), roles) if caller else None
        feature = parse_target(target)
        extension = getattr(feature, "extension", None)
        if extension is None:
            return Route(f"User {caller}", None, True, (), member)
        if extension not in DEPARTMENTS:
            return Route(f"User {caller}", None, False, (), member)
        contacts = tuple(
            Contact(
                SipUri(extension, p.address.host, p.address.port),
                p.address,
                self.paths.get(extension, ()),
            )
            for p in self.bindings.get(extension, [])
        )
        return Route(
            f"User {caller}",
            f"User {extension}",
            True,
            contacts,
            member,
            Member(extension, DEPARTMENTS[extension]),
        )

    def perform(self, actions: list[CallAction]) -> None:
        for action in actions:
            if isinstance(action, Reply):
                action.handle.respond(action.response)
            elif isinstance(action, SendRequest):
                handle = self.wire.ua.send_request(
                    action.request, action.dest, context=action.context
                )
                self._invites[action.context.leg_id] = handle
            elif isinstance(action, SendAck):
                self.wire.ua.send_stateless(action.request, action.dest)
            elif isinstance(action, CancelInvite):
                self._invites[action.leg_id].cancel()
            elif isinstance(action, OpenMedia) and self.defer_media:
                self._opening.append(action.leg_id)
            elif isinstance(action, OpenMedia):
                leg = MediaLeg(
                    _Host(),
                    action.leg_id,
                    PBX.host,
                    20000 + 2 * len(self.media),
                    cast(Any, (None, None)),
                )
                self.media[action.leg_id] = leg
                self.perform(self.machine.media_opened(action.leg_id, leg))
            elif isinstance(action, CloseMedia):
                self.closed.add(action.leg_id)
            elif isinstance(action, Connect | ConnectMusic | Disconnect):
                self._patchbay.apply(action)
                for leg in (action.a, action.b) if isinstance(action, Connect) else (action.leg,):
                    self.sounds[leg] = action
            elif isinstance(action, ConnectPrompt | ConnectTone | JoinRoom | LeaveRoom):
                self.media[action.leg].feed(None)
                self.sounds[action.leg] = action
            elif isinstance(action, Dtmf):
                self.digits.append((action.leg_id, action.digit))
            elif isinstance(action, FindRoute):
                self.perform(
                    self.machine.routed(action.call_id, action.target, self._route(action.target))
                )
            elif isinstance(action, StartTimer):
                self.timers[(action.call_id, action.name)] = self.clock.now + action.delay
            elif isinstance(action, StopTimer):
                self.timers.pop((action.call_id, action.name), None)
            elif isinstance(action, Publish):
                self.published.append(action.event)
            elif isinstance(action, Record):
                self.records.append(action.record)
            else:
                assert isinstance(action, LinesChanged)
                self.lines_changed |= action.extensions
        self.wire.flush()
        self._pump()

    def open_media(self) -> None:
        """Finish opening the RTP legs held back by ``defer_media``."""
        self.defer_media = False
        opening, self._opening = self._opening, []
        self.perform([OpenMedia(leg_id) for leg_id in opening])

    def kinds(self) -> list[str]:
        return [event.kind for event in self.published]


def _ua(clock: FakeClock) -> Any:
    from pbx_core.signaling.useragent import UserAgent

    ua = UserAgent(host=PBX.host, clock=clock)
    ua.ports = {"udp": PBX.port, "tcp": PBX.port}
    return ua


class Phone:
    """A scripted SIP phone: builds requests and responses, keeps what the PBX sent it."""

    def __init__(self, board: Switchboard, extension: str, address: Address) -> None:
        self.board = board
        self.extension = extension
        self.address = address
        self.inbox: list[SipRequest | SipResponse] = []
        self.dialog: Dialog | None = None
        self.tag = new_tag()

    @property
    def rtp_port(self) -> int:
        return 4000 + int(self.address.host.rsplit(".", 1)[1])

    def send(self, message: SipRequest | SipResponse) -> None:
        self.board.deliver(parse_message(bytes(message)), self.address)

    def take(self) -> list[SipRequest | SipResponse]:
        messages, self.inbox = self.inbox, []
        return messages

    def statuses(self) -> list[int | str]:
        return [m.status if isinstance(m, SipResponse) else m.method for m in self.take()]

    def request(self, method: str) -> SipRequest:
        """The first request ``method`` in the inbox (taken out)."""
        for i, message in enumerate(self.inbox):
            if isinstance(message, SipRequest) and message.method == method:
                del self.inbox[i]
                return message
        raise AssertionError(f"{self.extension}: no {method} in {self.inbox}")

    def response(self, status: int) -> SipResponse:
        for i, message in enumerate(self.inbox):
            if isinstance(message, SipResponse) and message.status == status:
                del self.inbox[i]
                return message
        raise AssertionError(f"{self.extension}: no {status} in {self.inbox}")

    def _via(self) -> str:
        host, port = self.address.host, self.address.port
        transport = self.address.transport.upper()
        return f"SIP/2.0/{transport} {host}:{port};branch={new_branch()};rport"

    def _contact(self) -> str:
        return f"<sip:{self.extension}@{self.address.host}:{self.address.port}>"

    # -- calling -------------------------------------------------------------------------

    def invite(
        self,
        target: str,
        direction: str = "sendrecv",
        *,
        offer: bool = True,
        extra: tuple[tuple[str, str], ...] = (),
        hops: int = 70,
    ) -> SipRequest:
        """INVITE ``target``; ``offer=False`` sends none (late offer), ``extra`` adds headers,
        ``hops`` is its Max-Forwards."""
        headers = Headers()
        headers.add("Via", self._via())
        headers.add("Max-Forwards", str(hops))
        headers.add("From", f"<sip:{self.extension}@{PBX.host}>;tag={self.tag}")
        headers.add("To", f"<sip:{target}@{PBX.host}>")
        headers.add("Call-ID", secrets.token_hex(8))
        headers.add("CSeq", "1 INVITE")
        headers.add("Contact", self._contact())
        for name, value in extra:
            headers.add(name, value)
        body = sdp(self.address.host, self.rtp_port, direction) if offer else b""
        if body:
            headers.add("Content-Type", "application/sdp")
        invite = SipRequest("INVITE", SipUri(target, PBX.host, PBX.port), headers, body)
        self.send(invite)
        return invite

    def cancel(self, invite: SipRequest) -> None:
        headers = Headers()
        headers.add("Via", invite.headers.get_lines("Via")[0])
        for name in ("From", "To", "Call-ID"):
            headers.add(name, invite.headers.get(name) or "")
        headers.add("CSeq", f"{invite.cseq.seq} CANCEL")
        self.send(SipRequest("CANCEL", invite.uri.copy(), headers))

    def ack(self, invite: SipRequest, ok: SipResponse, answer: bytes = b"") -> None:
        """ACK a 2xx to our INVITE and keep the dialog it made (§13.2.2.4); ``answer`` is the
        SDP answer to an offer the 2xx carried."""
        if self.dialog is None:
            self.dialog = Dialog.as_uac(invite, ok, destination=PBX)
        ack = self.dialog.create_ack(invite.cseq.seq, body=answer)
        ack.headers.prepend("Via", self._via())
        self.send(ack)

    # -- being called --------------------------------------------------------------------

    def reply(
        self,
        request: SipRequest,
        status: int,
        direction: str = "sendrecv",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> SipResponse:
        body = sdp(self.address.host, self.rtp_port, direction) if status == 200 else b""
        extra = [("Contact", self._contact())] if status < 300 else []
        extra += headers
        response = make_response(
            request,
            status,
            to_tag=self.tag if status > 100 else None,
            body=body,
            content_type="application/sdp" if body else None,
            extra_headers=extra,
        )
        if status == 200 and request.method == "INVITE" and self.dialog is None:
            self.dialog = Dialog.as_uas(
                request, response, source=PBX, contact=NameAddr(SipUri.parse(self._contact()[1:-1]))
            )
        self.send(response)
        return response

    # -- inside the dialog ---------------------------------------------------------------

    def in_dialog(
        self,
        method: str,
        direction: str | None = None,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> SipRequest:
        assert self.dialog is not None
        body = sdp(self.address.host, self.rtp_port, direction) if direction else b""
        request = self.dialog.create_request(
            method, body=body, content_type="application/sdp" if body else None
        )
        for name, value in extra:
            request.headers.add(name, value)
        request.headers.prepend("Via", self._via())
        self.send(request)
        return request

    def refer(self, target: str, replaces: Dialog | None = None) -> SipRequest:
        """REFER the other party to ``target``; with ``replaces`` an attended transfer that
        names that dialog of ours with the PBX (as pjsua2's ``xferReplaces`` does)."""
        assert self.dialog is not None
        request = self.dialog.create_request("REFER")
        uri = f"sip:{target}@{PBX.host}"
        if replaces is not None:
            value = f"{replaces.call_id};to-tag={replaces.remote_tag};from-tag={replaces.local_tag}"
            uri += "?Replaces=" + value.replace(";", "%3B").replace("=", "%3D")
        request.headers.add("Refer-To", f"<{uri}>")
        request.headers.prepend("Via", self._via())
        self.send(request)
        return request

    def ack_in_dialog(self, invite: SipRequest) -> None:
        self.ack_in_dialog_with(invite, b"")

    def ack_in_dialog_with(self, invite: SipRequest, answer: bytes) -> None:
        """ACK our re-INVITE's 2xx, with the SDP answer to an offer it carried."""
        assert self.dialog is not None
        ack = self.dialog.create_ack(invite.cseq.seq, body=answer)
        ack.headers.prepend("Via", self._via())
        self.send(ack)
