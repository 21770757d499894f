"""The rough edges a new user met in the top bar, the tray and Settings (issue 9), one test each."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QWidget

from tests.ui.fakes import FakeContext, sample_directory, sample_history
from ui import theme
from ui.main_window import MainWindow
from ui.models import SearchModel
from ui.search import line_state_text
from ui.settings_page import COMBO_WIDTH, SettingsPage
from ui.status_menu import CustomEndDialog
from ui.tray import Tray


@pytest.fixture
def window(qtbot, ctx: FakeContext) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.hide_on_close = True
    w.show()
    return w


def _signed_out_bram() -> list:
    bram, *rest = sample_directory()
    return [replace(bram, registered=False), *rest]


# -- search ---------------------------------------------------------------------------------
def test_a_colleague_with_no_phone_is_grey_and_not_signed_in(window: MainWindow, ctx) -> None:
    ctx.directory.set_results("bram", _signed_out_bram())
    model = window.top_bar.search.model
    assert model.data(model.index(0), SearchModel.PresenceRole) == "offline"
    assert line_state_text(model.data(model.index(0), SearchModel.LineStateRole)) == (
        "Not signed in"
    )
    assert theme.presence_color("offline") == theme.current().muted
    assert model.data(model.index(1), SearchModel.PresenceRole) == "meeting"


def test_an_unknown_number_is_offered_as_a_call(qtbot, window: MainWindow, ctx) -> None:
    field = window.top_bar.search
    field.setFocus()
    qtbot.keyClicks(field, "0201234")
    ctx.directory.set_results("0201234", [])
    assert field.call_number.isVisible()
    assert field.call_number.text() == "Call 0201234"
    assert field.unknown.text() == "Not in the directory"
    assert not field.empty.isVisible()
    field.call_number.click()
    assert ctx.calls_ctl.calls == [("dial", ("0201234",))]
    assert field.text() == "" and not field.panel.isVisible()


def test_a_match_on_a_mobile_shows_and_dials_that_number(window: MainWindow, ctx) -> None:
    contact = sample_directory()[2]
    contact = replace(contact, numbers=("+31301112233", "+31612345678"))
    ctx.directory.set_results("0612", [contact])
    model = window.top_bar.search.model
    detail = model.data(model.index(0), SearchModel.DetailHtmlRole)
    assert "<b>+31612345678</b>" in detail and "+31301112233" not in detail
    assert model.data(model.index(0), SearchModel.NumberRole) == "+31612345678"


def test_escape_and_a_call_clear_the_search_text(qtbot, window: MainWindow, ctx) -> None:
    field = window.top_bar.search
    field.setFocus()
    qtbot.keyClicks(field, "bram")
    ctx.directory.set_results("bram", sample_directory())
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == "" and not field.panel.isVisible()
    assert ctx.directory_ctl.calls[-1] == ("search", ("",))
    qtbot.keyClicks(field, "bram")
    ctx.directory.set_results("bram", sample_directory())
    field.call_row(0)
    assert ctx.calls_ctl.calls == [("dial", ("202",))]
    assert field.text() == ""


def test_the_dot_and_the_call_button_have_tooltips(window: MainWindow, ctx) -> None:
    ctx.directory.set_results("bram", _signed_out_bram())
    field = window.top_bar.search
    model, delegate = field.model, field.delegate
    rect = QRect(0, 0, 380, 56)
    line = 16
    dot = QPoint(17, 10 + line // 2)
    button = QPoint(rect.right() - 25, rect.center().y())
    assert delegate.tooltip_at(rect, dot, line, model.index(0)) == "Not signed in on any phone"
    assert delegate.tooltip_at(rect, dot, line, model.index(1)) == "Meeting, in a call"
    assert delegate.tooltip_at(rect, button, line, model.index(0)) == "Call 202"
    assert delegate.tooltip_at(rect, QPoint(150, 20), line, model.index(0)) == ""


# -- dialer ---------------------------------------------------------------------------------
def test_dialer_closes_on_escape_and_on_a_click_outside(qtbot, window: MainWindow) -> None:
    bar = window.top_bar
    bar.dialer_button.click()
    assert bar.dialer.isVisible()
    qtbot.keyClick(bar.dialer.field, Qt.Key.Key_Escape)
    assert not bar.dialer.isVisible() and not bar.dialer_button.isChecked()
    bar.dialer_button.click()
    assert bar.dialer.isVisible()
    qtbot.mouseClick(window.calls_page, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert not bar.dialer.isVisible() and not bar.dialer_button.isChecked()


def test_dialer_backspace_and_a_call_button_off_while_blank(window: MainWindow) -> None:
    bar = window.top_bar
    bar.dialer_button.click()
    dialer = bar.dialer
    assert not dialer.call_button.isEnabled()
    dialer.field.setText("   ")
    assert not dialer.call_button.isEnabled()
    dialer.field.setText("203")
    assert dialer.call_button.isEnabled()
    dialer.backspace.click()
    assert dialer.field.text() == "20"
    dialer.backspace.click()
    dialer.backspace.click()
    assert dialer.field.text() == "" and not dialer.call_button.isEnabled()


def test_dialer_keeps_letters_and_says_why_inline(qtbot, window: MainWindow, ctx) -> None:
    bar = window.top_bar
    bar.dialer_button.click()
    dialer = bar.dialer
    qtbot.keyClicks(dialer.field, "bram")
    dialer.call_button.click()
    assert ctx.calls_ctl.calls == []
    assert dialer.isVisible() and dialer.field.text() == "bram"
    assert dialer.error.isVisible()
    assert dialer.error.text() == "Only digits, +, * and # can be dialled. Check the number."
    qtbot.keyClick(dialer.field, Qt.Key.Key_Backspace)
    assert not dialer.error.isVisible()


# -- profile and status -------------------------------------------------------------------
def test_profile_menu_name_and_extension_on_two_lines(window: MainWindow) -> None:
    bar = window.top_bar
    bar._build_profile_menu()
    header = bar.profile_menu.actions()[0].defaultWidget()
    assert header.name.text() == "Anna de Vries"
    assert header.extension.text() == "Extension 201"
    header.resize(header.sizeHint())
    header.layout().activate()
    assert header.extension.geometry().top() >= header.name.geometry().bottom()


def test_no_question_mark_avatar_before_the_user_is_known(qtbot) -> None:
    ctx = FakeContext()
    ctx.session.set_me(None)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    assert w.top_bar.profile_button.toolTip() == "Not signed in"
    image = w.top_bar.profile_button.icon().pixmap(32, 32).toImage()
    accent = theme.current().accent.lower()
    assert all(
        image.pixelColor(x, y).name() != accent for x in range(0, 32, 4) for y in range(0, 32, 4)
    )


def test_an_unknown_status_is_not_shown_as_available(qtbot) -> None:
    ctx = FakeContext()
    ctx.presence = type(ctx.presence)()  # nothing heard from the server or the cache yet
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    status = w.top_bar.status
    assert status.text() == "…" and status.toolTip() == "Your status is being loaded"
    ctx.presence.set_presence("available", None)
    assert status.text() == "Available"


def test_status_menu_ticks_the_current_status(window: MainWindow, ctx) -> None:
    status = window.top_bar.status
    ctx.presence.set_presence("meeting", None)
    status._build_menu()
    checked = [a.text() for a in status.menu_.actions() if a.isChecked()]
    assert checked == ["Meeting"]


def test_a_long_status_does_not_shrink_the_search_field(qtbot, window: MainWindow, ctx) -> None:
    window.resize(900, 700)
    qtbot.waitUntil(lambda: window.top_bar.search.width() > 0)
    QWidget.adjustSize(window.top_bar)
    before = window.top_bar.search.width()
    later = datetime.now(UTC) + timedelta(days=3)
    ctx.presence.set_presence("business_trip", later)
    window.top_bar.layout().activate()
    assert window.top_bar.search.width() >= before - 2
    assert "Business trip until" in window.top_bar.status.toolTip()


# -- custom end time ------------------------------------------------------------------------
def test_custom_end_dialog_title_date_typing_and_buttons(qtbot) -> None:
    start = datetime(2030, 3, 14, 9, 0, tzinfo=UTC)
    dialog = CustomEndDialog("meeting", start)
    qtbot.addWidget(dialog)
    dialog.show()
    title = dialog.windowTitle()
    assert dialog.width() >= dialog.fontMetrics().horizontalAdvance(title) + 160
    fmt = dialog.edit.displayFormat()
    assert "yyyy" in fmt
    assert fmt.startswith(QLocale().dateFormat(QLocale.FormatType.ShortFormat).split("yy")[0])
    edit = dialog.edit
    edit.setFocus()
    wanted = 11 if edit.dateTime().time().hour() % 12 != 11 else 10  # 12- or 24-hour clock
    edit.setSelectedSection(edit.Section.HourSection)
    qtbot.keyClicks(edit, str(wanted))
    assert edit.dateTime().time().hour() % 12 == wanted
    edit.setSelectedSection(edit.Section.YearSection)
    qtbot.keyClicks(edit, "2031")
    assert edit.dateTime().date().year() == 2031
    for which in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel):
        assert dialog.buttons.button(which).icon().isNull()


def test_custom_end_in_the_past_is_refused_inline(qtbot) -> None:
    start = datetime(2030, 3, 14, 9, 0, tzinfo=UTC)
    dialog = CustomEndDialog("meeting", start)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.edit.setDateTime(dialog.edit.dateTime().addDays(-1))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.error.isVisible()


# -- settings -------------------------------------------------------------------------------
def test_diagnostics_shows_and_opens_the_logs_folder(qtbot, ctx: FakeContext, tmp_path) -> None:
    ctx.logs_dir = tmp_path / "logs"
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    opened: list[QUrl] = []
    page.open_url = lambda url: opened.append(url) or True
    assert page.logs_path.text() == str(tmp_path / "logs")
    assert page.open_logs.text() == "Open logs folder"
    page.open_logs.click()
    assert opened == [QUrl.fromLocalFile(str(tmp_path / "logs"))]
    assert (tmp_path / "logs").is_dir()


def test_settings_drop_downs_line_up_and_do_not_stretch(qtbot, ctx: FakeContext) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 900)
    page.show()
    qtbot.waitExposed(page)
    combos = [c for c in page.findChildren(QComboBox) if c.isVisible()]
    assert len(combos) >= 4  # microphone, speaker, ringer, headset, language
    xs = {c.mapTo(page, QPoint(0, 0)).x() for c in combos}
    assert len(xs) == 1, xs
    assert {c.width() for c in combos} == {COMBO_WIDTH}
    assert page.width() / 2 > COMBO_WIDTH


# -- tray -------------------------------------------------------------------------------------
def test_tray_menu_status_clipboard_and_call_back(qtbot, ctx: FakeContext) -> None:
    tray = Tray(
        ctx.history,
        ctx.calls,
        presence=ctx.presence,
        presence_ctl=ctx.presence_ctl,
        calls_ctl=ctx.calls_ctl,
    )
    ctx.history.set_entries(sample_history())
    ctx.presence.set_presence("lunch", None)
    tray.build_menu()
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert texts == [
        "Show",
        "Status: Lunch",
        "Call the number on the clipboard",
        "Call back Bram Jansen (missed call)",
        "Quit",
    ]
    # every item has an icon, so the texts line up
    assert all(not a.icon().isNull() for a in tray.menu.actions() if not a.isSeparator())
    checked = [a.text() for a in tray.status_menu.actions() if a.isChecked()]
    assert checked == ["Lunch"]
    next(a for a in tray.status_menu.actions() if a.text() == "Meeting").trigger()
    assert ctx.presence_ctl.calls == [("set_status", ("meeting", None))]
    QGuiApplication.clipboard().setText("bel 020-123 45 67")
    tray.clipboard_action.trigger()
    tray.call_back_action.trigger()
    assert ctx.calls_ctl.calls == [
        ("call_clipboard", ("bel 020-123 45 67",)),
        ("dial", ("202",)),
    ]
