"""The main window (seed 000 "Wegwijs"): menu bar, top bar, side bar, pages and call windows.

Closing the window hides it to the tray (when the platform has one); quitting goes through
the shell so the app core can stop the embedded PBX first.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app.bus import Changes
from app.controllers.contacts import ContactsContext
from app.protocols import UiContext
from app.stores.contacts import ContactEntry
from app.stores.directory import DirectoryEntry
from ui.about import DownloadsAction, show_about
from ui.banner import AudioBanner, ConnectionBanner, NoticeArea
from ui.calendar_section import install_calendar
from ui.call_layer import CallLayer
from ui.calls_page import CallsPage
from ui.chat_section import install_chat
from ui.contacts_page import ContactsPage
from ui.forwarding_indicator import install_forwarding_indicator
from ui.pages.headset_settings import headset_action
from ui.pages.startup_settings import autostart_action
from ui.parked_panel import ParkedPanel
from ui.queues_section import install_queues
from ui.recordings_section import install_recordings, record_in_call_windows
from ui.settings_page import SettingsPage
from ui.side_bar import SideBar
from ui.top_bar import TopBar
from ui.update_banner import UpdateBanner
from ui.voicemail_section import install_voicemail

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    """Everything the signed-in user works with."""

    quit_requested = Signal()
    language_chosen = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self.hide_on_close = False
        self.resize(1100, 720)
        self.setMinimumSize(760, 520)
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.content = QWidget(central)
        self.call_layer_host = self.content
        self.calls_layer: CallLayer | None = None
        self.top_bar = TopBar(context, self._active_call, self)
        self.top_bar.quit_requested.connect(self.quit_requested)
        outer.addWidget(self.top_bar)
        self.forwarding = install_forwarding_indicator(self.top_bar, context)
        self.banner = ConnectionBanner(context.session, central)
        outer.addWidget(self.banner)
        self.audio_banner = AudioBanner(context.audio, central)
        self.audio_banner.settings_requested.connect(lambda: self.show_section("settings"))
        outer.addWidget(self.audio_banner)
        self.update_banner = UpdateBanner(context.updates, central)
        outer.addWidget(self.update_banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.side_bar = SideBar(central)
        body.addWidget(self.side_bar)
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget(self.content)
        self.parked_panel = ParkedPanel(
            context.parked, context.calls_ctl, self.content, region=context.settings.region
        )
        content_layout.addWidget(self.parked_panel)
        content_layout.addWidget(self.pages)
        body.addWidget(self.content, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        region = context.settings.region
        self.calls_page = CallsPage(
            context.history, context.history_ctl, context.calls_ctl, self, region=region
        )
        self.settings_page = SettingsPage(context, self)
        self.settings_page.language_chosen.connect(self.language_chosen)
        self._sections = {"calls": self.calls_page, "settings": self.settings_page}
        for page in self._sections.values():
            self.pages.addWidget(page)
        self.side_bar.add_section("calls", "history")
        self.contacts_page: ContactsPage | None = None
        if isinstance(context, ContactsContext):  # a context with address books
            self.contacts_page = ContactsPage(
                context.contacts, context.contacts_ctl, self, region=region
            )
            self._sections["contacts"] = self.contacts_page
            self.pages.addWidget(self.contacts_page)
            self.side_bar.add_section("contacts", "user")
        self.voicemail_page = install_voicemail(
            context, self.pages, self.side_bar, self._sections, self.calls_page
        )
        self.chat_page = install_chat(context, self.pages, self.side_bar, self._sections)
        if self.chat_page is not None:
            self.top_bar.search.on_chat = self.chat_with
            self.chat_page.on_call = context.calls_ctl.dial
        if self.contacts_page is not None:
            self.contacts_page.card.colleague_of = self._colleague_of
            if self.chat_page is not None:
                self.contacts_page.card.chat_requested.connect(self.chat_with)
            card = self.contacts_page.card
            context.changes.subscribe(
                lambda ch: card.refresh_presence() if ch.touches("directory") else None,
                owner=card,
            )
        self.calendar_page = install_calendar(context, self.pages, self.side_bar, self._sections)
        self.recordings_page = install_recordings(
            context, self.pages, self.side_bar, self._sections
        )
        self.queues_page = install_queues(context, self.pages, self.side_bar, self._sections)
        self.side_bar.add_section("settings", "settings", at_bottom=True)
        self.side_bar.section_chosen.connect(self.show_section)
        self.calls_layer = CallLayer(
            self.content,
            context.calls,
            context.calls_ctl,
            audio=context.audio,
            region=region,
            directory=context.directory,
            directory_ctl=context.directory_ctl,
        )
        record_in_call_windows(context, self.calls_layer)
        self.calls_layer.drop_targets.append(self.top_bar.search.number_at)
        if self.contacts_page is not None:
            self.calls_layer.drop_targets.append(self.contacts_page.number_at)
        self.calls_layer.audio_settings_requested.connect(lambda: self.show_section("settings"))
        self.calls_layer.covered_changed.connect(self.calls_page.set_right_inset)
        self.notices = NoticeArea(context.notices, self.content)

        self._build_menus()
        self.settings_page.diagnostics_toggled.connect(self.diagnostics_action.setChecked)
        context.changes.subscribe(self._on_changes, owner=self)
        self.show_section("calls")
        self._on_history()
        self._retranslate()

    # -- menus -------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.quit_requested)
        self.file_menu.addAction(self.quit_action)
        self.options_menu = bar.addMenu("")
        self.clipboard_action = QAction(self)
        self.clipboard_action.setShortcut(QKeySequence(Qt.Key.Key_F8))
        self.clipboard_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.clipboard_action.triggered.connect(self.call_clipboard)
        self.addAction(self.clipboard_action)
        self.options_menu.addAction(self.clipboard_action)
        self.autostart_action = autostart_action(self._ctx, self)
        self.options_menu.addAction(self.autostart_action)
        self.diagnostics_action = QAction(self)
        self.diagnostics_action.setCheckable(True)
        self.diagnostics_action.setChecked(self._ctx.settings.diagnostics)
        self.diagnostics_action.toggled.connect(self._diagnostics_toggled)
        self.options_menu.addAction(self.diagnostics_action)
        self.options_menu.addAction(headset_action(self._ctx, self))
        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(lambda _=False: show_about(self))
        self.help_menu.addAction(self.about_action)
        self.downloads_action = DownloadsAction(self._ctx.session, self._ctx.updates, self)
        self.help_menu.addAction(self.downloads_action)

    def call_clipboard(self) -> None:
        """F8: dial the number in the clipboard text (the controller extracts it)."""
        self._ctx.calls_ctl.call_clipboard(QGuiApplication.clipboard().text())

    def _diagnostics_toggled(self, on: bool) -> None:
        if self.settings_page.diagnostics.isChecked() != on:
            self._ctx.settings_ctl.set_diagnostics(on)
            self.settings_page.set_diagnostics_checked(on)

    # -- sections ------------------------------------------------------------------------------
    def show_section(self, name: str) -> None:
        previous = self.pages.currentWidget()
        if previous is self.calls_page and name != "calls":
            self._mark_seen()
        self.pages.setCurrentWidget(self._sections[name])
        self.side_bar.select(name)

    def _colleague_of(self, contact: ContactEntry) -> DirectoryEntry | None:
        """The colleague whose extension is one of the contact's numbers (their presence)."""
        index = self._ctx.directory.index
        for n in contact.numbers:
            user = index.user(n.number)
            if user is not None:
                return user
        return None

    def chat_with(self, extension: str) -> None:
        """Open (or start) the 1:1 chat with a colleague in the Chat section (S5)."""
        if self.chat_page is None:
            return
        self.show_section("chat")
        self.chat_page.start_chat(extension)

    def _mark_seen(self) -> None:
        if self._ctx.history.unseen_missed:
            self._ctx.history_ctl.mark_seen()

    def _on_changes(self, changes: Changes) -> None:
        """The missed-calls badge for the history's unseen count; the dialer for the calls."""
        if changes.touches("history", "unseen"):
            self._on_history()
        elif changes.touches("calls"):
            self.top_bar.dialer.refresh()

    def _on_history(self) -> None:
        self.side_bar.set_badge("calls", int(self._ctx.history.unseen_missed))

    def _active_call(self) -> str | None:
        return self.calls_layer.active_key() if self.calls_layer is not None else None

    # -- window ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        # closing is not looking: missed calls stay unseen until the Calls page is left
        if self.hide_on_close:
            event.ignore()
            self.hide()
            return
        event.ignore()
        self.quit_requested.emit()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Acme Phone"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.options_menu.setTitle(self.tr("&Options"))
        self.clipboard_action.setText(self.tr("Call the number on the clipboard"))
        self.diagnostics_action.setText(self.tr("Diagnostics logging"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About Acme Phone"))
        self.side_bar.buttons["calls"].setText(self.tr("Calls"))
        self.side_bar.buttons["settings"].setText(self.tr("Settings"))
        if "contacts" in self.side_bar.buttons:
            self.side_bar.buttons["contacts"].setText(self.tr("Contacts"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
