"""One bus on the GUI loop: typed events in, each handed to the handlers of its class.

Everything that happens outside the app arrives here once, already typed: the server's events
(parsed at the WebSocket edge, :mod:`app.server_events`), the SIP engine's events (handed to the
loop by :class:`sip.SipEngine`) and the session's own :class:`SessionOnline`.
:func:`app.context.build_context` subscribes each controller to exactly the events it acts on;
nothing dispatches on a type string again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["Bus", "SessionOnline"]

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
