"""Telephony: the SIP endpoint, registrar, B2BUA and media engine of one PBX, started together.

It is the transaction user of the endpoint and routes each new request once: REGISTER to
the registrar, SUBSCRIBE (new or in its dialog) to the notifier (RFC 6665,
docs/presence.md), new INVITEs and in-dialog requests to the B2BUA, OPTIONS answered here (RFC
3261 §11), anything else 405 with the methods we allow (CANCELs, responses and time-outs of
calls go from the endpoint to the call machine directly). It keeps each extension's line state
and publishes its changes.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pbx_core.bus import EventBus
from pbx_core.config import PbxConfig
from pbx_core.errors import Conflict
from pbx_core.events import LineStateChanged
from pbx_core.ids import CallId, Extension
from pbx_core.media import MediaEngine
from pbx_core.media.quality import LegQuality
from pbx_core.permissions import Member, member_of
from pbx_core.presence_board import PresenceBoard
from pbx_core.presence_view import PresenceView
from pbx_core.routing.b2bua import RoutingB2bua
from pbx_core.security import apply_limits
from pbx_core.signaling.authenticator import DigestAuthenticator
from pbx_core.signaling.b2bua import ALLOW
from pbx_core.signaling.callmachine import CallOptions
from pbx_core.signaling.calls import LegState
from pbx_core.signaling.callstore import CallStore
from pbx_core.signaling.endpoint import ServerTransactionHandle, SipEndpoint
from pbx_core.signaling.keepalive import KeepAlive
from pbx_core.signaling.messaging import sip_messaging
from pbx_core.signaling.midcall import SUPPORTED
from pbx_core.signaling.notifier import SubscriptionService
from pbx_core.signaling.parking import ParkedCall
from pbx_core.signaling.registrar import Registrar
from pbx_core.signaling.tls import TlsSettings
from pbx_core.signaling.uas_checks import check_request
from pbx_core.store import Store

__all__ = ["ActiveCall", "Device", "Party", "Telephony", "device_id"]

_log = logging.getLogger(__name__)


_PRESENCE_INTERVAL_S = 0.02
"""Presence views are recomputed at most this often (50 a second), however many call events a
busy PBX has: a BLF lamp is at most this late."""


@dataclass(frozen=True, slots=True)
class Party:
    """One phone in a call in progress."""

    extension: str
    name: str | None
    state: str  # "ringing", "answered", ...
    quality: LegQuality | None = None  # what the PBX receives from this phone (RTCP, RFC 3550)
    holding: bool = False  # this phone put the call on hold


@dataclass(frozen=True, slots=True)
class Device:
    """One registered phone of a user (a binding), for moving calls between phones."""

    id: str
    contact: str
    user_agent: str | None
    transport: str
    expires_at: datetime


def device_id(contact: str) -> str:
    """A short stable id of a Contact URI (what the API names a phone by)."""
    return hashlib.sha256(contact.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class ActiveCall:
    """A call in progress, for the API."""

    call_id: str
    caller: str
    callee: str
    answered: bool
    parties: tuple[Party, ...] = ()
    parked_slot: str | None = None
    room: str | None = None


class Telephony:
    """SIP and RTP of the PBX."""

    def __init__(self, config: PbxConfig, store: Store, bus: EventBus) -> None:
        self._config = config
        self._store = store
        self._bus = bus
        loop_time = lambda: asyncio.get_running_loop().time()  # noqa: E731
        self.authenticator = DigestAuthenticator(
            config.realm,
            store.sip_credentials,
            clock=loop_time,
            algorithms=config.digest_algorithms,
            sha256_agents=config.digest_sha256_agents,
        )
        self.registrar = Registrar(store, self.authenticator, bus)
        self.media = MediaEngine(
            config.bind, config.media_host, config.rtp_port_min, config.rtp_port_max
        )
        self.endpoint = SipEndpoint(
            self,
            host=config.media_host,
            media=self.media,
            bus=bus,
            store=CallStore(store, self.registrar),
            on_line_change=self._lines_touched,
            options=CallOptions(
                transfer_ring_seconds=config.transfer_ring_seconds,
                park_recall_seconds=config.park_recall_seconds,
                language=config.prompt_language,
                country=config.tone_country,
            ),
        )
        self.b2bua = RoutingB2bua(self.endpoint, self.authenticator)  # docs/routing.md
        self.endpoint.secure(TlsSettings.of(config), config.srtp)  # docs/server.md, TLS and SRTP
        self.endpoint.ws_port = config.sip_ws_port  # SIP over WebSocket (RFC 7118)
        self.keepalive = KeepAlive(  # NAT keep-alive of UDP phones (docs/pbx.md)
            self.endpoint,
            self.registrar.all_bindings,
            self.registrar.unreachable,
            interval_s=config.udp_keepalive_seconds,
        )
        self._line_states: dict[str, str] = {}
        is_user = lambda ext: store.user_by_extension(ext) is not None  # noqa: E731
        self.presence = PresenceBoard(
            bus,
            is_user=is_user,
            registered=self.is_registered,
            calls=lambda: self.active_calls(quality=False),
            parked=self.parked_calls,
            min_interval=_PRESENCE_INTERVAL_S,
        )
        self.subscriptions = SubscriptionService(
            self.endpoint,
            self.authenticator,
            bus,
            self.presence,
            member=lambda ext: _member(store, ext),
            is_registered=self.is_registered,
        )
        apply_limits(self, config.limits)

    async def start(self) -> None:
        self.registrar.load()
        await self.endpoint.start(self._config.bind, self._config.sip_port)
        self.keepalive.start()
        self.registrar.follow(self._config.cluster_sync_seconds)  # docs/scale-out.md
        _log.info(
            "SIP on %s udp:%d tcp:%d", self._config.bind, self.sip_udp_port, self.sip_tcp_port
        )

    @property
    def sip_udp_port(self) -> int:
        return self.endpoint.transport.udp_port

    @property
    def sip_tcp_port(self) -> int:
        return self.endpoint.transport.tcp_port

    @property
    def sip_tls_port(self) -> int:
        return self.endpoint.transport.tls_port

    @property
    def sip_ws_port(self) -> int:
        return self.endpoint.transport.ws_port

    async def stop(self) -> None:
        """End calls with BYE, then close sockets."""
        self.keepalive.stop()
        self.registrar.stop()
        self.subscriptions.shutdown()
        await self.endpoint.shutdown()
        await self.media.close()
        await self.endpoint.close()

    def line_state(self, extension: str) -> str:
        return self.b2bua.registry.line_state(extension)

    def is_registered(self, extension: str) -> bool:
        """True while at least one phone of ``extension`` is registered."""
        return self.registrar.is_registered(extension)

    def presence_view(self, extension: str) -> PresenceView:
        """What colleagues see of ``extension`` now: the board's view (one place computes it)."""
        return self.presence.view(extension)

    def active_calls(
        self, extension: str | None = None, *, quality: bool = True
    ) -> list[ActiveCall]:
        """Calls in progress (only those with a phone of ``extension`` in them, if given);
        ``quality=False`` leaves out the legs' receive quality (presence needs none of it, and
        computing it for every call on every call event was a fifth of a call's CPU)."""
        out = []
        for call in self.b2bua.registry.calls.values():
            if call.ended or (extension is not None and extension not in call.extensions()):
                continue
            parties = tuple(
                Party(
                    leg.extension or "",
                    leg.name,
                    leg.state.value,
                    leg.media.quality() if quality and leg.media is not None else None,
                    leg.holding,
                )
                for leg in call.legs()
                if leg.state is not LegState.ENDED
            )
            out.append(
                ActiveCall(
                    call.call_id,
                    call.caller,
                    call.callee,
                    call.answered,
                    parties,
                    call.parked,
                    call.room,
                )
            )
        return out

    def transfer(self, call_id: str, extension: str, target: str) -> None:
        """Blind transfer ``extension``'s side of a call to ``target`` (7000 parks it);
        Conflict with the reason when it cannot be done."""
        machine = self.endpoint.machine
        self.endpoint.run(machine.transfer(CallId(call_id), extension, target))

    def devices(self, extension: str) -> list[Device]:
        """The registered phones of ``extension``, newest first."""
        return [
            Device(
                device_id(str(b.contact)),
                str(b.contact),
                b.user_agent,
                b.destination.transport,
                b.expires_at,
            )
            for b in self.registrar.bindings(extension)
        ]

    def move(self, call_id: str, extension: str, device: str) -> None:
        """Move ``extension``'s side of a call to another of its phones (by device id):
        that phone rings, and the other party is connected when it answers; Conflict."""
        found = next((d for d in self.devices(extension) if d.id == device), None)
        if found is None:
            raise Conflict(f"no registered phone {device} of {extension}")
        machine = self.endpoint.machine
        actions = machine.transfer(CallId(call_id), extension, extension, found.contact)
        self.endpoint.run(actions)

    def merge(self, call_id: str, other_call_id: str, extension: str) -> str:
        """Merge two of ``extension``'s calls into one conference; the room. Conflict."""
        machine = self.endpoint.machine
        actions, room = machine.merge(CallId(call_id), CallId(other_call_id), extension)
        self.endpoint.run(actions)
        return room

    def attended_transfer(self, call_id: str, other_call_id: str, extension: str) -> None:
        """Connect the other parties of two of ``extension``'s calls; Conflict if not."""
        machine = self.endpoint.machine
        actions = machine.attended_transfer(CallId(call_id), CallId(other_call_id), extension)
        self.endpoint.run(actions)

    def refuse_calls_when(self, blocked: Callable[[str, str], bool]) -> None:
        """``blocked(callee, caller)``: answer such calls 603 Decline (a blocked number)."""
        self.b2bua.blocked = blocked

    def convert_dialled_with(self, convert: Callable[[str], str]) -> None:
        """``convert(dialled)``: new calls go to what the dialled number becomes (P7)."""
        self.b2bua.convert = convert

    def pick_up_parked(self, slot: str, extension: str) -> str:
        """Ring ``extension``'s phones for the call parked in ``slot`` (its call id); whoever
        answers talks to the parked party. NotFound or Conflict."""
        call_id, actions = self.endpoint.machine.pick_up_parked(slot, extension)
        self.endpoint.run(actions)
        return call_id

    def pick_up_ringing(self, member: Member, ringing_at: str | None) -> str:
        """Ring ``member``'s phones too for the call ringing at ``ringing_at`` (None: the
        oldest of those they may pick up); its call id. NotFound, Forbidden or Conflict."""
        machine = self.endpoint.machine
        call_id, actions = machine.pick_up_ringing(member, ringing_at)
        self.endpoint.run(actions)
        return call_id

    def parked_calls(self) -> list[ParkedCall]:
        """The calls waiting in park slots 7001-7019, in slot order."""
        return self.endpoint.machine.lot.all()

    def _lines_touched(self, extensions: set[str]) -> None:
        for extension in sorted(extensions):
            state = self.line_state(extension)
            if self._line_states.get(extension, "idle") != state:
                self._line_states[extension] = state
                self._bus.publish(LineStateChanged(Extension(extension), state))

    # -- Core: what the endpoint hands us ------------------------------------------------

    def on_request(self, tx: ServerTransactionHandle) -> None:
        """A new request: REGISTER, OPTIONS, a new INVITE or a request inside a call."""
        request = tx.request
        refusal = check_request(request, ALLOW)
        if refusal is not None:
            tx.reply(refusal.status, extra_headers=list(refusal.headers))
            return
        in_dialog = request.to_addr.tag is not None
        if request.method == "REGISTER":
            self.registrar.handle(tx)
        elif request.method == "SUBSCRIBE":
            self.subscriptions.on_subscribe(tx)
        elif request.method == "OPTIONS" and not in_dialog:
            capabilities = [("Allow", ALLOW), ("Accept", "application/sdp")]
            tx.reply(200, extra_headers=[*capabilities, ("Supported", SUPPORTED)])  # §11.2
        elif request.method == "MESSAGE" and not in_dialog:
            sip_messaging(self, self._store, self._bus).on_message(tx)
        elif in_dialog:
            self.b2bua.on_in_dialog(tx)
        elif request.method == "INVITE":
            self.b2bua.on_invite(tx)
        elif request.method == "BYE":
            tx.reply(481)
        else:
            tx.reply(405, extra_headers=[("Allow", ALLOW)])


def _member(store: Store, extension: str) -> Member | None:
    """A user of the store as the permissions see them (None: no such user)."""
    user = store.user_by_extension(extension)
    return member_of(user) if user is not None else None
