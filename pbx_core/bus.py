"""In-process event bus: services publish, the server and other services subscribe.

Delivery is synchronous and in order on the event loop's thread; a subscriber that raises is
logged and does not stop the others. Subscribers (the API's event hub with its asyncio queues,
services with loop timers) are not thread-safe, so the bus belongs to the thread that made it
(the loop's) and :meth:`EventBus.publish` from any other thread raises
:class:`WrongThreadError`: hop onto the loop first (``loop.call_soon_threadsafe``).
Single-node only: scale-out replaces this with a PostgreSQL LISTEN/NOTIFY or Redis fan-out
behind the same interface.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from pbx_core.events import Event

__all__ = ["EventBus", "Subscriber", "WrongThreadError"]

Subscriber = Callable[[Event], None]
_log = logging.getLogger(__name__)


class WrongThreadError(RuntimeError):
    """The bus was used from a thread other than its own; a bug in the caller, not bad input."""


class EventBus:
    """Publish/subscribe of :class:`Event` objects, on the thread that created the bus."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._thread = threading.get_ident()
        self._thread_name = threading.current_thread().name

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns the function that removes it again."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        """Deliver ``event`` to every subscriber now; WrongThreadError off the bus's thread."""
        if threading.get_ident() != self._thread:
            raise WrongThreadError(
                f"{event.kind} published on thread {threading.current_thread().name!r}; the "
                f"bus runs on {self._thread_name!r}: use loop.call_soon_threadsafe"
            )
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                _log.exception("event subscriber failed on %s", event.kind)
