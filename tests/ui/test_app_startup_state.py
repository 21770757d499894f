"""The real app opens with the last known user, status and calls, not "?", "Available", "No calls".

The first run signs in to the embedded PBX, sets Meeting and makes a call to the echo test; the
second run, on the same data folder, is looked at before its session has even started.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui._app_harness import RealApp

pytestmark = [pytest.mark.pjsua, pytest.mark.timeout(180)]


def _first_run(data_dir: Path) -> None:
    app = RealApp(data_dir, demo=True)
    try:
        app.start_session()
        app.run(app.until(app.online, 60, "signed in as 201 and registered"))
        until = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
        app.ctx.presence_ctl.set_status("meeting", until)
        app.run(app.until(lambda: app.ctx.presence.status == "meeting", 10, "status Meeting"))
        app.ctx.history_ctl.refresh()
        app.run(app.until(lambda: app.ctx.session.me is not None, 5, "me known"))
        app.quit_from_menu()
    finally:
        app.close()


def test_the_second_start_shows_the_last_known_state(qapp: QApplication, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _first_run(data_dir)
    app = RealApp(data_dir, demo=True)  # the session is not started: nothing is loaded yet
    try:
        bar = app.window.top_bar
        assert app.ctx.session.me is not None and app.ctx.session.me.name == "Anna de Vries"
        assert bar.status.text().startswith("Meeting until ")
        assert "Anna de Vries" in bar.profile_button.toolTip()
    finally:
        app.close()
