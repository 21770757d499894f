"""Recording on demand on the real app, end to end: Bram (a pjsua2 agent, 202) calls Anna (the
app, 201), who answers; she opens the call window's extras and presses Record, the window shows
the red "Recording" indicator, she presses Stop recording; the Recordings section lists the
call with Bram, and the recording (fetched by the app) holds both her tone and his.

The main window installs the section and Record with ``ui.recordings_section``
(``install_recordings``, ``record_in_call_windows``).
Screenshots of the call window while recording and of the Recordings section (English and
Dutch) are written to the folder in ``RECORDING_SCREENSHOTS`` when it is
set (docs/screenshots/ for the docs).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget

from tests.support.agent import Agent, start_agent
from tests.support.audio import read_wav, segment, tone_present, write_tone_wav
from tests.ui._app_harness import RealApp, click, select_row, shown_windows
from ui.call_window import CallWindow
from ui.i18n import Translations
from ui.main_window import MainWindow
from ui.theme import apply_theme

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]

ANNA_HZ = 700.0
BRAM_HZ = 1290.0
WAIT_S = 20.0


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
                lambda: app.online() and bool(app.ctx.directory.everyone),
                90,
                "signed in as 201, registered, directory loaded",
            )
        )
        yield app
    finally:
        app.close()


@pytest.fixture
def bram(real_app: RealApp, tmp_path: Path) -> Iterator[Agent]:
    with start_agent(tmp_path, "bram", extra_args=("--clock-rate", "8000")) as agent:
        real_app.register_agent(agent, "202")
        wav = write_tone_wav(tmp_path / "bram-tone.wav", BRAM_HZ, 1.0, level=0.3)
        agent.send("play", file=str(wav))
        yield agent


def _shoot(qapp: QApplication, widget: QWidget, folder: Path, name: str) -> None:
    """``widget`` in English and Dutch, light and dark: ``<name>-<lang>-<scheme>.png``."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "nl"):
        for dark in (False, True):
            Translations(qapp).install(lang)
            apply_theme(qapp, dark=dark)
            for w in qapp.allWidgets():
                QCoreApplication.sendEvent(w, QEvent(QEvent.Type.LanguageChange))
            window = widget.window()
            if isinstance(window, MainWindow):
                window.side_bar.restyle()  # as the shell does when the scheme changes
            for _ in range(3):
                qapp.processEvents()
            scheme = "dark" if dark else "light"
            widget.grab().save(str(folder / f"{name}-{lang}-{scheme}.png"))
    apply_theme(qapp, dark=False)
    if isinstance(main := widget.window(), MainWindow):
        main.side_bar.restyle()
    Translations(qapp).install("en")
    for w in qapp.allWidgets():
        QCoreApplication.sendEvent(w, QEvent(QEvent.Type.LanguageChange))


def test_record_a_call_from_the_call_window(
    real_app: RealApp, bram: Agent, qapp: QApplication, tmp_path: Path
) -> None:
    app = real_app
    window = app.window
    layer = window.calls_layer
    assert layer is not None
    page = window.recordings_page
    assert page is not None, "the main window has the Recordings section"
    store, ctl = app.ctx.recordings, app.ctx.recordings_ctl
    assert store is not None and ctl is not None
    anna_wav = write_tone_wav(tmp_path / "anna-tone.wav", ANNA_HZ, 1.0, level=0.3)

    async def talk() -> CallWindow:
        await asyncio.to_thread(bram.send, "call", uri="201")
        await app.until(lambda: bool(app.ctx.calls.calls), WAIT_S, "Anna's app rings")
        key = app.ctx.calls.calls[0].key
        app.ctx.calls_ctl.answer(key)
        await asyncio.to_thread(bram.wait_event, "media_active", timeout=WAIT_S)
        await app.until(lambda: app.ctx.calls.calls[0].in_call, WAIT_S, "the call is answered")
        await app.speak(key, anna_wav)
        (card,) = shown_windows(app)
        return card

    card = app.run(talk())
    click(card.expand_button)
    button = card.extras.record_button
    assert button.text() == "Record"
    click(button)

    def recording() -> bool:
        live = store.live(card.key)
        return live is not None and live.recording

    app.run(app.until(recording, WAIT_S, "the PBX records the call"))
    app.run(asyncio.sleep(2.5))
    card._update_timer()
    assert card.recording_indicator.isVisible()
    assert card.recording_indicator.label.text().startswith("Recording 00:0")
    assert button.text() == "Stop recording"
    shots = os.environ.get("RECORDING_SCREENSHOTS")
    if shots:
        _shoot(qapp, card, Path(shots), "call-recording")
    click(button)
    app.run(app.until(lambda: len(store.recordings) == 1, WAIT_S, "the recording is listed"))
    assert not card.recording_indicator.isVisible()
    (kept,) = store.recordings
    assert (kept.number, kept.name) == ("202", "Bram Jansen")
    assert kept.duration_s >= 2.0
    click(window.side_bar.buttons["recordings"])
    assert window.pages.currentWidget() is page
    assert page.model.index(0).data() == "Bram Jansen"
    select_row(page.list, page.model.index(0))
    assert page.player.isVisible() and page.player.caller.text() == "Bram Jansen"
    if shots:
        for key in [c.key for c in app.ctx.calls.calls]:  # the page without the call's card
            app.ctx.calls_ctl.hangup(key)
            app.ctx.calls_ctl.dismiss(key)
        for other in list(layer.windows.values()):
            other.closed.emit(other.key)
        app.run(app.until(lambda: not layer.windows, WAIT_S, "no call window left"))
        _shoot(qapp, window, Path(shots), "recordings")

    path = app.run(ctl.audio_file(kept.id))
    samples, rate = read_wav(path)
    middle = segment(samples, rate, 0.5, kept.duration_s - 0.5)
    assert tone_present(middle, rate, ANNA_HZ), "Anna's tone is not in the recording"
    assert tone_present(middle, rate, BRAM_HZ), "Bram's tone is not in the recording"
    assert not app.ctx.notices.recent, app.ctx.notices.recent
