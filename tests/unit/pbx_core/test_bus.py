"""The event bus delivers in order on its own thread and refuses every other thread."""

from __future__ import annotations

import threading

from pbx_core.bus import EventBus, WrongThreadError
from pbx_core.events import Event, LineStateChanged
from pbx_core.ids import Extension


def test_subscribers_get_events_in_order_and_a_failing_one_stops_nobody() -> None:
    bus = EventBus()
    seen: list[Event] = []

    def broken(_event: Event) -> None:
        raise RuntimeError("subscriber bug")

    bus.subscribe(broken)
    unsubscribe = bus.subscribe(seen.append)
    first, second = (
        LineStateChanged(Extension("201"), "ringing"),
        LineStateChanged(Extension("201"), "busy"),
    )
    bus.publish(first)
    bus.publish(second)
    unsubscribe()
    bus.publish(first)
    assert seen == [first, second]


def test_publishing_from_another_thread_is_refused() -> None:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    errors: list[BaseException] = []

    def publish() -> None:
        try:
            bus.publish(LineStateChanged(Extension("201"), "busy"))
        except WrongThreadError as exc:
            errors.append(exc)

    worker = threading.Thread(target=publish, name="pool-1")
    worker.start()
    worker.join()
    (error,) = errors
    assert str(error) == (
        "line.changed published on thread 'pool-1'; the bus runs on 'MainThread': "
        "use loop.call_soon_threadsafe"
    )
    assert seen == []


def test_wrong_thread_is_a_bug_not_a_pbx_error() -> None:
    from pbx_core.errors import PbxError

    assert issubclass(WrongThreadError, RuntimeError)
    assert not issubclass(WrongThreadError, PbxError)
