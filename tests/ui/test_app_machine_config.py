"""The real app on a machine configuration: a locked server asks only to sign in; a bad file
gives a notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui._app_harness import RealApp
from ui.pages.startup_settings import StartupSettings


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str) -> RealApp:
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("ACME_MACHINE_CONFIG", str(config))
    return RealApp(tmp_path / "data", demo=False)


def test_a_locked_machine_server_asks_only_to_sign_in(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(
        tmp_path,
        monkeypatch,
        'server_url = "http://127.0.0.1:9"\nupdate_url = ""\nlocked = ["server_url"]\n',
    )
    try:
        assert app.ctx.settings.mode == "remote"
        app.start_session()
        app.run(app.until(lambda: app.shell.welcome is not None, 10, "the sign-in dialog"))
        dialog = app.shell.welcome
        assert dialog is not None
        assert dialog.mode() == "remote" and dialog.embedded.isHidden()
        assert dialog.url.text() == "http://127.0.0.1:9" and not dialog.url.isEnabled()
        assert dialog.url_admin.text() == "Set by your administrator"
        section = app.window.settings_page.findChild(StartupSettings)
        assert section is not None
        assert not section.server.isEnabled() and not section.server_admin.isHidden()
        assert section.server.text() == "http://127.0.0.1:9"
        assert app.window.autostart_action.isChecked()  # the default: on, not locked
        assert app.window.autostart_action.isEnabled()
    finally:
        app.close()


def test_a_bad_machine_file_gives_a_notice_and_the_defaults(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(tmp_path, monkeypatch, 'server_url = "https://pbx.example.com\n')
    try:
        assert app.ctx.machine.server_url == ""
        assert app.ctx.settings.is_first_start
        texts = [n.text for n in app.ctx.notices.recent]
        assert len(texts) == 1
        assert texts[0].startswith("The administrator's settings could not be read (")
        assert texts[0].endswith("); defaults are used.")
        assert str(tmp_path / "config.toml") in texts[0]
    finally:
        app.close()
