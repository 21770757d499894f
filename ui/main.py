"""Entry of the widgets: `run(context, args)` sets look and language and shows the first window.

`app/__main__.py` (the composition root) creates the QApplication and the qasync loop, builds
the `AppContext` and calls `run`; `run` returns the shell at once (the caller runs the loop).
First start (no mode chosen and no ``--demo``) shows the welcome dialog, then the main window.
A start at login (``--autostart``) stays in the tray where there is one, unless the user must
sign in.
Quitting hides the windows and asks the root to quit (``context.quit_app()``: calls end, the
embedded PBX stops, the loop ends); the root is the only place that stops the session.
"""

from __future__ import annotations

import argparse
import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app.bus import Changes
from app.hotkey import GlobalHotkey, global_hotkey
from app.protocols import UiContext
from ui.banner import state_name
from ui.i18n import Translations
from ui.main_window import MainWindow
from ui.theme import apply_theme
from ui.tray import Tray, tray_icon
from ui.welcome import WelcomeDialog

__all__ = ["UiShell", "current_shell", "run"]

_log = logging.getLogger(__name__)
_shells: list[UiShell] = []


class UiShell(QObject):
    """Owns the windows, the tray, the theme and the translators for one app run."""

    def __init__(
        self, context: UiContext, args: argparse.Namespace | None, app: QApplication
    ) -> None:
        super().__init__(app)
        self.ctx = context
        self.args = args
        self.app = app
        self.translations = Translations(app)
        self.translations.install(context.settings.language)
        apply_theme(app)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)
        app.setWindowIcon(tray_icon(0))
        self.window: MainWindow | None = None
        self.welcome: WelcomeDialog | None = None
        self.tray: Tray | None = None
        self.hotkey: GlobalHotkey | None = None
        self.quitting = False
        self.in_tray = False
        self._told_version = ""
        context.changes.subscribe(self._on_changes, owner=self)

    # -- start -------------------------------------------------------------------------------
    def start(self) -> None:
        demo = bool(self.args is not None and self.args.demo)
        if self.ctx.settings.is_first_start and not demo:
            self.show_welcome()
        elif bool(getattr(self.args, "autostart", False)) and Tray.available():
            self.in_tray = True
            self.show_main(visible=False)
        else:
            self.show_main()

    def show_welcome(self) -> WelcomeDialog:
        if self.window is not None:
            self.window.hide()
        machine = self.ctx.machine
        dialog = WelcomeDialog(
            server_url=machine.server_url, server_locked=machine.is_locked("server_url")
        )
        dialog.accepted.connect(lambda: self._welcome_done(dialog))
        dialog.rejected.connect(self.quit)
        self.welcome = dialog
        dialog.show()
        return dialog

    def _welcome_done(self, dialog: WelcomeDialog) -> None:
        ctl = self.ctx.session_ctl
        if dialog.mode() == "embedded":
            ctl.use_embedded()
        else:
            ctl.sign_in(
                dialog.url.text().strip(), dialog.user.text().strip(), dialog.password.text()
            )
        self.welcome = None
        dialog.deleteLater()
        self.show_main()

    def show_main(self, visible: bool = True) -> MainWindow:
        if self.window is None:
            window = MainWindow(self.ctx)
            window.quit_requested.connect(self.quit)
            window.language_chosen.connect(self.set_language)
            self.window = window
            if Tray.available():
                self.tray = Tray(
                    self.ctx.history,
                    self.ctx.calls,
                    self,
                    presence=self.ctx.presence,
                    presence_ctl=self.ctx.presence_ctl,
                    calls_ctl=self.ctx.calls_ctl,
                )
                self.tray.show_requested.connect(self.raise_main)
                self.tray.quit_requested.connect(self.quit)
                self.tray.icon.show()
                window.hide_on_close = True
            # F8 outside the app where the platform allows; inside it the menu shortcut works.
            self.hotkey = global_hotkey(window.call_clipboard, QGuiApplication.platformName())
        if visible:
            self.window.show()
        return self.window

    def raise_main(self) -> None:
        window = self.show_main()
        window.showNormal()
        window.raise_()
        window.activateWindow()

    # -- reactions ------------------------------------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("session", "state"):
            self._session_changed()
        if changes.touches("updates"):
            self._update_found()

    def _session_changed(self) -> None:
        signed_out = state_name(self.ctx.session.state) == "SIGNED_OUT"
        shown = self.window is not None and (self.window.isVisible() or self.in_tray)
        if signed_out and self.welcome is None and shown and not self.quitting:
            self.show_welcome()

    def _update_found(self) -> None:
        """A newer version: one message in the system's notification area (seed 000)."""
        entry = self.ctx.updates.available
        if entry is None or self.tray is None or entry.version == self._told_version:
            return
        self._told_version = entry.version
        self.tray.icon.showMessage(
            self.tr("Acme Phone"), self.tr("Version {0} is available.").format(entry.version)
        )

    def set_language(self, code: str) -> None:
        """Install the catalogue; Qt then sends LanguageChange and every widget retranslates."""
        self.translations.install(code)

    def _scheme_changed(self, *_: object) -> None:
        apply_theme(self.app)
        for widget in self.app.allWidgets():
            QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
        if self.window is not None:
            self.window.side_bar.restyle()
        if self.tray is not None:
            self.tray.refresh()

    def quit(self) -> None:
        """Hide everything, then ask the composition root to quit (it stops the session)."""
        if self.quitting:
            return
        self.quitting = True
        if self.hotkey is not None:
            self.hotkey.close()
        if self.tray is not None:
            self.tray.icon.hide()
        for widget in (self.window, self.welcome):
            if widget is not None:
                widget.hide()
        self.ctx.quit_app()


def run(context: UiContext, args: argparse.Namespace | None = None) -> UiShell:
    """Show the welcome dialog or the main window for ``context``; returns the shell at once."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise ValueError("ui.main.run needs a QApplication")
    app.setQuitOnLastWindowClosed(False)
    shell = UiShell(context, args, app)
    _shells.append(shell)
    shell.start()
    return shell


def current_shell() -> UiShell | None:
    """The shell of the running app (tests and screenshots look into its windows)."""
    return _shells[-1] if _shells else None
