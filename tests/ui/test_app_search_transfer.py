"""Blind transfer from search on the real app: during a call with Bram (202), Anna searches
"Chris" and clicks Transfer on his result; Chris's phone rings with Bram as the caller and Anna
as the one who transferred, he answers and talks to Bram, and Anna's call ends. Bram and Chris
are pjsua2 agents in processes of their own; their recordings decide who hears whom."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from tests.ui._app_harness import send_mouse, signed_in_app
from tests.ui.test_app_call_control_flows import (
    WAIT_S,
    Phones,
    _app_calls_bram,
    _check,
    _event,
    _listen,
    _search_for_chris,
    _send,
)
from ui.search_results import SearchResultDelegate

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]


def test_transfer_from_a_search_result(qapp: QApplication, tmp_path: Path) -> None:
    with signed_in_app(tmp_path / "data", within=90) as app, contextlib.ExitStack() as stack:
        phones = Phones(app, tmp_path, stack)
        bram, chris = phones("202"), phones("203")
        field = app.window.top_bar.search

        async def scenario() -> None:
            window, bram_call = await _app_calls_bram(app, bram)
            index = await _search_for_chris(app)
            delegate = field.list.itemDelegate()
            assert isinstance(delegate, SearchResultDelegate)
            pill = delegate.pill(index)
            assert pill is not None and pill[0] == "Transfer"
            box = delegate.pill_rect(field.list.visualRect(index), index, field.list.fontMetrics())
            assert box is not None
            viewport = field.list.viewport()
            press, release = QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease
            send_mouse(viewport, press, box.center(), Qt.MouseButton.LeftButton)
            send_mouse(viewport, release, box.center(), Qt.MouseButton.NoButton)

            incoming = await _event(chris, "incoming_call")
            assert "202" in incoming["from"], incoming
            assert "201" in (incoming["referred_by"] or ""), incoming
            chris_call = int(incoming["call"])
            await _send(chris, "answer", call=chris_call, code=200)
            await _event(chris, "media_active", call=chris_call)
            await app.until(lambda: window.call.state == "ended", WAIT_S, "Anna's call ended")
            assert window.status_label.text() == "The call was transferred."
            heard_ = await _listen([bram, chris], tmp_path, "transferred")
            _check(heard_["bram"], ["203"], ["202"])
            _check(heard_["chris"], ["202"], ["203"])
            assert [c["call"] for c in (await _send(bram, "status"))["calls"]] == [bram_call]
            await _send(bram, "hangup", call=bram_call)

        app.run(scenario())
