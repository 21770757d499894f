"""What IT and the update feed change on screen: locked keys greyed out "Set by your
administrator", Options → Start at login, the update notice, admins' installer links, and the
sign-in-only welcome of a machine with a server."""

from __future__ import annotations

import argparse

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.machine_config import MachineConfig
from app.stores import ConnectionState, Me
from app.updates import FeedEntry
from tests.ui.fakes import FakeAutostart, FakeContext, FakeSettings
from ui.about import download_rows, show_downloads
from ui.main import UiShell
from ui.main_window import MainWindow
from ui.pages.startup_settings import StartupSettings
from ui.tray import Tray
from ui.welcome import WelcomeDialog

LOCKED = MachineConfig(
    server_url="https://pbx.example.com",
    autostart=True,
    locked=frozenset({"server_url", "autostart"}),
)
ENTRY = FeedEntry(
    "0.3.0",
    "https://acme.example/download",
    "Call recording.",
    "0.1.0",
    (("msi", "https://acme.example/a.msi"), ("exe", "https://acme.example/a.exe")),
)


def _window(qtbot: QtBot, ctx: FakeContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.hide_on_close = True
    window.show()
    return window


def test_locked_keys_are_greyed_out_set_by_your_administrator(qtbot: QtBot) -> None:
    ctx = FakeContext(
        machine=LOCKED,
        settings=FakeSettings(server_url="https://pbx.example.com"),
        autostart=FakeAutostart(enabled=True, locked=True),
    )
    ctx.session.mode = "remote"
    section = StartupSettings(ctx)
    qtbot.addWidget(section)
    section.show()
    assert section.server.text() == "https://pbx.example.com"
    assert not section.server.isEnabled()
    assert section.server_admin.isVisible()
    assert section.server_admin.text() == "Set by your administrator"
    assert not section.autostart.isEnabled() and section.autostart.isChecked()
    assert section.autostart_admin.isVisible()
    assert section.channel.isEnabled() and not section.channel_admin.isVisible()


def test_unlocked_keys_can_be_changed(qtbot: QtBot, ctx: FakeContext) -> None:
    section = StartupSettings(ctx)
    qtbot.addWidget(section)
    section.show()
    assert section.server.text() == "This computer"  # the fake session is embedded
    assert not section.server_admin.isVisible() and not section.autostart_admin.isVisible()
    section.autostart.setChecked(False)
    assert ctx.autostart.calls == [False]


def test_options_start_at_login_follows_both_ways(qtbot: QtBot, ctx: FakeContext) -> None:
    window = _window(qtbot, ctx)
    action = window.autostart_action
    assert action.isEnabled() and action.isCheckable() and action.isChecked()
    assert action.text() == "Start at login"
    action.trigger()
    assert ctx.autostart.calls == [False] and not action.isChecked()
    ctx.autostart.set_enabled(True)
    assert action.isChecked()
    section = window.settings_page.findChild(StartupSettings)
    assert section is not None and section.autostart.isChecked()


def test_a_locked_start_at_login_item_is_greyed(qtbot: QtBot) -> None:
    ctx = FakeContext(autostart=FakeAutostart(enabled=False, locked=True))
    window = _window(qtbot, ctx)
    assert not window.autostart_action.isEnabled()
    assert window.autostart_action.text() == "Start at login (set by your administrator)"


def test_update_notice_shows_the_version_and_notes(qtbot: QtBot, ctx: FakeContext) -> None:
    window = _window(qtbot, ctx)
    banner = window.update_banner
    assert not banner.isVisible()
    ctx.updates.set_entry(ENTRY)
    assert banner.isVisible()
    assert "Version 0.3.0 is available." in banner.label.text()
    assert "Call recording." in banner.label.text()
    assert banner.download.isVisible() and banner.close_button.isVisible()
    banner.dismiss()
    assert not banner.isVisible()
    ctx.updates.set_entry(FeedEntry("0.4.0", "https://acme.example/download"))
    assert banner.isVisible()  # a newer version is told again


def test_below_the_minimum_the_notice_stays(qtbot: QtBot, ctx: FakeContext) -> None:
    window = _window(qtbot, ctx)
    ctx.updates.set_entry(FeedEntry("0.3.0", "https://acme.example/d", "", "0.2.0"))
    banner = window.update_banner
    assert "must be updated" in banner.label.text()
    assert not banner.close_button.isVisible()


def test_no_notice_for_the_running_version(qtbot: QtBot, ctx: FakeContext) -> None:
    window = _window(qtbot, ctx)
    ctx.updates.set_entry(FeedEntry("0.1.0"))
    assert not window.update_banner.isVisible()


def test_admins_see_download_installers(qtbot: QtBot, ctx: FakeContext) -> None:
    window = _window(qtbot, ctx)
    assert not window.downloads_action.isVisible()  # Anna is a user
    ctx.session.set_me(Me("Anna de Vries", "201", "anna@example.com", "Sales", ("user", "admin")))
    assert window.downloads_action.isVisible()
    assert window.downloads_action in window.help_menu.actions()
    ctx.updates.set_entry(ENTRY)
    assert download_rows(ctx.updates) == [
        ("Windows setup (.exe), for one user", "https://acme.example/a.exe"),
        ("Windows Installer (.msi), for IT", "https://acme.example/a.msi"),
    ]
    box = show_downloads(window, ctx.updates)
    qtbot.addWidget(box)
    assert 'href="https://acme.example/a.msi"' in box.text()
    box.close()


def test_downloads_without_a_feed_say_why(qtbot: QtBot, ctx: FakeContext) -> None:
    box = show_downloads(None, ctx.updates)
    qtbot.addWidget(box)
    assert "not available" in box.text()
    box.close()


def test_welcome_only_signs_in_when_the_machine_names_the_server(qtbot: QtBot) -> None:
    dialog = WelcomeDialog(server_url="https://pbx.example.com", server_locked=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.mode() == "remote"
    assert not dialog.embedded.isVisible() and not dialog.remote.isVisible()
    assert dialog.url.text() == "https://pbx.example.com" and not dialog.url.isEnabled()
    assert dialog.url_admin.isVisible() and dialog.url_admin.text() == "Set by your administrator"
    assert dialog.intro.text() == (
        "Sign in with the user name and password from your administrator."
    )


def test_welcome_with_an_unlocked_machine_server(qtbot: QtBot) -> None:
    dialog = WelcomeDialog(server_url="https://pbx.example.com")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.url.isEnabled() and not dialog.url_admin.isVisible()
    assert not dialog.embedded.isVisible()


def test_the_shell_passes_the_machine_server_to_the_welcome(qtbot: QtBot, qapp: object) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    ctx = FakeContext(machine=LOCKED)
    shell = UiShell(ctx, None, app)
    dialog = shell.show_welcome()
    qtbot.addWidget(dialog)
    assert dialog.url.text() == "https://pbx.example.com" and not dialog.url.isEnabled()
    dialog.hide()
    shell.deleteLater()


def test_a_start_at_login_waits_in_the_tray(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    ctx = FakeContext()
    shell = UiShell(ctx, argparse.Namespace(demo=False, autostart=True), app)
    try:
        shell.start()
        assert shell.window is not None and not shell.window.isVisible()
        assert shell.tray is not None
        ctx.session.set_state(ConnectionState.SIGNED_OUT, "Please sign in.")
        assert shell.welcome is not None  # signing in cannot wait in the tray
    finally:
        shell.quit()
        for widget in (shell.window, shell.welcome):
            if widget is not None:
                widget.deleteLater()
        shell.deleteLater()


@pytest.mark.parametrize(
    ("channel", "shown"), [("stable", "Stable"), ("beta", "Beta"), ("nightly", "nightly")]
)
def test_update_channel_is_shown_by_name(qtbot: QtBot, channel: str, shown: str) -> None:
    ctx = FakeContext(machine=MachineConfig(update_channel=channel))
    section = StartupSettings(ctx)
    qtbot.addWidget(section)
    assert section.channel.text() == shown
