"""The tray icon: Show and Quit, a red mark while missed calls are unseen, and a tooltip.

The tooltip names the missed calls and, from the call model's focus call, whether a call rings
or is going on (the call windows' own words).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.protocols import CallsView
from app.stores import HistoryStore
from ui import theme
from ui.icons import pixmap

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
        self, history: HistoryStore, calls: CallsView, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._history = history
        self._calls = calls
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self.show_action = self.menu.addAction("")
        self.show_action.triggered.connect(self.show_requested)
        self.quit_action = self.menu.addAction("")
        self.quit_action.triggered.connect(self.quit_requested)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        history.changed.connect(lambda _what: self.refresh())
        calls.changed.connect(lambda _change: self.refresh())
        self.refresh()

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
        if any(c.state == "incoming" for c in self._calls.calls):
            tip += "\n" + QCoreApplication.translate("CallWindow", "Incoming call")
        elif focus is not None and focus.in_call:
            tip += "\n" + QCoreApplication.translate("CallWindow", "In call")
        self.icon.setToolTip(tip)
        self.show_action.setText(QCoreApplication.translate("Tray", "Show"))
        self.quit_action.setText(QCoreApplication.translate("Tray", "Quit"))
