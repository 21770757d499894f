"""The widgets render the real stores of `app/` (skipped until the app core is present)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QWidget

stores = pytest.importorskip("app.stores")

from tests.ui.fakes import FakeCallActions, FakeHistoryActions  # noqa: E402
from ui.call_layer import CallLayer  # noqa: E402
from ui.calls_page import CallsPage  # noqa: E402


def test_calls_page_renders_real_history_store(qtbot) -> None:
    from app.stores.history import HistoryEntry, HistoryStore

    store = HistoryStore()
    page = CallsPage(store, FakeHistoryActions(), FakeCallActions())
    qtbot.addWidget(page)
    assert page.stack.currentWidget() is page.empty
    t = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
    store.set_entries(
        [
            HistoryEntry(1, "outgoing", "9000", "Echo test", t, 30, True),
            HistoryEntry(2, "missed", "202", "Bram Jansen", t.replace(hour=10), 0, False),
        ]
    )
    assert page.stack.currentWidget() is page.list
    assert page.model.data(page.model.index(0)) == "Bram Jansen"
    assert store.unseen_missed == 1


def test_call_layer_renders_real_calls_store(qtbot) -> None:
    from app.stores.calls import CallsStore
    from sip import AccountId, CallId, CallStateChanged, IncomingCall

    host = QWidget()
    host.resize(800, 600)
    qtbot.addWidget(host)
    clock = [40.0]
    store = CallsStore(clock=lambda: clock[0])
    ctl = FakeCallActions()
    layer = CallLayer(host, store, ctl, lambda: 100.0)
    k1 = CallId("k1")
    store.apply(IncomingCall(k1, AccountId("a"), "sip:202@pbx", "Bram Jansen"))
    assert layer.windows["k1"].header_text.text() == "Incoming call"
    store.apply(CallStateChanged(k1, "confirmed", 200, "OK", "sip:202@pbx", "", True))
    assert layer.windows["k1"].timer_label.text() == "01:00"
    store.apply(CallStateChanged(k1, "disconnected", 200, "Normal", "sip:202@pbx", "", True))
    layer.windows["k1"].close_button.click()
    assert ctl.calls == [("dismiss", ("k1",))]
