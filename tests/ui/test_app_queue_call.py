"""The real app rings for a queue call: a SIPp peer in its own process sends the app's SIP
account an INVITE with the PBX's ``X-Queue`` header, and the real call window says "via Support"
under the caller; declined from the window, the peer gets the decline."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.support.sipp import SippResult, SippUser, sipp_available, start_scenario
from tests.ui._app_harness import RealApp, call_windows, click, signed_in_app

pytestmark = [
    pytest.mark.sipp,
    pytest.mark.own_process,
    pytest.mark.timeout(180),
    pytest.mark.skipif(not sipp_available(), reason="SIPp (sip-tester) is not installed"),
]


@pytest.fixture
def real_app(qapp: QApplication, tmp_path: Path) -> Iterator[RealApp]:
    with signed_in_app(tmp_path / "data") as app:
        yield app


def test_a_queue_call_rings_via_the_queue(real_app: RealApp, tmp_path: Path) -> None:
    app = real_app
    caller = SippUser("0687000111", "-", "201")
    peer = start_scenario(
        "uac_queue_invite_declined",
        tmp_path / "sipp",
        remote=("127.0.0.1", app.ctx.engine.sip_port),
        users=[caller],
        timeout_s=60,
    )
    with peer:

        async def scenario() -> SippResult:
            await app.until(lambda: len(call_windows(app)) == 1, 20, "the incoming call window")
            [window] = call_windows(app)
            assert window.header_text.text() == "Incoming call"
            assert window.name_label.text() == "Jan Bakker"
            assert window.via_label.isVisible() and window.via_label.text() == "via Support"
            click(window.decline_button)
            return await asyncio.to_thread(peer.wait, 30)

        result = app.run(scenario())
    result.check()
    assert "X-Queue" in result.messages and "SIP/2.0 180" in result.messages
