"""Subscriptions with the PBX as notifier (RFC 6665), sans-IO.

One :class:`Notifier` holds every subscription dialog. It takes SUBSCRIBE requests (already
authenticated by the driver), content changes, fired timers and failed NOTIFYs, and returns
actions: :class:`Answer` (the response to the SUBSCRIBE), :class:`SendNotify`, :class:`Arm`
and :class:`Disarm` for the driver to perform. No sockets, no clock: ``now`` is passed in.

The life of one subscription is one table, :data:`TRANSITIONS`: it is ``active`` from its
first SUBSCRIBE until an unsubscribe (``Expires: 0``), its expiry, its watcher's last phone
unregistering, the PBX shutting down, or a NOTIFY that failed; then ``terminated``. Every way
out but the failed NOTIFY sends a last NOTIFY with ``Subscription-State: terminated;reason=``.

NOTIFYs that content changes cause are paced per subscription: at most one per
``min_interval`` seconds; a change inside that interval is sent once the interval is over, with
the state of that moment (bodies are full state, so coalescing loses nothing but steps).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from pbx_core.signaling._notifier_actions import (
    Answer,
    Arm,
    Body,
    Disarm,
    NotifierAction,
    NotifierLimits,
    SendNotify,
)
from pbx_core.signaling.dialog import Dialog
from pbx_core.signaling.message import SipRequest, new_tag
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import NameAddr

__all__ = [
    "TRANSITIONS",
    "Answer",
    "Arm",
    "Body",
    "Disarm",
    "Notifier",
    "NotifierAction",
    "NotifierLimits",
    "SendNotify",
    "SubEvent",
    "SubState",
    "Subscription",
    "SubscriptionError",
]


class SubState(enum.Enum):
    ACTIVE = "active"
    TERMINATED = "terminated"


class SubEvent(enum.Enum):
    """What can happen to one subscription."""

    REFRESH = "refresh"  # a SUBSCRIBE in the dialog with Expires > 0
    CHANGED = "changed"  # the watched state changed
    PACE = "pace"  # the pacing timer fired: send what is pending
    UNSUBSCRIBE = "unsubscribe"  # Expires: 0
    EXPIRED = "expired"  # not refreshed in time
    WATCHER_GONE = "watcher_gone"  # the watcher's last phone unregistered
    SHUTDOWN = "shutdown"
    REJECTED = "rejected"  # a NOTIFY failed (481, other error, time-out)


TRANSITIONS: Final[dict[SubState, dict[SubEvent, SubState]]] = {
    SubState.ACTIVE: {
        SubEvent.REFRESH: SubState.ACTIVE,
        SubEvent.CHANGED: SubState.ACTIVE,
        SubEvent.PACE: SubState.ACTIVE,
        SubEvent.UNSUBSCRIBE: SubState.TERMINATED,
        SubEvent.EXPIRED: SubState.TERMINATED,
        SubEvent.WATCHER_GONE: SubState.TERMINATED,
        SubEvent.SHUTDOWN: SubState.TERMINATED,
        SubEvent.REJECTED: SubState.TERMINATED,
    },
    SubState.TERMINATED: {},
}
"""Every legal transition; anything else raises :class:`SubscriptionError`."""

_REASONS: Final[dict[SubEvent, str]] = {
    SubEvent.UNSUBSCRIBE: "timeout",  # RFC 6665 §4.2.1.4
    SubEvent.EXPIRED: "timeout",
    SubEvent.WATCHER_GONE: "deactivated",  # re-subscribe once registered again
    SubEvent.SHUTDOWN: "noresource",
}


class SubscriptionError(RuntimeError):
    """An event that is not legal in the subscription's state (a bug in the caller)."""


@dataclass(eq=False, slots=True)
class Subscription:
    """One subscription dialog; ``version`` counts the NOTIFYs sent (RFC 4235 ``version``)."""

    id: str
    package: str
    watcher: str
    target: str
    dialog: Dialog
    expires_at: float
    state: SubState = SubState.ACTIVE
    version: int = -1
    last_sent: float | None = None
    pending: bool = False
    memory: dict[str, str] = field(default_factory=dict)  # the package's own notes

    def step(self, event: SubEvent) -> SubState:
        """Move by :data:`TRANSITIONS`; SubscriptionError if ``event`` is illegal here."""
        new = TRANSITIONS[self.state].get(event)
        if new is None:
            raise SubscriptionError(f"{event.value} in state {self.state.value}")
        self.state = new
        return new


Render = Callable[[Subscription], Body]
MayWatch = Callable[[str, str, str], bool]


def _event_package(request: SipRequest) -> str | None:
    value = request.headers.get("Event")
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _expires(request: SipRequest) -> int | None:
    """The Expires header; None when absent; ValueError when not a number."""
    value = request.headers.get("Expires")
    if value is None:
        return None
    value = value.strip()
    if not value.isdigit() or len(value) > 10:
        raise ValueError("bad Expires")
    return int(value)


class Notifier:
    """Every subscription the PBX serves, by id, by dialog and by target."""

    def __init__(
        self,
        *,
        packages: dict[str, Render],
        may_watch: MayWatch,
        limits: NotifierLimits | None = None,
    ) -> None:
        self._packages = packages
        self._may_watch = may_watch
        self.limits = limits or NotifierLimits()
        self._subs: dict[str, Subscription] = {}
        self._by_dialog: dict[tuple[str, str], str] = {}  # (Call-ID, our tag) -> id
        self._by_target: dict[tuple[str, str], dict[str, Subscription]] = {}  # (target, package)
        self._per_watcher: dict[str, int] = {}

    @property
    def allow_events(self) -> str:
        return ", ".join(sorted(self._packages))

    def get(self, subscription_id: str) -> Subscription | None:
        return self._subs.get(subscription_id)

    def active(self) -> list[Subscription]:
        return [s for s in self._subs.values() if s.state is SubState.ACTIVE]

    def watched(self, package: str) -> set[str]:
        """The targets that someone watches with ``package``."""
        return {target for target, p in self._by_target if p == package}

    # -- SUBSCRIBE -----------------------------------------------------------------------

    def subscribe(
        self,
        request: SipRequest,
        source: Address,
        watcher: str,
        contact: NameAddr,
        now: float,
    ) -> list[NotifierAction]:
        """A SUBSCRIBE outside a dialog from the authenticated ``watcher``."""
        package = _event_package(request)
        if package is None or package not in self._packages:
            return [Answer(489, (("Allow-Events", self.allow_events),))]
        checked = self._check_expires(request)
        if isinstance(checked, Answer):
            return [checked]
        target = request.uri.user or ""
        if not self._may_watch(watcher, target, package):
            return [Answer(403, reason="Forbidden - not a colleague's state you may watch")]
        if checked == 0:  # a fetch (RFC 6665 §4.4.3): one NOTIFY, then terminated
            sub = self._new(request, source, watcher, target, package, contact, now)
            return [
                Answer(200, (("Expires", "0"), ("Contact", str(contact))), sub.dialog.local_tag),
                *self._end(sub, SubEvent.UNSUBSCRIBE, now, arm=False),
            ]
        mine = self._per_watcher.get(watcher, 0)
        if mine >= self.limits.max_per_watcher or len(self._subs) >= self.limits.max_total:
            return [Answer(503, (("Retry-After", "60"),), reason="Too Many Subscriptions")]
        sub = self._new(request, source, watcher, target, package, contact, now)
        sub.expires_at = now + checked
        answer = Answer(
            200, (("Expires", str(checked)), ("Contact", str(contact))), sub.dialog.local_tag
        )
        return [answer, Arm(sub.id, "expire", float(checked)), self._notify(sub, now)]

    def refresh(self, request: SipRequest, source: Address, now: float) -> list[NotifierAction]:
        """A SUBSCRIBE inside a dialog: refresh, or unsubscribe with ``Expires: 0``."""
        sub_id = self._by_dialog.get((request.call_id, request.to_addr.tag or ""))
        sub = self._subs.get(sub_id or "")
        if sub is None or sub.state is SubState.TERMINATED:
            return [Answer(481)]
        if _event_package(request) != sub.package:
            return [Answer(489, (("Allow-Events", self.allow_events),))]
        if not sub.dialog.accept_request(request):
            return [Answer(500, reason="Server Internal Error - CSeq out of order")]
        checked = self._check_expires(request)
        if isinstance(checked, Answer):
            return [checked]
        sub.dialog.destination = source
        contacts = request.contacts
        if contacts:
            sub.dialog.remote_target = contacts[0].uri
        if checked == 0:
            return [Answer(200, (("Expires", "0"),)), *self._end(sub, SubEvent.UNSUBSCRIBE, now)]
        sub.step(SubEvent.REFRESH)
        sub.expires_at = now + checked
        return [
            Answer(200, (("Expires", str(checked)),)),
            Arm(sub.id, "expire", float(checked)),
            *self._unpace(sub),
            self._notify(sub, now),
        ]

    def _check_expires(self, request: SipRequest) -> int | Answer:
        try:
            asked = _expires(request)
        except ValueError:
            return Answer(400, reason="Bad Request - bad Expires")
        if asked is None:
            return self.limits.default_expires
        if 0 < asked < self.limits.min_expires:
            return Answer(423, (("Min-Expires", str(self.limits.min_expires)),))
        return min(asked, self.limits.max_expires)

    def _new(
        self,
        request: SipRequest,
        source: Address,
        watcher: str,
        target: str,
        package: str,
        contact: NameAddr,
        now: float,
    ) -> Subscription:
        contacts = request.contacts
        tag = new_tag()
        dialog = Dialog(
            call_id=request.call_id,
            local_tag=tag,
            remote_tag=request.from_addr.tag or "",
            local_uri=request.to_addr,
            remote_uri=request.from_addr,
            remote_target=contacts[0].uri if contacts else request.from_addr.uri,
            destination=source,
            local_seq=0,
            remote_seq=request.cseq.seq,
            route_set=request.headers.get_all("Record-Route"),
            contact=contact,
        )
        sub = Subscription(f"{request.call_id};{tag}", package, watcher, target, dialog, now)
        self._subs[sub.id] = sub
        self._by_dialog[(request.call_id, tag)] = sub.id
        self._by_target.setdefault((target, package), {})[sub.id] = sub
        self._per_watcher[watcher] = self._per_watcher.get(watcher, 0) + 1
        return sub

    # -- changes, timers, failures --------------------------------------------------------

    def changed(self, target: str, package: str, now: float) -> list[NotifierAction]:
        """The state ``package`` shows of ``target`` changed: NOTIFY, paced."""
        out: list[NotifierAction] = []
        for sub in list(self._by_target.get((target, package), {}).values()):
            if sub.state is not SubState.ACTIVE:
                continue
            sub.step(SubEvent.CHANGED)
            due = now if sub.last_sent is None else sub.last_sent + self.limits.min_interval
            if now >= due:
                out.append(self._notify(sub, now))
            elif not sub.pending:
                sub.pending = True
                out.append(Arm(sub.id, "pace", due - now))
        return out

    def timer_fired(self, subscription_id: str, name: str, now: float) -> list[NotifierAction]:
        sub = self._subs.get(subscription_id)
        if sub is None or sub.state is SubState.TERMINATED:
            return []
        if name == "expire":
            if now + 0.001 < sub.expires_at:  # refreshed meanwhile; re-armed then
                return []
            return self._end(sub, SubEvent.EXPIRED, now, arm=False)
        if name == "pace" and sub.pending:
            sub.step(SubEvent.PACE)
            sub.pending = False
            return [self._notify(sub, now)]
        return []

    def notify_failed(self, subscription_id: str) -> list[NotifierAction]:
        """A NOTIFY was answered 481 (or another error) or timed out: forget it silently."""
        sub = self._subs.get(subscription_id)
        if sub is None:
            return []
        if sub.state is SubState.ACTIVE:
            sub.step(SubEvent.REJECTED)
        out = self._unpace(sub)
        out.append(Disarm(sub.id, "expire"))
        self._forget(sub)
        return out

    def notify_done(self, subscription_id: str) -> None:
        """A NOTIFY got its final 2xx: a terminated subscription can go now."""
        sub = self._subs.get(subscription_id)
        if sub is not None and sub.state is SubState.TERMINATED:
            self._forget(sub)

    def watcher_gone(self, watcher: str, now: float) -> list[NotifierAction]:
        """No phone of ``watcher`` is registered any more: end its subscriptions."""
        out: list[NotifierAction] = []
        for sub in [s for s in self._subs.values() if s.watcher == watcher]:
            if sub.state is SubState.ACTIVE:
                out += self._end(sub, SubEvent.WATCHER_GONE, now)
        return out

    def shutdown(self, now: float) -> list[NotifierAction]:
        out: list[NotifierAction] = []
        for sub in list(self._subs.values()):
            if sub.state is SubState.ACTIVE:
                out += self._end(sub, SubEvent.SHUTDOWN, now)
        return out

    # -- internals -------------------------------------------------------------------------

    def _end(
        self, sub: Subscription, event: SubEvent, now: float, *, arm: bool = True
    ) -> list[NotifierAction]:
        sub.step(event)
        out = self._unpace(sub)
        if arm:
            out.append(Disarm(sub.id, "expire"))
        out.append(self._notify(sub, now, reason=_REASONS[event]))
        return out

    def _unpace(self, sub: Subscription) -> list[NotifierAction]:
        if not sub.pending:
            return []
        sub.pending = False
        return [Disarm(sub.id, "pace")]

    def _forget(self, sub: Subscription) -> None:
        if self._subs.pop(sub.id, None) is None:
            return
        self._by_dialog.pop((sub.dialog.call_id, sub.dialog.local_tag), None)
        key = (sub.target, sub.package)
        same = self._by_target.get(key, {})
        same.pop(sub.id, None)
        if not same:
            self._by_target.pop(key, None)
        left = self._per_watcher.get(sub.watcher, 1) - 1
        if left > 0:
            self._per_watcher[sub.watcher] = left
        else:
            self._per_watcher.pop(sub.watcher, None)

    def _notify(self, sub: Subscription, now: float, reason: str | None = None) -> SendNotify:
        sub.version += 1
        sub.last_sent = now
        body = self._packages[sub.package](sub)
        if reason is None:
            left = max(0, int(sub.expires_at - now + 0.5))
            state = f"active;expires={left}"
        else:
            state = f"terminated;reason={reason}"
        request = sub.dialog.create_request(
            "NOTIFY", body=body.data, content_type=body.content_type
        )
        request.headers.add("Event", sub.package)
        request.headers.add("Subscription-State", state)
        if sub.dialog.contact is not None:
            request.headers.add("Contact", str(sub.dialog.contact))
        return SendNotify(sub.id, request, sub.dialog.destination)
