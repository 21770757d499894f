"""The call windows over the content area: one per call in the CallsStore, several at once.

Windows are children of the host widget (the content area), so they stay inside the main
window, can be dragged within it and raise over the pages. New windows cascade from the top
right; ``covered_changed`` tells how much of the host's right edge they cover, so the page
under them can keep its important columns visible. A new call (incoming, or placed with F8
while the app sits in the tray) brings the main window up without taking the keyboard focus.
An ended call's card stays after the store drops the call, until it closes itself
(:class:`ui.call_window.CallWindow`) or the user closes it. A conference shows one window, its
first call's, which lists the others (their own windows are hidden while they are in it).
A card dragged and let go over a drop target (a search result) transfers its call there.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.bus import Changes
from app.call_model import CallAdded
from app.protocols import CallActions, CallsView, DirectoryActions
from app.stores import AudioStore, DirectoryStore
from ui.call_window import CallWindow

__all__ = ["CallLayer", "present_without_focus"]

_MARGIN = 16
_CASCADE = 28
_GAP = 8
_MIN_LIST = 320


def present_without_focus(window: QWidget) -> None:
    """Show ``window`` (hidden, in the tray or minimised) and raise it, leaving the focus alone."""
    shown_without = window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
    try:
        if window.isMinimized():
            window.showNormal()
        elif not window.isVisible():
            window.show()
        window.raise_()  # never activateWindow(): the user may be typing elsewhere
    finally:
        window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, shown_without)


class CallLayer(QObject):
    """Keeps one CallWindow per call on ``host`` in step with the CallsStore."""

    covered_changed = Signal(int)
    """Width in pixels of the host's right edge covered by call windows (0: none)."""
    audio_settings_requested = Signal()

    def __init__(
        self,
        host: QWidget,
        store: CallsView,
        controller: CallActions,
        clock: Callable[[], float] = time.monotonic,
        *,
        audio: AudioStore | None = None,
        region: str = "NL",
        directory: DirectoryStore | None = None,
        directory_ctl: DirectoryActions | None = None,
    ) -> None:
        super().__init__(host)
        self._directory = directory
        self._directory_ctl = directory_ctl
        self.drop_targets: list[Callable[[QPoint], str | None]] = []
        """Each returns the number under a global position, or None (the search results)."""
        self._host = host
        self._store = store
        self._ctl = controller
        self._clock = clock
        self._audio = audio
        self._region = region
        self.windows: dict[str, CallWindow] = {}
        self._dismissed: set[str] = set()
        self.covered = 0
        store.hub.subscribe(self._on_changes, owner=self)
        if audio is not None and audio.hub is not store.hub:
            audio.hub.subscribe(self._on_changes, owner=self)
        host.installEventFilter(self)
        self._on_changed(None)

    def _audio_missing(self) -> bool:
        return self._audio is not None and self._audio.missing

    def _on_changes(self, changes: Changes) -> None:
        """Redraw the cards for a calls change; their audio note for a device change."""
        if changes.touches("calls"):
            self._on_changed(changes)
        elif changes.touches("devices"):  # the user's phones: what Move offers
            self._on_changed(None)
        elif changes.touches("audio", "availability", "devices"):
            self._audio_changed()

    def _audio_changed(self) -> None:
        for window in self.windows.values():
            window.set_audio_missing(self._audio_missing())

    def _on_changed(self, change: Changes | None) -> None:
        every = list(self._store.calls)
        calls = {c.key: c for c in every}
        for key, shown in list(self.windows.items()):
            if key not in calls and shown.call.live:
                self._remove(key)  # an ended card stays after the store dropped its call
        for key, call in calls.items():
            if key in self._dismissed:
                continue
            window = self.windows.get(key)
            member = bool(call.conference) and call.conference[0] != key
            if window is not None and not call.live and member and window.isHidden():
                self._dismiss(key)  # a party that left a conference: its card never showed
                continue
            if window is None:
                if not call.live:
                    continue
                window = CallWindow(
                    call,
                    self._ctl,
                    self._host,
                    self._clock,
                    self._region,
                    self._directory,
                    self._directory_ctl,
                )
                window.set_call(call, every)
                window.set_audio_missing(self._audio_missing())
                window.closed.connect(self._dismiss)
                window.audio_settings_requested.connect(self.audio_settings_requested)
                window.dropped.connect(self._dropped)
                window.installEventFilter(self)
                self.windows[key] = window
                window.fit()
                window.move_within(self._initial_position(window))
                window.show()
                window.fit()  # word-wrapped texts know their height once shown
                window.raise_()
            else:
                window.set_call(call, every)
            # a conference shows in its first call's window only
            window.setVisible(not (call.live and member))
        self._dismissed &= set(calls)
        added = change.calls if isinstance(change, Changes) else ()
        if any(isinstance(c, CallAdded) and c.call.live for c in added):
            present_without_focus(self._host.window())
        self._update_covered()

    def _dropped(self, key: str, global_pos: QPoint) -> None:
        """A card let go over a search result or a contact: blind transfer of its call there."""
        for target in self.drop_targets:
            number = target(global_pos)
            if number:
                self._ctl.transfer(key, number)
                return

    def _initial_position(self, window: CallWindow) -> QPoint:
        """Under the windows already shown on the right; cascaded when there is no room."""
        others = [w for w in self.windows.values() if w is not window and w.isVisible()]
        x = self._host.width() - window.width() - _MARGIN
        if not others:
            return QPoint(x, _MARGIN)
        y = max(w.geometry().bottom() for w in others) + _GAP
        if y + window.height() <= self._host.height() - _MARGIN:
            return QPoint(x, y)
        n = len(others)
        return QPoint(x - n * _CASCADE, _MARGIN + n * _CASCADE)

    def _restack(self) -> None:
        """A window that grew (extras, consult bar) pushes the ones under it in its column down."""
        shown = sorted((w for w in self.windows.values() if w.isVisible()), key=lambda w: w.y())
        for above, below in itertools.pairwise(shown):
            a, b = above.geometry(), below.geometry()
            same_column = a.left() < b.right() and b.left() < a.right()
            bottom = a.bottom() + _GAP
            if same_column and b.top() < bottom <= self._host.height() - b.height():
                below.move(b.x(), bottom)

    def _dismiss(self, key: str) -> None:
        if key in self.windows:
            self._dismissed.add(key)
            self._remove(key)
            self._ctl.dismiss(key)  # the store drops the ended call (if it still lists it)

    def _remove(self, key: str) -> None:
        window = self.windows.pop(key)
        window.hide()
        window.deleteLater()
        self._update_covered()

    def _update_covered(self) -> None:
        """Windows in the right half cover the host from their left edge to its right edge."""
        width = self._host.width()
        covered = 0
        for w in self.windows.values():
            if w.isVisible() and w.x() > width // 2:
                covered = max(covered, width - w.x())
        covered = min(covered, max(0, width - _MIN_LIST))
        if covered != self.covered:
            self.covered = covered
            self.covered_changed.emit(covered)

    def active_key(self) -> str | None:
        """The call the dialer's digits go to: the focus call while it is connected."""
        focus = self._store.focus_call()
        return focus.key if focus is not None and focus.state == "connected" else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._host and kind == QEvent.Type.Resize:
            for w in self.windows.values():
                w.move_within(w.pos())
            self._update_covered()
        elif watched in self.windows.values() and kind in (QEvent.Type.Move, QEvent.Type.Resize):
            if kind == QEvent.Type.Resize:
                self._restack()
            self._update_covered()
        return False
