"""The call windows over the content area: one per call in the CallsStore, several at once.

Windows are children of the host widget (the content area), so they stay inside the main
window, can be dragged within it and raise over the pages. New windows cascade from the top
right. An ended call shows its reason briefly and then goes away (or at once on "Close").
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtWidgets import QWidget

from app.protocols import CallActions, CallsView
from ui.call_window import CallWindow

__all__ = ["CallLayer"]

_MARGIN = 16
_CASCADE = 28
_ENDED_VISIBLE_MS = 4000


class CallLayer(QObject):
    """Keeps one CallWindow per live call on ``host`` in step with the CallsStore."""

    def __init__(
        self,
        host: QWidget,
        store: CallsView,
        controller: CallActions,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(host)
        self._host = host
        self._store = store
        self._ctl = controller
        self._clock = clock
        self.windows: dict[str, CallWindow] = {}
        self._dismissed: set[str] = set()
        store.changed.connect(self._on_changed)
        host.installEventFilter(self)
        self._on_changed(None)

    def _on_changed(self, _change: object) -> None:
        calls = {c.key: c for c in self._store.calls}
        for key in list(self.windows):
            if key not in calls:
                self._remove(key)
        for key, call in calls.items():
            if key in self._dismissed:
                continue
            window = self.windows.get(key)
            if window is None:
                window = CallWindow(call, self._ctl, self._host, self._clock)
                window.closed.connect(self._dismiss)
                self.windows[key] = window
                window.adjustSize()
                window.move_within(self._initial_position(window))
                window.show()
                window.raise_()
            else:
                window.set_call(call)
            if call.state == "ended":
                QTimer.singleShot(_ENDED_VISIBLE_MS, self, lambda k=key: self._dismiss(k))
        self._dismissed &= set(calls)

    def _initial_position(self, window: CallWindow) -> QPoint:
        n = len(self.windows) - 1
        x = self._host.width() - window.width() - _MARGIN - n * _CASCADE
        y = _MARGIN + n * _CASCADE
        return QPoint(x, y)

    def _dismiss(self, key: str) -> None:
        if key in self.windows:
            self._dismissed.add(key)
            self._remove(key)
            self._ctl.dismiss(key)  # the store drops the ended call

    def _remove(self, key: str) -> None:
        window = self.windows.pop(key)
        window.hide()
        window.deleteLater()

    def active_key(self) -> str | None:
        """The call the dialer's digits go to: the focus call while it is connected."""
        focus = self._store.focus_call()
        return focus.key if focus is not None and focus.state == "connected" else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            for w in self.windows.values():
                w.move_within(w.pos())
        return False
