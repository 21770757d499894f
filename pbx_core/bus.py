"""In-process event bus: services publish, the server and other services subscribe.

Delivery is synchronous and in order on the event loop's thread; a subscriber that raises is
logged and does not stop the others. Single-node only: scale-out replaces this with a
PostgreSQL LISTEN/NOTIFY or Redis fan-out behind the same interface.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pbx_core.events import Event

__all__ = ["EventBus", "Subscriber"]

Subscriber = Callable[[Event], None]
_log = logging.getLogger(__name__)


class EventBus:
    """Publish/subscribe of :class:`Event` objects."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns the function that removes it again."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                _log.exception("event subscriber failed on %s", event.kind)
