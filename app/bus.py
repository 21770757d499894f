"""Two buses on the GUI loop: typed events in (:class:`Bus`), typed changes out.

Everything that happens outside the app arrives here once, already typed: the server's events
(parsed at the WebSocket edge, :mod:`app.server_events`), the SIP engine's events (handed to the
loop by :class:`sip.SipEngine`) and the session's own :class:`SessionOnline`.
:func:`app.context.build_context` subscribes each controller to exactly the events it acts on;
nothing dispatches on a type string again.

What the stores change goes out on the other side through one :class:`ChangeHub`, modelled on
Anki's ``operation_did_execute(changes, initiator)``: every store publishes a :class:`Changes`
naming the store, what in it changed (and for the calls, which calls), and who caused it. Views
subscribe once (:meth:`ChangeHub.subscribe`), redraw only what the changes name, and unhook when
they go; the app's own followers (the start-up cache, the launch requests, the headset bridge,
the ringer) subscribe the same way. The stores have no change signal of their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from PySide6.QtCore import QObject, Signal

from app.call_model import CallAdded, CallChange, CallChanged, CallRemoved

__all__ = [
    "AudioChange",
    "Bus",
    "ChangeHub",
    "ChangeName",
    "Changes",
    "DirectoryChange",
    "HeadsetChange",
    "HistoryChange",
    "PresenceChange",
    "SessionChange",
    "SessionOnline",
    "StoreName",
    "Unhook",
    "UpdateChange",
]

_log = logging.getLogger(__name__)
E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class SessionOnline:
    """Signed in (again), or the event stream is back: reload what may have been missed."""


class Bus:
    """Publish an event; the handlers subscribed to its exact class run in order."""

    def __init__(self) -> None:
        self._handlers: dict[type[Any], list[Callable[[Any], None]]] = {}

    def subscribe(self, kind: type[E], handler: Callable[[E], None]) -> None:
        self._handlers.setdefault(kind, []).append(handler)

    def subscribe_all(self, kinds: tuple[type[Any], ...], handler: Callable[[Any], None]) -> None:
        """One handler for several event classes (it narrows with ``isinstance``)."""
        for kind in kinds:
            self.subscribe(kind, handler)

    def publish(self, event: object) -> None:
        """Run the handlers now; one failing is logged and does not stop the others."""
        for handler in self._handlers.get(type(event), ()):
            try:
                handler(event)
            except Exception:
                _log.exception("handling %r failed", event)


# -- typed changes, out to the views -----------------------------------------------------------

StoreName = Literal[
    "session",
    "history",
    "directory",
    "presence",
    "calls",
    "audio",
    "headset",
    "updates",
    "parked",
    "devices",
    "sign_ins",
]
"""Which store changed."""

SessionChange = Literal["state", "me", "registration"]
HistoryChange = Literal["entries", "unseen"]
DirectoryChange = Literal["results", "everyone"]
PresenceChange = Literal["status", "uses"]
AudioChange = Literal["availability", "devices", "selection", "mic_level"]
HeadsetChange = Literal["devices", "selection", "enabled", "current", "press"]
CallsChange = Literal["calls"]
UpdateChange = Literal["update"]
ParkedChange = Literal["parked"]
DevicesChange = Literal["devices"]
SignInsChange = Literal["sign_ins"]
ChangeName = (
    SessionChange
    | HistoryChange
    | DirectoryChange
    | PresenceChange
    | AudioChange
    | HeadsetChange
    | CallsChange
    | ParkedChange
    | DevicesChange
    | UpdateChange
    | SignInsChange
)
"""What in a store changed: each store's own names (a call change is named ``"calls"``)."""

Unhook = Callable[[], None]


@dataclass(frozen=True, slots=True)
class Changes:
    """One published change: the store, what in it changed, and who caused it.

    ``calls`` carries the call model's own changes (``CallAdded``, ``CallChanged``,
    ``CallRemoved``) when ``store == "calls"``. ``initiator`` is the object that asked for the
    change (a view may skip redrawing what it has already drawn), None when it came from outside
    (the server, the SIP engine).
    """

    store: StoreName
    names: frozenset[ChangeName] = frozenset()
    calls: tuple[CallChange, ...] = ()
    initiator: object | None = None

    def touches(self, store: StoreName, *names: ChangeName) -> bool:
        """This change is about ``store`` (and, when given, at least one of ``names``)."""
        return self.store == store and (not names or not self.names.isdisjoint(names))

    @property
    def call_keys(self) -> frozenset[str]:
        """The keys of the calls this change is about."""
        keys: set[str] = set()
        for change in self.calls:
            if isinstance(change, CallAdded | CallChanged):
                keys.add(change.call.key)
            elif isinstance(change, CallRemoved):
                keys.add(change.key)
        return frozenset(keys)


class ChangeHub(QObject):
    """The one change signal of the app: ``changed(Changes)``; the stores have no other.

    :meth:`subscribe` is the way in: the handler is connected to ``changed`` and the unhook it
    returns disconnects it. A view passes itself as ``owner``: Qt then holds its method without
    keeping the view alive and drops it when the view is destroyed. A handler without an owner
    (the app's own followers, wired in :func:`app.context.build_context`) is kept by the hub.
    """

    changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._initiators: list[object] = []
        self._hooked = 0
        self._kept: list[Callable[[Changes], None]] = []

    @property
    def initiator(self) -> object | None:
        """Who is changing the stores right now (see :meth:`initiated_by`)."""
        return self._initiators[-1] if self._initiators else None

    @contextmanager
    def initiated_by(self, initiator: object) -> Iterator[None]:
        """Changes published inside this block name ``initiator`` unless they name their own."""
        self._initiators.append(initiator)
        try:
            yield
        finally:
            self._initiators.pop()

    def publish(self, changes: Changes) -> None:
        """Hand ``changes`` to every subscriber now (on the GUI thread: direct calls)."""
        if changes.initiator is None and self._initiators:
            changes = Changes(changes.store, changes.names, changes.calls, self.initiator)
        self.changed.emit(changes)

    def subscribe(self, handler: Callable[[Changes], None], owner: QObject | None = None) -> Unhook:
        """Call ``handler`` for every change; returns the unhook (also run when ``owner`` goes)."""
        hooked = True
        self._hooked += 1

        def forget() -> None:
            nonlocal hooked
            if hooked:
                hooked = False
                self._hooked -= 1

        def unhook() -> None:
            if hooked:
                forget()
                with suppress(RuntimeError, TypeError):  # already gone with its object
                    self.changed.disconnect(handler)
                with suppress(ValueError):
                    self._kept.remove(handler)

        self.changed.connect(handler)
        if owner is None:
            self._kept.append(handler)  # Qt holds a plain object's method only weakly
        else:
            # Qt drops the owner's connections itself; only the count is ours to keep
            owner.destroyed.connect(lambda *_: forget())
        return unhook

    @property
    def subscribers(self) -> int:
        """How many handlers are hooked (views unhook when they go)."""
        return self._hooked
