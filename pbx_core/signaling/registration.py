"""The registrar's decisions, sans-IO (RFC 3261 §10.3): REGISTER in, actions out.

:class:`RegistrarMachine` is fed REGISTER requests (with the address they came from and the
clock) and fired expiry timers, and returns actions for the asyncio driver
(:class:`pbx_core.signaling.registrar.Registrar`) to perform: store writes
(``SaveBindings``, ``DeleteBindings``), bus events (``Publish``), the answer (``Reply``) and
where to point the expiry timer (``ArmExpiry``). It owns the bindings in memory, typed
(:class:`pbx_core.signaling.bindings.Binding`); no sockets, no store, no clock of its own.

The driver's one rule: a ``Reply`` that follows store actions in the same list is sent once
those writes are committed (and becomes a 500 if they fail), so an acknowledged binding
survives a crash. Store actions without a ``Reply`` after them are queued, nobody waits.

§10.3 as done here: the request is authenticated (401/403/400 from the authenticator); a user
may register only their own extension (403); ``Expires`` and the Contact ``expires`` parameter
must be integers (400); a wildcard Contact needs ``Expires: 0`` and no other contact (400); an
interval below :data:`MIN_EXPIRES` is refused with 423 and ``Min-Expires`` (step 6), one above
:data:`MAX_EXPIRES` is shortened; a request whose CSeq is not above the binding's for the same
Call-ID is refused with 500 (step 7), but a Contact repeated within one request is one binding;
an extension keeps at most ``max_bindings`` phones, so the oldest binding goes when a new one
would exceed it (this also bounds how many phones one call forks to); the updates of one request
are applied all or none; the 200 lists every live binding with its remaining time (step 8).
A phone naming its ``+sip.instance`` (RFC 5626 §4.1, as Linphone does) that registers from a new
Contact replaces its old binding rather than adding one (the instance is kept in memory only, so
this starts with its first REGISTER after a restart). No GRUU is handed out (RFC 5627): the 200
is the plain one, and the phone goes on with its own Contact URI.

Path (RFC 3327 §5.3): the ``Path`` values of a REGISTER that came through proxies are kept with
each of its bindings (requests to the phone carry them as Route set); the 200 lists them again
when the REGISTER said ``Supported: path``. ``Require: path`` is accepted (uas_checks).

Cluster (docs/scale-out.md): nodes sharing one database call :meth:`RegistrarMachine.sync` with
the bindings read from it; this node's own changes since the read began (counted by
:attr:`RegistrarMachine.generation`) win over the read, whose snapshot may predate them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pbx_core.events import BindingAdded, BindingRemoved, Event
from pbx_core.ids import Extension
from pbx_core.signaling.authenticator import AuthOutcome
from pbx_core.signaling.bindings import Binding, BindingKey
from pbx_core.signaling.message import SipRequest
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import SipUri

__all__ = [
    "DEFAULT_EXPIRES",
    "MAX_BINDINGS",
    "MAX_EXPIRES",
    "MIN_EXPIRES",
    "ArmExpiry",
    "DeleteBindings",
    "Publish",
    "RegistrarAction",
    "RegistrarMachine",
    "Reply",
    "SaveBindings",
]

_log = logging.getLogger(__name__)

DEFAULT_EXPIRES = 3600
MIN_EXPIRES = 60
MAX_EXPIRES = 3600
MAX_BINDINGS = 10


@dataclass(frozen=True, slots=True)
class Reply:
    """Answer the REGISTER (after the store writes before it in the same list)."""

    status: int
    reason: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class SaveBindings:
    """Insert or update these bindings in the store."""

    bindings: tuple[Binding, ...]


@dataclass(frozen=True, slots=True)
class DeleteBindings:
    """Remove these bindings (extension, contact) from the store."""

    keys: tuple[BindingKey, ...]


@dataclass(frozen=True, slots=True)
class Publish:
    """Put an event on the bus."""

    event: Event


@dataclass(frozen=True, slots=True)
class ArmExpiry:
    """Call ``timer_fired`` at ``at`` (``None``: no binding left, stop the timer)."""

    at: datetime | None


RegistrarAction = Reply | SaveBindings | DeleteBindings | Publish | ArmExpiry


class _RefusedError(Exception):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply


class RegistrarMachine:
    """The bindings of every extension and the REGISTER rules; returns actions."""

    def __init__(
        self,
        authenticate: Callable[[SipRequest], AuthOutcome],
        *,
        max_bindings: int = MAX_BINDINGS,
    ) -> None:
        self._authenticate = authenticate
        self.max_bindings = max_bindings
        self._bindings: dict[str, dict[str, Binding]] = {}
        self._armed: datetime | None = None
        self._generation = 0
        self._touched: dict[BindingKey, int] = {}  # this node's own changes: at which generation

    @property
    def generation(self) -> int:
        """Counts this node's own binding changes (for :meth:`sync`)."""
        return self._generation

    # -- reads ------------------------------------------------------------------------------

    def bindings(self, extension: str, now: datetime) -> list[Binding]:
        """The live bindings of ``extension``, newest first (a late timer changes nothing), at
        most ``max_bindings`` of them: what a call forks to."""
        live = [b for b in self._bindings.get(extension, {}).values() if b.expires_at > now]
        return sorted(live, key=lambda b: b.expires_at, reverse=True)[: self.max_bindings]

    def all_bindings(self, now: datetime) -> list[Binding]:
        """Every live binding of every extension."""
        return [b for ext in list(self._bindings) for b in self.bindings(ext, now)]

    # -- events -----------------------------------------------------------------------------

    def unreachable(self, key: BindingKey) -> list[RegistrarAction]:
        """The phone of ``key`` stopped answering (keep-alive): its binding goes now."""
        binding = self._bindings.get(key[0], {}).get(key[1])
        if binding is None:
            return []
        self._touch([key])
        return [DeleteBindings((key,)), self._remove(binding, expired=True), *self._rearm()]

    def sync(self, stored: list[Binding], generation: int, now: datetime) -> list[RegistrarAction]:
        """Follow the shared database (``stored``, read after this machine's ``generation``):
        other nodes' new, refreshed and removed bindings; nothing is written back."""
        recent = {key for key, seen in self._touched.items() if seen > generation}
        self._touched = {key: seen for key, seen in self._touched.items() if key in recent}
        mine = {b.key: b for contacts in self._bindings.values() for b in contacts.values()}
        theirs = {b.key: b for b in stored if b.expires_at > now and b.key not in recent}
        actions: list[RegistrarAction] = []
        for key, binding in theirs.items():
            old = mine.get(key)
            if old is not None and old.call_id == binding.call_id and old.cseq >= binding.cseq:
                continue  # the same REGISTER (or an older one)
            if old is not None and old.call_id == binding.call_id:
                binding = replace(binding, instance=old.instance)  # kept in memory only
            self._bindings.setdefault(binding.extension, {})[key[1]] = binding
            if old is None:
                event = BindingAdded(Extension(binding.extension), key[1])
                actions.append(Publish(event))
        gone = [b for key, b in mine.items() if key not in theirs and key not in recent]
        actions += [self._remove(b, expired=b.expires_at <= now) for b in gone]
        return actions + self._rearm()

    def load(self, stored: list[Binding], now: datetime) -> list[RegistrarAction]:
        """Take the stored bindings that have not expired; the others are deleted."""
        expired: list[BindingKey] = []
        for binding in stored:
            if binding.expires_at > now:
                self._bindings.setdefault(binding.extension, {})[str(binding.contact)] = binding
            else:
                expired.append(binding.key)
        actions: list[RegistrarAction] = [DeleteBindings(tuple(expired))] if expired else []
        return actions + self._rearm()

    def receive(self, request: SipRequest, source: Address, now: datetime) -> list[RegistrarAction]:
        """One REGISTER (§10.3 steps 1-8)."""
        try:
            actions = self._register(request, source, now)
        except _RefusedError as refused:
            return [refused.reply]
        return actions + self._rearm()

    def timer_fired(self, now: datetime) -> list[RegistrarAction]:
        """The expiry timer: drop every binding whose time has come."""
        self._armed = None
        due = [
            b
            for contacts in self._bindings.values()
            for b in contacts.values()
            if b.expires_at <= now
        ]
        actions: list[RegistrarAction] = []
        if due:
            actions.append(DeleteBindings(tuple(b.key for b in due)))
            actions += [self._remove(b, expired=True) for b in due]
        return actions + self._rearm()

    # -- REGISTER ---------------------------------------------------------------------------

    def _register(
        self, request: SipRequest, source: Address, now: datetime
    ) -> list[RegistrarAction]:
        outcome = self._authenticate(request)
        if not outcome.ok:
            raise _RefusedError(Reply(outcome.status, outcome.reason, outcome.headers))
        extension = outcome.extension or ""
        if request.to_addr.uri.user != extension:
            _log.info("REGISTER for %s by SIP user %s refused", request.to_addr.uri, extension)
            raise _RefusedError(Reply(403, "Forbidden - may only register own extension"))
        default = _integer(request.headers.get("Expires"), DEFAULT_EXPIRES, "Expires")
        mine = self._bindings.get(extension, {})
        if request.contact_is_wildcard:
            if default != 0 or len(request.contacts) > 0:
                raise _RefusedError(Reply(400, "Bad Request - wildcard Contact needs Expires 0"))
            gone = list(mine.values())
            return self._commit(extension, [], gone, [], now, request)
        path = tuple(request.headers.get_all("Path"))
        changes: list[tuple[SipUri, int, str | None]] = []
        for contact in request.contacts:
            expires = _integer(contact.params.get("expires") or None, default, "expires")
            if 0 < expires < MIN_EXPIRES:
                raise _RefusedError(Reply(423, headers=(("Min-Expires", str(MIN_EXPIRES)),)))
            instance = _instance(contact.params.get("+sip.instance"))
            changes.append((contact.uri, min(expires, MAX_EXPIRES), instance))
        saved: list[Binding] = []
        removed: list[Binding] = []
        added: list[Binding] = []
        final = {str(uri): (uri, exp, inst) for uri, exp, inst in changes}  # a repeat is one
        for key, (uri, expires, instance) in final.items():
            existing = mine.get(key)
            if (
                existing is not None
                and existing.call_id == request.call_id
                and request.cseq.seq <= existing.cseq
            ):
                raise _RefusedError(Reply(500, "Server Internal Error - CSeq out of order"))
            if expires == 0:
                if existing is not None:
                    removed.append(existing)
                continue
            binding = Binding(
                extension=extension,
                contact=uri,
                destination=source,
                expires_at=now + timedelta(seconds=expires),
                call_id=request.call_id,
                cseq=request.cseq.seq,
                user_agent=request.headers.get("User-Agent"),
                instance=instance,
                path=path,
            )
            saved.append(binding)
            if existing is None:
                added.append(binding)
            removed += [  # the same phone from a new address (RFC 5626 §6): the old one goes
                old
                for old in mine.values()
                if instance is not None
                and old.instance == instance
                and str(old.contact) not in final
                and old not in removed
            ]
        self._limit(extension, mine, saved, removed, added)
        return self._commit(extension, saved, removed, added, now, request)

    def _limit(
        self,
        extension: str,
        mine: dict[str, Binding],
        saved: list[Binding],
        removed: list[Binding],
        added: list[Binding],
    ) -> None:
        """Keep at most ``max_bindings``: the oldest go (in place), this request's last win."""
        fresh = {str(b.contact) for b in saved}
        gone = {str(b.contact) for b in removed}
        kept = [b for key, b in mine.items() if key not in fresh and key not in gone]
        excess = len(kept) + len(saved) - self.max_bindings
        if excess <= 0:
            return
        evicted = sorted(kept, key=lambda b: b.expires_at)[:excess]
        evicted += saved[: max(0, excess - len(kept))]
        for binding in evicted:
            _log.info(
                "extension %s: binding %s dropped, at most %d phones",
                extension,
                binding.contact,
                self.max_bindings,
            )
        out = {str(b.contact) for b in evicted}
        removed += [b for b in evicted if str(b.contact) in mine]
        saved[:] = [b for b in saved if str(b.contact) not in out]
        added[:] = [b for b in added if str(b.contact) not in out]

    def _commit(
        self,
        extension: str,
        saved: list[Binding],
        removed: list[Binding],
        added: list[Binding],
        now: datetime,
        request: SipRequest,
    ) -> list[RegistrarAction]:
        """Apply the updates of one request together; the 200 comes after their writes."""
        self._touch([b.key for b in saved] + [b.key for b in removed])
        actions: list[RegistrarAction] = []
        if saved:
            actions.append(SaveBindings(tuple(saved)))
        if removed:
            actions.append(DeleteBindings(tuple(b.key for b in removed)))
        for binding in saved:
            self._bindings.setdefault(extension, {})[str(binding.contact)] = binding
        for binding in added:
            _log.info(
                "extension %s registered at %s from %s",
                extension,
                binding.contact,
                binding.destination,
            )
            actions.append(Publish(BindingAdded(Extension(extension), str(binding.contact))))
        actions += [self._remove(b, expired=False) for b in removed]
        return [*actions, self._ok(extension, now, request)]

    def _remove(self, binding: Binding, *, expired: bool) -> Publish:
        contacts = self._bindings.get(binding.extension, {})
        contacts.pop(str(binding.contact), None)
        if not contacts:
            self._bindings.pop(binding.extension, None)
        event = BindingRemoved(Extension(binding.extension), str(binding.contact), expired)
        return Publish(event)

    def _touch(self, keys: list[BindingKey]) -> None:
        self._generation += 1
        self._touched.update((key, self._generation) for key in keys)

    def _ok(self, extension: str, now: datetime, request: SipRequest) -> Reply:
        headers = [
            (
                "Contact",
                f"<{b.contact}>;expires={max(0, int((b.expires_at - now).total_seconds()))}",
            )
            for b in self.bindings(extension, now)
        ]
        headers.append(("Date", now.strftime("%a, %d %b %Y %H:%M:%S GMT")))
        supported = {tag.lower() for tag in request.headers.get_all("Supported")}
        if "path" in supported:  # RFC 3327 §5.3: the Path as stored, for the phone to see
            headers += [("Path", value) for value in request.headers.get_all("Path")]
        return Reply(200, headers=tuple(headers))

    def _rearm(self) -> list[RegistrarAction]:
        """Point the expiry timer at the earliest expiry when that changed."""
        ends = [b.expires_at for c in self._bindings.values() for b in c.values()]
        earliest = min(ends, default=None)
        if earliest == self._armed:
            return []
        self._armed = earliest
        return [ArmExpiry(earliest)]


def _instance(value: str | None) -> str | None:
    """A ``+sip.instance`` value as compared (RFC 5626 §4.1: quotes and angle brackets off;
    a URN compares case-insensitively)."""
    if not value:
        return None
    return value.strip().strip('"').strip("<>").lower() or None


def _integer(text: str | None, default: int, name: str) -> int:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise _RefusedError(Reply(400, f"Bad Request - {name}")) from None
