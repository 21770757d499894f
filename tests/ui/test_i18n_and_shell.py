"""Translations load and change labels; the shell shows the welcome dialog on first start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.fakes import ConnectionState, FakeContext, FakeSettings
from ui.i18n import TRANSLATION_DIR, Translations, resolve_language
from ui.main import UiShell
from ui.main_window import MainWindow


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    t = Translations(qapp)
    yield t
    t.install("en")


def test_dutch_catalogue_is_shipped() -> None:
    assert (TRANSLATION_DIR / "acmephone_nl.qm").is_file()
    assert resolve_language("nl") == "nl"
    assert resolve_language("xx") == "en"


def test_dutch_translation_changes_labels(
    qtbot, ctx: FakeContext, translations: Translations
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.calls_page.empty_label.text() == "No calls yet"
    assert translations.install("nl") == "nl"
    qtbot.waitUntil(lambda: window.calls_page.empty_label.text() == "Nog geen oproepen")
    assert window.side_bar.buttons["settings"].text() == "Instellingen"
    assert window.top_bar.status.text() == "Beschikbaar"
    translations.install("en")
    qtbot.waitUntil(lambda: window.calls_page.empty_label.text() == "No calls yet")


def test_language_choice_in_settings_installs_catalogue(
    qtbot, qapp: QApplication, translations: Translations
) -> None:
    ctx = FakeContext()
    shell = UiShell(ctx, None, qapp)
    window = shell.show_main()
    qtbot.addWidget(window)
    combo = window.settings_page.language_combo
    combo.setCurrentIndex(combo.findData("nl"))
    assert ctx.settings_ctl.calls[-1] == ("set_language", ("nl",))
    qtbot.waitUntil(lambda: window.calls_page.title.text() == "Oproepen")
    shell.set_language("en")
    window.hide_on_close = True


def test_first_start_shows_welcome_then_embedded(qtbot, qapp: QApplication) -> None:
    ctx = FakeContext(settings=FakeSettings(first_start=True))
    shell = UiShell(ctx, None, qapp)
    shell.start()
    dialog = shell.welcome
    assert dialog is not None and dialog.isVisible() and shell.window is None
    assert dialog.embedded.text() == "Start a PBX on this computer (demo organisation)"
    dialog.continue_button.click()
    assert ctx.session_ctl.calls == [("use_embedded", ())]
    assert shell.window is not None and shell.window.isVisible()
    qtbot.addWidget(shell.window)
    shell.window.hide_on_close = True


def test_welcome_connect_to_server_needs_fields(qtbot, qapp: QApplication) -> None:
    ctx = FakeContext(settings=FakeSettings(first_start=True))
    shell = UiShell(ctx, None, qapp)
    dialog = shell.show_welcome()
    dialog.remote.setChecked(True)
    dialog.url.setText("https://pbx.example.com")
    dialog.continue_button.click()
    assert dialog.error.isVisible() and ctx.session_ctl.calls == []
    dialog.user.setText("anna")
    dialog.password.setText("s3cret!")
    dialog.continue_button.click()
    assert ctx.session_ctl.calls == [("sign_in", ("https://pbx.example.com", "anna", "s3cret!"))]
    assert shell.window is not None
    qtbot.addWidget(shell.window)
    shell.window.hide_on_close = True


def test_demo_skips_welcome_and_sign_out_returns_to_it(qtbot, qapp: QApplication) -> None:
    class Args:
        demo = True

    ctx = FakeContext(settings=FakeSettings(first_start=True))
    shell = UiShell(ctx, Args(), qapp)
    shell.start()
    assert shell.welcome is None and shell.window is not None
    qtbot.addWidget(shell.window)
    shell.window.hide_on_close = True
    ctx.session.set_state(ConnectionState.SIGNED_OUT)
    assert shell.welcome is not None and not shell.window.isVisible()
    shell.welcome.close()


def test_quit_hides_everything_and_takes_the_one_quit_path(qtbot, qapp: QApplication) -> None:
    ctx = FakeContext()
    shell = UiShell(ctx, None, qapp)
    window = shell.show_main()
    qtbot.addWidget(window)
    window.hide_on_close = True
    shell.quit()
    shell.quit()  # a second request (tray, menu, aboutToQuit) changes nothing
    assert ctx.quits == 1 and not window.isVisible()
    assert ctx.session_ctl.calls == []  # the composition root stops the session, not the shell


def test_dutch_channel_names_and_call_again(
    qtbot, ctx: FakeContext, translations: Translations
) -> None:
    from app.machine_config import MachineConfig
    from tests.ui.fakes import sample_history
    from ui.pages.startup_settings import StartupSettings

    ctx = FakeContext(machine=MachineConfig(update_channel="beta"))
    ctx.history.set_entries(sample_history())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    section = window.settings_page.findChild(StartupSettings)
    assert section is not None
    assert translations.install("nl") == "nl"
    qtbot.waitUntil(lambda: section.channel.text() == "Bèta")
    assert section.channel_name("stable") == "Stabiel"
    assert section.channel_name("nightly") == "nightly"
    page = window.calls_page
    outgoing = next(
        r for r in range(page.model.rowCount()) if page.model.entry(r).direction == "outgoing"
    )
    missed = next(
        r for r in range(page.model.rowCount()) if page.model.entry(r).direction == "missed"
    )
    assert page.context_menu_for(outgoing).actions()[0].text() == "Opnieuw bellen"
    assert page.context_menu_for(missed).actions()[0].text() == "Terugbellen"
