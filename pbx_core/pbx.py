"""The PBX as one object: store, domain services and telephony, started and stopped in order.

``start`` opens the store (migrating it), optionally loads the demo organisation, loads presence
and then starts telephony (SIP transports and the media engine); ``stop`` reverses that, so calls
are ended with BYE while the store can still record them. Both run on the event loop and leave
the SQL to the store's worker thread (``store.aio``): the loop never waits on the database, not
even for the migrations at start.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from pbx_core.accounts import Accounts
from pbx_core.acd.service import QueueService
from pbx_core.bus import EventBus
from pbx_core.calendar.service import PlanService
from pbx_core.config import PbxConfig
from pbx_core.contacts import ContactService
from pbx_core.demo import (
    DEMO_ALLOWED_DESTINATIONS,
    DEMO_CONVERSIONS,
    DEMO_QUEUE_LOGINS,
    DEMO_QUEUES,
    load_demo,
)
from pbx_core.directory import Directory
from pbx_core.numbering.book import NumberingBook
from pbx_core.permissions import Member
from pbx_core.presence import PresenceService
from pbx_core.store import Store

__all__ = ["Pbx", "TelephonyFactory", "TelephonyService"]

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from pbx_core.presence_board import PlanSource
    from pbx_core.presence_view import PresenceView
    from pbx_core.signaling.parking import ParkedCall
    from pbx_core.telephony import ActiveCall, Device


class TelephonyService(Protocol):
    """What the facade needs from the SIP and media side (:class:`pbx_core.telephony.Telephony`)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    @property
    def sip_udp_port(self) -> int: ...

    @property
    def sip_tcp_port(self) -> int: ...

    @property
    def sip_tls_port(self) -> int:
        """The SIP over TLS port; 0 when TLS is off."""
        ...

    @property
    def sip_ws_port(self) -> int:
        """The SIP over WebSocket port; 0 when it is off."""
        ...

    def line_state(self, extension: str) -> str: ...

    def is_registered(self, extension: str) -> bool: ...

    def active_calls(self, extension: str | None = None) -> Sequence[ActiveCall]: ...

    def parked_calls(self) -> Sequence[ParkedCall]: ...

    def presence_view(self, extension: str) -> PresenceView:
        """What colleagues see of ``extension`` now (status, line, forwarding: X3)."""
        ...

    def transfer(self, call_id: str, extension: str, target: str) -> None: ...

    def attended_transfer(self, call_id: str, other_call_id: str, extension: str) -> None: ...

    def merge(self, call_id: str, other_call_id: str, extension: str) -> str: ...

    def devices(self, extension: str) -> Sequence[Device]: ...

    def move(self, call_id: str, extension: str, device: str) -> None: ...

    def pick_up_parked(self, slot: str, extension: str) -> str: ...

    def refuse_calls_when(self, blocked: Callable[[str, str], bool]) -> None:
        """``blocked(callee, caller)``: the callee does not take calls from that caller."""

    def convert_dialled_with(self, convert: Callable[[str], str]) -> None:
        """``convert(dialled)``: what a dialled number becomes (number conversion, P7)."""

    def limit_destinations_with(self, refusal: Callable[[Member | None, str], str | None]) -> None:
        """``refusal(caller, number)``: the number type the caller may not call (None: may)."""

    def pick_up_ringing(self, member: Member, ringing_at: str | None) -> str: ...

    def show_plans(self, plans: PlanSource) -> None:
        """Presence shows the upcoming statuses of ``plans`` (loaded) from now on (X3, P4)."""


TelephonyFactory = Callable[[PbxConfig, Store, EventBus], TelephonyService]


def _default_telephony(config: PbxConfig, store: Store, bus: EventBus) -> TelephonyService:
    from pbx_core.telephony import Telephony  # the facade is importable alone

    return Telephony(config, store, bus)


class Pbx:
    """One PBX instance. ``telephony_factory`` replaces the SIP side in tests of the domain."""

    def __init__(
        self, config: PbxConfig, *, telephony_factory: TelephonyFactory | None = None
    ) -> None:
        self.config = config
        self.bus = EventBus()
        self.store = Store(config.database_url)
        self.accounts = Accounts(self.store, config.realm)
        self.presence = PresenceService(self.store, self.bus)
        self.before_stop: list[Callable[[], Awaitable[None]]] = []
        """Run first by :meth:`stop`, store still open (say, keeping recordings under way)."""
        self.telephony: TelephonyService = (telephony_factory or _default_telephony)(
            config, self.store, self.bus
        )
        self.contacts = ContactService(self.store, self.bus)
        self.plans = PlanService(self.store, self.bus, self.presence)
        self.telephony.refuse_calls_when(self.contacts.is_blocked)
        self.numbering = NumberingBook(self.store, config.region)
        self.telephony.convert_dialled_with(self.numbering.convert)
        self.telephony.limit_destinations_with(self.numbering.refusal)
        self.directory = Directory(
            self.store,
            self.presence,
            self.telephony.line_state,
            is_registered=self.telephony.is_registered,
            bus=self.bus,
            short_forms=self.numbering.short_forms,
        )
        self.numbering.on_change(self.directory.short_forms_changed)
        self.queues = QueueService(self.store, self.bus)
        """The ACD queues (P9): settings, agents, call log; the queue engine plugs in here."""
        self.queues.on_change(lambda number: self.directory.set_queues(self.queues.queues()))
        self._started = False

    @property
    def started(self) -> bool:
        return self._started

    async def start(self, *, demo: bool = False) -> None:
        """Open the store, load the demo organisation if asked, then start telephony."""
        self.config.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            await self.store.aio.open()
            await self.store.aio.call(self.numbering.load)
            if demo:
                await self.store.aio.call(load_demo, self.store, self.accounts)
                await self.store.aio.call(
                    self.numbering.seed, DEMO_CONVERSIONS, DEMO_ALLOWED_DESTINATIONS
                )
            await self.store.aio.call(self.queues.load)
            if demo:
                await self.store.aio.call(self.queues.seed, DEMO_QUEUES, DEMO_QUEUE_LOGINS)
            await self.presence.load()
            await self.plans.start()
            self.telephony.show_plans(self.plans)
            await self.contacts.load()
            await self.directory.load()
            self.directory.set_queues(self.queues.queues())  # searchable as the colleagues
            await self.telephony.start()
        except BaseException:
            self.plans.stop()
            self.presence.stop()
            await self.store.aio.close()
            raise
        self._started = True
        _log.info(
            "PBX started: SIP udp %d tcp %d",
            self.telephony.sip_udp_port,
            self.telephony.sip_tcp_port,
        )

    async def stop(self) -> None:
        """Stop telephony (ending calls with BYE), then close the store."""
        if not self._started:
            return
        self._started = False
        for hook in list(self.before_stop):
            try:
                await hook()
            except Exception:
                _log.exception("a part of the PBX failed to finish before the stop")
        try:
            await self.telephony.stop()
        finally:
            self.plans.stop()
            self.presence.stop()
            await self.store.aio.close()
        _log.info("PBX stopped")
