"""Voicemail on the real app, end to end: Bram (a pjsua2 agent, 202) calls Anna (the app, 201),
who does not answer; after the ring delay the embedded PBX takes his message (his tone). The
Voicemail section's badge shows 1, the page lists the message with his name, the player plays it
on the app's speaker (the virtual loopback speaker: this machine has no sound card), the message
is heard on the server and the badge goes; the missed call in the Calls page offers the message;
the "…" menu chooses the e-mail of a new message (without the recording) and the PBX keeps it;
"Listen…" of the new-voicemail notification opens the section at the message.

Screenshots of the page with the message (English and Dutch, light and dark) are written to the
folder in ``VOICEMAIL_SCREENSHOTS`` when it is set (docs/screenshots/ for the docs).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex
from PySide6.QtWidgets import QApplication

from app.api import ApiClient
from app.notifications import Situation, VoicemailReceived, voicemail_note
from sip.audio import LoopbackBackend
from tests.support.agent import Agent, start_agent
from tests.support.audio import tone_present, write_tone_wav
from tests.ui._app_harness import RealApp, click, select_row
from ui.i18n import Translations
from ui.theme import apply_theme

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]

TONE_HZ = 1290.0
"""Bram's voice: inside G.711's band, away from the PBX's 1 kHz beep."""
WAIT_S = 20.0
RING_S = 45.0
"""The PBX's ring delay (20 s) before voicemail answers, with room for a shared machine."""
MESSAGE_S = 24.0
"""How long Bram stays on: the spoken greeting, the beep, then seconds of his tone."""


@pytest.fixture
def real_app(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[RealApp]:
    monkeypatch.setenv("ACME_AUDIO_BACKEND", "loopback")
    app = RealApp(tmp_path / "data", demo=True)
    try:
        app.start_session()
        app.run(
            app.until(
                lambda: (
                    app.online()
                    and bool(app.ctx.directory.everyone)
                    and app.ctx.voicemail is not None
                    and app.ctx.voicemail.loaded
                ),
                90,
                "signed in as 201, registered, directory and voicemail loaded",
            )
        )
        yield app
    finally:
        app.close()


@pytest.fixture
def bram(real_app: RealApp, tmp_path: Path) -> Iterator[Agent]:
    with start_agent(tmp_path, "bram", extra_args=("--clock-rate", "8000")) as agent:
        real_app.register_agent(agent, "202")
        wav = write_tone_wav(tmp_path / "bram-tone.wav", TONE_HZ, 1.0, level=0.3)
        agent.send("play", file=str(wav))
        yield agent


def _loads_done(app: RealApp) -> bool:
    """No load of the app is half-way (between two runs the loop stops, and a request cut
    there would fail)."""
    return not any(
        t.get_name().startswith("loading") and not t.done() for t in asyncio.all_tasks(app.loop)
    )


async def _server_messages(app: RealApp) -> list[dict[str, object]]:
    """Anna's voicemail as the API lists it (a client of its own, signed in as 201)."""
    embedded = app.ctx.session_ctl.embedded
    info = embedded.info if embedded is not None else None
    assert info is not None
    api = ApiClient(info.base_url, tls=info.tls_context())
    try:
        await api.login("201", "Demo-201!")
        return list(await api.request("GET", "/api/v1/voicemail"))
    finally:
        await api.aclose()


def _shoot(app: QApplication, window: RealApp, folder: Path, screen: str = "voicemail") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "nl"):
        for dark in (False, True):
            Translations(app).install(lang)
            apply_theme(app, dark=dark)
            for w in app.allWidgets():
                QCoreApplication.sendEvent(w, QEvent(QEvent.Type.LanguageChange))
            window.window.side_bar.restyle()  # as the shell does when the scheme changes
            for _ in range(3):
                app.processEvents()
            name = f"{screen}-{lang}-{'dark' if dark else 'light'}.png"
            window.window.grab().save(str(folder / name))
    Translations(app).install("en")
    apply_theme(app, dark=False)
    window.window.side_bar.restyle()
    for w in app.allWidgets():
        QCoreApplication.sendEvent(w, QEvent(QEvent.Type.LanguageChange))


def test_a_missed_call_leaves_voicemail_that_plays_and_is_heard(
    real_app: RealApp, bram: Agent, qapp: QApplication, tmp_path: Path
) -> None:
    app = real_app
    window = app.window
    page = window.voicemail_page
    assert page is not None
    side = window.side_bar
    store = app.ctx.voicemail
    ctl = app.ctx.voicemail_ctl
    assert store is not None and ctl is not None
    backend = app.ctx.audio_devices.backend
    assert isinstance(backend, LoopbackBackend)

    def missed() -> bool:
        return any(e.direction == "missed" for e in app.ctx.history.entries)

    async def leave_message() -> None:
        call = (await asyncio.to_thread(bram.send, "call", uri="201"))["call"]
        await app.until(lambda: bool(app.ctx.calls.calls), WAIT_S, "Anna's app rings")
        # nobody answers: after the ring delay the PBX answers Bram for Anna's voicemail
        await asyncio.to_thread(bram.wait_event, "media_active", timeout=RING_S)
        await asyncio.sleep(MESSAGE_S)
        await asyncio.to_thread(bram.send, "hangup", call=call)
        await app.until(lambda: store.unheard == 1, WAIT_S, "the new message in the store")
        await app.until(missed, WAIT_S, "the missed call in the history")
        await app.until(lambda: _loads_done(app), WAIT_S, "the loads done")

    app.run(leave_message())
    for key in [c.key for c in app.ctx.calls.calls]:  # the missed call's window, as Close does
        app.ctx.calls_ctl.dismiss(key)
    layer = window.calls_layer
    assert layer is not None
    for card in list(layer.windows.values()):
        card.closed.emit(card.key)
    app.run(app.until(lambda: not layer.windows, 5, "no call window left"))
    app.run(app.until(lambda: _loads_done(app), WAIT_S, "the loads done"))
    badge = side.badges["voicemail"]
    assert badge.isVisible() and badge.text() == "1"
    click(side.buttons["voicemail"])
    app.run(app.until(lambda: _loads_done(app), WAIT_S, "the settings loaded"))
    assert window.pages.currentWidget() is page
    assert page.stack.currentWidget() is page.list
    assert page.model.rowCount() == 1
    assert page.model.index(0).data() == "Bram Jansen"
    message = page.model.message(0)
    assert (message.caller, message.heard, message.inbox) == ("202", False, "personal")
    assert message.duration_s > 6.0
    select_row(page.list, page.model.index(0))
    assert page.player.isVisible() and page.player.caller.text() == "Bram Jansen"
    assert not app.ctx.notices.recent, app.ctx.notices.recent
    shots = os.environ.get("VOICEMAIL_SCREENSHOTS")
    if shots:
        _shoot(qapp, app, Path(shots))

    async def close_call_windows() -> None:
        for key in [c.key for c in app.ctx.calls.calls]:
            app.ctx.calls_ctl.dismiss(key)
        for card in list(layer.windows.values()):
            card.closed.emit(card.key)
        await app.until(lambda: not layer.windows, 5, "no call window left")

    async def play() -> None:
        click(page.player.play_button)
        await app.until(lambda: page.player.playing, WAIT_S, "the message plays")
        await app.until(lambda: not badge.isVisible(), WAIT_S, "the badge goes")
        rows = await _server_messages(app)
        assert [(r["id"], r["heard"]) for r in rows] == [(message.id, True)]
        # a call comes in: the message pauses where it was
        call = (await asyncio.to_thread(bram.send, "call", uri="201"))["call"]
        await app.until(lambda: bool(app.ctx.calls.calls), WAIT_S, "Anna's app rings again")
        assert not page.player.playing
        assert 0 < ctl.position_s < ctl.duration_s
        await asyncio.to_thread(bram.send, "hangup", call=call)
        await app.until(
            lambda: all(c.state == "ended" for c in app.ctx.calls.calls), WAIT_S, "call gone"
        )
        await close_call_windows()
        # the seek bar's place, then on to the end
        ctl.seek(ctl.duration_s - 2.0)
        click(page.player.play_button)
        await app.until(
            lambda: not page.player.playing, message.duration_s + WAIT_S, "played to its end"
        )
        assert ctl.position_s == ctl.duration_s
        await app.until(lambda: _loads_done(app), WAIT_S, "the loads done")

    app.run(play())
    played = backend.played()
    rate = backend.rate
    assert len(played) >= int(2.0 * rate)
    assert tone_present(np.asarray(played), rate, TONE_HZ)
    assert store.get(message.id) is not None and store.get(message.id).heard  # type: ignore[union-attr]

    # the missed call in the Calls page offers the message
    click(side.buttons["calls"])
    calls = window.calls_page
    # the oldest missed call left the message (Bram gave up on the second one)
    row = max(
        r for r in range(calls.model.rowCount()) if calls.model.entry(r).direction == "missed"
    )
    select_row(calls.list, calls.model.index(row))
    assert calls.voicemail_button.isVisible()
    if shots:
        _shoot(qapp, app, Path(shots), "voicemail-missed-call")
    click(calls.voicemail_button)
    assert window.pages.currentWidget() is page
    assert page.player.message is not None and page.player.message.id == message.id

    # the "…" menu chooses the e-mail of a new message; the PBX keeps the choice
    async def server_settings() -> dict[str, object]:
        embedded = app.ctx.session_ctl.embedded
        info = embedded.info if embedded is not None else None
        assert info is not None
        api = ApiClient(info.base_url, tls=info.tls_context())
        try:
            await api.login("201", "Demo-201!")
            return dict(await api.request("GET", "/api/v1/voicemail/settings"))
        finally:
            await api.aclose()

    assert page.email_menu.title() == "E-mail for new messages"
    assert page.email_actions["with_audio"].isChecked()
    page.email_actions["without_audio"].trigger()
    app.run(app.until(lambda: store.email == "without_audio", WAIT_S, "the choice saved"))
    assert app.run(server_settings())["email_notification"] == "without_audio"
    assert page.email_actions["without_audio"].isChecked()

    # "Listen…" of the new-voicemail notification opens the Voicemail section at the message
    click(side.buttons["calls"])
    assert window.pages.currentWidget() is not page
    page.list.setCurrentIndex(QModelIndex())  # no message chosen
    assert page.player.message is None
    notifications = app.ctx.notifications
    assert notifications is not None
    received = VoicemailReceived(message.id, "201", "202", "Bram Jansen", message.duration_s)
    note = voicemail_note(received, Situation())
    assert note is not None and [a.name for a in note.actions] == ["listen"]
    notifications.handlers.open(note)  # what the notification's button does
    assert window.pages.currentWidget() is page
    assert page.player.message is not None and page.player.message.id == message.id
