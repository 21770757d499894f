"""The main window renders the stores and calls the controllers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication

from app.stores import AudioDevice, AudioStore
from tests.ui.fakes import (
    ActiveCall,
    ConnectionState,
    FakeContext,
    Notice,
    sample_directory,
    sample_history,
)
from ui.main_window import MainWindow
from ui.models import HistoryModel, SearchModel
from ui.tray import Tray


@pytest.fixture
def window(qtbot, ctx: FakeContext) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.hide_on_close = True
    w.show()
    return w


def test_history_empty_state_text(window: MainWindow) -> None:
    page = window.calls_page
    assert page.stack.currentWidget() is page.empty
    assert page.empty_label.text() == "No calls yet"


def test_missed_call_shows_red_dot_and_badge(window: MainWindow, ctx: FakeContext) -> None:
    ctx.history.set_entries(sample_history())
    page = window.calls_page
    assert page.stack.currentWidget() is page.list
    model = page.model
    assert model.rowCount() == 5
    assert model.data(model.index(0), Qt.ItemDataRole.DisplayRole) == "Bram Jansen"
    assert model.data(model.index(1), Qt.ItemDataRole.DisplayRole) == "020 123 4567"
    assert model.data(model.index(0), HistoryModel.UnseenMissedRole) is True
    assert model.data(model.index(2), HistoryModel.UnseenMissedRole) is False
    badge = window.side_bar.badges["calls"]
    assert badge.isVisible() and badge.text() == "2"
    ctx.history.set_entries([replace(e, seen=True) for e in ctx.history.entries])
    assert not badge.isVisible()


def test_history_row_change_is_data_changed(qtbot, window: MainWindow, ctx: FakeContext) -> None:
    entries = sample_history()
    ctx.history.set_entries(entries)
    seen = [*entries]
    seen[0] = type(entries[0])(
        **{**{s: getattr(entries[0], s) for s in entries[0].__slots__}, "seen": True}
    )
    with qtbot.waitSignal(window.calls_page.model.dataChanged):
        ctx.history.set_entries(seen)
    assert (
        window.calls_page.model.data(
            window.calls_page.model.index(0), HistoryModel.UnseenMissedRole
        )
        is False
    )


def test_details_and_call_back(window: MainWindow, ctx: FakeContext) -> None:
    ctx.history.set_entries(sample_history())
    page = window.calls_page
    page.list.setCurrentIndex(page.model.index(1))
    assert page.details.isVisible()
    assert "Duration: 3 min 05 s" in page.detail_info.text()
    page.call_back_button.click()
    assert ctx.calls_ctl.calls == [("dial", ("+31201234567",))]


def test_call_again_for_outgoing_call_back_for_incoming_and_missed(
    window: MainWindow, ctx: FakeContext
) -> None:
    ctx.history.set_entries(sample_history())
    page = window.calls_page
    expected = {"missed": "Call back", "incoming": "Call back", "outgoing": "Call again"}
    seen = set()
    for row in range(page.model.rowCount()):
        direction = page.model.entry(row).direction
        page.list.setCurrentIndex(page.model.index(row))
        assert page.call_back_button.text() == expected[direction]
        menu = page.context_menu_for(row)
        assert menu.actions()[0].text() == expected[direction]
        seen.add(direction)
    assert seen == set(expected)


def test_leaving_calls_marks_missed_seen(window: MainWindow, ctx: FakeContext) -> None:
    ctx.history.set_entries(sample_history())
    window.show_section("settings")
    assert ("mark_seen", ()) in ctx.history_ctl.calls


def test_search_results_bold_and_call_button(qtbot, window: MainWindow, ctx: FakeContext) -> None:
    field = window.top_bar.search
    qtbot.keyClicks(field, "bram")
    assert ctx.directory_ctl.calls[-1] == ("search", ("bram",))
    ctx.directory.set_results("bram", sample_directory())
    model = field.model
    assert model.rowCount() == 3
    assert model.data(model.index(0), SearchModel.HtmlRole) == "<b>Bram</b> Jansen"
    assert model.data(model.index(1), SearchModel.LineStateRole) == "in_call"
    assert field.panel.isVisible()
    field.call_row(2)
    assert ctx.calls_ctl.calls == [("dial", ("+31301112233",))]


def test_dialer_dials_then_sends_dtmf_during_call(
    qtbot, window: MainWindow, ctx: FakeContext
) -> None:
    dialer = window.top_bar.dialer
    window.top_bar.dialer_button.click()
    assert dialer.isVisible()
    for d in "202":
        dialer.key_buttons[d].click()
    dialer.call_button.click()
    assert ctx.calls_ctl.calls == [("dial", ("202",))]
    ctx.calls.put(ActiveCall("k", "outgoing", "9000", None, "connected", connected_at=0.0))
    window.top_bar.dialer_button.click()
    dialer.key_buttons["1"].click()
    qtbot.keyClicks(dialer.field, "#")
    assert ctx.calls_ctl.calls[1:] == [("send_dtmf", ("k", "1")), ("send_dtmf", ("k", "#"))]
    assert not dialer.call_button.isEnabled()


def test_status_menu_offers_suggested_end(window: MainWindow, ctx: FakeContext) -> None:
    status = window.top_bar.status
    assert status.text() == "Available"
    status._build_menu()
    actions = status.menu_.actions()
    assert [a.text() for a in actions][:3] == ["Available", "Meeting", "Not present"]
    lunch = next(a for a in actions if a.text() == "Lunch").menu()
    texts = [a.text() for a in lunch.actions()]
    assert texts[0].endswith("(90 minutes)"), texts[0]
    assert texts[1:] == ["Custom…", "No end time"]
    lunch.actions()[2].trigger()
    assert ctx.presence_ctl.calls == [("set_status", ("lunch", None))]
    ctx.presence.set_presence("dnd", datetime(2030, 1, 1, 12, tzinfo=UTC))
    assert status.text().startswith("Do not disturb until ")


def test_profile_menu_signs_out(window: MainWindow, ctx: FakeContext) -> None:
    bar = window.top_bar
    bar._build_profile_menu()
    header = bar.profile_menu.actions()[0].defaultWidget()
    assert (header.name.text(), header.extension.text()) == ("Anna de Vries", "Extension 201")
    next(a for a in bar.profile_menu.actions() if a.text() == "Sign out").trigger()
    assert ctx.session_ctl.calls == [("sign_out", ())]


def test_f8_calls_clipboard(window: MainWindow, ctx: FakeContext) -> None:
    QGuiApplication.clipboard().setText("tel: +31 (0)20-123 45 67")
    assert window.clipboard_action.shortcut().toString() == "F8"
    assert window.clipboard_action.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut
    window.clipboard_action.trigger()
    assert ctx.calls_ctl.calls == [("call_clipboard", ("tel: +31 (0)20-123 45 67",))]


def test_menus_and_diagnostics(window: MainWindow, ctx: FakeContext) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Options", "&Help"]
    assert window.autostart_action.isEnabled()  # Options → Start at login works (issue 11)
    window.diagnostics_action.trigger()
    assert ctx.settings_ctl.calls == [("set_diagnostics", (True,))]
    assert window.settings_page.diagnostics.isChecked()


def test_connection_banner_and_notices(window: MainWindow, ctx: FakeContext) -> None:
    assert not window.banner.isVisible()
    ctx.session.set_state(ConnectionState.SERVER_RESTARTING, "")
    assert window.banner.isVisible()
    assert "restarting" in window.banner.label.text()
    ctx.session.set_state(ConnectionState.OFFLINE, "The server went away.")
    assert window.banner.label.text() == "The server went away."
    ctx.session.set_state(ConnectionState.ONLINE, "")
    assert not window.banner.isVisible()
    ctx.notices.posted.emit(Notice("error", "No number on the clipboard."))
    assert [t.label.text() for t in window.notices.toasts] == ["No number on the clipboard."]


def test_close_hides_to_tray(window: MainWindow) -> None:
    window.close()
    assert not window.isVisible()


def test_closing_to_the_tray_does_not_mark_missed_calls_seen(
    window: MainWindow, ctx: FakeContext
) -> None:
    ctx.history.set_entries(sample_history())
    assert window.pages.currentWidget() is window.calls_page
    window.close()
    assert not window.isVisible()
    assert ("mark_seen", ()) not in ctx.history_ctl.calls


def test_audio_banner_links_to_settings(window: MainWindow, ctx: FakeContext) -> None:
    banner = window.audio_banner
    assert not banner.isVisible()
    ctx.audio.set_devices([])
    ctx.audio.set_availability(False, "PortAudio found no devices.")
    assert banner.isVisible()
    assert banner.label.text() == (
        "No speaker or microphone found. Calls connect but you will not hear them."
    )
    banner.link.linkActivated.emit("settings")
    assert window.pages.currentWidget() is window.settings_page
    ctx.audio.set_devices([AudioDevice("USB headset", True, True)])
    ctx.audio.set_availability(True, "")
    assert not banner.isVisible()


def test_no_audio_banner_before_the_devices_were_looked_at(qtbot) -> None:
    ctx = FakeContext(audio=AudioStore())
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    assert not w.audio_banner.isVisible()


def test_no_sound_card_message(window: MainWindow, ctx: FakeContext) -> None:
    page = window.settings_page
    window.show_section("settings")
    assert page.devices.isVisible()
    ctx.audio.set_availability(False, "PortAudio found no devices.")
    assert page.no_audio.isVisible() and not page.devices.isVisible()
    assert page.no_audio.text().endswith("PortAudio found no devices.")


def test_no_sound_card_says_what_the_banner_says(window: MainWindow, ctx: FakeContext) -> None:
    from app.controllers.settings import NO_SOUND_CARD

    page = window.settings_page
    window.show_section("settings")
    ctx.audio.set_devices([])
    ctx.audio.set_availability(False, NO_SOUND_CARD)
    sentence = "No speaker or microphone found. Calls connect but you will not hear them."
    assert sentence == NO_SOUND_CARD
    assert page.no_audio.text() == sentence == window.audio_banner.label.text()


def test_settings_devices_and_mic_level(window: MainWindow, ctx: FakeContext) -> None:
    page = window.settings_page
    window.show_section("settings")
    page.output_combo.setCurrentIndex(page.output_combo.findData("Built-in speakers"))
    assert ctx.settings_ctl.calls[-1] == (
        "set_devices",
        ("USB headset", "Built-in speakers", "Built-in speakers"),
    )
    page.mic_button.click()
    assert ctx.settings_ctl.calls[-1] == ("start_mic_test", ())
    ctx.audio.set_mic_level(0.42)
    assert page.mic_level.value() == 42
    page.ringer_test.click()
    assert ctx.settings_ctl.calls[-1] == ("test_output", ("Built-in speakers",))
    assert QCoreApplication.instance() is not None


def test_tray_tooltip_reads_missed_calls_and_the_call_model(qtbot, ctx: FakeContext) -> None:
    tray = Tray(ctx.history, ctx.calls)
    assert tray.icon.toolTip() == "Acme Phone"
    ctx.history.set_entries(sample_history())
    assert tray.icon.toolTip() == "Acme Phone\n2 missed calls"
    ctx.calls.put(ActiveCall("k", "incoming", "202", "Bram", "incoming"))
    assert tray.icon.toolTip().endswith("\nIncoming call")
    ctx.calls.update("k", state="connected", connected_at=0.0)
    assert tray.icon.toolTip().endswith("\nIn call")
    ctx.calls.update("k", state="held")
    assert tray.icon.toolTip().endswith("\nIn call")
    ctx.calls.remove("k")
    assert tray.icon.toolTip() == "Acme Phone\n2 missed calls"


def test_settings_turn_desktop_notifications_off(window: MainWindow, ctx: FakeContext) -> None:
    page = window.settings_page
    assert page.notify_box.title() == "Notifications"
    assert page.notifications.isChecked()  # on by default
    page.notifications.setChecked(False)
    assert ctx.settings_ctl.calls == [("set_notifications", (False,))]
