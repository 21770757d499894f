"""Pickup of a colleague's ringing call from the search result, on the real app, end to end.

Anna (201, Sales) and Chris (203, Support) are put in one pickup group by the administrator
(``PUT /api/v1/users/{extension}/roles``, the user group "night-desk") while the app runs; told
by the server (``user.roles_changed``), the app reads again whose calls Anna may pick up. Bram
(202) calls Chris, whose phone rings; Anna searches "Chris", the result shows his line ringing
with "Pick up", one click connects her with Bram (the app dials ``*9*203*``) and Chris's phone
stops ringing. Bram and Chris are pjsua2 agents in processes of their own; who hears whom is
decided on Bram's recording.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.support.api import bearer, login
from tests.support.audio import write_tone_wav
from tests.ui._app_harness import call_windows, row_of, send_mouse, signed_in_app
from tests.ui.test_app_call_control_flows import (
    TONES,
    WAIT_S,
    Phones,
    _check,
    _event,
    _listen,
    _send,
)
from ui.search_results import SearchResultDelegate, pickup_extension

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(300)]


def test_anna_picks_up_a_ringing_colleague_from_the_search_result(
    qapp: QApplication, tmp_path: Path
) -> None:
    with signed_in_app(tmp_path / "data", within=90) as app, contextlib.ExitStack() as stack:
        me = app.ctx.session.me
        assert me is not None and me.pick_up_from == ()  # alone in Sales
        embedded = app.ctx.session_ctl.embedded
        info = embedded.info if embedded is not None else None
        assert info is not None
        tls = info.tls_context()
        with httpx.Client(base_url=info.base_url, timeout=10, verify=tls or True) as api:
            eva = bearer(login(api, "205", "Demo-205!"))
            for ext in ("201", "203"):
                given = api.put(
                    f"/api/v1/users/{ext}/roles", json={"roles": ["night-desk"]}, headers=eva
                )
                assert given.status_code == 200, given.text

        def in_the_group() -> bool:  # told by the server's user.roles_changed, /me read again
            me = app.ctx.session.me
            return me is not None and me.pick_up_from == ("203",)  # the group, not his department

        app.run(app.until(in_the_group, WAIT_S, "Anna may pick up Chris's calls"))
        phones = Phones(app, tmp_path, stack)
        bram, chris = phones("202"), phones("203")
        anna_voice = write_tone_wav(tmp_path / "anna-tone.wav", TONES["201"], 1.0, level=0.2)
        field = app.window.top_bar.search

        async def scenario() -> None:
            bram_call = int((await _send(bram, "call", uri="203"))["call"])
            chris_ringing = int((await _event(chris, "incoming_call"))["call"])
            field.setFocus()
            QTest.keyClicks(field, "Chris")

            def offered() -> bool:
                index = row_of(field.model, "203")
                return index is not None and pickup_extension(index) == "203"

            await app.until(offered, WAIT_S, "Chris's ringing line with Pick up")
            index = row_of(field.model, "203")
            assert index is not None
            delegate = field.list.itemDelegate()
            assert isinstance(delegate, SearchResultDelegate)
            pill = delegate.pill_rect(field.list.visualRect(index), index, field.list.fontMetrics())
            assert pill is not None
            viewport = field.list.viewport()
            press, release = QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease
            send_mouse(viewport, press, pill.center(), Qt.MouseButton.LeftButton)
            send_mouse(viewport, release, pill.center(), Qt.MouseButton.NoButton)

            await app.until(lambda: len(call_windows(app)) == 1, WAIT_S, "a call window")
            (window,) = call_windows(app)
            await app.until(window.timer_running, WAIT_S, "connected with Bram")
            await _event(chris, "call_state", call=chris_ringing, state="DISCONNECTED")
            (call,) = app.ctx.calls.calls
            await app.speak(call.key, anna_voice)
            heard_ = await _listen([bram], tmp_path, "picked-up")
            _check(heard_["bram"], ["201"], ["203"])
            assert [c["call"] for c in (await _send(bram, "status"))["calls"]] == [bram_call]

            await _send(bram, "hangup", call=bram_call)
            await app.until(lambda: window.call.state == "ended", WAIT_S, "the call ended")

        app.run(scenario())
