"""The real app meets two colleagues in conference room 8000, end to end.

Anna (201) dials 8000 from the dialer; Bram (202) and Chris (203), pjsua2 agents in processes of
their own, dial it too. The app's call window runs like any answered call; each agent hears the
two others (Anna by the tone file standing in for her voice) and not itself, on its recording.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.support.audio import write_tone_wav
from tests.ui._app_harness import call_windows, click, dial, signed_in_app
from tests.ui.test_app_call_control_flows import (
    TONES,
    WAIT_S,
    Phones,
    _check,
    _event,
    _listen,
    _send,
)

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]


def test_anna_meets_two_colleagues_in_room_8000(qapp: QApplication, tmp_path: Path) -> None:
    with signed_in_app(tmp_path / "data", within=90) as app, contextlib.ExitStack() as stack:
        phones = Phones(app, tmp_path, stack)
        bram, chris = phones("202"), phones("203")
        anna_voice = write_tone_wav(tmp_path / "anna-tone.wav", TONES["201"], 1.0, level=0.2)

        async def scenario() -> None:
            dial(app, "8000")
            await app.until(lambda: len(call_windows(app)) == 1, WAIT_S, "a call window")
            (window,) = call_windows(app)
            await app.until(window.timer_running, WAIT_S, "in the room")
            (call,) = app.ctx.calls.calls
            await app.speak(call.key, anna_voice)
            joined = {}
            for agent in (bram, chris):
                placed = int((await _send(agent, "call", uri="8000"))["call"])
                await _event(agent, "call_state", call=placed, state="CONFIRMED")
                await _event(agent, "media_active", call=placed)
                joined[agent.name] = placed

            heard_ = await _listen([bram, chris], tmp_path, "room")
            _check(heard_["bram"], ["201", "203"], ["202"])
            _check(heard_["chris"], ["201", "202"], ["203"])

            click(window.hangup_button)  # Anna leaves: the two others talk on
            await app.until(lambda: window.call.state == "ended", WAIT_S, "Anna's call ended")
            heard_ = await _listen([bram, chris], tmp_path, "after-anna")
            _check(heard_["bram"], ["203"], ["201", "202"])
            _check(heard_["chris"], ["202"], ["201", "203"])
            for agent in (bram, chris):
                await _send(agent, "hangup", call=joined[agent.name])

        app.run(scenario())
