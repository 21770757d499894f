"""Two incoming calls merged into one conference from the call window, on the real app.

Bram (202) calls Anna (201) and she answers; Chris (203) calls while they talk and she answers
him too (Bram waits on hold); Merge in the expand row makes one conference window listing both,
and Bram and Chris hear each other through the app's local mix. Bram and Chris are pjsua2 agents
in processes of their own, each playing its own tone; their recordings decide.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui._app_harness import RealApp, call_windows, click, signed_in_app
from tests.ui.test_app_call_control_flows import (
    WAIT_S,
    Phones,
    _check,
    _event,
    _listen,
    _participants,
    _send,
)
from ui.call_window import CallWindow

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]


async def _answer_in_the_app(app: RealApp, number: str) -> CallWindow:
    """The call from ``number`` rings in the app: answer it from its window."""

    def ringing() -> CallWindow | None:
        for window in call_windows(app):
            if window.call.number == number and window.answer_button.isVisible():
                return window
        return None

    await app.until(ringing, WAIT_S, f"{number} ringing in the app")
    window = ringing()
    assert window is not None
    click(window.answer_button)
    await app.until(window.timer_running, WAIT_S, f"talking with {number}")
    return window


def test_two_incoming_calls_merge_into_a_conference(qapp: QApplication, tmp_path: Path) -> None:
    with signed_in_app(tmp_path / "data", within=90) as app, contextlib.ExitStack() as stack:
        phones = Phones(app, tmp_path, stack)
        bram, chris = phones("202"), phones("203")

        async def scenario() -> None:
            bram_call = int((await _send(bram, "call", uri="201"))["call"])
            first = await _answer_in_the_app(app, "202")
            await _event(bram, "media_active", call=bram_call)
            chris_call = int((await _send(chris, "call", uri="201"))["call"])
            second = await _answer_in_the_app(app, "203")
            await _event(chris, "media_active", call=chris_call)
            await app.until(lambda: first.call.held, WAIT_S, "Bram waiting on hold")

            click(second.expand_button)
            await app.until(second.extras.isVisible, WAIT_S, "the expand row")
            assert second.extras.merge_button.isVisible()
            click(second.extras.merge_button)

            def merged() -> bool:
                return any(
                    w.isVisible() and _participants(w) == ["Bram Jansen", "Chris Peters"]
                    for w in call_windows(app)
                )

            await app.until(merged, WAIT_S, "one conference window listing Bram and Chris")
            heard_ = await _listen([bram, chris], tmp_path, "merged")
            _check(heard_["bram"], ["203"], ["202"])
            _check(heard_["chris"], ["202"], ["203"])

            for agent, call in ((bram, bram_call), (chris, chris_call)):
                await _send(agent, "hangup", call=call)
            await app.until(lambda: app.ctx.calls.idle, WAIT_S, "idle")

        app.run(scenario())
