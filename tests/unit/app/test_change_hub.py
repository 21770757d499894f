"""The one hub of typed changes: what the stores publish, the initiator, unhooking."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import QMetaMethod, QObject

from app.bus import ChangeHub, Changes
from app.call_model import ActiveCall, CallAdded, CallChanged, CallModel, CallRemoved
from app.stores import (
    AudioStore,
    CallsStore,
    DirectoryStore,
    HistoryStore,
    PresenceStore,
    SessionStore,
)
from app.stores._base import Store
from app.stores.headset import HeadsetStore
from app.updates import FeedEntry, UpdateStore
from sip import AccountId, CallId, CallStateChanged, IncomingCall


def test_every_store_publishes_into_the_one_hub(qapp: object) -> None:
    hub = ChangeHub()
    seen: list[Changes] = []
    hub.subscribe(seen.append)
    presence, history = PresenceStore(hub), HistoryStore(hub)
    presence.set_presence("meeting", None)
    history.set_entries([])  # no change: nothing published
    presence.set_uses([("lunch", 60)])
    assert seen == [
        Changes("presence", frozenset({"status"})),
        Changes("presence", frozenset({"uses"})),
    ]
    assert seen[0].touches("presence") and seen[0].touches("presence", "status", "uses")
    assert not seen[0].touches("presence", "uses") and not seen[0].touches("history")


@pytest.mark.parametrize(
    "store",
    [
        SessionStore,
        HistoryStore,
        DirectoryStore,
        PresenceStore,
        CallsStore,
        AudioStore,
        HeadsetStore,
        lambda: UpdateStore("0.1.0"),
    ],
)
def test_the_hub_is_the_one_change_signal(qapp: object, store: Callable[[], Store]) -> None:
    meta = store().metaObject()
    own = [
        meta.method(i).name().data()
        for i in range(meta.methodOffset(), meta.methodCount())
        if meta.method(i).methodType() == QMetaMethod.MethodType.Signal
    ]
    assert own == []


def test_update_store_publishes_into_the_hub(qapp: object) -> None:
    hub = ChangeHub()
    seen: list[Changes] = []
    hub.subscribe(seen.append)
    UpdateStore("0.1.0", hub).set_entry(FeedEntry("0.2.0"))
    assert seen == [Changes("updates", frozenset({"update"}))]


def test_call_changes_name_the_calls(qapp: object) -> None:
    hub = ChangeHub()
    seen: list[Changes] = []
    hub.subscribe(seen.append)
    calls = CallsStore(CallModel(), clock=lambda: 1.0, hub=hub)
    calls.apply(IncomingCall(CallId("k1"), AccountId("a"), "sip:202@pbx", "Bram"))
    calls.apply(CallStateChanged(CallId("k1"), "disconnected", 487, "", "sip:202@pbx", "", True))
    calls.dismiss("k1")
    assert [c.store for c in seen] == ["calls"] * 3
    assert [type(c.calls[0]) for c in seen] == [CallAdded, CallChanged, CallRemoved]
    assert all(c.call_keys == {"k1"} and c.touches("calls", "calls") for c in seen)
    assert isinstance(seen[0].calls[0], CallAdded)
    assert seen[0].calls[0].call == ActiveCall("k1", "incoming", "202", "Bram", "incoming")


def test_the_initiator_is_passed_through(qapp: object) -> None:
    hub = ChangeHub()
    seen: list[Changes] = []
    hub.subscribe(seen.append)
    store = PresenceStore(hub)
    page = object()
    with hub.initiated_by(page):
        store.set_presence("meeting", None)
    store.set_presence("lunch", None)  # from the server: no initiator
    store._changed("uses", initiator="cache")  # a store may name its own
    assert [c.initiator for c in seen] == [page, None, "cache"]


class _View(QObject):
    def __init__(self, hub: ChangeHub) -> None:
        super().__init__()
        self.seen: list[Changes] = []
        self.unhook = hub.subscribe(self.on_changes, owner=self)

    def on_changes(self, changes: Changes) -> None:
        self.seen.append(changes)


def test_a_view_unhooks_when_it_goes(qapp: object) -> None:
    hub = ChangeHub()
    gone, kept = _View(hub), _View(hub)
    other = hub.subscribe(lambda _c: None)
    assert hub.subscribers == 3
    shiboken6.delete(gone)  # as when Qt deletes the widget
    assert hub.subscribers == 2
    hub.publish(Changes("session", frozenset({"me"})))
    assert len(kept.seen) == 1
    kept.unhook()
    kept.unhook()  # twice is harmless
    hub.publish(Changes("session", frozenset({"me"})))
    assert len(kept.seen) == 1
    other()
    assert hub.subscribers == 0


class _Follower:
    def __init__(self, seen: list[Changes]) -> None:
        self.seen = seen

    def on_changes(self, changes: Changes) -> None:
        self.seen.append(changes)


def test_a_follower_without_an_owner_is_kept_by_the_hub(qapp: object) -> None:
    hub = ChangeHub()
    seen: list[Changes] = []
    hub.subscribe(_Follower(seen).on_changes)  # nobody else holds it (like the ringer)
    gc.collect()
    hub.publish(Changes("calls", frozenset({"calls"})))
    assert len(seen) == 1
