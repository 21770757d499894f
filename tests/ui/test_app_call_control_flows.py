"""Call control on the real app, end to end: attended transfer, a conference of three, park and
pickup (a colleague parks, Anna picks up; Anna parks, a colleague picks up), and a blind
transfer by dragging the call window onto a search result.

The real desktop app (main window, embedded PBX, pjsua2 engine in this process) is driven by
clicks and drags as a user would; the other phones are pjsua2 agents in processes of their own,
Bram (202) and Chris (203), each playing its own tone into every call, so who hears whom is
decided on their recordings. The app has no microphone here: where Anna (201) must be heard, a
tone file stands in for her voice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.support.agent import Agent, start_agent
from tests.support.audio import read_wav, rms_dbfs, write_tone_wav
from tests.support.listening import SETTLE_S, heard, mostly, record_phase
from tests.ui._app_harness import (
    RealApp,
    call_windows,
    click,
    dial,
    drag_card,
    row_of,
    select_row,
    shown_windows,
    signed_in_app,
)
from ui.call_window import CallWindow

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]

# Inside G.711's band and above the PBX's own tones and hold music (up to 1047 Hz).
TONES = {"201": 1110.0, "202": 1290.0, "203": 1470.0}
NAMES = {"202": "bram", "203": "chris"}
AUDIBLE_DBFS = -50.0
"""A recording louder than this carries something (music, a voice); silence is below."""
WAIT_S = 20.0
"""Generous: the machine is shared, and a SIP transaction may be retransmitted."""


@pytest.fixture
def real_app(qapp: QApplication, tmp_path: Path) -> Iterator[RealApp]:
    with signed_in_app(tmp_path / "data", within=90) as app:
        yield app


class Phones:
    """Bram (202) and Chris (203) as registered agents, each playing its tone."""

    def __init__(self, app: RealApp, workdir: Path, stack: contextlib.ExitStack) -> None:
        self._app = app
        self._workdir = workdir
        self._stack = stack

    def __call__(self, ext: str) -> Agent:
        name = NAMES[ext]
        agent = self._stack.enter_context(
            start_agent(self._workdir, name, extra_args=("--clock-rate", "8000"))
        )
        self._app.register_agent(agent, ext)
        wav = write_tone_wav(self._workdir / f"{name}-tone.wav", TONES[ext], 1.0, level=0.2)
        agent.send("play", file=str(wav))
        return agent


@pytest.fixture
def phones(real_app: RealApp, tmp_path: Path) -> Iterator[Phones]:
    with contextlib.ExitStack() as stack:
        yield Phones(real_app, tmp_path, stack)


# -- helpers -------------------------------------------------------------------------------
async def _send(agent: Agent, cmd: str, **fields: Any) -> dict[str, Any]:
    return await asyncio.to_thread(agent.send, cmd, **fields)


async def _event(agent: Agent, name: str, **match: Any) -> dict[str, Any]:
    return await asyncio.to_thread(agent.wait_event, name, timeout=WAIT_S, **match)


async def _answer(agent: Agent) -> int:
    """The agent's phone rings: answer; returns its call once it has media."""
    call = int((await _event(agent, "incoming_call"))["call"])
    await _send(agent, "answer", call=call, code=200)
    await _event(agent, "call_state", call=call, state="CONFIRMED")
    await _event(agent, "media_active", call=call)
    return call


async def _app_calls_bram(app: RealApp, bram: Agent) -> tuple[CallWindow, int]:
    """Anna dials 202 from the dialer, Bram answers: the call window and Bram's call."""
    dial(app, "202")
    call = await _answer(bram)
    await app.until(lambda: len(call_windows(app)) == 1, WAIT_S, "a call window")
    (window,) = call_windows(app)
    await app.until(window.timer_running, WAIT_S, "the in-call timer")
    assert window.name_label.text() == "Bram Jansen"
    return window, call


async def _search_for_chris(app: RealApp) -> QModelIndex:
    """Type "Chris" into the top bar's search; the index of his result once it is listed."""
    field = app.window.top_bar.search
    field.setFocus()
    QTest.keyClicks(field, "Chris")
    await app.until(
        lambda: field.panel.isVisible() and row_of(field.model, "203") is not None,
        WAIT_S,
        "Chris among the search results",
    )
    index = row_of(field.model, "203")
    assert index is not None
    return index


def _participants(window: CallWindow) -> list[str]:
    return sorted(label.text() for label, _ in window.participants.rows.values())


async def _pick_chris(app: RealApp, window: CallWindow) -> None:
    """In the open picker, search "Chris" and select his result."""
    picker = window.picker
    assert picker is not None
    await app.until(picker.isVisible, WAIT_S, "the picker")
    QTest.keyClicks(picker.field, "Chris")
    await app.until(
        lambda: row_of(picker.model, "203") is not None, WAIT_S, "Chris among the results"
    )
    index = row_of(picker.model, "203")
    assert index is not None
    select_row(picker.list, index)
    await app.until(lambda: picker.number() == "203", WAIT_S, "Chris selected")


async def _listen(agents: list[Agent], workdir: Path, phase: str) -> dict[str, Path]:
    """Each agent records what it hears for one phase (the app's loop keeps turning)."""
    paths = await asyncio.to_thread(record_phase, agents, workdir, phase)
    return {a.name: p for a, p in zip(agents, paths, strict=True)}


def _level(path: Path) -> float:
    samples, rate = read_wav(path)
    return rms_dbfs(samples[round(SETTLE_S * rate) :])


def _check(path: Path, hears: list[str], not_hears: list[str]) -> None:
    for ext in hears:
        timeline = heard(path, TONES[ext])
        assert mostly(timeline), f"{path.name}: {ext} not heard: {timeline}"
    for ext in not_hears:
        timeline = heard(path, TONES[ext])
        assert not any(timeline), f"{path.name}: {ext} heard: {timeline}"


# -- the flows -----------------------------------------------------------------------------
@pytest.mark.parametrize("complete_in", ["consult", "held"])
def test_attended_transfer_from_the_call_windows(
    real_app: RealApp, phones: Phones, tmp_path: Path, complete_in: str
) -> None:
    """Anna talks to Bram, consults Chris (Bram on hold), completes the transfer from either
    window: both windows close, Bram and Chris talk."""
    app = real_app
    bram, chris = phones("202"), phones("203")

    async def scenario() -> None:
        first, bram_call = await _app_calls_bram(app, bram)
        click(first.expand_button)
        await app.until(first.extras.isVisible, WAIT_S, "the expand row")
        click(first.extras.transfer_button)
        await _pick_chris(app, first)
        picker = first.picker
        assert picker is not None and picker.consult_button.text() == "Consult first"
        click(picker.consult_button)

        await _event(bram, "media_state", call=bram_call, status="REMOTE_HOLD")
        chris_call = await _answer(chris)
        await app.until(lambda: len(shown_windows(app)) == 2, WAIT_S, "two call windows")
        consult = next(w for w in call_windows(app) if w is not first)
        await app.until(consult.timer_running, WAIT_S, "the consult call connected")
        await app.until(
            lambda: first.consult_bar.isVisible() and consult.consult_bar.isVisible(),
            WAIT_S,
            "the consult bar in both windows",
        )
        assert consult.name_label.text() == "Chris Peters"
        assert first.header_text.text() == "On hold"
        assert first.consult_bar.label.text() == "Transfer to Chris Peters?"
        assert consult.consult_bar.label.text() == "Consulting about Bram Jansen, who is on hold."
        heard_ = await _listen([bram, chris], tmp_path, "consulting")
        _check(heard_["bram"], [], ["203"])  # Bram waits on hold, out of the consultation

        bram.drain()
        click((consult if complete_in == "consult" else first).consult_bar.complete_button)
        await _event(bram, "media_active", call=bram_call)  # re-INVITEd to Chris
        await app.until(
            lambda: all(c.state == "ended" for c in app.ctx.calls.calls), WAIT_S, "both calls ended"
        )
        await app.until(lambda: not call_windows(app), WAIT_S, "both call windows closed")
        heard_ = await _listen([bram, chris], tmp_path, "transferred")
        _check(heard_["bram"], ["203"], ["202"])
        _check(heard_["chris"], ["202"], ["203"])
        statuses = await _send(chris, "status")
        assert [c["call"] for c in statuses["calls"]] == [chris_call]

    app.run(scenario())


def test_conference_of_three_invited_from_the_call_window(
    real_app: RealApp, phones: Phones, tmp_path: Path
) -> None:
    """Anna talks to Bram and invites Chris: one conference window; Bram and Chris hear each
    other through the app's local mix."""
    app = real_app
    bram, chris = phones("202"), phones("203")

    async def scenario() -> None:
        window, bram_call = await _app_calls_bram(app, bram)
        click(window.expand_button)
        await app.until(window.extras.isVisible, WAIT_S, "the expand row")
        click(window.extras.invite_button)
        await _pick_chris(app, window)
        picker = window.picker
        assert picker is not None and picker.now_button.text() == "Invite"
        assert not picker.consult_button.isVisible()
        click(picker.now_button)

        chris_call = await _answer(chris)
        await app.until(
            lambda: (
                window.header_text.text() == "Conference"
                and _participants(window) == ["Bram Jansen", "Chris Peters"]
            ),
            WAIT_S,
            "the conference window listing Bram and Chris, neither on hold",
        )
        assert shown_windows(app) == [window], [
            (w.call, w.header_text.text()) for w in shown_windows(app)
        ]
        assert window.participants.title.text() == "3 people in this call"
        assert window.name_label.text() == "Bram Jansen, Chris Peters"
        await app.until(window.timer_running, WAIT_S, "the conference's timer")
        heard_ = await _listen([bram, chris], tmp_path, "conference")
        _check(heard_["bram"], ["203"], ["202"])
        _check(heard_["chris"], ["202"], ["203"])

        # the initiator removes Chris: his call ends, Anna and Bram go on
        chris_key = next(c.key for c in app.ctx.calls.calls if c.number == "203")
        click(window.participants.rows[chris_key][1])
        await _event(chris, "call_state", call=chris_call, state="DISCONNECTED")
        await app.until(
            lambda: window.header_text.text() == "In call" and not window.participants.isVisible(),
            WAIT_S,
            "a call with Bram alone",
        )
        assert window.name_label.text() == "Bram Jansen" and window.timer_running()
        # Chris's own card, hidden while he was in the conference, never shows
        assert shown_windows(app) == [window]
        assert chris_key not in app.window.calls_layer.windows  # type: ignore[union-attr]

        click(window.hangup_button)
        await _event(bram, "call_state", call=bram_call, state="DISCONNECTED")
        await app.until(lambda: app.ctx.calls.idle, WAIT_S, "idle")

    app.run(scenario())


def test_colleague_parks_a_call_and_anna_picks_it_up(
    real_app: RealApp, phones: Phones, tmp_path: Path
) -> None:
    """Chris parks his call with Bram (REFER to 7000); the app lists it, one click on Pick up
    connects Anna with Bram, who hears her instead of the music."""
    app = real_app
    bram, chris = phones("202"), phones("203")
    panel = app.window.parked_panel
    anna_voice = write_tone_wav(tmp_path / "anna-tone.wav", TONES["201"], 1.0, level=0.2)

    async def scenario() -> None:
        assert not panel.isVisible()
        chris_call = int((await _send(chris, "call", uri="202"))["call"])
        bram_call = await _answer(bram)
        await _event(chris, "media_active", call=chris_call)
        await _send(chris, "transfer", call=chris_call, target="7000")
        status = await _event(chris, "transfer_status", call=chris_call, final=True)
        assert 200 <= status["code"] < 300, status
        await _event(chris, "call_state", call=chris_call, state="DISCONNECTED")

        await app.until(lambda: "7001" in panel.rows and panel.isVisible(), WAIT_S, "parked")
        slot, caller, by, waited, button = panel.rows["7001"]
        assert [slot.text(), caller.text(), by.text(), waited.text()] == [
            "7001",
            "Bram Jansen",
            "parked by Chris Peters",
            "< 1 min",
        ]
        assert button.text() == "Pick up"
        heard_ = await _listen([bram], tmp_path, "parked")
        _check(heard_["bram"], [], ["203"])
        assert _level(heard_["bram"]) > AUDIBLE_DBFS, "Bram hears no music while parked"

        click(button)
        await app.until(lambda: len(call_windows(app)) == 1, WAIT_S, "a call window")
        (window,) = call_windows(app)
        await app.until(window.timer_running, WAIT_S, "connected with the parked call")
        await app.until(lambda: not panel.isVisible(), WAIT_S, "the parked call taken")
        assert panel.rows == {}
        (call,) = app.ctx.calls.calls
        assert call.state == "connected"
        await app.speak(call.key, anna_voice)
        heard_ = await _listen([bram], tmp_path, "picked-up")
        _check(heard_["bram"], ["201"], ["203"])
        assert [c["call"] for c in (await _send(bram, "status"))["calls"]] == [bram_call]

        click(window.hangup_button)
        await _event(bram, "call_state", call=bram_call, state="DISCONNECTED")

    app.run(scenario())


def test_anna_parks_her_call_and_a_colleague_dials_the_slot(
    real_app: RealApp, phones: Phones, tmp_path: Path
) -> None:
    """Anna parks her call with Bram (Park in the expand row); Chris dials 7001 and talks to
    Bram; the app's parked-calls panel shows the call while it waits."""
    app = real_app
    bram, chris = phones("202"), phones("203")
    panel = app.window.parked_panel

    async def scenario() -> None:
        window, bram_call = await _app_calls_bram(app, bram)
        click(window.expand_button)
        await app.until(window.extras.isVisible, WAIT_S, "the expand row")
        click(window.extras.park_button)
        await app.until(lambda: window.call.state == "ended", WAIT_S, "Anna's call ended")
        assert window.status_label.text() == "The call was parked."
        await app.until(lambda: "7001" in panel.rows and panel.isVisible(), WAIT_S, "parked")
        _, caller, by, _, _ = panel.rows["7001"]
        assert (caller.text(), by.text()) == ("Bram Jansen", "parked by Anna de Vries")
        await app.until(lambda: not call_windows(app), WAIT_S, "the parked call's window closed")

        chris_call = int((await _send(chris, "call", uri="7001"))["call"])
        await _event(chris, "call_state", call=chris_call, state="CONFIRMED")
        await _event(chris, "media_active", call=chris_call)
        await app.until(lambda: not panel.isVisible(), WAIT_S, "the parked call taken")
        heard_ = await _listen([bram, chris], tmp_path, "picked-up")
        _check(heard_["bram"], ["203"], ["202"])
        _check(heard_["chris"], ["202"], ["203"])
        assert [c["call"] for c in (await _send(bram, "status"))["calls"]] == [bram_call]

    app.run(scenario())


def test_dragging_the_call_window_onto_a_search_result_transfers_the_call(
    real_app: RealApp, phones: Phones, tmp_path: Path
) -> None:
    """Anna talks to Bram, searches "Chris" and drops the call window on his result: Chris
    rings, answers and talks to Bram; Anna's call ends."""
    app = real_app
    bram, chris = phones("202"), phones("203")
    field = app.window.top_bar.search

    async def scenario() -> None:
        window, bram_call = await _app_calls_bram(app, bram)
        index = await _search_for_chris(app)
        target = field.list.viewport().mapToGlobal(field.list.visualRect(index).center())
        drag_card(window, target)

        incoming = await _event(chris, "incoming_call")
        assert "202" in incoming["from"], incoming
        assert "201" in (incoming["referred_by"] or ""), incoming
        assert field.text() == "" and not field.panel.isVisible()
        chris_call = int(incoming["call"])
        await _send(chris, "answer", call=chris_call, code=200)
        await _event(chris, "media_active", call=chris_call)
        await app.until(lambda: window.call.state == "ended", WAIT_S, "Anna's call ended")
        assert window.status_label.text() == "The call was transferred."
        heard_ = await _listen([bram, chris], tmp_path, "transferred")
        _check(heard_["bram"], ["203"], ["202"])
        _check(heard_["chris"], ["202"], ["203"])
        assert [c["call"] for c in (await _send(bram, "status"))["calls"]] == [bram_call]
        await app.until(lambda: app.ctx.calls.idle, WAIT_S, "idle")

    app.run(scenario())
