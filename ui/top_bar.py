"""The top bar (seed 000 "Topbalk"): search, dialer, status and the profile menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app.bus import Changes
from app.protocols import UiContext
from app.stores import DirectoryEntry
from app.stores.calendar import CalendarStore
from ui import theme
from ui.avatars import avatar_icon
from ui.dialer import DialerPanel
from ui.icons import icon
from ui.profile_note import InCallBadge, NoteEditor, own_presence_of
from ui.search import SearchField
from ui.status_menu import StatusButton

__all__ = ["ProfileHeader", "TopBar"]


class ProfileHeader(QWidget):
    """The top of the profile menu: the avatar, the name, and "Extension 201" below it."""

    def __init__(self, name: str, extension_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 16, 8)
        row.setSpacing(10)
        self.avatar = QLabel(self)
        self.avatar.setPixmap(avatar_icon(name, 36).pixmap(36, 36))
        row.addWidget(self.avatar)
        lines = QVBoxLayout()
        lines.setSpacing(0)
        self.name = QLabel(name, self)
        self.name.setObjectName("SubHeading")
        self.extension = QLabel(extension_text, self)
        self.extension.setObjectName("Muted")
        lines.addWidget(self.name)
        lines.addWidget(self.extension)
        row.addLayout(lines, 1)


class TopBar(QWidget):
    """Search field, dialer button, status button and profile button in one row."""

    quit_requested = Signal()

    def __init__(
        self, context: UiContext, active_call: Callable[[], str | None], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TopBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._ctx = context
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)
        self.search = SearchField(
            context.directory,
            context.directory_ctl,
            context.calls_ctl,
            self,
            active_call,
            region=context.settings.region,
        )
        self.search.setMinimumWidth(220)
        session = context.session

        def may_pick_up(entry: DirectoryEntry) -> bool:
            me = session.me
            if me is None or me.pick_up_from is None:
                return True  # the PBX decides (anyone's, or not said)
            return entry.extension in me.pick_up_from

        self.search.model.may_pick_up = may_pick_up
        layout.addWidget(self.search, 1)
        self.dialer_button = QToolButton(self)
        self.dialer_button.setObjectName("TopButton")
        self.dialer_button.setCheckable(True)
        self.dialer_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.dialer_button.toggled.connect(self._toggle_dialer)
        layout.addWidget(self.dialer_button)
        self.dialer = DialerPanel(context.calls_ctl, active_call, parent.window())
        self.dialer.hide()
        self.dialer.toggle_button = self.dialer_button
        self.dialer.hidden.connect(lambda: self.dialer_button.setChecked(False))
        self.status = StatusButton(context.presence, context.presence_ctl, self)
        calendar = getattr(context, "calendar", None)  # optional, like the Calendar page
        if isinstance(calendar, CalendarStore):
            self.status.calendar = calendar
        self._own = own_presence_of(context)
        self.in_call_badge = InCallBadge(self._own[0], self) if self._own else None
        if self.in_call_badge is not None:
            layout.addWidget(self.in_call_badge)
        layout.addWidget(self.status)
        self.profile_button = QToolButton(self)
        self.profile_button.setAutoRaise(True)
        self.profile_button.setIconSize(QSize(32, 32))
        self.profile_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.profile_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.profile_menu = QMenu(self)
        self.profile_menu.aboutToShow.connect(self._build_profile_menu)
        self.profile_button.setMenu(self.profile_menu)
        layout.addWidget(self.profile_button)
        context.changes.subscribe(self._on_changes, owner=self)
        self._retranslate()

    def _toggle_dialer(self, shown: bool) -> None:
        if not shown:
            self.dialer.hide()
            return
        window = self.window()
        self.dialer.adjustSize()
        below = self.dialer_button.mapTo(window, QPoint(0, self.dialer_button.height() + 4))
        x = min(below.x(), window.width() - self.dialer.width() - 8)
        self.dialer.move(max(8, x), below.y())
        self.dialer.show()
        self.dialer.raise_()

    def _build_profile_menu(self) -> None:
        menu = self.profile_menu
        menu.clear()
        me = self._ctx.session.me
        if me is not None:
            who = QWidgetAction(menu)
            who.setDefaultWidget(
                ProfileHeader(me.name, self.tr("Extension {ext}").format(ext=me.extension))
            )
            menu.addAction(who)
            menu.addSeparator()
            if self._own is not None:
                note = QWidgetAction(menu)
                self.note_editor = NoteEditor(*self._own, done=menu.close)
                note.setDefaultWidget(self.note_editor)
                menu.addAction(note)
                menu.addSeparator()
        sign_out = menu.addAction(icon("log-out", theme.current().text), self.tr("Sign out"))
        sign_out.triggered.connect(lambda _=False: self._ctx.session_ctl.sign_out())
        quit_ = menu.addAction(icon("power", theme.current().text), self.tr("Quit"))
        quit_.triggered.connect(lambda _=False: self.quit_requested.emit())

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("session"):
            self._retranslate()

    def _retranslate(self) -> None:
        t = theme.current()
        self.dialer_button.setText(self.tr("Dialer"))
        self.dialer_button.setIcon(icon("grid-3x3", t.text))
        self.dialer_button.setToolTip(self.tr("Dial a number or send tones during a call"))
        me = self._ctx.session.me
        self.profile_button.setIcon(
            avatar_icon(me.name) if me is not None else icon("circle-user", t.muted)
        )
        self.profile_button.setToolTip(
            self.tr("{name} (extension {ext})").format(name=me.name, ext=me.extension)
            if me is not None
            else self.tr("Not signed in")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
