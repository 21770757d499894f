"""Unobtrusive messages: the connection and audio banners, small notices (toasts) at the bottom.

The connection banner shows while the SessionStore is OFFLINE or SERVER_RESTARTING, with its
message in plain words. The audio banner shows while the AudioStore finds no usable microphone
or speaker, with a link to Settings. Notices from `app.notices` appear for a few seconds in the
bottom right corner.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app.bus import Changes
from app.notices import Notice, Notices
from app.stores import AudioStore, ConnectionState, SessionStore
from ui import theme
from ui.call_texts import no_audio_text
from ui.icons import icon

__all__ = ["AudioBanner", "ConnectionBanner", "NoticeArea", "state_name"]

_SHOWN_STATES = {"OFFLINE", "SERVER_RESTARTING"}
_NOTICE_MS = {"info": 5000, "warning": 8000, "error": 12000}
_MAX_NOTICES = 3


def state_name(state: ConnectionState) -> str:
    """The state's name, e.g. ``"OFFLINE"``."""
    return state.name


class ConnectionBanner(QFrame):
    """A strip over the content while the connection to the PBX is down."""

    def __init__(self, session: SessionStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self._session = session
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        self.icon = QLabel(self)
        self.icon.setPixmap(icon("wifi-off", "#1b1200").pixmap(18, 18))
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        session.hub.subscribe(self._on_changes, owner=self)
        self._refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("session", "state"):
            self._refresh()

    def _refresh(self) -> None:
        state = state_name(self._session.state)
        shown = state in _SHOWN_STATES
        if shown:
            default = (
                self.tr("The phone system is restarting. Reconnecting…")
                if state == "SERVER_RESTARTING"
                else self.tr("Offline: the phone system cannot be reached. Reconnecting…")
            )
            self.label.setText(self._session.message or default)
        self.setVisible(shown)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)


class AudioBanner(QFrame):
    """A strip over the content while there is no usable microphone or speaker."""

    settings_requested = Signal()

    def __init__(self, audio: AudioStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self._audio = audio
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        self.icon = QLabel(self)
        self.icon.setPixmap(icon("volume-2", "#1b1200").pixmap(18, 18))
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.link = QLabel(self)
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.link.linkActivated.connect(lambda _href: self.settings_requested.emit())
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.link)
        audio.hub.subscribe(self._changed, owner=self)
        self._refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.touches("audio", "availability", "devices"):
            self._refresh()

    def _refresh(self) -> None:
        self.label.setText(no_audio_text())
        text = self.tr("Open Settings")
        self.link.setText(f'<a href="settings" style="color:#1b1200;"><b>{text}</b></a>')
        self.setVisible(self._audio.missing)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)


class _Toast(QFrame):
    def __init__(self, level: str, text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Toast")
        t = theme.current()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 6, 8)
        mark = QLabel(self)
        name, color = {
            "error": ("circle-alert", t.red),
            "warning": ("triangle-alert", t.amber),
        }.get(level, ("info", t.accent))
        mark.setPixmap(icon(name, color).pixmap(18, 18))
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        close = QToolButton(self)
        close.setAutoRaise(True)
        close.setIcon(icon("x", t.muted))
        close.clicked.connect(self.deleteLater)
        layout.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.setFixedWidth(340)


class NoticeArea(QObject):
    """Stacks notices in the bottom right corner of ``host``; each goes away by itself."""

    def __init__(self, notices: Notices, host: QWidget) -> None:
        super().__init__(host)
        self._host = host
        self.toasts: list[_Toast] = []
        notices.posted.connect(self.show_notice)
        host.installEventFilter(self)

    def show_notice(self, notice: Notice) -> None:
        toast = _Toast(notice.level, notice.text, self._host)
        toast.destroyed.connect(lambda _=None, w=toast: self._forget(w))
        self.toasts.append(toast)
        while len(self.toasts) > _MAX_NOTICES:
            self.toasts.pop(0).deleteLater()
        toast.adjustSize()
        toast.show()
        QTimer.singleShot(_NOTICE_MS.get(notice.level, 5000), toast, toast.deleteLater)
        self._layout()

    def _forget(self, toast: _Toast) -> None:
        if toast in self.toasts:
            self.toasts.remove(toast)
        if shiboken6.isValid(self._host):  # toasts also go when their host is destroyed
            self._layout()

    def _layout(self) -> None:
        y = self._host.height() - 12
        for toast in reversed(self.toasts):
            y -= toast.height()
            toast.move(self._host.width() - toast.width() - 12, y)
            toast.raise_()
            y -= 8

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self._layout()
        return False
