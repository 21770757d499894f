"""Entry of the widgets: `run(context, args)` sets look and language and shows the first window.

`app/__main__.py` creates the QApplication and the qasync loop, builds the `AppContext` and
calls `run`; `run` returns at once (the caller runs the loop). First start (no mode chosen and
no ``--demo``) shows the welcome dialog, then the main window. Quitting asks the session
controller to stop (it stops the embedded PBX) and then quits the application.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app.hotkey import GlobalHotkey, global_hotkey
from ui.banner import state_name
from ui.i18n import Translations
from ui.main_window import MainWindow
from ui.theme import apply_theme
from ui.tray import Tray, tray_icon
from ui.welcome import WelcomeDialog

__all__ = ["UiShell", "current_shell", "run"]

_log = logging.getLogger(__name__)
_shells: list[UiShell] = []


def _schedule(result: Any) -> asyncio.Future[Any] | None:
    """Run a controller's coroutine on the loop when it returned one."""
    if inspect.isawaitable(result):
        return asyncio.ensure_future(result)
    return None


class UiShell(QObject):
    """Owns the windows, the tray, the theme and the translators for one app run."""

    def __init__(self, context: Any, args: Any, app: QApplication) -> None:
        super().__init__(app)
        self.ctx = context
        self.args = args
        self.app = app
        self.translations = Translations(app)
        self.translations.install(getattr(context.settings, "language", "") or "")
        apply_theme(app)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)
        app.setWindowIcon(tray_icon(0))
        self.window: MainWindow | None = None
        self.welcome: WelcomeDialog | None = None
        self.tray: Tray | None = None
        self.hotkey: GlobalHotkey | None = None
        self.quitting = False
        context.session.changed.connect(self._session_changed)

    # -- start -------------------------------------------------------------------------------
    def start(self) -> None:
        first = bool(getattr(self.ctx.settings, "is_first_start", False))
        if first and not getattr(self.args, "demo", False):
            self.show_welcome()
        else:
            self.show_main()

    def show_welcome(self) -> WelcomeDialog:
        if self.window is not None:
            self.window.hide()
        dialog = WelcomeDialog()
        dialog.accepted.connect(lambda: self._welcome_done(dialog))
        dialog.rejected.connect(self.quit)
        self.welcome = dialog
        dialog.show()
        return dialog

    def _welcome_done(self, dialog: WelcomeDialog) -> None:
        ctl = self.ctx.session_ctl
        if dialog.mode() == "embedded":
            _schedule(ctl.use_embedded())
        else:
            result = ctl.sign_in(
                dialog.url.text().strip(), dialog.user.text().strip(), dialog.password.text()
            )
            _schedule(result)
        self.welcome = None
        dialog.deleteLater()
        self.show_main()

    def show_main(self) -> MainWindow:
        if self.window is None:
            window = MainWindow(self.ctx)
            window.quit_requested.connect(self.quit)
            window.language_chosen.connect(self.set_language)
            self.window = window
            if Tray.available():
                self.tray = Tray(self.ctx.history, self)
                self.tray.show_requested.connect(self.raise_main)
                self.tray.quit_requested.connect(self.quit)
                self.tray.icon.show()
                window.hide_on_close = True
            # F8 outside the app where the platform allows; inside it the menu shortcut works.
            self.hotkey = global_hotkey(window.call_clipboard, QGuiApplication.platformName())
        self.window.show()
        return self.window

    def raise_main(self) -> None:
        window = self.show_main()
        window.showNormal()
        window.raise_()
        window.activateWindow()

    # -- reactions ------------------------------------------------------------------------------
    def _session_changed(self, what: str) -> None:
        signed_out = state_name(self.ctx.session.state) == "SIGNED_OUT"
        shown = self.window is not None and self.window.isVisible()
        if signed_out and self.welcome is None and shown and not self.quitting:
            self.show_welcome()

    def set_language(self, code: str) -> None:
        """Install the catalogue; Qt then sends LanguageChange and every widget retranslates."""
        self.translations.install(code)

    def _scheme_changed(self, *_: Any) -> None:
        apply_theme(self.app)
        for widget in self.app.allWidgets():
            QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
        if self.window is not None:
            self.window.side_bar.restyle()
        if self.tray is not None:
            self.tray.refresh()

    def quit(self) -> None:
        """Stop the session (and the embedded PBX), then leave the event loop."""
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
        try:
            result = self.ctx.session_ctl.quit()
        except Exception:
            _log.exception("quitting the session failed")
            result = None
        future = _schedule(result)
        if future is None:
            self.app.quit()
        else:
            future.add_done_callback(lambda _f: self.app.quit())


def run(context: Any, args: Any = None) -> None:
    """Show the welcome dialog or the main window for ``context``; returns at once."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise ValueError("ui.main.run needs a QApplication")
    app.setQuitOnLastWindowClosed(False)
    shell = UiShell(context, args, app)
    _shells.append(shell)
    shell.start()


def current_shell() -> UiShell | None:
    """The shell of the running app (tests and screenshots look into its windows)."""
    return _shells[-1] if _shells else None
