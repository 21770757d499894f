"""The tray icon: its menu, a red mark while missed calls are unseen, and a tooltip.

The menu: Show, the status (a submenu with a tick on the current one), "Call the number on the
clipboard", "Call back" the last missed call, Quit. The tooltip names the missed calls and, from
the call model's focus call, whether a call rings or is going on (the call windows' own words).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.bus import Changes
from app.presence_status import STATUSES, PresenceStatus
from app.protocols import CallActions, CallsView, PresenceActions
from app.stores import HistoryEntry, HistoryStore, PresenceStore
from ui import theme
from ui.icons import icon, pixmap
from ui.status_menu import status_icon, status_text

__all__ = ["Tray", "tray_icon"]


def tray_icon(missed: int) -> QIcon:
    """The phone mark, with a red dot when calls were missed."""
    t = theme.current()
    base = pixmap("phone", t.accent, 32, 2.0)
    if missed:
        pm = QPixmap(base)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(t.red))
        p.drawEllipse(QRectF(18, 0, 14, 14))
        p.end()
        return QIcon(pm)
    return QIcon(base)


class Tray(QObject):
    """Owns the QSystemTrayIcon; `show_requested` and `quit_requested` go to the shell."""

    show_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        history: HistoryStore,
        calls: CallsView,
        parent: QObject | None = None,
        *,
        presence: PresenceStore | None = None,
        presence_ctl: PresenceActions | None = None,
        calls_ctl: CallActions | None = None,
    ) -> None:
        super().__init__(parent)
        self._history = history
        self._calls = calls
        self._presence = presence
        self._presence_ctl = presence_ctl
        self._calls_ctl = calls_ctl
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self.show_action = QAction(self)
        self.show_action.triggered.connect(self.show_requested)
        self.quit_action = QAction(self)
        self.quit_action.triggered.connect(self.quit_requested)
        self.status_menu = QMenu()
        self.clipboard_action = QAction(self)
        self.clipboard_action.triggered.connect(self.call_clipboard)
        self.call_back_action = QAction(self)
        self.call_back_action.triggered.connect(self.call_back)
        self.menu.aboutToShow.connect(self.build_menu)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self._presence_shown = presence is not None
        hubs = {id(h): h for h in (history.hub, calls.hub, presence and presence.hub) if h}
        for hub in hubs.values():
            hub.subscribe(self._on_changes, owner=self)
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        """The icon and tooltip for the missed calls and live calls; the menu for presence."""
        if changes.touches("history", "unseen", "entries") or changes.touches("calls"):
            self.refresh()
        elif self._presence_shown and changes.touches("presence"):
            self.build_menu()

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_requested.emit()

    def refresh(self) -> None:
        missed = self._history.unseen_missed
        self.icon.setIcon(tray_icon(missed))
        tip = QCoreApplication.translate("Tray", "Acme Phone")
        if missed:
            tip += "\n" + self.tr("%n missed call(s)", "", missed)
        focus = self._calls.focus_call()
        if any(c.ringing_in for c in self._calls.calls):
            tip += "\n" + QCoreApplication.translate("CallWindow", "Incoming call")
        elif focus is not None and focus.in_call:
            tip += "\n" + QCoreApplication.translate("CallWindow", "In call")
        self.icon.setToolTip(tip)
        self.build_menu()

    def last_missed(self) -> HistoryEntry | None:
        """The newest missed call, which "Call back" dials."""
        return next((e for e in self._history.entries if e.direction == "missed"), None)

    def build_menu(self) -> None:
        """Show, status, clipboard call, call back, Quit (the parts whose actions were given)."""
        t = theme.current()
        menu = self.menu
        menu.clear()
        self.show_action.setText(QCoreApplication.translate("Tray", "Show"))
        self.show_action.setIcon(icon("maximize-2", t.text))
        menu.addAction(self.show_action)
        menu.addSeparator()
        if self._presence is not None and self._presence_ctl is not None:
            known = self._presence.known
            current = self._presence.status if known else None
            self.status_menu.clear()
            self.status_menu.setTitle(
                QCoreApplication.translate("Tray", "Status: {status}").format(
                    status=status_text(current) if current else "…"
                )
            )
            self.status_menu.setIcon(status_icon(current or "unknown"))
            for status in STATUSES:
                action = self.status_menu.addAction(
                    status_icon(status, ticked=status == current), status_text(status)
                )
                action.setCheckable(True)
                action.setChecked(status == current)
                action.triggered.connect(lambda _=False, s=status: self.choose_status(s))
            menu.addMenu(self.status_menu)
        if self._calls_ctl is not None:
            self.clipboard_action.setText(
                QCoreApplication.translate("MainWindow", "Call the number on the clipboard")
            )
            self.clipboard_action.setIcon(icon("phone", t.text))
            menu.addAction(self.clipboard_action)
            missed = self.last_missed()
            if missed is not None:
                self.call_back_action.setText(
                    QCoreApplication.translate("Tray", "Call back {who} (missed call)").format(
                        who=missed.name or missed.number
                    )
                )
                self.call_back_action.setIcon(icon("phone-missed", t.red))
                menu.addAction(self.call_back_action)
        menu.addSeparator()
        self.quit_action.setText(QCoreApplication.translate("Tray", "Quit"))
        self.quit_action.setIcon(icon("log-out", t.text))
        menu.addAction(self.quit_action)

    def choose_status(self, status: PresenceStatus) -> None:
        if self._presence_ctl is not None:
            self._presence_ctl.set_status(status, None)

    def call_clipboard(self) -> None:
        if self._calls_ctl is not None:
            self._calls_ctl.call_clipboard(QGuiApplication.clipboard().text())

    def call_back(self) -> None:
        missed = self.last_missed()
        if missed is not None and self._calls_ctl is not None:
            self._calls_ctl.dial(missed.number)
